"""The constitution: defaults load, every bad key is named with its rule."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from gatekeeper.constitution import DEFAULT_PATH, check_trading_host, load, loads
from gatekeeper.contract import Strategy
from gatekeeper.errors import ConstitutionError, LiveTradingRefused

DEFAULT_TEXT = DEFAULT_PATH.read_text(encoding="utf-8")


def edited(pattern: str, replacement: str) -> str:
    text, count = re.subn(pattern, replacement, DEFAULT_TEXT, count=1, flags=re.MULTILINE)
    assert count == 1, pattern
    return text


def error_for(text: str) -> ConstitutionError:
    with pytest.raises(ConstitutionError) as info:
        loads(text)
    return info.value


def test_load_when_default_file_then_paper_account_limits() -> None:
    c = load()
    assert c.symbols == {"SPY", "QQQ", "IWM", "DIA"}
    assert c.strategies == set(Strategy)
    assert (c.max_open_structures, c.max_open_structures_per_symbol) == (10, 3)
    assert (c.max_contracts_per_proposal, c.max_shares_per_proposal) == (10, 500)
    assert c.max_notional == Decimal(25000)
    assert c.allow_naked_shorts is False
    assert c.daily_loss_percent == Decimal(2)
    assert (c.min_days_to_expiry, c.max_days_to_expiry) == (0, 60)
    assert c.staleness_ms == 10_000
    assert c.symbol_open_window_ms == 60_000
    assert c.global_trade_calls_per_minute < 60
    assert not c.live_trading
    assert c.group_caps == {"us_equity_index": 6}
    assert [g.name for g in c.groups_for("QQQ")] == ["us_equity_index"]
    assert c.groups_for("TSLA") == ()


def test_load_when_path_given_then_reads_that_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(edited(r"^max_shares_per_proposal = 500", "max_shares_per_proposal = 7"))
    assert load(path).max_shares_per_proposal == 7


def test_load_when_file_missing_then_error_names_file(tmp_path: Path) -> None:
    with pytest.raises(ConstitutionError) as info:
        load(tmp_path / "nope.toml")
    assert (info.value.key, info.value.rule) == ("<file>", "unreadable")


@pytest.mark.parametrize(
    ("pattern", "replacement", "key", "rule"),
    [
        (r"^live_trading = false", "live_trading = 1", "trading.live_trading", "type"),
        (r"^live_trading = false", "", "trading.live_trading", "required"),
        (r"^\[trading\]", "[trading]\nsurprise = 1", "trading.surprise", "unknown_key"),
        (r"^\[timing\]", "[timing]\nverbose = true", "timing.verbose", "unknown_key"),
        (r"^\[rate_limits\]", "[extra]\nx = 1\n[rate_limits]", "extra", "unknown_key"),
        (
            r'^symbols = \["SPY", "QQQ", "IWM", "DIA"\]',
            'symbols = ["spy"]',
            "universe.symbols[0]",
            "pattern",
        ),
        (r'^symbols = \["SPY", "QQQ", "IWM", "DIA"\]', "symbols = []", "universe.symbols", "type"),
        (
            r'^symbols = \["SPY", "QQQ", "IWM", "DIA"\]',
            'symbols = ["SPY", "SPY"]',
            "universe.symbols",
            "duplicate",
        ),
        (r'^  "vertical",', '  "straddle",', "universe.strategies[2]", "enum"),
        (
            r"^max_open_structures = 10",
            "max_open_structures = 0",
            "limits.max_open_structures",
            "range",
        ),
        (
            r"^max_open_structures = 10",
            'max_open_structures = "10"',
            "limits.max_open_structures",
            "type",
        ),
        (
            r"^max_open_structures = 10",
            "max_open_structures = 2",
            "limits.max_open_structures_per_symbol",
            "order",
        ),
        (r"^max_notional = 25000.00", "max_notional = -1", "limits.max_notional", "range"),
        (r"^max_notional = 25000.00", 'max_notional = "25000"', "limits.max_notional", "type"),
        (r"^max_notional = 25000.00", "max_notional = nan", "limits.max_notional", "range"),
        (
            r"^allow_naked_shorts = false",
            "allow_naked_shorts = 0",
            "limits.allow_naked_shorts",
            "type",
        ),
        (r"^allow_naked_shorts = false.*$", "", "limits.allow_naked_shorts", "required"),
        (
            r"^daily_loss_percent = 2.0",
            "daily_loss_percent = 0",
            "limits.daily_loss_percent",
            "range",
        ),
        (
            r"^daily_loss_percent = 2.0",
            "daily_loss_percent = 101",
            "limits.daily_loss_percent",
            "range",
        ),
        (
            r"^min_days_to_expiry = 0",
            "min_days_to_expiry = 61",
            "limits.min_days_to_expiry",
            "order",
        ),
        (r"^staleness_seconds = 10", "staleness_seconds = 0", "timing.staleness_seconds", "range"),
        (
            r"^global_trade_calls_per_minute = 50",
            "global_trade_calls_per_minute = 60",
            "rate_limits.global_trade_calls_per_minute",
            "range",
        ),
        (
            r"^global_trade_calls_per_minute = 50",
            "global_trade_calls_per_minute = true",
            "rate_limits.global_trade_calls_per_minute",
            "type",
        ),
        (
            r'^name = "us_equity_index"',
            'name = "US Index"',
            "correlation_groups[0].name",
            "pattern",
        ),
        (
            r'^symbols = \["SPY", "QQQ", "IWM", "DIA"\]\nmax_open_structures = 6',
            'symbols = ["SPY", "TSLA"]\nmax_open_structures = 6',
            "correlation_groups[0].symbols",
            "not_in_universe",
        ),
        (
            r"^max_open_structures = 6",
            "max_open_structures = 6\ncap = 1",
            "correlation_groups[0].cap",
            "unknown_key",
        ),
        (r"^max_open_structures = 6", "", "correlation_groups[0].max_open_structures", "required"),
        (
            r'^live_hosts = \["api.tradier.com"\]',
            'live_hosts = ["sandbox.tradier.com"]',
            "trading.live_hosts",
            "overlap",
        ),
        (
            r'^live_hosts = \["api.tradier.com"\]',
            'live_hosts = ["bad host!"]',
            "trading.live_hosts[0]",
            "pattern",
        ),
        (r"^\[limits\]", "[limits\n", "<file>", "toml"),
    ],
)
def test_loads_when_key_invalid_then_error_names_key_and_rule(
    pattern: str, replacement: str, key: str, rule: str
) -> None:
    error = error_for(edited(pattern, replacement))
    assert (error.key, error.rule) == (key, rule)
    assert key in str(error)


def test_loads_when_group_listed_twice_then_duplicate() -> None:
    group = DEFAULT_TEXT[DEFAULT_TEXT.index("[[correlation_groups]]") :]
    error = error_for(DEFAULT_TEXT + "\n" + group)
    assert (error.key, error.rule) == ("correlation_groups[1].name", "duplicate")


def test_loads_when_section_missing_then_required() -> None:
    text = DEFAULT_TEXT.replace("[timing]", "[timing_renamed]")
    error = error_for(text)
    assert (error.key, error.rule) == ("timing", "required")


def test_loads_when_no_groups_then_empty_tuple() -> None:
    head = DEFAULT_TEXT[: DEFAULT_TEXT.index("[[correlation_groups]]")]
    text = "correlation_groups = []\n" + head
    assert loads(text).correlation_groups == ()


@pytest.mark.parametrize(
    "url", ["https://sandbox.tradier.com/v1", "http://127.0.0.1:8700", "http://localhost:1/v1"]
)
def test_check_trading_host_when_sandbox_then_allowed(url: str) -> None:
    check_trading_host(load(), url)


def test_check_trading_host_when_live_host_and_live_off_then_refused() -> None:
    with pytest.raises(LiveTradingRefused, match="live_trading"):
        check_trading_host(load(), "https://api.tradier.com/v1")


def test_check_trading_host_when_live_host_and_live_on_then_allowed() -> None:
    live = loads(edited(r"^live_trading = false", "live_trading = true"))
    check_trading_host(live, "https://api.tradier.com/v1")


def test_check_trading_host_when_unknown_host_then_refused() -> None:
    with pytest.raises(LiveTradingRefused):
        check_trading_host(load(), "https://evil.example.com/v1")
