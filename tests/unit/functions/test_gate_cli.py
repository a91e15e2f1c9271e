"""`edgegate gate serve`'s help and logging set-up."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from edgegate.cli import main
from functions.local.cli import configure_logging

GATE_ENVIRONMENT = (
    "EDGEGATE_SIGNING_SECRET",
    "EDGEGATE_ADMIN_SECRET",
    "TRADIER_TRADE_BASE_URL",
    "TRADIER_TRADE_TOKEN",
    "TRADIER_ACCOUNT_ID",
    "EDGEGATE_CONSTITUTION",
    "EDGEGATE_DYNAMODB_ENDPOINT",
)


@pytest.fixture
def werkzeug_logger() -> Iterator[logging.Logger]:
    """The werkzeug logger, its level restored after the test."""
    logger = logging.getLogger("werkzeug")
    before = logger.level
    yield logger
    logger.setLevel(before)


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_gate_serve_help_when_shown_then_lists_every_environment_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _help(capsys, "gate", "serve")
    missing = [name for name in GATE_ENVIRONMENT if name not in text]
    assert missing == []


def test_gate_serve_help_when_shown_then_host_and_port_explained(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _help(capsys, "gate", "serve")
    assert "address to bind (default: 127.0.0.1)" in text
    assert "port to listen on (default: 8701)" in text


def test_gate_logging_when_info_then_werkzeug_requests_not_logged(
    werkzeug_logger: logging.Logger,
) -> None:
    configure_logging("INFO")
    assert not werkzeug_logger.isEnabledFor(logging.INFO)
    assert werkzeug_logger.isEnabledFor(logging.WARNING)
