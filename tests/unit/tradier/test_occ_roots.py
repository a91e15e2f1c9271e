"""OCC roots that are not the underlying's symbol: share classes and index series."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tradier.occ import OptionType, build_occ, occ_root, parse_occ, underlying_of


@pytest.mark.parametrize(
    ("symbol", "root"),
    [("BRK/B", "BRKB"), ("BRK.B", "BRKB"), ("BF/B", "BFB"), ("HEI/A", "HEIA"), ("AAPL", "AAPL")],
)
def test_occ_root_when_share_class_then_slash_dropped(symbol: str, root: str) -> None:
    assert occ_root(symbol) == root


@pytest.mark.parametrize(
    ("root", "underlying"),
    [
        ("BRKB", "BRK/B"),
        ("BFB", "BF/B"),
        ("SPXW", "SPX"),
        ("NDXP", "NDX"),
        ("RUTW", "RUT"),
        ("VIXW", "VIX"),
        ("SPX", "SPX"),
        ("XSP", "XSP"),
        ("AAPL", "AAPL"),
    ],
)
def test_underlying_of_when_root_then_the_symbol_tradier_quotes(root: str, underlying: str) -> None:
    assert underlying_of(root) == underlying


def test_build_occ_when_share_class_root_then_round_trips_to_underlying() -> None:
    symbol = build_occ(occ_root("BRK/B"), date(2026, 12, 18), OptionType.CALL, Decimal(460))
    assert symbol == "BRKB261218C00460000"
    parsed = parse_occ(symbol)
    assert parsed.root == "BRKB" and underlying_of(parsed.root) == "BRK/B"


def test_parse_occ_when_spxw_then_root_kept_and_underlying_is_spx() -> None:
    parsed = parse_occ("SPXW261118P06500000")
    assert (parsed.root, parsed.strike, underlying_of(parsed.root)) == (
        "SPXW",
        Decimal(6500),
        "SPX",
    )
