from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from brain.exits import ExitPolicy, ExitReason, Targets, evaluate, option_targets, refusal
from brain.legs import HeldLeg, NetPrice, Side
from brain.monitor import OpenPosition, PositionMonitor, closing_price
from gatekeeper.contract import EquitySide, Strategy
from tradier.clock import ManualClock
from tradier.money import NetKind

SHORT = "SPY261218P00490000"
LONG = "SPY261218P00485000"
NOW = 1_795_012_200_000  # 2026-11-18


@dataclass
class Q:
    symbol: str
    bid: Decimal | None
    ask: Decimal | None


class FakeQuotes:
    """Quotes from a dict; can be told to fail."""

    def __init__(self, book: dict[str, tuple[str, str]]) -> None:
        self.book = book
        self.fail = False
        self.calls = 0

    async def quotes(self, symbols, greeks=False):
        self.calls += 1
        if self.fail:
            raise ConnectionError("down")
        return [
            Q(s, Decimal(self.book[s][0]), Decimal(self.book[s][1]))
            for s in symbols
            if s in self.book
        ]


class Closer:
    def __init__(self) -> None:
        self.asked: list[tuple[str, ExitReason, NetPrice]] = []

    async def __call__(self, position, reason, price):
        self.asked.append((position.id, reason, price))
        return f"close-{len(self.asked)}"


def spread(opened_at: int = NOW, credit: str = "1.00") -> OpenPosition:
    entry = Decimal(credit)
    return OpenPosition(
        id="p1",
        symbol="SPY",
        strategy=Strategy.VERTICAL,
        quantity=2,
        entry_signed=entry,
        targets=option_targets(entry, Decimal(500) - entry * 100, ExitPolicy(), entry * 100),
        opened_at_ms=opened_at,
        legs=(HeldLeg(SHORT, Side.SELL), HeldLeg(LONG, Side.BUY)),
        source="credit_spread",
    )


def monitor(book, clock=None, store=None) -> tuple[PositionMonitor, Closer, FakeQuotes]:
    closer = Closer()
    quotes = FakeQuotes(book)
    m = PositionMonitor(clock=clock or ManualClock(NOW), quotes=quotes, close=closer, store=store)
    return m, closer, quotes


def test_option_targets_when_credit_then_half_max_profit_and_stop_at_twice_the_credit():
    # 5-wide spread for 1.00: max profit 100, max loss 400; half the max loss (200) would
    # risk four times the target, so the stop is buying it back at 2.00 (a $100 loss)
    targets = option_targets(Decimal("1.00"), Decimal(400), ExitPolicy(), Decimal(100))
    assert targets == Targets(Decimal("50.00"), Decimal("100.0"))
    assert targets.reward_risk == Decimal("0.5")


def test_option_targets_when_rich_credit_butterfly_then_stop_on_half_the_max_loss():
    # 10-wide iron butterfly for 7.57: max profit 757, max loss 243
    targets = option_targets(Decimal("7.57"), Decimal(243), ExitPolicy(), Decimal(757))
    assert (targets.take_profit_each, targets.stop_loss_each) == (
        Decimal("378.50"),
        Decimal("121.50"),
    )


def test_option_targets_when_debit_vertical_then_half_of_width_less_debit():
    # 10-wide call vertical bought for 3.00: max profit 700, max loss 300
    targets = option_targets(Decimal("-3.00"), Decimal(300), ExitPolicy(), Decimal(700))
    assert (targets.take_profit_each, targets.stop_loss_each) == (
        Decimal("350.00"),
        Decimal("150.00"),
    )


async def test_monitor_when_spread_decayed_to_half_then_take_profit_close_at_natural():
    m, closer, _ = monitor({SHORT: ("0.40", "0.45"), LONG: ("0.05", "0.08")})
    m.add(spread())
    asked = await m.check()
    assert asked == [("p1", ExitReason.TAKE_PROFIT)]
    _, _, price = closer.asked[0]
    assert price == NetPrice(Decimal("0.40"), NetKind.DEBIT)  # 0.45 ask - 0.05 bid
    # The mark is at the mids (0.425 - 0.065 = 0.36 to close): +64 dollars per structure;
    # the target (50) was judged on the natural price, which realises +60.
    assert m.positions["p1"].last_pnl_each == Decimal("64.000")
    assert m.positions["p1"].closing_id == "close-1"
    # A closing position is not asked again.
    assert await m.check() == []


async def test_monitor_when_loss_beyond_half_max_loss_then_stop_loss():
    m, _, _ = monitor({SHORT: ("3.40", "3.50"), LONG: ("0.30", "0.35")})
    m.add(spread())
    assert await m.check() == [("p1", ExitReason.STOP_LOSS)]


async def test_monitor_when_within_targets_then_holds():
    m, closer, _ = monitor({SHORT: ("1.00", "1.05"), LONG: ("0.20", "0.25")})
    m.add(spread())
    assert await m.check() == []
    assert closer.asked == []


