"""The account as it may become: positions at the broker and every order still working there.

A Tradier order carries sides, not signs, and may fill whole, in part or not at all, or be
cancelled. So for every instrument (equity ticker or OCC symbol) `AccountView` keeps what is
held and what working orders would still buy and sell; whatever happens to them, the
account holds between `lowest` (every working sell fills, no buy does) and `highest` (the
reverse). `projected` is the position if everything working fills. Checks take the end that
is worse for what they guard. Pure: the caller reads positions and orders from Tradier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Protocol

from tradier import models

BUY_SIDES: Final = frozenset({"buy", "buy_to_cover", "buy_to_open", "buy_to_close"})
SELL_SIDES: Final = frozenset({"sell", "sell_short", "sell_to_open", "sell_to_close"})


class Held(Protocol):
    """A held position (`tradier.models.Position` fits): symbol and signed quantity."""

    @property
    def symbol(self) -> str:
        """Equity ticker or OCC option symbol."""
        ...

    @property
    def quantity(self) -> int:
        """Signed quantity: < 0 is short."""
        ...


@dataclass(frozen=True, slots=True)
class AccountView:
    """Held quantities and the working quantities that would buy or sell, by instrument."""

    held: Mapping[str, int] = field(default_factory=dict)
    buying: Mapping[str, int] = field(default_factory=dict)
    selling: Mapping[str, int] = field(default_factory=dict)

    def quantity(self, symbol: str) -> int:
        """Held now (signed)."""
        return self.held.get(symbol, 0)

    def working_buy(self, symbol: str) -> int:
        """Still to be bought by working orders (>= 0)."""
        return self.buying.get(symbol, 0)

    def working_sell(self, symbol: str) -> int:
        """Still to be sold by working orders (>= 0)."""
        return self.selling.get(symbol, 0)

    def highest(self, symbol: str) -> int:
        """The most the account can hold: every working buy fills, no working sell does."""
        return self.quantity(symbol) + self.working_buy(symbol)

    def lowest(self, symbol: str) -> int:
        """The least the account can hold: every working sell fills, no working buy does."""
        return self.quantity(symbol) - self.working_sell(symbol)

    def projected(self, symbol: str) -> int:
        """What the account holds once everything working has filled."""
        return self.highest(symbol) - self.working_sell(symbol)

    def symbols(self) -> frozenset[str]:
        """Every instrument held or worked."""
        return frozenset(self.held) | frozenset(self.buying) | frozenset(self.selling)


def remaining(order: models.Order) -> int:
    """What an order (or a leg) may still fill: Tradier's remaining quantity, else the
    quantity less what executed; 0 once it is final."""
    if order.is_final:
        return 0
    if order.remaining_quantity > 0:
        return order.remaining_quantity
    return max((order.quantity or 0) - order.exec_quantity, 0)


def order_deltas(order: models.Order) -> list[tuple[str, int, int]]:
    """(instrument, may buy, may sell) for each part of a working order. A multileg, combo
    or OTO/OCO parent is read through its legs; a side we cannot read counts both ways."""
    parts = order.legs or (order,)
    deltas: list[tuple[str, int, int]] = []
    for part in parts:
        instrument = part.option_symbol or part.symbol
        left = remaining(part)
        if instrument is None or left == 0:
            continue
        side = part.side or ""
        buys = left if side not in SELL_SIDES else 0
        sells = left if side not in BUY_SIDES else 0
        deltas.append((instrument, buys, sells))
    return deltas


def account_view(positions: Iterable[Held], orders: Iterable[models.Order] = ()) -> AccountView:
    """The view from Tradier's positions and its working orders (final ones are ignored)."""
    held: dict[str, int] = {}
    buying: dict[str, int] = {}
    selling: dict[str, int] = {}
    for position in positions:
        if position.quantity:
            held[position.symbol] = held.get(position.symbol, 0) + position.quantity
    for order in orders:
        for instrument, buys, sells in order_deltas(order):
            if buys:
                buying[instrument] = buying.get(instrument, 0) + buys
            if sells:
                selling[instrument] = selling.get(instrument, 0) + sells
    return AccountView(held, buying, selling)
