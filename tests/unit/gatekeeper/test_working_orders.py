"""When the gate reads the month of orders: only when cached balances count a pending order
that today's list cannot account for (a GTC order from an earlier day)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from gatekeeper.execution import CLOCK_SKEW_MARGIN_MS, BrokerInputs
from tradier import models
from tradier.clock import ManualClock
from tradier.orders import OrderRequest

NOW = 1_790_000_000_000
OLD_GTC = models.Order(id=1, status="open", symbol="SPY", side="buy_to_cover", quantity=5)


class FakeBroker:
    """Today's working orders, the month's, and balances with a pending count."""

    def __init__(self, today: list[models.Order], pending: int) -> None:
        self.today = today
        self.pending = pending
        self.month_reads = 0

    def working_orders(self, include_older: bool = False) -> list[models.Order]:
        if include_older:
            self.month_reads += 1
            return [OLD_GTC, *self.today]
        return list(self.today)

    def balances(self) -> models.Balances:
        return models.Balances(total_equity=Decimal(100_000), pending_orders_count=self.pending)

    def clock(self) -> models.MarketClock:
        raise AssertionError("not used")

    def positions(self) -> list[models.Position]:
        return []

    def quotes(self, symbols: Sequence[str], greeks: bool = False) -> list[models.Quote]:
        return []

    def orders(self, include_tags: bool = True) -> list[models.Order]:
        return []

    def find_order_by_tag(self, tag: str) -> models.Order | None:
        return None

    def place_order(self, order: OrderRequest) -> models.OrderAck:
        raise AssertionError("not used")


def today_order(created_ms: int) -> models.Order:
    return models.Order(
        id=2, status="open", symbol="SPY", side="sell", quantity=1, create_date_ms=created_ms
    )


def working(broker: FakeBroker, clock: ManualClock) -> list[models.Order]:
    inputs = BrokerInputs(broker, clock)
    pending = inputs.balances().pending_orders_count  # loaded now, then cached
    clock.advance(3_000)
    return inputs.working_orders(pending)


def test_working_orders_when_nothing_pending_then_today_only() -> None:
    broker = FakeBroker([], pending=0)
    assert working(broker, ManualClock(NOW)) == []
    assert broker.month_reads == 0


def test_working_orders_when_today_accounts_for_the_count_then_today_only() -> None:
    broker = FakeBroker([today_order(NOW - 60_000)], pending=1)
    assert len(working(broker, ManualClock(NOW))) == 1
    assert broker.month_reads == 0


def test_working_orders_when_count_exceeds_today_then_month_read() -> None:
    broker = FakeBroker([], pending=1)
    assert working(broker, ManualClock(NOW)) == [OLD_GTC]
    assert broker.month_reads == 1


def test_working_orders_when_todays_order_is_newer_than_the_balances_then_month_read() -> None:
    # The cached count (1) is the old GTC order; an order placed since is not part of it.
    broker = FakeBroker([today_order(NOW + 1_000)], pending=1)
    assert OLD_GTC in working(broker, ManualClock(NOW))
    assert broker.month_reads == 1


def test_working_orders_when_within_the_skew_margin_then_not_counted_as_known() -> None:
    broker = FakeBroker([today_order(NOW - CLOCK_SKEW_MARGIN_MS + 1)], pending=1)
    working(broker, ManualClock(NOW))
    assert broker.month_reads == 1
