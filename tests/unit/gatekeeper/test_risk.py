"""Risk checks: each passes and fails on its own, run in order, never block a close."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.constitution import Constitution, load
from gatekeeper.contract import ReasonCode, TradingState
from gatekeeper.errors import RetryableGateError
from gatekeeper.risk import (
    ENTRY_CHECKS,
    STATE_CHECKS,
    STRUCTURAL_CHECKS,
    Holding,
    RiskInputs,
    check_correlation_groups,
    check_daily_loss,
    check_days_to_expiry,
    check_market_open,
    check_naked,
    check_notional,
    check_open_structures,
    check_order_type,
    check_price_range,
    check_quantity,
    check_quotes,
    check_staleness,
    check_strategy,
    check_symbol,
    check_symbol_concentration,
    daily_loss_breached,
    evaluate,
    inputs_from_broker,
    is_reducing,
    notional,
)
from tests.unit.gatekeeper.builders import (
    CALENDAR_SPREAD,
    CREATED_AT,
    EQUITY,
    IRON_BUTTERFLY,
    IRON_CONDOR,
    RATIO_SPREAD,
    SINGLE_OPTION,
    VERTICAL,
    closing,
    leg,
    proposal,
)
from tradier.models import Quote

C = load()
ACTIVE, REDUCING, HALTED = TradingState.ACTIVE, TradingState.REDUCING, TradingState.HALTED


def quote(symbol: str, bid: str, ask: str, last: str | None = None) -> Quote:
    return Quote(
        symbol=symbol,
        bid=Decimal(bid),
        ask=Decimal(ask),
        last=None if last is None else Decimal(last),
    )


# Every instrument the builders trade, priced so each builder's declared order type and
# price are honest (the iron condor's natural credit is 2.20, its limit 2.00; ...).
QUOTES: dict[str, Quote] = {
    q.symbol: q
    for q in (
        quote("SPY", "599.95", "600.05", "600.00"),
        quote("SPY251219C00600000", "2.90", "3.10"),
        quote("SPY251219C00610000", "0.70", "0.80"),
        quote("SPY251219C00620000", "1.10", "1.20"),
        quote("SPY251219C00630000", "0.30", "0.40"),
        quote("SPY251219P00600000", "7.00", "7.10"),
        quote("SPY251219P00590000", "0.90", "1.00"),
        quote("SPY251219P00580000", "2.00", "2.10"),
        quote("SPY251219P00575000", "0.70", "0.80"),
        quote("SPY251219P00570000", "0.40", "0.50"),
        quote("SPY260116C00600000", "6.40", "6.60"),
    )
}


def inputs(**changes: Any) -> RiskInputs:
    base = RiskInputs(
        now_ms=CREATED_AT + 500,
        market_open=True,
        equity=Decimal(100_000),
        start_of_day_equity=Decimal(100_000),
        quotes=QUOTES,
    )
    return dataclasses.replace(base, **changes)


def constitution(**changes: Any) -> Constitution:
    return dataclasses.replace(C, **changes)


def code(rejection: Any) -> ReasonCode | None:
    return None if rejection is None else rejection.code


# --- staleness ---------------------------------------------------------------------------


def test_staleness_when_within_window_then_passes() -> None:
    assert check_staleness(proposal(EQUITY), inputs(now_ms=CREATED_AT + 10_000), C) is None
    assert check_staleness(proposal(EQUITY), inputs(now_ms=CREATED_AT - 10_000), C) is None


def test_staleness_when_too_old_then_stale() -> None:
    rejection = check_staleness(proposal(EQUITY), inputs(now_ms=CREATED_AT + 10_001), C)
    assert code(rejection) is ReasonCode.STALE_PROPOSAL


def test_staleness_when_from_the_future_then_future() -> None:
    rejection = check_staleness(proposal(EQUITY), inputs(now_ms=CREATED_AT - 10_001), C)
    assert code(rejection) is ReasonCode.FUTURE_PROPOSAL


# --- structural --------------------------------------------------------------------------


def test_symbol_when_allowed_then_passes_else_rejected() -> None:
    assert check_symbol(proposal(EQUITY), inputs(), C) is None
    rejection = check_symbol(proposal(EQUITY, symbol="TSLA"), inputs(), C)
    assert code(rejection) is ReasonCode.SYMBOL_NOT_ALLOWED


def test_strategy_when_not_allowed_then_rejected() -> None:
    narrow = constitution(strategies=frozenset({"equity"}))
    assert check_strategy(proposal(EQUITY), inputs(), narrow) is None
    assert code(check_strategy(proposal(VERTICAL), inputs(), narrow)) is (
        ReasonCode.STRATEGY_NOT_ALLOWED
    )


def test_quantity_when_shares_over_limit_then_rejected() -> None:
    assert check_quantity(proposal(EQUITY, quantity=500), inputs(), C) is None
    rejection = check_quantity(proposal(EQUITY, quantity=501), inputs(), C)
    assert code(rejection) is ReasonCode.QUANTITY_LIMIT


def test_quantity_when_contracts_over_limit_then_rejected() -> None:
    assert check_quantity(proposal(VERTICAL, quantity=10), inputs(), C) is None
    assert code(check_quantity(proposal(VERTICAL, quantity=11), inputs(), C)) is (
        ReasonCode.QUANTITY_LIMIT
    )


def test_quantity_when_ratio_multiplies_contracts_then_counted() -> None:
    assert check_quantity(proposal(RATIO_SPREAD, quantity=5), inputs(), C) is None
    assert code(check_quantity(proposal(RATIO_SPREAD, quantity=6), inputs(), C)) is (
        ReasonCode.QUANTITY_LIMIT
    )


NAKED_OK = dataclasses.replace(C, allow_naked_shorts=True)


@pytest.mark.parametrize(
    ("base", "changes", "expected"),
    [
        (EQUITY, {}, "6005.00"),  # limit 600.50 above the ask 600.05, x 10 shares
        (EQUITY, {"order_type": "market", "price": ...}, "6000.50"),  # the ask, largest
        # Issue 8, case 2: a sell_short limit at 0.01 is valued at the market, not at 0.01.
        (EQUITY, {"side": "sell_short", "price": "0.01"}, "6000.50"),
        (SINGLE_OPTION, {}, "620.00"),  # limit 3.10 = ask 3.10, x 100 x 2
        (SINGLE_OPTION, {"order_type": "market", "price": ...}, "620.00"),  # the ask
        (
            SINGLE_OPTION,
            {"legs": [leg("SPY251219P00580000", "sell_to_open")]},
            "116000",
        ),  # naked put: strike 580 x 100 x 2
        (
            SINGLE_OPTION,
            {"legs": [leg("SPY251219C00610000", "sell_to_open")], "price": "0.70"},
            "120010.00",
        ),  # naked call: the underlying's ask 600.05 x 100 x 2
        (VERTICAL, {}, "760.00"),  # (5 - natural credit 1.20, below the 1.25 limit) x 200
        (VERTICAL, {"order_type": "market", "price": ...}, "760.00"),
        (VERTICAL, {"price": "1.00"}, "800.00"),  # the limit's 1.00 is worse than 1.20
        (IRON_CONDOR, {}, "1600.00"),  # (10 - the 2.00 limit, below natural 2.20) x 200
        (IRON_BUTTERFLY, {}, "400.00"),  # (10 - 8.00) x 200; natural 8.10
        (CALENDAR_SPREAD, {}, "740.00"),  # the natural debit 3.70 > limit 1.80, x 200
        # the paired vertical's natural debit 1.70 x 200, plus the naked call at 600.05
        (RATIO_SPREAD, {}, "120350.00"),
    ],
)
def test_notional_when_strategy_then_documented_exposure(
    base: dict[str, Any], changes: dict[str, Any], expected: str
) -> None:
    assert notional(proposal(base, **changes), QUOTES) == Decimal(expected)


def test_notional_when_quote_missing_then_quote_unavailable() -> None:
    market = proposal(EQUITY, order_type="market", price=...)
    no_spy = {k: v for k, v in QUOTES.items() if k != "SPY"}
    assert code(check_quotes(market, inputs(quotes=no_spy), C)) is ReasonCode.QUOTE_UNAVAILABLE
    calendar = proposal(CALENDAR_SPREAD)
    rejection = check_quotes(calendar, inputs(quotes={"SPY": QUOTES["SPY"]}), C)
    assert code(rejection) is ReasonCode.QUOTE_UNAVAILABLE
    assert rejection is not None and "SPY251219C00600000" in rejection.message


def test_quotes_when_covered_structure_lacks_underlying_then_not_needed() -> None:
    no_spy = {k: v for k, v in QUOTES.items() if k != "SPY"}
    assert check_quotes(proposal(IRON_CONDOR), inputs(quotes=no_spy), C) is None


def test_notional_when_ratio_with_extra_long_then_covered_and_bounded_by_the_debit() -> None:
    legs = [leg("SPY251219C00600000", "buy_to_open", 2), leg("SPY251219C00610000", "sell_to_open")]
    p = proposal(RATIO_SPREAD, legs=legs, quantity=1)
    # natural: 0.70 - 2 x 3.10 = 5.50 debit, worse than the 0.40 limit; nothing is naked.
    assert check_naked(p, inputs(), C) is None
    assert notional(p, QUOTES) == Decimal("550.00")


def test_notional_when_over_limit_then_rejected() -> None:
    assert check_notional(proposal(EQUITY, quantity=41), inputs(), C) is None
    assert code(check_notional(proposal(EQUITY, quantity=42), inputs(), C)) is (
        ReasonCode.NOTIONAL_LIMIT
    )


def test_notional_when_sell_short_at_a_penny_then_valued_at_market_and_refused() -> None:
    short = proposal(EQUITY, side="sell_short", price="0.01", quantity=100)
    rejection = evaluate(short, inputs(), C, ACTIVE)
    assert code(rejection) is ReasonCode.NOTIONAL_LIMIT


# --- order type and price honesty --------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "changes"),
    [
        (VERTICAL, {"order_type": "debit", "price": "0.01"}),  # issue 8, case 1
        (VERTICAL, {"order_type": "even", "price": ...}),
        (IRON_CONDOR, {"order_type": "debit", "price": "0.05"}),
        (IRON_BUTTERFLY, {"order_type": "even", "price": ...}),
        (CALENDAR_SPREAD, {"order_type": "credit", "price": "0.50"}),
        (RATIO_SPREAD, {"order_type": "credit", "price": "0.10"}),
    ],
)
def test_order_type_when_contradicting_the_net_at_market_then_mismatch(
    base: dict[str, Any], changes: dict[str, Any]
) -> None:
    p = proposal(base, **changes)
    rejection = evaluate(p, inputs(), NAKED_OK, ACTIVE)
    assert code(rejection) is ReasonCode.ORDER_TYPE_MISMATCH
    assert rejection is not None and f"sent as {p.order_type}" in rejection.message


def test_order_type_when_market_order_or_bid_ask_straddles_zero_then_any_type() -> None:
    assert check_order_type(proposal(VERTICAL, order_type="market", price=...), inputs(), C) is None
    # Sell 580 at 1.00-2.00, buy 575 at 1.20-1.30: natural -0.30, best +0.80.
    wide = {
        **QUOTES,
        "SPY251219P00580000": quote("SPY251219P00580000", "1.00", "2.00"),
        "SPY251219P00575000": quote("SPY251219P00575000", "1.20", "1.30"),
    }
    for order_type, price in (("credit", "0.50"), ("debit", "0.10"), ("even", ...)):
        p = proposal(VERTICAL, order_type=order_type, price=price)
        assert check_order_type(p, inputs(quotes=wide), C) is None


@pytest.mark.parametrize(
    ("base", "changes"),
    [
        (VERTICAL, {"price": "5.01"}),  # a credit above the 5-point width
        (IRON_CONDOR, {"price": "10.01"}),  # above the wider wing
        (IRON_BUTTERFLY, {"price": "10.50"}),
        # a debit vertical (buy 580, sell 575) can be worth at most 5
        (
            VERTICAL,
            {
                "order_type": "debit",
                "price": "5.50",
                "legs": [
                    leg("SPY251219P00580000", "buy_to_open"),
                    leg("SPY251219P00575000", "sell_to_open"),
                ],
            },
        ),
        (SINGLE_OPTION, {"legs": [leg("SPY251219P00580000", "sell_to_open")], "price": "580.01"}),
        (CALENDAR_SPREAD, {"price": "600.01"}),  # worth at most the strike at the near expiry
    ],
)
def test_price_range_when_limit_the_structure_can_never_be_worth_then_refused(
    base: dict[str, Any], changes: dict[str, Any]
) -> None:
    rejection = check_price_range(proposal(base, **changes), inputs(), C)
    assert code(rejection) is ReasonCode.PRICE_OUT_OF_RANGE


def test_price_range_when_credit_vertical_sent_as_debit_then_refused_whatever_the_quotes() -> None:
    # Defence in depth: even when the quotes cannot tell credit from debit, no debit can buy
    # a structure that can only cost money.
    p = proposal(VERTICAL, order_type="debit", price="0.01")
    assert code(check_price_range(p, inputs(), C)) is ReasonCode.PRICE_OUT_OF_RANGE


def test_price_range_when_credit_equals_width_or_honest_then_passes() -> None:
    assert check_price_range(proposal(VERTICAL, price="5.00"), inputs(), C) is None
    assert check_price_range(proposal(CALENDAR_SPREAD), inputs(), C) is None


# --- covered or naked --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "changes"),
    [
        (SINGLE_OPTION, {"legs": [leg("SPY251219P00580000", "sell_to_open")]}),
        (RATIO_SPREAD, {}),  # 1 x 2: one short call per structure uncovered
        # Issue 8, case 3: a reverse calendar, long the near expiry and short the far one.
        (
            CALENDAR_SPREAD,
            {
                "order_type": "credit",
                "price": "3.30",
                "legs": [
                    leg("SPY251219C00600000", "buy_to_open"),
                    leg("SPY260116C00600000", "sell_to_open"),
                ],
            },
        ),
    ],
)
def test_naked_when_short_uncovered_then_refused_unless_constitution_allows(
    base: dict[str, Any], changes: dict[str, Any]
) -> None:
    p = proposal(base, **changes)
    assert code(evaluate(p, inputs(), C, ACTIVE)) is ReasonCode.NAKED_SHORT
    assert check_naked(p, inputs(), NAKED_OK) is None


def test_evaluate_when_naked_allowed_then_sized_by_naked_rule() -> None:
    one_put = proposal(SINGLE_OPTION, quantity=1, legs=[leg("SPY251219P00200000", "sell_to_open")])
    assert evaluate(one_put, inputs(quotes={**QUOTES, **_put_200()}), NAKED_OK, ACTIVE) is None
    two = proposal(SINGLE_OPTION, quantity=2, legs=[leg("SPY251219P00200000", "sell_to_open")])
    rejection = evaluate(two, inputs(quotes={**QUOTES, **_put_200()}), NAKED_OK, ACTIVE)
    assert code(rejection) is ReasonCode.NOTIONAL_LIMIT  # 200 x 100 x 2 = 40000


def _put_200() -> dict[str, Quote]:
    return {"SPY251219P00200000": quote("SPY251219P00200000", "0.01", "0.02")}


def test_days_to_expiry_when_inside_range_then_passes() -> None:
    assert check_days_to_expiry(proposal(CALENDAR_SPREAD), inputs(), C) is None
    assert check_days_to_expiry(proposal(EQUITY), inputs(), C) is None


def test_days_to_expiry_when_beyond_max_then_rejected() -> None:
    short = constitution(max_days_to_expiry=30)  # the calendar's far leg is 41 days out
    rejection = check_days_to_expiry(proposal(CALENDAR_SPREAD), inputs(), short)
    assert code(rejection) is ReasonCode.DTE_OUT_OF_RANGE


def test_days_to_expiry_when_expired_then_rejected() -> None:
    after = inputs(now_ms=CREATED_AT + 20 * 86_400_000)  # 2025-12-26, past the 19th
    assert code(check_days_to_expiry(proposal(VERTICAL), after, C)) is ReasonCode.DTE_OUT_OF_RANGE


def test_days_to_expiry_when_new_york_date_differs_from_utc_then_new_york_used() -> None:
    # 2025-12-19 03:00 UTC is still the 18th in New York: 1 day to expiry, not 0.
    now = 1_766_113_200_000
    one_day_min = constitution(min_days_to_expiry=1)
    assert check_days_to_expiry(proposal(VERTICAL), inputs(now_ms=now), one_day_min) is None


# --- state -------------------------------------------------------------------------------


def test_market_open_when_closed_then_rejected() -> None:
    assert check_market_open(proposal(EQUITY), inputs(), C) is None
    assert code(check_market_open(proposal(EQUITY), inputs(market_open=False), C)) is (
        ReasonCode.MARKET_CLOSED
    )


def test_daily_loss_when_loss_reaches_limit_then_rejected() -> None:
    fine = inputs(equity=Decimal("98000.01"))
    hit = inputs(equity=Decimal(98000))
    assert check_daily_loss(proposal(EQUITY), fine, C) is None
    assert code(check_daily_loss(proposal(EQUITY), hit, C)) is ReasonCode.DAILY_LOSS_LIMIT
    assert daily_loss_breached(hit, C)


def test_daily_loss_when_no_baseline_or_gain_then_passes() -> None:
    assert not daily_loss_breached(inputs(start_of_day_equity=None), C)
    assert not daily_loss_breached(inputs(equity=Decimal(200_000)), C)


def test_open_structures_when_at_limit_then_rejected() -> None:
    assert check_open_structures(proposal(VERTICAL), inputs(open_structures_total=9), C) is None
    rejection = check_open_structures(proposal(VERTICAL), inputs(open_structures_total=10), C)
    assert code(rejection) is ReasonCode.OPEN_STRUCTURES_LIMIT


def test_symbol_concentration_when_symbol_full_then_rejected() -> None:
    assert (
        check_symbol_concentration(
            proposal(VERTICAL), inputs(open_structures_by_symbol={"SPY": 2, "QQQ": 3}), C
        )
        is None
    )
    rejection = check_symbol_concentration(
        proposal(VERTICAL), inputs(open_structures_by_symbol={"SPY": 3}), C
    )
    assert code(rejection) is ReasonCode.SYMBOL_CONCENTRATION


def test_correlation_group_when_group_full_then_rejected() -> None:
    by_symbol = {"QQQ": 3, "IWM": 2}
    assert (
        check_correlation_groups(proposal(VERTICAL), inputs(open_structures_by_symbol=by_symbol), C)
        is None
    )
    full = {**by_symbol, "DIA": 1}
    rejection = check_correlation_groups(
        proposal(VERTICAL), inputs(open_structures_by_symbol=full), C
    )
    assert code(rejection) is ReasonCode.CORRELATION_GROUP_LIMIT


# --- order and the trading-state gate ----------------------------------------------------


def test_checks_when_listed_then_structural_before_state() -> None:
    assert ENTRY_CHECKS == STRUCTURAL_CHECKS + STATE_CHECKS
    assert [c.__name__ for c in ENTRY_CHECKS] == [
        "check_symbol",
        "check_strategy",
        "check_quantity",
        "check_quotes",
        "check_tradable",
        "check_order_type",
        "check_price_range",
        "check_naked",
        "check_notional",
        "check_days_to_expiry",
        "check_market_open",
        "check_daily_loss",
        "check_open_structures",
        "check_symbol_concentration",
        "check_correlation_groups",
    ]


def test_evaluate_when_everything_fine_then_approved() -> None:
    for base in (EQUITY, SINGLE_OPTION, VERTICAL, IRON_CONDOR, IRON_BUTTERFLY, CALENDAR_SPREAD):
        assert evaluate(proposal(base), inputs(), C, ACTIVE) is None


def test_evaluate_when_several_checks_fail_then_first_in_order_wins() -> None:
    everything_wrong = inputs(
        now_ms=CREATED_AT + 60_000,
        market_open=False,
        equity=Decimal(1),
        open_structures_total=99,
    )
    bad = proposal(EQUITY, symbol="TSLA", quantity=10_000)
    assert code(evaluate(bad, everything_wrong, C, HALTED)) is ReasonCode.STALE_PROPOSAL
    fresh = dataclasses.replace(everything_wrong, now_ms=CREATED_AT)
    assert code(evaluate(bad, fresh, C, HALTED)) is ReasonCode.STATE_HALTED
    assert code(evaluate(bad, fresh, C, REDUCING)) is ReasonCode.STATE_REDUCING
    assert code(evaluate(bad, fresh, C, ACTIVE)) is ReasonCode.SYMBOL_NOT_ALLOWED
    spy = proposal(EQUITY, quantity=10_000)
    assert code(evaluate(spy, fresh, C, ACTIVE)) is ReasonCode.QUANTITY_LIMIT
    assert code(evaluate(proposal(EQUITY), fresh, C, ACTIVE)) is ReasonCode.MARKET_CLOSED
    opened = dataclasses.replace(fresh, market_open=True)
    assert code(evaluate(proposal(EQUITY), opened, C, ACTIVE)) is ReasonCode.DAILY_LOSS_LIMIT


def test_evaluate_when_halted_then_even_a_matching_close_refused() -> None:
    held = inputs(positions=(Holding("SPY", 10),))
    assert code(evaluate(closing(EQUITY), held, C, HALTED)) is ReasonCode.STATE_HALTED


def test_evaluate_when_reducing_then_matching_close_approved_and_open_refused() -> None:
    held = inputs(positions=(Holding("SPY", 10),))
    assert evaluate(closing(EQUITY), held, C, REDUCING) is None
    assert code(evaluate(proposal(EQUITY), held, C, REDUCING)) is ReasonCode.STATE_REDUCING


def test_evaluate_when_close_has_no_position_then_no_matching_position() -> None:
    assert code(evaluate(closing(EQUITY), inputs(), C, ACTIVE)) is (ReasonCode.NO_MATCHING_POSITION)


def test_evaluate_when_close_breaks_every_entry_limit_then_still_approved() -> None:
    tight = constitution(
        symbols=frozenset({"QQQ"}),
        strategies=frozenset(),
        max_shares_per_proposal=1,
        max_contracts_per_proposal=1,
        max_notional=Decimal("0.01"),
        max_days_to_expiry=0,
        max_open_structures=1,
        max_open_structures_per_symbol=1,
    )
    worst = inputs(
        equity=Decimal(1),
        open_structures_total=50,
        open_structures_by_symbol={"SPY": 50},
        quotes={},
    )
    positions = (
        Holding("SPY", 1000),
        Holding("SPY251219P00570000", 20),
        Holding("SPY251219P00580000", -20),
        Holding("SPY251219C00620000", -20),
        Holding("SPY251219C00630000", 20),
    )
    state = dataclasses.replace(worst, positions=positions)
    assert evaluate(closing(EQUITY, quantity=1000), state, tight, REDUCING) is None
    assert evaluate(closing(IRON_CONDOR, quantity=20), state, tight, REDUCING) is None
    assert evaluate(closing(IRON_CONDOR, quantity=20), state, tight, ACTIVE) is None


def test_evaluate_when_close_and_market_closed_then_market_closed() -> None:
    held = inputs(positions=(Holding("SPY", 10),), market_open=False)
    assert code(evaluate(closing(EQUITY), held, C, ACTIVE)) is ReasonCode.MARKET_CLOSED


# --- is_reducing -------------------------------------------------------------------------


def test_is_reducing_when_open_then_false() -> None:
    assert not is_reducing(proposal(EQUITY), [Holding("SPY", 100)])


def test_is_reducing_when_equity_sell_then_needs_long_shares() -> None:
    assert is_reducing(closing(EQUITY), [Holding("SPY", 10)])
    assert not is_reducing(closing(EQUITY), [Holding("SPY", 9)])
    assert not is_reducing(closing(EQUITY), [Holding("SPY", -10)])


def test_is_reducing_when_buy_to_cover_then_needs_short_shares() -> None:
    cover = closing(EQUITY, side="buy_to_cover")
    assert is_reducing(cover, [Holding("SPY", -10)])
    assert not is_reducing(cover, [Holding("SPY", 10)])


def test_is_reducing_when_legs_held_with_opposite_sign_then_true() -> None:
    close = closing(VERTICAL)  # buy_to_close P580 x2, sell_to_close P575 x2
    held = [Holding("SPY251219P00580000", -2), Holding("SPY251219P00575000", 2)]
    assert is_reducing(close, held)
    assert not is_reducing(close, held[:1])
    wrong_sign = [Holding("SPY251219P00580000", 2), Holding("SPY251219P00575000", 2)]
    assert not is_reducing(close, wrong_sign)
    too_few = [Holding("SPY251219P00580000", -1), Holding("SPY251219P00575000", 2)]
    assert not is_reducing(close, too_few)


def test_is_reducing_when_ratio_then_quantity_times_ratio_needed() -> None:
    close = closing(RATIO_SPREAD, quantity=2)  # sell_to_close C600 x2, buy_to_close C610 x4
    held = [Holding("SPY251219C00600000", 2), Holding("SPY251219C00610000", -4)]
    assert is_reducing(close, held)
    assert not is_reducing(close, [held[0], Holding("SPY251219C00610000", -3)])


# --- inputs from Tradier's models -------------------------------------------------------


def test_inputs_from_broker_when_tradier_models_then_filled() -> None:
    from datetime import date

    from tradier.models import Balances, MarketClock, Position, Quote

    clock = MarketClock(
        date=date(2025, 12, 5),
        description="open",
        state="open",
        timestamp_ms=CREATED_AT,
        next_change="16:00",
        next_state="postmarket",
    )
    made = inputs_from_broker(
        proposal(CALENDAR_SPREAD, order_type="market", price=...),
        now_ms=CREATED_AT,
        clock=clock,
        balances=Balances(total_equity=Decimal(50_000)),
        positions=[Position(symbol="SPY", quantity=5, cost_basis=Decimal(3000))],
        start_of_day_equity=Decimal(51_000),
        open_structures_total=2,
        open_structures_by_symbol={"SPY": 2},
        open_structures_by_group={"us_equity_index": 2},
        quotes=[
            Quote(symbol="SPY", last=Decimal("601.5")),
            Quote(symbol="SPY260116C00600000", bid=Decimal("6.40"), ask=Decimal("6.60")),
            Quote(symbol="SPY251219C00600000", bid=None, ask=Decimal("3.10")),
        ],
    )
    assert made.market_open
    assert made.equity == Decimal(50_000)
    assert sorted(made.quotes) == ["SPY", "SPY251219C00600000", "SPY260116C00600000"]
    assert made.quotes["SPY260116C00600000"].ask == Decimal("6.60")
    assert is_reducing(closing(EQUITY, quantity=5), made.positions)
    # The near leg has no bid: the calendar cannot be priced at market.
    rejection = evaluate(proposal(CALENDAR_SPREAD), made, C, ACTIVE)
    assert code(rejection) is ReasonCode.QUOTE_UNAVAILABLE


def test_inputs_from_broker_when_equity_missing_then_retryable_fault() -> None:
    from tradier.models import Balances

    with pytest.raises(RetryableGateError):
        inputs_from_broker(
            proposal(EQUITY),
            now_ms=CREATED_AT,
            clock=type("Closed", (), {"is_open": False})(),
            balances=Balances(),
            positions=[],
            start_of_day_equity=None,
            open_structures_total=0,
            open_structures_by_symbol={},
        )


def test_correlation_group_when_store_counter_given_then_used() -> None:
    counted = inputs(open_structures_by_symbol={}, open_structures_by_group={"us_equity_index": 6})
    rejection = check_correlation_groups(proposal(VERTICAL), counted, C)
    assert code(rejection) is ReasonCode.CORRELATION_GROUP_LIMIT
    empty = inputs(open_structures_by_symbol={"SPY": 9}, open_structures_by_group={})
    assert check_correlation_groups(proposal(VERTICAL), empty, C) is None


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(["equity", "single_option", "vertical", "iron_condor", "ratio_spread"]),
    quantity=st.integers(1, 50),
    state=st.sampled_from([ACTIVE, REDUCING]),
    limit=st.integers(1, 3),
    equity=st.integers(0, 200_000),
    open_total=st.integers(0, 100),
)
def test_evaluate_when_matching_close_then_no_entry_limit_blocks(
    name: str, quantity: int, state: TradingState, limit: int, equity: int, open_total: int
) -> None:
    from tests.unit.gatekeeper.builders import ALL_VALID

    close = closing(ALL_VALID[name], quantity=quantity)
    held = [
        Holding(lg.option_symbol, (1 if lg.is_long else -1) * quantity * lg.ratio)
        for lg in close.legs or ()
    ] or [Holding("SPY", quantity)]
    tight = constitution(
        symbols=frozenset({"QQQ"}),
        strategies=frozenset(),
        max_shares_per_proposal=limit,
        max_contracts_per_proposal=limit,
        max_notional=Decimal(limit),
        max_open_structures=limit,
        max_open_structures_per_symbol=limit,
    )
    worst = inputs(
        equity=Decimal(equity),
        positions=tuple(held),
        open_structures_total=open_total,
        open_structures_by_symbol={"SPY": open_total},
        quotes={},
    )
    assert evaluate(close, worst, tight, state) is None
