"""Choosing option legs from a chain by delta and days to expiry; pricing them.

Pure functions over `Contract`, a small frozen view of one chain row built once at the
edge by `to_contract` from any OptionQuote-like object (so the strategies do not depend on
the exact shape of the client's models).

Pricing rule (one money model): a structure's net price is the *natural* price, per unit
of the structure: the bids of the legs sold minus the asks of the legs bought, each times
its ratio. That is what the quotes guarantee right now, so a limit order at this price is
marketable and never assumes a fill inside the spread. A positive result is a credit, a
negative one a debit (the price is then its absolute value), zero is even.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tradier.money import NetKind, to_decimal
from tradier.occ import OptionType, parse_occ, underlying_of


class Side(StrEnum):
    """Whether a leg is bought or sold when the structure opens."""

    BUY = "buy"
    SELL = "sell"


@dataclass(frozen=True, slots=True)
class Contract:
    """One option of the chain with the fields leg selection needs."""

    symbol: str
    underlying: str
    option_type: OptionType
    strike: Decimal
    expiration: date
    bid: Decimal
    ask: Decimal
    delta: float | None = None
    iv: float | None = None

    @property
    def mid(self) -> Decimal:
        """The midpoint of bid and ask."""
        return (self.bid + self.ask) / 2


@dataclass(frozen=True, slots=True)
class StructureLeg:
    """A contract in a structure, bought or sold at a ratio (opening sense)."""

    contract: Contract
    side: Side
    ratio: int = 1


@dataclass(frozen=True, slots=True)
class HeldLeg:
    """An option leg by its OCC symbol, bought or sold at a ratio (opening sense): what a
    held position keeps and what a closing order reverses."""

    option_symbol: str
    side: Side
    ratio: int = 1


@dataclass(frozen=True, slots=True)
class NetPrice:
    """A net price per unit of a structure, with its kind explicit."""

    price: Decimal
    kind: NetKind

    @property
    def signed(self) -> Decimal:
        """+ for a credit received, - for a debit paid."""
        if self.kind is NetKind.CREDIT:
            return self.price
        if self.kind is NetKind.DEBIT:
            return -self.price
        return Decimal(0)


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _price(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return to_decimal(value)
    except ValueError:
        return None


def to_contract(quote: Any) -> Contract | None:
    """A Contract from an OptionQuote-like object or dict; None when it is unusable
    (no symbol, no two-sided quote)."""
    symbol = _field(quote, "symbol")
    if not isinstance(symbol, str):
        return None
    try:
        occ = parse_occ(symbol)
    except ValueError:
        return None
    bid, ask = _price(_field(quote, "bid")), _price(_field(quote, "ask"))
    if bid is None or ask is None or bid < 0 or ask <= 0 or ask < bid:
        return None
    greeks = _field(quote, "greeks")
    delta = _field(greeks, "delta") if greeks is not None else None
    iv = _field(greeks, "mid_iv") if greeks is not None else None
    # root_symbol is the OCC root (SPXW, BRKB), not the underlying the brain trades.
    underlying = _field(quote, "underlying") or underlying_of(occ.root)
    return Contract(
        symbol=symbol,
        underlying=str(underlying),
        option_type=occ.option_type,
        strike=occ.strike,
        expiration=occ.expiration,
        bid=bid,
        ask=ask,
        delta=float(delta) if isinstance(delta, int | float) else None,
        iv=float(iv) if isinstance(iv, int | float) and iv > 0 else None,
    )


def to_contracts(quotes: Iterable[Any]) -> list[Contract]:
    """Every usable row of a chain, sorted by (expiration, type, strike)."""
    found = [c for c in (to_contract(q) for q in quotes) if c is not None]
    found.sort(key=lambda c: (c.expiration, c.option_type, c.strike))
    return found


def days_to_expiry(expiration: date, today: date) -> int:
    """Calendar days from `today` to `expiration`."""
    return (expiration - today).days


def pick_expiration(
    expirations: Iterable[date], today: date, min_dte: int, max_dte: int, target_dte: int
) -> date | None:
    """The expiration within [min_dte, max_dte] days closest to `target_dte` (the
    earlier one on a tie), or None."""
    candidates = [e for e in expirations if min_dte <= days_to_expiry(e, today) <= max_dte]
    if not candidates:
        return None
    return min(candidates, key=lambda e: (abs(days_to_expiry(e, today) - target_dte), e))


def of_type(
    contracts: Iterable[Contract], option_type: OptionType, expiration: date | None = None
) -> list[Contract]:
    """The contracts of one type (and expiration when given), by strike."""
    return sorted(
        (
            c
            for c in contracts
            if c.option_type is option_type and (expiration is None or c.expiration == expiration)
        ),
        key=lambda c: c.strike,
    )


def by_delta(
    contracts: Iterable[Contract],
    option_type: OptionType,
    target: float,
    *,
    expiration: date | None = None,
    tolerance: float = 0.10,
) -> Contract | None:
    """The contract whose |delta| is closest to `target` (within `tolerance`), or None.
    A tie goes to the strike further out of the money (the more conservative)."""
    target = abs(target)
    best: tuple[float, Decimal, Contract] | None = None
    for c in of_type(contracts, option_type, expiration):
        if c.delta is None:
            continue
        error = abs(abs(c.delta) - target)
        if error > tolerance:
            continue
        # Further OTM: lower strike for puts, higher for calls.
        otm = c.strike if option_type is OptionType.PUT else -c.strike
        key = (round(error, 12), otm, c)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


def by_strike(
    contracts: Iterable[Contract], option_type: OptionType, strike: Decimal, expiration: date
) -> Contract | None:
    """The contract at exactly this strike and expiration, or None."""
    for c in of_type(contracts, option_type, expiration):
        if c.strike == strike:
            return c
    return None


def wing(
    contracts: Iterable[Contract], anchor: Contract, width: Decimal, *, outward: bool = True
) -> Contract | None:
    """The protective leg `width` away from `anchor`, further out of the money when
    `outward` (lower for puts, higher for calls). Exactly `width` when listed, else the
    nearest listed strike beyond it; None when nothing is that far."""
    if width <= 0:
        raise ValueError("width: must be > 0")
    down = (anchor.option_type is OptionType.PUT) == outward
    goal = anchor.strike - width if down else anchor.strike + width
    same = of_type(contracts, anchor.option_type, anchor.expiration)
    beyond = [c for c in same if (c.strike <= goal if down else c.strike >= goal)]
    if not beyond:
        return None
    return max(beyond, key=lambda c: c.strike) if down else min(beyond, key=lambda c: c.strike)


def at_the_money(
    contracts: Iterable[Contract],
    option_type: OptionType,
    underlying_price: Decimal,
    expiration: date,
) -> Contract | None:
    """The contract with the strike nearest the underlying's price (lower on a tie)."""
    same = of_type(contracts, option_type, expiration)
    if not same:
        return None
    return min(same, key=lambda c: (abs(c.strike - underlying_price), c.strike))


