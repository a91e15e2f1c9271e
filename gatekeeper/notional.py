"""What an opening proposal does, priced by the market: its legs as positions, its net
at the gate's own quotes, the honesty of its declared order type and price, and the
dollars at risk the constitution caps (`notional`).

The proposal's order type and price are claims, never inputs to trust:

- **Natural price**: each leg at the side of the market it trades against — the bid for
  a sell, the ask for a buy — from the quotes the gate fetched itself. The opposite sides
  (ask for a sell, bid for a buy) give the best net the market could possibly give.
- **Order type must match the net at market**: a structure whose natural net is a credit
  (it surely brings cash in) may be sent only as `credit` or `market`; one whose best
  net is a debit (it surely costs cash) only as `debit` or `market`; one whose bid/ask
  straddles zero as any of them. Single options and equity carry `limit`/`market`, whose
  meaning follows the side, so there is nothing to mismatch.
- **Price must be one the structure can be worth**: as signed cash per structure (+ a
  credit received, - a debit paid) a limit must lie within minus the structure's value
  range (`gatekeeper.exposure.value_bounds`): no credit above the most it can lose (a
  vertical's width), no debit above the most it can be worth, no credit for something
  that can only be worth something, no debit for something that can only cost.
- **Premium counted**: the natural net, bounded by the declared limit only where that
  makes the risk larger — the smaller of the two signed nets (a limit credit above the
  market's may never come; a limit credit below it may be all that fills).
- **Notional** (dollars at risk): equity is shares x the largest of the limit and the
  gate's last/ask/bid (a `sell_short` limit at 0.01 is valued at the market). Options:
  the legs' maximum loss (`gatekeeper.exposure.max_loss`) after the counted premium, for
  the covered part; each uncovered (naked) short adds the naked rule: a put's strike, a
  call's underlying price (the largest of its last/ask/bid), x 100 x contracts. Whether a
  naked short may be opened at all is the constitution's (`allow_naked_shorts`).

A needed quote that is missing gives None and the check rejects with QUOTE_UNAVAILABLE:
no guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final, Protocol

from gatekeeper.contract import EquitySide, OrderType, Proposal, Strategy
from gatekeeper.exposure import (
    PositionLeg,
    max_loss,
    position_leg,
    uncovered_shorts,
    value_bounds,
)
from tradier.money import EQUITY_MULTIPLIER, OPTION_MULTIPLIER, cash_value, to_wire
from tradier.occ import OptionType

_ZERO: Final = Decimal(0)


class QuoteLike(Protocol):
    """The prices a check reads from one quote (`tradier.models.Quote` fits)."""

    @property
    def bid(self) -> Decimal | None:
        """Best bid."""
        ...

    @property
    def ask(self) -> Decimal | None:
        """Best ask."""
        ...

    @property
    def last(self) -> Decimal | None:
        """Last trade."""
        ...

    @property
    def type(self) -> str | None:
        """What the symbol is: stock, etf, index, option (TRADIER.md §5)."""
        ...


Quotes = Mapping[str, QuoteLike]


def structure_legs(p: Proposal, structures: int = 1) -> tuple[PositionLeg, ...]:
    """The positions `structures` of the proposal would open (shares for equity)."""
    if p.strategy is Strategy.EQUITY:
        sign = -1 if p.side in (EquitySide.SELL_SHORT, EquitySide.SELL) else 1
        return (position_leg(p.symbol, sign * structures),)
    return tuple(
        position_leg(leg.option_symbol, (1 if leg.is_long else -1) * leg.ratio * structures)
        for leg in p.legs or ()
    )


def _net(p: Proposal, quotes: Quotes, natural: bool) -> Decimal | None:
    total = _ZERO
    for leg in p.legs or ():
        quote = quotes.get(leg.option_symbol)
        if quote is None:
            return None
        # Natural: a buy pays the ask, a sell gets the bid; the best case is the reverse.
        price = quote.ask if leg.is_long == natural else quote.bid
        if price is None:
            return None
        total += -price * leg.ratio if leg.is_long else price * leg.ratio
    return total


def natural_net(p: Proposal, quotes: Quotes) -> Decimal | None:
    """Signed net per structure at the natural price (+ credit); None if a quote is missing."""
    return _net(p, quotes, natural=True)


def best_net(p: Proposal, quotes: Quotes) -> Decimal | None:
    """Signed net per structure at the opposite sides: the most the market could give."""
    return _net(p, quotes, natural=False)


def declared_net(p: Proposal) -> Decimal | None:
    """The declared limit as signed cash per structure (+ credit); None for market."""
    price = p.price_decimal
    if p.order_type is OrderType.EVEN:
        return _ZERO
    if price is None:
        return None
    if p.order_type is OrderType.CREDIT:
        return price
    if p.order_type is OrderType.DEBIT:
        return -price
    # A single option's limit: a buy pays it, a sell receives it.
    legs = p.legs or ()
    return -price if legs and legs[0].is_long else price


def order_type_mismatch(p: Proposal, quotes: Quotes) -> str | None:
    """Why the declared order type contradicts the structure's net at market, or None."""
    if p.strategy in (Strategy.EQUITY, Strategy.SINGLE_OPTION) or p.order_type is OrderType.MARKET:
        return None
    natural, best = natural_net(p, quotes), best_net(p, quotes)
    if natural is None or best is None:
        return None  # the quotes check names what is missing
    if natural > 0 and p.order_type is not OrderType.CREDIT:
        return (
            f"the structure is a credit at market (natural {to_wire(natural)} credit) "
            f"but was sent as {p.order_type}"
        )
    if best < 0 and p.order_type is not OrderType.DEBIT:
        return (
            f"the structure is a debit at market (natural {to_wire(-natural)} debit) "
            f"but was sent as {p.order_type}"
        )
    return None


