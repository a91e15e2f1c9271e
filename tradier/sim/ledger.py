"""Positions, cash and realised gains of the sandbox account."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tradier.money import EQUITY_MULTIPLIER, OPTION_MULTIPLIER, cash_value
from tradier.occ import OccSymbolError, parse_occ


def multiplier_for(symbol: str) -> int:
    """100 for an OCC option symbol, 1 for an equity."""
    try:
        parse_occ(symbol)
    except OccSymbolError:
        return EQUITY_MULTIPLIER
    return OPTION_MULTIPLIER


@dataclass(slots=True)
class Position:
    """An open position; quantity is negative for shorts, cost basis signed the same way."""

    id: int
    symbol: str
    quantity: int
    cost_basis: Decimal
    opened_ms: int


@dataclass(frozen=True, slots=True)
class ClosedLot:
    """One realised close, as /gainloss reports it."""

    symbol: str
    quantity: int  # negative when a short was closed
    cost: Decimal
    proceeds: Decimal
    open_ms: int
    close_ms: int

    @property
    def gain(self) -> Decimal:
        """Proceeds minus cost."""
        return self.proceeds - self.cost


@dataclass(slots=True)
class Ledger:
    """Cash, positions and realised gains; every fill goes through `apply_fill`."""

    starting_cash: Decimal
    cash: Decimal = Decimal(0)
    positions: dict[str, Position] = field(default_factory=dict)
    closed: list[ClosedLot] = field(default_factory=list)
    next_position_id: int = 1

    def __post_init__(self) -> None:
        self.cash = self.starting_cash

    def apply_fill(self, symbol: str, signed_qty: int, price: Decimal, ms: int) -> None:
        """Book a fill: buys are positive quantities; cash moves by price x qty x multiplier."""
        mult = multiplier_for(symbol)
        self.cash -= cash_value(price, signed_qty, mult)
        pos = self.positions.get(symbol)
        if pos is None or pos.quantity == 0:
            self._open(symbol, signed_qty, price, mult, ms)
            return
        if (pos.quantity > 0) == (signed_qty > 0):
            pos.quantity += signed_qty
            pos.cost_basis += cash_value(price, signed_qty, mult)
            return
        closing = min(abs(signed_qty), abs(pos.quantity))
        share = pos.cost_basis * closing / abs(pos.quantity)
        exit_cash = cash_value(price, closing, mult)
        if pos.quantity > 0:
            lot = ClosedLot(symbol, closing, share, exit_cash, pos.opened_ms, ms)
        else:
            lot = ClosedLot(symbol, -closing, exit_cash, -share, pos.opened_ms, ms)
        self.closed.append(lot)
        pos.cost_basis -= share
        pos.quantity += closing if signed_qty > 0 else -closing
        rest = abs(signed_qty) - closing
        if pos.quantity == 0:
            del self.positions[symbol]
        if rest:
            self._open(symbol, rest if signed_qty > 0 else -rest, price, mult, ms)

    def _open(self, symbol: str, qty: int, price: Decimal, mult: int, ms: int) -> None:
        self.positions[symbol] = Position(
            self.next_position_id, symbol, qty, cash_value(price, qty, mult), ms
        )
        self.next_position_id += 1

    def quantity(self, symbol: str) -> int:
        """Signed quantity held (0 when flat)."""
        pos = self.positions.get(symbol)
        return pos.quantity if pos is not None else 0
