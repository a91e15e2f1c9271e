"""Reads the simulator's broker in-process: its fills, marks, figures and price bars.

Only the demo's composition root does this, between replay rounds (see
`brain.replay.ReplayObserver`), so nothing is half-booked when it reads. Reading in-process
rather than over REST keeps the report off the account's rate-limit windows, which the
brain and the gate share; the figures are the very body `GET /balances` would return.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from edgegate.report.records import (
    BrokerFigures,
    BrokerPosition,
    BrokerSnapshot,
    Fill,
    PricePoint,
)
from tradier.clock import to_new_york
from tradier.sim.ledger import multiplier_for
from tradier.sim.orders import SimOrder
from tradier.sim.server import SimServer


def _sign(side: str) -> int:
    return 1 if side.startswith("buy") else -1


def fills_of(orders: Iterable[SimOrder]) -> Iterator[Fill]:
    """Every executed leg of `orders` (a multi-leg order fills once per leg)."""
    for order in orders:
        yield from _fills(order, order.tag or "", order.id)


def _fills(order: SimOrder, tag: str, order_id: int) -> Iterator[Fill]:
    if order.legs:
        for leg in order.legs:
            yield from _fills(leg, tag, order_id)
        return
    if order.exec_quantity <= 0:
        return
    instrument = order.option_symbol or order.symbol
    yield Fill(
        at_ms=order.transaction_ms,
        order_id=order_id,
        proposal_id=tag,
        underlying=order.symbol,
        instrument=instrument,
        side=order.side,
        quantity=_sign(order.side) * order.exec_quantity,
        price=order.avg_fill_price,
        multiplier=multiplier_for(instrument),
    )


def _number(value: object) -> Decimal:
    # /balances carries JSON numbers rounded to cents; str() gives back those cents exactly.
    return Decimal(str(value))


def figures_of(sim: SimServer) -> BrokerFigures:
    """The broker's figures: its /balances body (close_pl as the REST handler computes it:
    today's realised lots) and its ledger's positions."""
    core = sim.core
    broker = core.broker
    today = core.venue.today()
    close_pl = sum(
        (lot.gain for lot in broker.ledger.closed if to_new_york(lot.close_ms).date() == today),
        Decimal(0),
    )
    body = broker.balances_json(close_pl, core.config.account_type)["balances"]
    positions = tuple(
        BrokerPosition(p.symbol, p.quantity, p.cost_basis)
        for p in sorted(broker.ledger.positions.values(), key=lambda p: p.id)
    )
    return BrokerFigures(
        total_equity=_number(body["total_equity"]),
        total_cash=_number(body["total_cash"]),
        open_pl=_number(body["open_pl"]),
        close_pl=_number(body["close_pl"]),
        positions=positions,
    )


def marks_of(sim: SimServer, instruments: Iterable[str]) -> dict[str, Decimal]:
    """Each instrument's mid mark now, the price the broker values positions at."""
    marks = {}
    for instrument in instruments:
        book = sim.core.broker.book(instrument)
        if book is not None:
            marks[instrument] = book.mid
    return marks


def snapshot(sim: SimServer) -> BrokerSnapshot:
    """Fills, marks of every instrument ever filled, and the broker's figures, now."""
    broker = sim.core.broker
    fills = tuple(fills_of(broker.orders))
    return BrokerSnapshot(
        at_ms=sim.core.clock.now_ms(),
        starting_cash=broker.ledger.starting_cash,
        fills=fills,
        marks=marks_of(sim, {f.instrument for f in fills}),
        figures=figures_of(sim),
        working_orders=sum(1 for o in broker.orders if o.working),
    )


def minute_prices(
    sim: SimServer, symbol: str, day: date, start_ms: int, end_ms: int
) -> list[PricePoint]:
    """`symbol`'s one-minute closes on `day` within [start_ms, end_ms], from the simulator's
    market (each point at its bar's end)."""
    bars = sim.core.venue.source.minute_bars(symbol, day)
    return [
        PricePoint(start + 60_000, Decimal(str(close)))
        for start, _o, _h, _l, close, _v in bars
        if start >= start_ms and start + 60_000 <= end_ms
    ]
