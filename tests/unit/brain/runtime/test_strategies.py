from dataclasses import replace
from datetime import date
from decimal import Decimal

from brain.bars import Session
from brain.legs import Side, to_contracts
from brain.market import Regime, Signal
from brain.strategies import ChainView, EquityPlan, OptionPlan, build_strategies
from brain.strategies.backspread import PutRatioBackspread
from brain.strategies.calendar import CalendarSpread
from brain.strategies.credit_spread import CreditSpreads
from brain.strategies.equity_trend import EquityTrend
from brain.strategies.iron_butterfly import IronButterfly
from brain.strategies.iron_condor import IronCondor
from gatekeeper.contract import EquitySide, Strategy
from tradier.money import NetKind

from .chain_fixture import FAR, NEAR, chain
from .market_fixture import bar, state

TODAY = date(2026, 11, 23)


def view(*expirations: date | None) -> ChainView:
    return ChainView("SPY", Decimal("500.00"), TODAY, expirations, tuple(to_contracts(chain())))


def signal(strategy: str, kind: str, **params: object) -> Signal:
    return Signal("SPY", strategy, kind, 0, 1.0, "test", {"price": "500.00", **params})  # type: ignore[arg-type]


def strikes(plan: OptionPlan) -> list[tuple[str, int, Side, int]]:
    return [
        (leg.contract.option_type.value, int(leg.contract.strike), leg.side, leg.ratio)
        for leg in plan.legs
    ]


def test_credit_spread_plan_when_bull_put_then_short_near_020_delta_and_fixed_width():
    plan = CreditSpreads().plan(signal("credit_spread", "bull_put"), view(NEAR))
    assert isinstance(plan, OptionPlan)
    assert plan.strategy is Strategy.VERTICAL
    assert strikes(plan) == [("put", 490, Side.SELL, 1), ("put", 485, Side.BUY, 1)]
    assert plan.net.kind is NetKind.CREDIT
    assert plan.net.price == Decimal("2.23") - Decimal("1.49")
    assert plan.max_loss_each == Decimal(500) - plan.net.price * 100


def test_credit_spread_plan_when_bear_call_then_calls_above_price():
    plan = CreditSpreads().plan(signal("credit_spread", "bear_call"), view(NEAR))
    assert isinstance(plan, OptionPlan)
    assert strikes(plan) == [("call", 510, Side.SELL, 1), ("call", 515, Side.BUY, 1)]


def test_credit_spread_plan_when_credit_too_small_then_none():
    strategy = CreditSpreads(min_credit_ratio=Decimal("0.9"))
    assert strategy.plan(signal("credit_spread", "bull_put"), view(NEAR)) is None


def test_iron_condor_plan_when_chain_then_four_legs_around_price():
    plan = IronCondor().plan(signal("iron_condor", "iron_condor"), view(NEAR))
    assert isinstance(plan, OptionPlan)
    assert strikes(plan) == [
        ("put", 485, Side.BUY, 1),
        ("put", 490, Side.SELL, 1),
        ("call", 515, Side.SELL, 1),
        ("call", 520, Side.BUY, 1),
    ]
    assert plan.net.kind is NetKind.CREDIT


def test_iron_butterfly_plan_when_chain_then_body_at_the_money():
    plan = IronButterfly(width=Decimal(10)).plan(
        signal("iron_butterfly", "iron_butterfly"), view(NEAR)
    )
    assert isinstance(plan, OptionPlan)
    assert strikes(plan) == [
        ("put", 490, Side.BUY, 1),
        ("put", 500, Side.SELL, 1),
        ("call", 500, Side.SELL, 1),
        ("call", 510, Side.BUY, 1),
    ]
    assert plan.max_loss_each == Decimal(1000) - plan.net.price * 100


def test_backspread_plan_when_debit_within_limit_then_one_by_two_puts():
    plan = PutRatioBackspread(max_debit=Decimal(3)).plan(
        signal("put_ratio_backspread", "put_ratio_backspread"), view(FAR)
    )
    assert isinstance(plan, OptionPlan)
    assert plan.strategy is Strategy.RATIO_SPREAD
    assert strikes(plan) == [("put", 495, Side.SELL, 1), ("put", 490, Side.BUY, 2)]
    assert plan.net.kind is NetKind.DEBIT
    assert plan.max_loss_each == Decimal(500) + plan.net.price * 100


def test_backspread_plan_when_debit_too_large_then_none():
    plan = PutRatioBackspread().plan(
        signal("put_ratio_backspread", "put_ratio_backspread"), view(FAR)
    )
    assert plan is None


def test_calendar_plan_when_two_expirations_then_same_strike_sold_near_bought_far():
    plan = CalendarSpread().plan(signal("calendar", "calendar"), view(NEAR, FAR))
    assert isinstance(plan, OptionPlan)
    assert [(leg.contract.expiration, leg.side) for leg in plan.legs] == [
        (NEAR, Side.SELL),
        (FAR, Side.BUY),
    ]
    assert plan.legs[0].contract.strike == plan.legs[1].contract.strike == Decimal(500)
    assert plan.net.kind is NetKind.DEBIT
    assert plan.max_loss_each == plan.net.price * 100


def test_calendar_plan_when_near_expiration_missing_then_none():
    assert CalendarSpread().plan(signal("calendar", "calendar"), view(None, FAR)) is None


def test_equity_plan_when_long_then_limit_at_ask_with_atr_stop():
    plan = EquityTrend().plan_equity(
        signal("equity_trend", "long", bid="500.00", ask="500.02", atr=0.5)
    )
    assert isinstance(plan, EquityPlan)
    assert plan.side is EquitySide.BUY
    assert plan.price == Decimal("500.02")
    assert plan.stop == Decimal("499.02")


