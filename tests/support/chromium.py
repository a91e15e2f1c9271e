"""Debian's headless chromium as the browser tests start it (one definition of its flags)."""

from __future__ import annotations

import shutil

import pytest

# Without the background-networking flags chromium keeps dialling hosts this closed
# network refuses; --no-sandbox because the tests run as root.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str:
    """The chromium binary, or a skip naming how to install it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not installed (make test installs Debian's chromium package)")
    return found
