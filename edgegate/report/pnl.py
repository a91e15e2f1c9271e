"""P&L from the broker's fills and marks, and its reconciliation with the broker's figures.

The book is kept here, from fills alone, on the broker's own accounting rule (average
cost: a close realises its share of the position's cost basis), so that agreeing with the
broker's /balances to the cent is a check and not a copy. Every amount is Decimal; cents
are only taken when comparing or printing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from edgegate.report.records import BrokerFigures, Fill
from tradier.money import cash_value

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """To the cent, rounding half to even (as the broker rounds its /balances figures)."""
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass(slots=True)
class Holding:
    """A position built from fills: signed quantity and signed cost basis (cash paid)."""

    instrument: str
    underlying: str
    multiplier: int
    quantity: int = 0
    cost_basis: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class BookedFill:
    """A fill with the cash it moved and the P&L it realised."""

    fill: Fill
    cash: Decimal  # + received, - paid
    realised: Decimal


@dataclass
class Book:
    """Cash, holdings and realised P&L after a sequence of fills."""

    starting_cash: Decimal
    cash: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    holdings: dict[str, Holding] = field(default_factory=dict)
    booked: list[BookedFill] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cash = self.starting_cash

    def apply(self, fill: Fill) -> BookedFill:
        """Book one fill; returns what it moved and realised."""
        paid = cash_value(fill.price, fill.quantity, fill.multiplier)
        self.cash -= paid
        held = self.holdings.get(fill.instrument)
        if held is None:
            held = Holding(fill.instrument, fill.underlying, fill.multiplier)
            self.holdings[fill.instrument] = held
        realised = Decimal(0)
        if held.quantity == 0 or (held.quantity > 0) == (fill.quantity > 0):
            held.quantity += fill.quantity
            held.cost_basis += paid
        else:
            closing = min(abs(fill.quantity), abs(held.quantity))
            share = held.cost_basis * closing / abs(held.quantity)
            exit_cash = cash_value(fill.price, closing, fill.multiplier)
            # A long sold realises proceeds - cost; a short bought back, credit - cost.
            realised = exit_cash - share if held.quantity > 0 else -share - exit_cash
            held.cost_basis -= share
            held.quantity += closing if fill.quantity > 0 else -closing
            rest = abs(fill.quantity) - closing
            if rest:  # crossed through zero: the remainder opens the other way
                signed = rest if fill.quantity > 0 else -rest
                held.quantity = signed
                held.cost_basis = cash_value(fill.price, signed, fill.multiplier)
        if held.quantity == 0:
            del self.holdings[fill.instrument]
        self.realised += realised
        booked = BookedFill(fill, -paid, realised)
        self.booked.append(booked)
        return booked


def book_fills(fills: Iterable[Fill], starting_cash: Decimal) -> Book:
    """The book after `fills`, taken in time order (then order id) as the broker filled them."""
    book = Book(starting_cash)
    for fill in sorted(fills, key=lambda f: (f.at_ms, f.order_id)):
        book.apply(fill)
    return book


@dataclass(frozen=True, slots=True)
class Valuation:
    """The book marked to market."""

    cash: Decimal
    market_value: Decimal
    realised: Decimal
    open_pl: Decimal
    starting_cash: Decimal

    @property
    def equity(self) -> Decimal:
        """Cash plus what the holdings are worth at their marks."""
        return self.cash + self.market_value

    @property
    def total_pl(self) -> Decimal:
        """Equity less the starting cash: realised plus open."""
        return self.equity - self.starting_cash


def value(book: Book, marks: Mapping[str, Decimal]) -> Valuation:
    """Mark every holding at `marks` (an instrument without a mark is worth 0, as at the
    broker); KeyError never: a missing mark is a zero, shown in the reconciliation."""
    market = open_pl = Decimal(0)
    for held in book.holdings.values():
        worth = cash_value(marks.get(held.instrument, Decimal(0)), held.quantity, held.multiplier)
        market += worth
        open_pl += worth - held.cost_basis
    return Valuation(book.cash, market, book.realised, open_pl, book.starting_cash)


@dataclass(frozen=True, slots=True)
class Check:
    """One figure computed here against the broker's."""

    name: str
    ours: Decimal
    broker: Decimal

    @property
    def agrees(self) -> bool:
        """True when both are the same to the cent."""
        return cents(self.ours) == cents(self.broker)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """Every check, and the positions that differ (instrument: ours vs the broker's)."""

    checks: tuple[Check, ...]
    position_differences: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        """True when every figure agrees to the cent and every position matches."""
        return all(c.agrees for c in self.checks) and not self.position_differences


def reconcile(book: Book, valuation: Valuation, figures: BrokerFigures) -> Reconciliation:
    """Our realised, open P&L, cash and equity against the broker's, and position by position."""
    checks = (
        Check("realised P&L", valuation.realised, figures.close_pl),
        Check("open P&L", valuation.open_pl, figures.open_pl),
        Check("cash", valuation.cash, figures.total_cash),
        Check("equity", valuation.equity, figures.total_equity),
    )
    theirs = {p.instrument: p for p in figures.positions}
    differences = []
    for instrument in sorted(set(theirs) | set(book.holdings)):
        ours = book.holdings.get(instrument)
        broker = theirs.get(instrument)
        mine = (0, Decimal(0)) if ours is None else (ours.quantity, cents(ours.cost_basis))
        their = (0, Decimal(0)) if broker is None else (broker.quantity, cents(broker.cost_basis))
        if mine != their:
            differences.append(f"{instrument}: {mine[0]} @ {mine[1]} vs {their[0]} @ {their[1]}")
    return Reconciliation(checks, tuple(differences))