def primed(strategy, st):
    """A strategy that has seen one bar already: the first bar it sees only arms its edge."""
    strategy.on_bar(st, replace(bar(500.0, -1), session=Session.PRE))
    return strategy


def test_strategy_when_conditions_already_hold_on_its_first_bar_then_no_signal_at_the_open():
    st = state(Regime.LOW_VOL_CHOP, adx=12.0, rsi=50.0, bb_upper=505.0, bb_lower=495.0)
    condor = IronCondor()
    assert condor.on_bar(st, bar(500.0, 0)) == []  # held overnight: not a fresh edge
    assert condor.on_bar(st, bar(500.0, 1)) == []
    st.adx.value = 40.0  # conditions lapse ...
    assert condor.on_bar(st, bar(500.0, 2)) == []
    st.adx.value = 12.0  # ... and return: that is an edge
    assert [s.kind for s in condor.on_bar(st, bar(500.0, 3))] == ["iron_condor"]


def test_credit_spread_when_trending_up_then_bull_put_signal_once():
    st = state(Regime.TRENDING, ema_fast=501.0, ema_slow=499.0, vwap=499.5, rsi=60.0)
    strategy = primed(CreditSpreads(), st)
    first = strategy.on_bar(st, bar(500.5, 0))
    assert [s.kind for s in first] == ["bull_put"]
    assert first[0].params["price"] == "500.00"
    assert first[0].created_at_ms == bar(500.5, 0).end_ms
    # Edge-triggered: still true on the next bar, so no new signal.
    assert strategy.on_bar(st, bar(500.6, 1)) == []


def test_credit_spread_when_conditions_return_within_cooldown_then_no_signal():
    st = state(Regime.TRENDING, ema_fast=501.0, ema_slow=499.0, vwap=499.5, rsi=60.0)
    strategy = primed(CreditSpreads(cooldown_bars=30), st)
    assert strategy.on_bar(st, bar(500.5, 0))
    st.rsi.value = 80.0
    assert strategy.on_bar(st, bar(500.5, 1)) == []
    st.rsi.value = 60.0
    assert strategy.on_bar(st, bar(500.5, 2)) == []
    st.rsi.value = 80.0
    strategy.on_bar(st, bar(500.5, 40))
    st.rsi.value = 60.0
    assert [s.kind for s in strategy.on_bar(st, bar(500.5, 41))] == ["bull_put"]


def test_credit_spread_when_trending_down_then_bear_call():
    st = state(Regime.TRENDING, ema_fast=498.0, ema_slow=499.0, vwap=500.5, rsi=40.0)
    assert [s.kind for s in primed(CreditSpreads(), st).on_bar(st, bar(499.0))] == ["bear_call"]


def test_strategies_when_wrong_regime_then_silent():
    st = state(
        Regime.HIGH_VOL_EXPANSION,
        ema_fast=501.0,
        ema_slow=499.0,
        vwap=499.5,
        rsi=50.0,
        adx=10.0,
        atr=1.0,
        bb_upper=510.0,
        bb_lower=490.0,
    )
    for strategy in build_strategies(
        ["credit_spread", "iron_condor", "iron_butterfly", "calendar"]
    ):
        assert strategy.on_bar(st, bar(500.0)) == []


def test_iron_condor_when_quiet_chop_then_signal():
    st = state(Regime.LOW_VOL_CHOP, adx=12.0, rsi=50.0, bb_upper=505.0, bb_lower=495.0)
    assert [s.kind for s in primed(IronCondor(), st).on_bar(st, bar(500.0))] == ["iron_condor"]


def test_iron_butterfly_when_pinned_to_vwap_then_signal():
    st = state(Regime.LOW_VOL_CHOP, vwap=500.1, atr=1.0, rsi=50.0)
    assert [s.kind for s in primed(IronButterfly(), st).on_bar(st, bar(500.0))] == [
        "iron_butterfly"
    ]


def test_calendar_when_compressed_and_iv_rank_high_then_silent():
    st = state(Regime.COMPRESSED, iv_rank=0.9)
    calendar = primed(CalendarSpread(), st)
    assert calendar.on_bar(st, bar(500.0)) == []
    st.iv_rank.value = 0.1
    assert [s.kind for s in calendar.on_bar(st, bar(500.0, 1))] == ["calendar"]


def test_backspread_when_expansion_falling_then_signal():
    st = state(Regime.HIGH_VOL_EXPANSION, ema_fast=498.0, ema_slow=499.0, vwap=501.0)
    assert [s.kind for s in primed(PutRatioBackspread(), st).on_bar(st, bar(499.0))] == [
        "put_ratio_backspread"
    ]


def test_equity_trend_when_fresh_cross_up_in_trend_then_long_with_quote_and_atr():
    strategy = EquityTrend()
    st = state(Regime.TRENDING, ema_fast=498.0, ema_slow=499.0, sma_slow=495.0, vwap=497.0, atr=0.5)
    assert strategy.on_bar(st, bar(500.0, 0)) == []
    st.ema_fast.value = 500.0
    signals = strategy.on_bar(st, bar(500.0, 1))
    assert [s.kind for s in signals] == ["long"]
    assert signals[0].params["ask"] == "500.01"


def test_strategies_when_not_regular_session_then_silent():
    st = state(Regime.LOW_VOL_CHOP, adx=12.0, rsi=50.0, bb_upper=505.0, bb_lower=495.0)
    assert IronCondor().on_bar(st, replace(bar(500.0), session=Session.PRE)) == []
