"""Nothing in the tests may reach Anthropic's real API: no key, and a base URL nobody
answers, unless a test points the SDK at the local fake (`brain.analyst.fake_claude`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def no_real_claude(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Remove any Anthropic credential and send stray SDK calls to a closed port."""
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    yield
