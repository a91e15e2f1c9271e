"""The position monitor: marks open structures and asks for closes when an exit fires.

Positions are held per structure (`OpenPosition`): the legs in their opening sense, the
quantity, the signed entry price per unit (+credit / -debit; for shares -price for a long,
+price for a short) and the exit targets fixed at entry. P&L is dollars per structure
(`brain.exits`). Every `check` quotes the legs, marks the structure at the mid of the
reversed legs and prices the close at their natural price; a stop is judged on the mark
(the bid/ask spread alone never stops a position out), a profit target on the natural
price (what a close would really realise). Each exit goes to the injected `close`
callback (the engine sends the closing proposal). A close still open after
`CLOSING_TIMEOUT_MS` is reviewed against the gate's record (`review_close`): filled, the
position goes; ended unfilled, it may be closed again; otherwise it stays closing, since
a second close could double it. Positions found at the broker on start are adopted by
`brain.adoption`, never ignored. The book is persisted after every change.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from brain.exits import ExitPolicy, ExitReason, Targets, evaluate, pnl_each
from brain.legs import HeldLeg, NetPrice, Side, net_of
from brain.persist import StateFileError, StateStore
from gatekeeper.contract import EquitySide, Strategy
from tradier.calendar import sessions_until
from tradier.clock import Clock, to_new_york
from tradier.money import EQUITY_MULTIPLIER, OPTION_MULTIPLIER, NetKind, to_decimal, to_wire
from tradier.occ import parse_occ

log = logging.getLogger(__name__)
CLOSING_TIMEOUT_MS = 300_000


@dataclass(frozen=True, slots=True)
class OpenPosition:
    """One open structure (or share position) the brain manages."""

    id: str
    symbol: str
    strategy: Strategy
    quantity: int
    entry_signed: Decimal
    targets: Targets
    opened_at_ms: int
    legs: tuple[HeldLeg, ...] = ()
    equity_side: EquitySide | None = None
    adopted: bool = False
    closing_id: str | None = None
    closing_since_ms: int | None = None
    last_pnl_each: Decimal | None = None
    source: str = ""

    @property
    def multiplier(self) -> int:
        """100 for option structures, 1 for shares."""
        return EQUITY_MULTIPLIER if self.strategy is Strategy.EQUITY else OPTION_MULTIPLIER

    @property
    def nearest_expiry(self) -> date | None:
        """The first expiration among the option legs (None for shares)."""
        if not self.legs:
            return None
        return min(parse_occ(leg.option_symbol).expiration for leg in self.legs)

    @property
    def quote_symbols(self) -> list[str]:
        """Symbols to quote to mark this position."""
        return [leg.option_symbol for leg in self.legs] if self.legs else [self.symbol]


@dataclass(frozen=True, slots=True)
class BidAsk:
    """A two-sided quote."""

    bid: Decimal
    ask: Decimal


class QuoteSource(Protocol):
    """Where quotes come from (the Tradier client satisfies it)."""

    async def quotes(self, symbols: Sequence[str], greeks: bool = False) -> list[Any]:
        """Quotes of `symbols`."""
        ...


CloseRequest = Callable[[OpenPosition, ExitReason, NetPrice], Awaitable[str | None]]


class CloseReview(StrEnum):
    """What became of a close that has been working for `CLOSING_TIMEOUT_MS`."""

    WORKING = "working"  # still working, or its fate is unknown: never close twice
    FILLED = "filled"  # the position is closed
    OVER = "over"  # ended unfilled or never placed: the position may be closed again


CloseReviewer = Callable[[OpenPosition], Awaitable[CloseReview]]


def closing_price(position: OpenPosition, book: dict[str, BidAsk]) -> NetPrice | None:
    """Natural price to close `position` now (None when a quote is missing)."""
    if not position.legs:
        quote = book.get(position.symbol)
        if quote is None:
            return None
        if position.equity_side is EquitySide.SELL_SHORT:
            return NetPrice(quote.ask, NetKind.DEBIT)
        return NetPrice(quote.bid, NetKind.CREDIT)
    total = Decimal(0)
    for leg in position.legs:
        quote = book.get(leg.option_symbol)
        if quote is None:
            return None
        # Closing reverses the leg: a bought leg is sold at the bid, a sold one bought back.
        total += quote.bid * leg.ratio if leg.side is Side.BUY else -quote.ask * leg.ratio
    return net_of(total)


def mark_price(position: OpenPosition, book: dict[str, BidAsk]) -> Decimal | None:
    """Signed net per unit of the reversed legs at their mids (+ received, - paid), or None
    when a quote is missing: what the structure is worth, without the spread."""
    if not position.legs:
        quote = book.get(position.symbol)
        if quote is None:
            return None
        mid = (quote.bid + quote.ask) / 2
        return -mid if position.equity_side is EquitySide.SELL_SHORT else mid
    total = Decimal(0)
    for leg in position.legs:
        quote = book.get(leg.option_symbol)
        if quote is None:
            return None
        mid = (quote.bid + quote.ask) / 2
        total += mid * leg.ratio if leg.side is Side.BUY else -mid * leg.ratio
    return total


def quote_book(quotes: Iterable[Any]) -> dict[str, BidAsk]:
    """Two-sided quotes by symbol from Quote-like objects."""
    book: dict[str, BidAsk] = {}
    for q in quotes:
        bid, ask, symbol = getattr(q, "bid", None), getattr(q, "ask", None), q.symbol
        if bid is None or ask is None:
            continue
        b, a = to_decimal(bid), to_decimal(ask)
        if b >= 0 and a > 0 and a >= b:
            book[symbol] = BidAsk(b, a)
    return book


@dataclass(slots=True)
class MonitorStats:
    """Counters for the heartbeat summary."""

    checks: int = 0
    exits: int = 0
    quote_failures: int = 0
    close_failures: int = 0
    adopted: int = 0


@dataclass(slots=True)
class PositionMonitor:
    """Holds the open positions, checks exits, and persists the book."""

    clock: Clock
    quotes: QuoteSource
    close: CloseRequest | None = None
    # Without a reviewer (dry run) a close that stays unanswered is simply forgotten.
    review_close: CloseReviewer | None = None
    policy: ExitPolicy = field(default_factory=ExitPolicy)
    store: StateStore | None = None
    positions: dict[str, OpenPosition] = field(default_factory=dict)
    stats: MonitorStats = field(default_factory=MonitorStats)
    # Told (position id, dollars) when a position the monitor closed is gone: the P&L at
    # the close's limit price (its natural price), which a fill can only better.
    on_closed: Callable[[str, Decimal], None] | None = None
    _closing_pnl: dict[str, Decimal] = field(default_factory=dict)

    def add(self, position: OpenPosition) -> None:
        """Start managing `position`."""
        self.positions[position.id] = position
        self.save()

    def adopt(self, positions: Iterable[OpenPosition]) -> int:
        """Manage positions found at the broker that the book does not already hold."""
        held = {leg for p in self.positions.values() for leg in p.quote_symbols}
        count = 0
        for position in positions:
            if any(symbol in held for symbol in position.quote_symbols):
                continue
            self.positions[position.id] = position
            count += 1
        self.stats.adopted += count
        if count:
            self.save()
        return count

    def remove(self, position_id: str) -> None:
        """Stop managing a position (it is closed)."""
        if self.positions.pop(position_id, None) is not None:
            self.save()
            pnl = self._closing_pnl.pop(position_id, None)
            if pnl is not None and self.on_closed is not None:
                try:
                    self.on_closed(position_id, pnl)
                except Exception:  # a listener must never hold a close back
                    log.exception("monitor: on_closed failed for %s", position_id)

    def close_failed(self, position_id: str) -> None:
        """A close was not accepted: the position is open again and will be re-checked."""
        self._closing_pnl.pop(position_id, None)
        position = self.positions.get(position_id)
        if position is not None:
            self.positions[position_id] = replace(position, closing_id=None, closing_since_ms=None)
            self.save()

    def has_open(self, symbol: str, source: str) -> bool:
        """True when a position opened by strategy `source` on `symbol` is open or closing."""
        return any(p.symbol == symbol and p.source == source for p in self.positions.values())

    async def check(self) -> list[tuple[str, ExitReason]]:
        """Mark every position and request the closes that fire; returns what was asked."""
        self.stats.checks += 1
        now = self.clock.now_ms()
        await self._review_stuck_closes(now)
        candidates = [p for p in self.positions.values() if p.closing_id is None]
        if not candidates:
            return []
        symbols = sorted({s for p in candidates for s in p.quote_symbols})
        try:
            book = quote_book(await self.quotes.quotes(symbols))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a failed quote poll must not kill the monitor
            self.stats.quote_failures += 1
            log.warning("monitor: quotes failed: %s", type(exc).__name__)
            return []
        today = to_new_york(now).date()
        asked: list[tuple[str, ExitReason]] = []
        for position in candidates:
            try:
                reason = await self._check_one(position, book, now, today)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # one bad position must not hold every other exit back
                self.stats.close_failures += 1
                log.exception("monitor: position %s failed: %s", position.id, type(exc).__name__)
                continue
            if reason is not None:
                asked.append((position.id, reason))
        self.save()
        return asked

    async def _check_one(
        self, position: OpenPosition, book: dict[str, BidAsk], now: int, today: date
    ) -> ExitReason | None:
        """Mark one position; request its close when an exit fires (the reason if asked)."""
        price = closing_price(position, book)
        mark = mark_price(position, book)
        if price is None or mark is None:
            return None
        marked = pnl_each(position.entry_signed, mark, position.multiplier)
        realisable = pnl_each(position.entry_signed, price.signed, position.multiplier)
        self.positions[position.id] = replace(position, last_pnl_each=marked)
        expiry = position.nearest_expiry
        reason = evaluate(
            marked,
            realisable,
            position.targets,
            position.opened_at_ms,
            now,
            None if expiry is None else sessions_until(today, expiry),
            self.policy,
        )
        if reason is None or self.close is None:
            return None
        # Known before the close is sent: a close that fills at once removes the position
        # inside `self.close`.
        self._closing_pnl[position.id] = realisable * position.quantity
        closing_id = await self.close(position, reason, price)
        if closing_id is None:
            self._closing_pnl.pop(position.id, None)
            return None
        self.stats.exits += 1
        current = self.positions.get(position.id)
        if current is not None:  # None: the close filled at once and was removed
            self.positions[position.id] = replace(
                current, closing_id=closing_id, closing_since_ms=now
            )
        return reason

    async def _review_stuck_closes(self, now: int) -> None:
        for pid, p in list(self.positions.items()):
            if p.closing_since_ms is None or now - p.closing_since_ms < CLOSING_TIMEOUT_MS:
                continue
            verdict = await self._review(p)
            if verdict is CloseReview.FILLED:
                self.remove(pid)
            elif verdict is CloseReview.OVER:
                self.close_failed(pid)
            else:  # ask again after another timeout; a second close could double it
                self.positions[pid] = replace(p, closing_since_ms=now)

    async def _review(self, position: OpenPosition) -> CloseReview:
        if self.review_close is None:
            return CloseReview.OVER
        try:
            return await self.review_close(position)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # an unanswered review is no licence to close again
            log.warning("monitor: close review of %s failed: %s", position.id, exc)
            return CloseReview.WORKING

    def summary(self) -> dict[str, Any]:
        """A small snapshot for the heartbeat."""
        return {
            "open_positions": len(self.positions),
            "closing": sum(1 for p in self.positions.values() if p.closing_id),
            "exits": self.stats.exits,
            "adopted": self.stats.adopted,
        }

    def save(self) -> None:
        """Write the book atomically (when a store is configured)."""
        if self.store is not None:
            self.store.save(
                "positions", {"positions": [to_json(p) for p in self.positions.values()]}
            )

    def load(self) -> int:
        """Read the book written by `save`; returns how many positions were restored.
        StateFileError (nothing loaded) when any saved position cannot be read."""
        if self.store is None:
            return 0
        data = self.store.load("positions")
        if not data:
            return 0
        try:
            loaded = [from_json(raw) for raw in data.get("positions", [])]
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            # All or nothing: half a book would leave the rest silently unmanaged.
            raise StateFileError("positions", f"positions: unreadable position ({exc!r})") from exc
        for position in loaded:
            self.positions[position.id] = position
        return len(self.positions)


def to_json(p: OpenPosition) -> dict[str, Any]:
    """A JSON-ready dict of a position (decimals as strings)."""
    return {
        "id": p.id,
        "symbol": p.symbol,
        "strategy": p.strategy.value,
        "quantity": p.quantity,
        "entry_signed": to_wire(p.entry_signed),
        "take_profit_each": to_wire(p.targets.take_profit_each),
        "stop_loss_each": to_wire(p.targets.stop_loss_each),
        "spread_each": to_wire(p.targets.spread_each),
        "opened_at_ms": p.opened_at_ms,
        "legs": [[leg.option_symbol, leg.side.value, leg.ratio] for leg in p.legs],
        "equity_side": p.equity_side.value if p.equity_side else None,
        "adopted": p.adopted,
        "closing_id": p.closing_id,
        "closing_since_ms": p.closing_since_ms,
        "source": p.source,
    }


def from_json(raw: dict[str, Any]) -> OpenPosition:
    """The position `to_json` wrote."""
    return OpenPosition(
        id=str(raw["id"]),
        symbol=str(raw["symbol"]),
        strategy=Strategy(raw["strategy"]),
        quantity=int(raw["quantity"]),
        entry_signed=to_decimal(raw["entry_signed"]),
        targets=Targets(
            to_decimal(raw["take_profit_each"]),
            to_decimal(raw["stop_loss_each"]),
            to_decimal(raw.get("spread_each", "0")),
        ),
        opened_at_ms=int(raw["opened_at_ms"]),
        legs=tuple(HeldLeg(str(s), Side(side), int(r)) for s, side, r in raw.get("legs", [])),
        equity_side=EquitySide(raw["equity_side"]) if raw.get("equity_side") else None,
        adopted=bool(raw.get("adopted", False)),
        closing_id=raw.get("closing_id"),
        closing_since_ms=raw.get("closing_since_ms"),
        source=str(raw.get("source", "")),
    )
