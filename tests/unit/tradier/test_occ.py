from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradier.occ import OccSymbolError, OptionType, build_occ, parse_occ


def test_parse_when_documented_example_then_fields_match() -> None:
    occ = parse_occ("SPY140118C00195000")
    assert occ.root == "SPY"
    assert occ.expiration == date(2014, 1, 18)
    assert occ.option_type is OptionType.CALL
    assert occ.strike == Decimal("195")


def test_parse_when_fractional_strike_then_kept_exactly() -> None:
    occ = parse_occ("VXX190517P00016500")
    assert occ.strike == Decimal("16.5")
    assert occ.option_type is OptionType.PUT


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "SPY",
        "SPY 140118C00195000",
        "spy140118C00195000",
        "SPY141318C00195000",
        "SPY140118X00195000",
        "SPY140118C0019500",
        "SPY140118C00000000",
    ],
)
def test_parse_when_malformed_then_error(bad: str) -> None:
    with pytest.raises(OccSymbolError):
        parse_occ(bad)


def test_build_when_strike_has_four_decimals_then_error() -> None:
    with pytest.raises(OccSymbolError, match="strike"):
        build_occ("SPY", date(2026, 1, 16), OptionType.PUT, Decimal("1.0001"))


@given(
    root=st.from_regex(r"[A-Z]{1,5}", fullmatch=True),
    expiration=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    option_type=st.sampled_from(list(OptionType)),
    strike_milli=st.integers(min_value=1, max_value=99_999_999),
)
def test_build_then_parse_round_trips(
    root: str, expiration: date, option_type: OptionType, strike_milli: int
) -> None:
    strike = Decimal(strike_milli) / 1000
    symbol = build_occ(root, expiration, option_type, strike)
    parsed = parse_occ(symbol)
    assert (parsed.root, parsed.expiration, parsed.option_type) == (root, expiration, option_type)
    assert parsed.strike == strike
    assert str(parsed) == symbol
