"""The demo's and the replay's gate: the chosen constitution with the watchlist added."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgegate.demo import DEMO_CONSTITUTION
from edgegate.universe import derived_constitution, with_symbols
from gatekeeper.constitution import DEFAULT_PATH, load, loads
from gatekeeper.errors import ConstitutionError

INFRA = DEFAULT_PATH.read_text(encoding="utf-8")


def test_with_symbols_when_watchlist_given_then_added_after_the_listed_once_each() -> None:
    text = with_symbols(INFRA, ["AAPL", "SPY", "BRK/B", "AAPL"])
    assert 'symbols = ["SPY", "QQQ", "IWM", "DIA", "AAPL", "BRK/B"]' in text
    assert loads(text).symbols == {"SPY", "QQQ", "IWM", "DIA", "AAPL", "BRK/B"}


def test_with_symbols_when_added_then_every_limit_and_comment_kept() -> None:
    text = with_symbols(INFRA, ["AAPL"])
    infra, derived = load(), loads(text)
    assert derived.correlation_groups == infra.correlation_groups
    assert (derived.max_notional, derived.max_open_structures) == (
        infra.max_notional,
        infra.max_open_structures,
    )
    kept = [line for line in INFRA.splitlines() if not line.startswith('symbols = ["SPY"')]
    assert [line for line in text.splitlines() if line in kept] == kept


def test_with_symbols_when_list_spans_lines_then_still_widened() -> None:
    spread = INFRA.replace(
        'symbols = ["SPY", "QQQ", "IWM", "DIA"]\nstrategies',
        'symbols = [\n  "SPY", "QQQ",\n  "IWM", "DIA", # the index ETFs\n]\nstrategies',
        1,
    )
    with pytest.raises(ConstitutionError) as info:
        with_symbols(spread, ["AAPL"])  # a comment inside the list: not JSON, said plainly
    assert (info.value.key, info.value.rule) == ("universe.symbols", "layout")
    plain = spread.replace(" # the index ETFs", "")
    assert loads(with_symbols(plain, ["AAPL"])).symbols == {"SPY", "QQQ", "IWM", "DIA", "AAPL"}


def test_with_symbols_when_symbol_malformed_then_constitution_error_names_it() -> None:
    with pytest.raises(ConstitutionError) as info:
        with_symbols(INFRA, ["BRK//B"])
    assert info.value.key.startswith("universe.symbols[")


def test_derived_constitution_when_written_then_demo_limits_with_the_watchlist(
    tmp_path: Path,
) -> None:
    path = derived_constitution(DEMO_CONSTITUTION, ["AAPL", "MSFT"], tmp_path)
    assert path.parent == tmp_path
    derived, demo = load(path), load(DEMO_CONSTITUTION)
    assert derived.symbols == demo.symbols | {"AAPL", "MSFT"}
    assert derived.group_caps == demo.group_caps == {"us_equity_index": 2}