def net_of(total: Decimal) -> NetPrice:
    """A signed cash amount per unit (+ received, - paid) as a price with its kind."""
    if total > 0:
        return NetPrice(total, NetKind.CREDIT)
    if total < 0:
        return NetPrice(-total, NetKind.DEBIT)
    return NetPrice(Decimal(0), NetKind.EVEN)


def natural_price(legs: Sequence[StructureLeg]) -> NetPrice:
    """Net price per structure: bids of legs sold minus asks of legs bought, by ratio."""
    if not legs:
        raise ValueError("legs: at least one leg is needed")
    total = Decimal(0)
    for leg in legs:
        if leg.ratio < 1:
            raise ValueError("ratio: must be >= 1")
        if leg.side is Side.SELL:
            total += leg.contract.bid * leg.ratio
        else:
            total -= leg.contract.ask * leg.ratio
    return net_of(total)


def mid_price(legs: Sequence[StructureLeg]) -> NetPrice:
    """Net price per structure at the legs' midpoints (for marking open positions)."""
    total = Decimal(0)
    for leg in legs:
        sign = 1 if leg.side is Side.SELL else -1
        total += sign * leg.contract.mid * leg.ratio
    return net_of(total)


def closing_price(legs: Sequence[StructureLeg]) -> NetPrice:
    """Natural price to close a structure opened with `legs`: every side reversed."""
    flipped = [
        StructureLeg(leg.contract, Side.BUY if leg.side is Side.SELL else Side.SELL, leg.ratio)
        for leg in legs
    ]
    return natural_price(flipped)


def strike_width(a: Contract, b: Contract) -> Decimal:
    """The distance between two strikes."""
    return abs(a.strike - b.strike)
