from decimal import Decimal

import pytest

from brain.sizing import (
    SizingPolicy,
    SizingSkip,
    debit_max_loss,
    ratio_spread_max_loss,
    shares_for,
    size,
    spread_max_loss,
)
from tradier.money import NetKind


def test_spread_max_loss_when_credit_then_width_times_100_minus_credit():
    assert spread_max_loss(Decimal("5"), Decimal("1.20"), NetKind.CREDIT) == Decimal("380.00")


def test_spread_max_loss_when_debit_vertical_then_the_debit():
    assert spread_max_loss(Decimal("10"), Decimal("3.00"), NetKind.DEBIT) == Decimal("300.00")


def test_ratio_spread_max_loss_when_debit_then_width_plus_debit():
    assert ratio_spread_max_loss(Decimal("5"), Decimal("0.30"), NetKind.DEBIT) == Decimal("530.00")


def test_debit_max_loss_when_calendar_then_debit_times_100():
    assert debit_max_loss(Decimal("1.45")) == Decimal("145.00")


def test_size_when_budget_fits_several_then_floor_of_ratio():
    policy = SizingPolicy(risk_fraction=Decimal("0.02"), floor=1, cap=10)
    # 100k * 2% = 2000 / 380 = 5.26 -> 5
    result = size(Decimal("100000"), Decimal("380"), policy)
    assert result.quantity == 5 and result.skip is None


def test_size_when_ratio_above_cap_then_capped():
    policy = SizingPolicy(risk_fraction=Decimal("0.02"), floor=1, cap=3)
    assert size(Decimal("1000000"), Decimal("100"), policy).quantity == 3


def test_size_when_below_floor_but_within_hard_limit_then_floor():
    policy = SizingPolicy(risk_fraction=Decimal("0.01"), floor=1, cap=5)
    # budget 100 < 380, but one spread is 3.8% of equity, under the 5% hard limit
    assert size(Decimal("10000"), Decimal("380"), policy).quantity == 1


def test_size_when_one_structure_exceeds_hard_limit_then_skipped():
    policy = SizingPolicy()
    result = size(Decimal("5000"), Decimal("380"), policy)
    assert result.quantity == 0 and result.skip is SizingSkip.TOO_LARGE


def test_size_when_max_loss_not_positive_then_skipped():
    assert size(Decimal("5000"), Decimal("0"), SizingPolicy()).skip is SizingSkip.UNBOUNDED_LOSS


def test_size_when_no_equity_then_skipped():
    assert size(Decimal("0"), Decimal("100"), SizingPolicy()).skip is SizingSkip.NO_EQUITY


def test_shares_when_stop_distance_then_risk_over_distance_capped_by_notional():
    policy = SizingPolicy(risk_fraction=Decimal("0.01"), max_notional=Decimal("1000000"))
    result = shares_for(Decimal("100000"), Decimal("500"), Decimal("495"), policy)
    assert result.quantity == 200  # 1000 / 5
    tight = shares_for(Decimal("100000"), Decimal("500"), Decimal("499.99"), policy)
    assert tight.quantity == 200  # notional cap 100000 / 500


def test_shares_when_max_notional_lower_than_equity_then_capped_by_it():
    policy = SizingPolicy(risk_fraction=Decimal("0.01"), max_notional=Decimal("20000"))
    result = shares_for(Decimal("100000"), Decimal("500"), Decimal("499.99"), policy)
    assert result.quantity == 40


def test_policy_when_cap_below_floor_then_refused():
    with pytest.raises(ValueError, match="cap"):
        SizingPolicy(floor=5, cap=2)