async def test_monitor_when_expiry_within_min_dte_then_days_to_expiry_exit():
    clock = ManualClock(NOW + 29 * 86_400_000)  # 2026-12-17, one day before expiry
    m, _, _ = monitor({SHORT: ("1.00", "1.05"), LONG: ("0.20", "0.25")}, clock)
    m.add(spread(opened_at=NOW + 29 * 86_400_000))
    assert await m.check() == [("p1", ExitReason.DAYS_TO_EXPIRY)]


def monday_spread(opened_at: int) -> OpenPosition:
    short, long = "SPY261214P00490000", "SPY261214P00485000"  # expiring Monday 2026-12-14
    return replace(spread(opened_at), legs=(HeldLeg(short, Side.SELL), HeldLeg(long, Side.BUY)))


async def test_monitor_when_friday_before_a_monday_expiry_then_days_to_expiry_exit():
    # three calendar days but one session away: closed on Friday, not held into Monday
    friday = NOW + 23 * 86_400_000  # 2026-12-11
    book = {"SPY261214P00490000": ("1.00", "1.05"), "SPY261214P00485000": ("0.20", "0.25")}
    m, _, _ = monitor(book, ManualClock(friday))
    m.add(monday_spread(friday))
    assert await m.check() == [("p1", ExitReason.DAYS_TO_EXPIRY)]


async def test_monitor_when_thursday_before_a_monday_expiry_then_held():
    thursday = NOW + 22 * 86_400_000  # 2026-12-10: Friday and Monday are still ahead
    book = {"SPY261214P00490000": ("1.00", "1.05"), "SPY261214P00485000": ("0.20", "0.25")}
    m, _, _ = monitor(book, ManualClock(thursday))
    m.add(monday_spread(thursday))
    assert await m.check() == []


async def test_monitor_when_held_too_long_then_time_exit():
    clock = ManualClock(NOW)
    m, _, _ = monitor({SHORT: ("1.00", "1.05"), LONG: ("0.20", "0.25")}, clock)
    m.add(spread(opened_at=NOW - ExitPolicy().max_hold_ms))
    assert await m.check() == [("p1", ExitReason.TIME)]


async def test_monitor_when_quotes_fail_then_counted_not_raised():
    m, _, quotes = monitor({})
    quotes.fail = True
    m.add(spread())
    assert await m.check() == []
    assert m.stats.quote_failures == 1


async def test_monitor_when_close_stuck_then_reopened_after_timeout():
    clock = ManualClock(NOW)
    m, closer, _ = monitor({SHORT: ("0.40", "0.45"), LONG: ("0.05", "0.08")}, clock)
    m.add(spread())
    await m.check()
    clock.advance(300_000)
    assert await m.check() == [("p1", ExitReason.TAKE_PROFIT)]
    assert len(closer.asked) == 2


def test_closing_price_when_short_shares_then_debit_at_ask():
    position = OpenPosition(
        "e1",
        "SPY",
        Strategy.EQUITY,
        10,
        Decimal("500"),
        Targets(Decimal(2), Decimal(1)),
        NOW,
        equity_side=EquitySide.SELL_SHORT,
    )
    from brain.monitor import BidAsk

    price = closing_price(position, {"SPY": BidAsk(Decimal("499"), Decimal("499.10"))})
    assert price == NetPrice(Decimal("499.10"), NetKind.DEBIT)


def test_position_when_legs_then_nearest_expiry_from_occ():
    assert spread().nearest_expiry == date(2026, 12, 18)


class FailingCloser(Closer):
    """Raises for the positions named in `broken`, asks normally for the others."""

    def __init__(self, broken: set[str]) -> None:
        super().__init__()
        self.broken = broken

    async def __call__(self, position, reason, price):
        if position.id in self.broken:
            raise RuntimeError("cannot build this close")
        return await super().__call__(position, reason, price)


async def test_monitor_when_one_close_raises_then_other_positions_still_closed_and_saved():
    m, _, _ = monitor({SHORT: ("0.40", "0.45"), LONG: ("0.05", "0.08")})
    closer = FailingCloser({"p1"})
    m.close = closer
    m.add(spread())
    second = replace(spread(), id="p2")
    m.positions["p2"] = second
    asked = await m.check()
    # The faulty position must not hold every other exit back, on every check, for good.
    assert asked == [("p2", ExitReason.TAKE_PROFIT)]
    assert m.stats.close_failures == 1
    assert m.positions["p1"].closing_id is None and m.positions["p2"].closing_id == "close-1"


def backspread(debit: str = "0.13") -> OpenPosition:
    entry = -Decimal(debit)
    # Short 1 put at 395, long 2 at 379: the most it can lose is the 16 width plus the debit.
    max_loss = Decimal(1600) + Decimal(debit) * 100
    return OpenPosition(
        id="b1",
        symbol="DIA",
        strategy=Strategy.RATIO_SPREAD,
        quantity=1,
        entry_signed=entry,
        targets=option_targets(entry, max_loss, ExitPolicy()),
        opened_at_ms=NOW,
        legs=(HeldLeg(SHORT, Side.SELL), HeldLeg(LONG, Side.BUY, ratio=2)),
        source="put_ratio_backspread",
    )