def price_out_of_range(p: Proposal) -> str | None:
    """Why the declared price is one the structure can never be worth, or None."""
    if p.strategy is Strategy.EQUITY:
        return None
    declared = declared_net(p)
    if declared is None:
        return None
    low, high = value_bounds(structure_legs(p))
    cash = cash_value(declared, 1, OPTION_MULTIPLIER)
    if low is not None and cash > -low:
        most = -low / OPTION_MULTIPLIER
        return f"{_said(p)} is more than the structure can ever cost to settle ({to_wire(most)})"
    if high is not None and -cash > high:
        most = high / OPTION_MULTIPLIER
        return f"{_said(p)} is more than the structure can ever be worth ({to_wire(most)})"
    return None


def _said(p: Proposal) -> str:
    price = "" if p.price is None else f" {p.price}"
    return f"{p.order_type}{price}"


def counted_net(p: Proposal, quotes: Quotes) -> Decimal | None:
    """The premium counted per structure: the natural net, or the declared limit where that
    is worse; None when a quote is missing."""
    natural = natural_net(p, quotes)
    declared = declared_net(p)
    if natural is None or declared is None:
        return natural
    return min(natural, declared)


def missing_quotes(p: Proposal, quotes: Quotes) -> list[str]:
    """The symbols whose quote lacks what the checks need: both sides of every leg; a price
    for the underlying of equity and of a naked short call."""
    missing = []
    for leg in p.legs or ():
        quote = quotes.get(leg.option_symbol)
        if quote is None or quote.bid is None or quote.ask is None:
            missing.append(leg.option_symbol)
    needs_underlying = p.strategy is Strategy.EQUITY or _has_naked_call(p)
    if needs_underlying and _market_price(quotes.get(p.symbol)) is None:
        missing.append(p.symbol)
    return missing


def _has_naked_call(p: Proposal) -> bool:
    naked = uncovered_shorts(structure_legs(p))
    return any(leg.occ is not None and leg.occ.option_type is OptionType.CALL for leg in naked)


def _market_price(quote: QuoteLike | None) -> Decimal | None:
    """The largest of last, ask and bid: the price a short is valued at."""
    if quote is None:
        return None
    prices = [x for x in (quote.last, quote.ask, quote.bid) if x is not None and x > 0]
    return max(prices, default=None)


def notional(p: Proposal, quotes: Quotes) -> Decimal | None:
    """Dollars at risk for the whole proposal (see the module docstring); None when a needed
    quote is missing."""
    if p.strategy is Strategy.EQUITY:
        market = _market_price(quotes.get(p.symbol))
        if market is None:
            return None
        limit = p.price_decimal if p.price_decimal is not None else market
        return cash_value(max(limit, market), p.quantity, EQUITY_MULTIPLIER)
    net = counted_net(p, quotes)
    if net is None:
        return None
    legs = structure_legs(p, p.quantity)
    premium = cash_value(net, p.quantity, OPTION_MULTIPLIER)
    naked = uncovered_shorts(legs)
    loss = max_loss(_without(legs, naked), premium)
    if loss is None:
        # A covered short is bounded by its cover (a property test shows it); should that
        # ever fail, count every short as naked rather than trust the cover.
        naked = tuple(leg for leg in legs if leg.is_short)
        longs_only = max_loss([leg for leg in legs if not leg.is_short], premium)
        loss = _ZERO if longs_only is None else longs_only  # longs alone are always bounded
    for short in naked:
        assert short.occ is not None
        if short.occ.option_type is OptionType.PUT:
            unit: Decimal | None = short.occ.strike
        else:
            unit = _market_price(quotes.get(p.symbol))
        if unit is None:
            return None
        loss += cash_value(unit, -short.quantity, OPTION_MULTIPLIER)
    return loss


def _without(legs: tuple[PositionLeg, ...], naked: tuple[PositionLeg, ...]) -> list[PositionLeg]:
    """`legs` less the naked part of each short."""
    less = {leg.symbol: leg.quantity for leg in naked}
    return [
        PositionLeg(leg.symbol, leg.quantity - less.get(leg.symbol, 0), leg.premium, leg.occ)
        for leg in legs
    ]
