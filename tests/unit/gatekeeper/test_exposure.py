"""Exposure from the legs: literal structures with known answers, and a property test
against an independent brute-force payoff scan written here, in Fractions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.exposure import (
    PositionLeg,
    max_loss,
    position_leg,
    premium_cash,
    uncovered_shorts,
    value_bounds,
)
from tests.unit.gatekeeper.payoff_scan import BruteLeg, brute_max_loss
from tradier.occ import OptionType, build_occ

NEAR = date(2026, 1, 16)
FAR = date(2026, 2, 20)


def opt(
    kind: str, strike: str, quantity: int, expiry: date = NEAR, root: str = "SPY"
) -> PositionLeg:
    option_type = OptionType.CALL if kind == "C" else OptionType.PUT
    return position_leg(build_occ(root, expiry, option_type, Decimal(strike)), quantity)


def test_max_loss_when_credit_vertical_then_width_less_credit_times_quantity() -> None:
    # Issue 8, case 1: sell the lower call, buy one 100 points higher, x9, 49.45 credit.
    legs = [opt("C", "500", -9), opt("C", "600", 9)]
    credit = Decimal("49.45") * 9 * 100
    assert max_loss(legs, credit) == Decimal("45495.00")


def test_max_loss_when_debit_vertical_then_the_debit() -> None:
    legs = [opt("C", "500", 2), opt("C", "505", -2)]
    assert max_loss(legs, Decimal("-2.10") * 2 * 100) == Decimal("420.00")


def test_max_loss_when_iron_condor_then_wider_wing_less_credit() -> None:
    legs = [opt("P", "480", 1), opt("P", "490", -1), opt("C", "510", -1), opt("C", "515", 1)]
    assert max_loss(legs, Decimal(150)) == Decimal(850)


def test_max_loss_when_naked_short_call_then_unbounded() -> None:
    assert max_loss([opt("C", "500", -1)], Decimal(300)) is None


def test_max_loss_when_naked_short_put_then_strike_less_credit() -> None:
    assert max_loss([opt("P", "500", -2)], Decimal(600)) == Decimal(99_400)


def test_max_loss_when_front_ratio_then_unbounded_and_back_ratio_then_bounded() -> None:
    assert max_loss([opt("C", "500", 1), opt("C", "505", -2)]) is None
    # Long two 505 calls against one short 500: worst at 505, where the short owes 5.
    assert max_loss([opt("C", "500", -1), opt("C", "505", 2)], Decimal(-50)) == Decimal(550)


def test_max_loss_when_calendar_then_the_debit() -> None:
    legs = [opt("C", "500", -3, NEAR), opt("C", "500", 3, FAR)]
    assert max_loss(legs, Decimal(-900)) == Decimal(900)


def test_max_loss_when_reverse_call_calendar_then_unbounded() -> None:
    assert max_loss([opt("C", "500", 1, NEAR), opt("C", "500", -1, FAR)], Decimal(100)) is None


def test_max_loss_when_short_shares_then_unbounded_and_long_shares_then_cost() -> None:
    assert max_loss([position_leg("SPY", -100)], Decimal(52_950)) is None
    assert max_loss([position_leg("SPY", 100)], Decimal(-52_950)) == Decimal(52_950)


def test_max_loss_when_covered_call_then_shares_cost_less_premium() -> None:
    legs = [position_leg("SPY", 100), opt("C", "510", -1)]
    assert max_loss(legs, Decimal(-50_000) + Decimal(200)) == Decimal(49_800)


def test_max_loss_when_two_underlyings_then_worst_cases_add() -> None:
    legs = [opt("P", "500", -1), opt("P", "495", 1), opt("P", "400", -1, root="QQQ"),
            opt("P", "395", 1, root="QQQ")]  # fmt: skip
    assert max_loss(legs) == Decimal(1000)


def test_value_bounds_when_credit_vertical_then_minus_width_to_zero() -> None:
    assert value_bounds([opt("P", "500", -1), opt("P", "495", 1)]) == (Decimal(-500), 0)


def test_value_bounds_when_long_call_then_unbounded_above() -> None:
    assert value_bounds([opt("C", "500", 1)]) == (0, None)


def test_premium_cash_when_all_priced_then_signed_cash_else_none() -> None:
    legs = [
        PositionLeg("SPY260116C00500000", -1, Decimal("3.00"), opt("C", "500", -1).occ),
        PositionLeg("SPY260116C00505000", 1, Decimal("1.25"), opt("C", "505", 1).occ),
    ]
    assert premium_cash(legs) == Decimal("175.00")
    assert premium_cash([opt("C", "500", 1)]) is None


def test_uncovered_shorts_when_vertical_or_calendar_then_none() -> None:
    assert uncovered_shorts([opt("C", "500", -1), opt("C", "510", 1)]) == ()
    assert uncovered_shorts([opt("C", "500", -1, NEAR), opt("C", "500", 1, FAR)]) == ()


def test_uncovered_shorts_when_reverse_calendar_then_the_far_short() -> None:
    far_short = opt("C", "500", -1, FAR)
    assert uncovered_shorts([opt("C", "500", 1, NEAR), far_short]) == (far_short,)


def test_uncovered_shorts_when_long_of_other_type_then_naked() -> None:
    short_call = opt("C", "500", -1)
    assert uncovered_shorts([short_call, opt("P", "490", 1)]) == (short_call,)


def test_uncovered_shorts_when_one_by_three_ratio_then_two_contracts_naked() -> None:
    naked = uncovered_shorts([opt("P", "500", 1), opt("P", "490", -3)])
    assert [(leg.symbol, leg.quantity) for leg in naked] == [("SPY260116P00490000", -2)]


def test_uncovered_shorts_when_hundred_shares_then_one_call_covered() -> None:
    legs = [position_leg("SPY", 150), opt("C", "510", -2)]
    assert [leg.quantity for leg in uncovered_shorts(legs)] == [-1]


def test_uncovered_shorts_when_one_far_long_and_shorts_near_and_far_then_one_naked() -> None:
    # The far long can cover either short but not both; the far short has no other cover.
    legs = [opt("C", "500", -1, NEAR), opt("C", "505", -1, FAR), opt("C", "510", 1, FAR),
            opt("C", "495", 1, NEAR)]  # fmt: skip
    assert uncovered_shorts(legs) == ()
    assert len(uncovered_shorts(legs[:3])) == 1


# --- property: max_loss equals an independent brute-force scan -----------------------------

EXPIRIES = [NEAR, NEAR + timedelta(days=7), FAR]


LEG = st.tuples(
    st.sampled_from(["C", "P"]),
    st.integers(1, 60),
    st.integers(0, len(EXPIRIES) - 1),
    st.integers(-4, 4).filter(bool),
    st.sampled_from([0, 0, 1]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LEG, min_size=1, max_size=4), st.integers(-5000, 5000))
def test_max_loss_when_any_structure_then_equals_brute_force_scan(
    raw: list[BruteLeg], premium: int
) -> None:
    legs = [
        opt(kind, str(strike), qty, EXPIRIES[expiry], ("SPY", "QQQ")[root])
        for kind, strike, expiry, qty, root in raw
    ]
    expected = brute_max_loss(raw, premium)
    got = max_loss(legs, Decimal(premium))
    if expected is None:
        assert got is None
    else:
        assert got is not None and Fraction(got) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(LEG, min_size=1, max_size=4))
def test_uncovered_shorts_when_none_naked_then_max_loss_bounded(
    raw: list[BruteLeg],
) -> None:
    legs = [opt(k, str(s), q, EXPIRIES[e], ("SPY", "QQQ")[r]) for k, s, e, q, r in raw]
    # Nothing naked means every short has a long partner of its type expiring no earlier,
    # and such a pair loses at most its strike difference: the worst case must be finite.
    if not uncovered_shorts(legs):
        assert max_loss(legs) is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(LEG, min_size=1, max_size=4))
def test_value_bounds_when_one_expiry_then_brute_force_least_and_most(
    raw: list[BruteLeg],
) -> None:
    one = [(k, s, 0, q, 0) for k, s, _e, q, _r in raw]  # one expiry, one underlying
    legs = [opt(k, str(s), q) for k, s, _e, q, _r in one]
    top = max(leg[1] for leg in one)
    grid = [Fraction(i, 2) for i in range(0, 2 * top + 40)]

    def value(s: Fraction) -> Fraction:
        total = Fraction(0)
        for kind, strike, _e, qty, _r in one:
            total += (max(s - strike, 0) if kind == "C" else max(strike - s, 0)) * qty * 100
        return total

    rises = value(Fraction(10 * top + 2000)) > value(Fraction(10 * top + 1000))
    falls = value(Fraction(10 * top + 2000)) < value(Fraction(10 * top + 1000))
    low, high = value_bounds(legs)
    assert (low is None) == falls and (high is None) == rises
    if low is not None:
        assert Fraction(low) == min(value(s) for s in grid)
    if high is not None:
        assert Fraction(high) == max(value(s) for s in grid)