def test_option_targets_when_small_debit_backspread_then_target_from_the_risk_not_the_debit():
    # a re-entry at 0.13 debit used to target $6.50 against an $806.50 stop
    targets = option_targets(Decimal("-0.13"), Decimal(1613), ExitPolicy())
    assert targets.stop_loss_each == Decimal(1613) * Decimal("0.50")
    assert targets.take_profit_each == targets.stop_loss_each * ExitPolicy().long_vol_reward
    assert targets.reward_risk >= ExitPolicy().min_reward_risk


def test_refusal_when_target_below_reward_risk_floor_then_refused():
    policy = ExitPolicy(min_reward_risk=Decimal("0.6"))
    targets = option_targets(Decimal("1.00"), Decimal(400), policy, Decimal(100))  # 0.5
    assert refusal(targets, policy) == "reward_risk_below_floor"
    assert refusal(targets, ExitPolicy()) is None


def test_refusal_when_bid_ask_uses_most_of_the_stop_then_refused():
    policy = ExitPolicy()
    wide = option_targets(Decimal("7.57"), Decimal(243), policy, Decimal(757), Decimal(70))
    assert refusal(wide, policy) == "spread_too_wide_for_stop"  # 70 > 121.50 / 2
    tight = option_targets(Decimal("7.57"), Decimal(243), policy, Decimal(757), Decimal(30))
    assert refusal(tight, policy) is None


def test_evaluate_when_mark_down_by_the_entry_spread_only_then_no_stop():
    targets = Targets(Decimal(100), Decimal(50), Decimal(40))
    hold = evaluate(Decimal(-85), Decimal(-120), targets, NOW, NOW, 10, ExitPolicy())
    assert hold is None  # 85 below the entry's mark is 45 below the mid at entry
    stop = evaluate(Decimal(-91), Decimal(-120), targets, NOW, NOW, 10, ExitPolicy())
    assert stop is ExitReason.STOP_LOSS


async def test_monitor_when_only_the_spread_costs_then_small_debit_backspread_not_stopped():
    # Mids unchanged since the entry (0.13 debit = 2 x 0.60 - 1.07): closing at the natural
    # price would lose the bid/ask spreads, which is no reason to stop out.
    m, closer, _ = monitor({SHORT: ("1.02", "1.12"), LONG: ("0.55", "0.65")})
    m.add(backspread())
    assert await m.check() == []
    assert closer.asked == []
    assert m.positions["b1"].last_pnl_each == Decimal("0.000")


async def test_monitor_when_mark_loses_past_the_stop_then_stop_loss_close():
    # The short put has risen to 9.00 and the longs to 0.50: marked at -8.13 per unit.
    m, closer, _ = monitor({SHORT: ("8.95", "9.05"), LONG: ("0.45", "0.55")})
    position = backspread()
    m.add(position)
    m.positions["b1"] = replace(position, targets=Targets(Decimal("6.5"), Decimal("800")))
    assert await m.check() == [("b1", ExitReason.STOP_LOSS)]
    assert closer.asked[0][2] == NetPrice(Decimal("8.15"), NetKind.DEBIT)  # 9.05 - 2 x 0.45


async def test_monitor_when_closed_position_removed_then_on_closed_gets_pnl_at_close_price():
    m, _, _ = monitor({SHORT: ("0.40", "0.45"), LONG: ("0.05", "0.08")})
    told: list[tuple[str, Decimal]] = []
    m.on_closed = lambda pid, pnl: told.append((pid, pnl))
    m.add(spread())
    await m.check()
    assert told == []  # asked, not yet filled
    m.remove("p1")
    # Sold for 1.00, bought back at the natural 0.40: +60 a structure, two of them.
    assert told == [("p1", Decimal("120.00"))]


async def test_monitor_when_close_fills_at_once_then_on_closed_told_once():
    m, _, _ = monitor({SHORT: ("0.40", "0.45"), LONG: ("0.05", "0.08")})
    told: list[tuple[str, Decimal]] = []
    m.on_closed = lambda pid, pnl: told.append((pid, pnl))

    async def filled(position, reason, price):
        m.remove(position.id)  # the engine removes a position whose close filled at once
        return "close-1"

    m.close = filled
    m.add(spread())
    await m.check()
    m.remove("p1")
    assert told == [("p1", Decimal("120.00"))]


async def test_monitor_when_position_removed_without_a_close_then_on_closed_not_told():
    m, _, _ = monitor({SHORT: ("1.00", "1.05"), LONG: ("0.05", "0.08")})
    told: list[tuple[str, Decimal]] = []
    m.on_closed = lambda pid, pnl: told.append((pid, pnl))
    m.add(spread())
    await m.check()  # within targets: held
    m.remove("p1")
    assert told == []
