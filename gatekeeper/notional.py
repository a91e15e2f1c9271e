"""Notional exposure of a proposal: the dollars at risk the constitution caps.

Notional (dollars at risk for one proposal; multipliers only through `cash_value`):
- equity: limit price (or the underlying's last for market) x shares;
- long single option: premium (limit price, else the leg's mid) x 100 x quantity;
- short single option: put strike, or the underlying's last for a call, x 100 x quantity;
- vertical, iron condor, iron butterfly: max loss = widest wing x 100 x quantity, less the
  credit when the order is a priced credit, or the debit when it is a priced debit;
- calendar: the debit when priced, else the long leg's mid, x 100 x quantity;
- ratio spread: the paired part's full width (width x smaller ratio) plus any debit, plus
  each extra short contract as a short single option and each extra long one at its mid.
A needed quote that is missing gives None (the check rejects with QUOTE_UNAVAILABLE): no
guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from gatekeeper.contract import Leg, OrderType, Proposal, Strategy
from tradier.money import OPTION_MULTIPLIER, cash_value
from tradier.occ import OptionType


class Quotes(Protocol):
    """The prices notional needs: the underlying's last and each leg's mid."""

    @property
    def underlying_last(self) -> Decimal | None:
        """Last trade of the proposal's symbol."""
        ...

    @property
    def leg_mids(self) -> Mapping[str, Decimal]:
        """Option symbol -> mid price per unit."""
        ...


def _options(units: Decimal, quantity: int) -> Decimal:
    return cash_value(units, quantity, OPTION_MULTIPLIER)


def notional(p: Proposal, quotes: Quotes) -> Decimal | None:
    """Dollars at risk for the whole proposal (see the module docstring), None when a
    needed quote is missing."""
    price = p.price_decimal
    if p.strategy is Strategy.EQUITY:
        unit = price if price is not None else quotes.underlying_last
        return None if unit is None else cash_value(unit, p.quantity, 1)
    legs = p.legs or ()
    if p.strategy is Strategy.SINGLE_OPTION:
        return _single(legs[0], price, p.quantity, quotes)
    if p.strategy is Strategy.CALENDAR_SPREAD:
        if price is not None and p.order_type is OrderType.DEBIT:
            return _options(price, p.quantity)
        long_leg = next(leg for leg in legs if leg.is_long)
        mid = quotes.leg_mids.get(long_leg.option_symbol)
        return None if mid is None else _options(mid, p.quantity)
    if p.strategy is Strategy.RATIO_SPREAD:
        return _ratio(legs, p, quotes)
    # vertical, iron condor, iron butterfly: defined risk, the widest wing bounds the loss.
    return _defined_risk(_widest_wing(legs), p)


def _single(leg: Leg, price: Decimal | None, quantity: int, quotes: Quotes) -> Decimal | None:
    if leg.is_long:
        premium = price if price is not None else quotes.leg_mids.get(leg.option_symbol)
        return None if premium is None else _options(premium, quantity)
    return _naked_short(leg, quantity, quotes)


def _naked_short(leg: Leg, contracts: int, quotes: Quotes) -> Decimal | None:
    occ = leg.occ
    if occ.option_type is OptionType.PUT:
        return _options(occ.strike, contracts)
    last = quotes.underlying_last
    return None if last is None else _options(last, contracts)


def _widest_wing(legs: tuple[Leg, ...]) -> Decimal:
    widths = []
    for option_type in (OptionType.PUT, OptionType.CALL):
        strikes = [leg.occ.strike for leg in legs if leg.occ.option_type is option_type]
        if len(strikes) == 2:
            widths.append(abs(strikes[0] - strikes[1]))
    return max(widths)


def _defined_risk(width: Decimal, p: Proposal) -> Decimal:
    price = p.price_decimal
    if price is not None and p.order_type is OrderType.DEBIT:
        return _options(price, p.quantity)
    if price is not None and p.order_type is OrderType.CREDIT:
        return _options(max(width - price, Decimal(0)), p.quantity)
    return _options(width, p.quantity)


def _ratio(legs: tuple[Leg, ...], p: Proposal, quotes: Quotes) -> Decimal | None:
    long_leg = next(leg for leg in legs if leg.is_long)
    short_leg = next(leg for leg in legs if not leg.is_long)
    paired = min(long_leg.ratio, short_leg.ratio)
    width = abs(long_leg.occ.strike - short_leg.occ.strike)
    # Conservative: the paired vertical's full width plus any debit paid; a credit is not
    # netted off because the naked remainder can lose more than it brings in.
    total = _options(width * paired, p.quantity)
    price = p.price_decimal
    if price is not None and p.order_type is OrderType.DEBIT:
        total += _options(price, p.quantity)
    extra_short = short_leg.ratio - paired
    extra_long = long_leg.ratio - paired
    if extra_short:
        naked = _naked_short(short_leg, extra_short * p.quantity, quotes)
        if naked is None:
            return None
        total += naked
    if extra_long:
        mid = quotes.leg_mids.get(long_leg.option_symbol)
        if mid is None:
            return None
        total += _options(mid, extra_long * p.quantity)
    return total
