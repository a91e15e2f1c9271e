"""Exposure from the legs: worst-case loss, value range and covered-or-naked, from what the
positions are (strikes, types, sides, quantities, expiries), never from what an order says.

API (pure: no I/O, Decimal money, dollars out):

- `PositionLeg(symbol, quantity, premium=None)` — one position: an OCC option symbol or an
  equity ticker, a signed quantity (> 0 long, < 0 short; contracts for options, shares for
  equity) and, where known, the per-unit premium. `position_leg(symbol, quantity)` builds
  one and parses the symbol (`tradier.occ`); `.occ` is None for equity.
- `max_loss(legs, net_premium=0) -> Decimal | None` — the most the legs can lose in
  dollars, never below zero; None when the loss is unbounded. `net_premium` is the signed
  cash the legs bring in when opened (+ credit received, - debit paid), already in dollars
  (`tradier.money.cash_value(signed_net, structures, OPTION_MULTIPLIER)`).
- `value_bounds(legs) -> (low, high)` — the least and the most the legs can be worth in
  dollars (either None when unbounded): what a fair opening net price must lie between.
- `uncovered_shorts(legs) -> tuple[PositionLeg, ...]` — the short options (with the
  uncovered part of their quantity) that no long covers; empty means nothing is naked.
- `premium_cash(legs)` — the signed opening cash of legs that carry premiums.

How the worst case is found: a payoff scan of the legs' value over the underlying price S
at every strike breakpoint (and S = 0), with the slope beyond the last strike deciding
whether the loss is bounded. The value is piecewise linear in S with kinks only at strikes,
so the scan is exact. Each leg's cash is `cash_value(unit value, quantity, multiplier)`:
the multiplier is applied once, per leg, through `tradier.money`. Legs on different
underlyings are independent, so their worst cases add.

Several expiries: nothing after the nearest expiry T0 is known but the legs themselves,
so a leg expiring later is counted by what the account can surely do with it. A long can
always be exercised or sold for at least its intrinsic value; a short can never be relied
on to be bought back. At T0 the legs expiring then settle at intrinsic, and the account
cashes some later longs at their intrinsic value while the rest run on with the later
shorts; what runs on is valued the same way at the next expiry (recursively). Three fixed
choices are weighed — cash every later long, keep every one, or keep exactly the longs
that cover the later shorts (the covered-or-naked matching below) — and the best counts.
Fixed for all prices, the choice is never better than the truth, and the third makes
every structure with no naked short bounded. So a calendar (short near, long far) loses
at most its debit, and a reverse calendar (long near, short far) is unbounded: once the
near leg expires the far short is naked. Long shares run on like a later long (worth S);
short shares make any structure unbounded. `value_bounds`' upper side is an upper bound
at T0: later longs at the most an option can be worth (S for a call, the strike for a
put), later shorts at intrinsic.

Covered or naked: a short option is covered only by a long option of the same underlying
and type that expires ON OR AFTER it, contract for contract (a long call also by 100 long
shares). Between two options of one type any pair of strikes bounds the loss (by at most
their difference; `max_loss` counts how much), so coverage is a matching by expiry: shorts
are taken latest-expiry first, each by unused longs nearest-expiry and lowest-strike
first that expire no earlier — which covers as many contracts as any matching can. A 1x3
ratio spread leaves two naked shorts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from tradier.money import EQUITY_MULTIPLIER, OPTION_MULTIPLIER, cash_value
from tradier.occ import (
    OccSymbol,
    OptionType,
    is_occ,
    occ_root,
    parse_occ,
    underlying_of,
)

_ZERO: Final = Decimal(0)


@dataclass(frozen=True, slots=True)
class PositionLeg:
    """One position: an option (`occ` set) or shares, signed quantity (< 0 is short)."""

    symbol: str
    quantity: int
    premium: Decimal | None = None
    occ: OccSymbol | None = None

    @property
    def underlying(self) -> str:
        """The equity ticker, or the underlying of the option's root (SPXW -> SPX)."""
        return self.symbol if self.occ is None else underlying_of(self.occ.root)

    @property
    def root(self) -> str:
        """The OCC root its value settles under: BRKB for BRK/B shares and options alike."""
        return occ_root(self.symbol) if self.occ is None else self.occ.root

    @property
    def multiplier(self) -> int:
        """Shares per unit: 100 for an option contract, 1 for a share."""
        return EQUITY_MULTIPLIER if self.occ is None else OPTION_MULTIPLIER

    @property
    def is_short(self) -> bool:
        """True for a short position."""
        return self.quantity < 0


def position_leg(symbol: str, quantity: int, premium: Decimal | None = None) -> PositionLeg:
    """A PositionLeg with its OCC symbol parsed (an equity ticker when it is not OCC)."""
    occ = parse_occ(symbol) if is_occ(symbol) else None
    return PositionLeg(symbol, quantity, premium, occ)


def premium_cash(legs: Iterable[PositionLeg]) -> Decimal | None:
    """Signed opening cash of the legs (+ received for shorts, - paid for longs), in dollars;
    None when a leg has no premium."""
    total = _ZERO
    for leg in legs:
        if leg.premium is None:
            return None
        total -= cash_value(leg.premium, leg.quantity, leg.multiplier)
    return total


# --- the payoff scan --------------------------------------------------------------------


def _intrinsic(leg: PositionLeg, s: Decimal) -> Decimal:
    """Per-unit value at expiry (shares: S)."""
    if leg.occ is None:
        return s
    if leg.occ.option_type is OptionType.CALL:
        return max(s - leg.occ.strike, _ZERO)
    return max(leg.occ.strike - s, _ZERO)


def _most(leg: PositionLeg, s: Decimal) -> Decimal:
    """The most a unit can be worth before expiry: S for a call or a share, K for a put."""
    if leg.occ is None or leg.occ.option_type is OptionType.CALL:
        return s
    return leg.occ.strike


def _cash(
    legs: Sequence[PositionLeg], s: Decimal, unit: Callable[[PositionLeg, Decimal], Decimal]
) -> Decimal:
    return sum((cash_value(unit(leg, s), leg.quantity, leg.multiplier) for leg in legs), _ZERO)


def _scan(
    legs: Sequence[PositionLeg], unit: Callable[[PositionLeg, Decimal], Decimal], low: bool
) -> Decimal | None:
    """The least (`low`) or most of a piecewise-linear value over S in [0, inf): evaluated at
    0 and every strike (the only kinks); None when the slope past the last strike runs away."""
    points = [_ZERO, *sorted({leg.occ.strike for leg in legs if leg.occ is not None})]
    values = [_cash(legs, s, unit) for s in points]
    slope = _cash(legs, points[-1] + 1, unit) - values[-1]
    if (low and slope < 0) or (not low and slope > 0):
        return None
    return min(values) if low else max(values)


def _split(
    legs: Sequence[PositionLeg],
) -> tuple[list[PositionLeg], list[PositionLeg], list[PositionLeg]]:
    """(legs settling at the nearest expiry T0, later longs and long shares, later shorts and
    short shares)."""
    expiries = [leg.occ.expiration for leg in legs if leg.occ is not None]
    t0 = min(expiries, default=None)
    near = [leg for leg in legs if leg.occ is not None and leg.occ.expiration == t0]
    later = [leg for leg in legs if leg.occ is None or leg.occ.expiration != t0]
    return (
        near,
        [leg for leg in later if leg.quantity > 0],
        [leg for leg in later if leg.quantity < 0],
    )


def _least(legs: Sequence[PositionLeg]) -> Decimal | None:
    """The least the legs on ONE underlying can come to over their lives; None: unbounded."""
    near, longs, shorts = _split(legs)
    if not near:  # shares only: worth S each, so the worst is S = 0, or short shares
        return None if shorts else _ZERO
    # At T0 the account cashes some later longs at their intrinsic value (exercise or sell)
    # and keeps the rest running on with the later shorts. Three fixed choices are weighed:
    # cash them all, keep them all, or keep just the longs that cover the later shorts
    # (`_match`). The best of the three counts — never better than the truth, since the
    # choice is fixed for all prices, and bounded whenever every short is covered.
    lent = _match([*longs, *shorts])[0]
    kept_for_cover = [_with(leg, lent.get(i, 0)) for i, leg in enumerate(longs)]
    cashed_for_cover = [_with(leg, leg.quantity - lent.get(i, 0)) for i, leg in enumerate(longs)]
    candidates = [
        _settle(near, cashed=longs, kept=[], shorts=shorts),
        _settle(near, cashed=[], kept=longs, shorts=shorts),
        _settle(near, cashed=cashed_for_cover, kept=kept_for_cover, shorts=shorts),
    ]
    found = [v for v in candidates if v is not None]
    return max(found) if found else None


def _with(leg: PositionLeg, quantity: int) -> PositionLeg:
    return PositionLeg(leg.symbol, quantity, leg.premium, leg.occ)


def _settle(
    near: list[PositionLeg],
    *,
    cashed: list[PositionLeg],
    kept: list[PositionLeg],
    shorts: list[PositionLeg],
) -> Decimal | None:
    """Least value when `near` settles and `cashed` is cashed at T0, at intrinsic, and
    `kept` runs on with the later `shorts`."""
    rest = [leg for leg in (*kept, *shorts) if leg.quantity]
    later = _least(rest) if rest else _ZERO
    if later is None:
        return None
    now = _scan([*near, *(leg for leg in cashed if leg.quantity)], _intrinsic, low=True)
    return None if now is None else now + later


def _upper_unit(t0: date | None) -> Callable[[PositionLeg, Decimal], Decimal]:
    def unit(leg: PositionLeg, s: Decimal) -> Decimal:
        if leg.occ is None or leg.occ.expiration == t0:
            return _intrinsic(leg, s)
        # A later long at the most it can be worth, a later short at its intrinsic.
        return _most(leg, s) if leg.quantity > 0 else _intrinsic(leg, s)

    return unit


def _most_value(legs: Sequence[PositionLeg]) -> Decimal | None:
    """An upper bound on what the legs on ONE underlying can be worth at the nearest expiry."""
    t0 = min((leg.occ.expiration for leg in legs if leg.occ is not None), default=None)
    return _scan(legs, _upper_unit(t0), low=False)


def _by_underlying(legs: Iterable[PositionLeg]) -> list[list[PositionLeg]]:
    # By root, not underlying: SPX (AM) and SPXW (PM) legs of one date settle at different
    # prices, so bounding them as one payoff would net what the market may not.
    groups: dict[str, list[PositionLeg]] = {}
    for leg in legs:
        if leg.quantity:
            groups.setdefault(leg.root, []).append(leg)
    return list(groups.values())


def value_bounds(legs: Iterable[PositionLeg]) -> tuple[Decimal | None, Decimal | None]:
    """(least, most) the legs can be worth in dollars, each None when unbounded."""
    low: Decimal | None = _ZERO
    high: Decimal | None = _ZERO
    for group in _by_underlying(legs):
        lo, hi = _least(group), _most_value(group)
        low = None if low is None or lo is None else low + lo
        high = None if high is None or hi is None else high + hi
    return low, high


def max_loss(legs: Iterable[PositionLeg], net_premium: Decimal = _ZERO) -> Decimal | None:
    """The most the legs can lose in dollars after `net_premium` (signed opening cash,
    + credit); never below zero; None when unbounded."""
    low, _ = value_bounds(legs)
    if low is None:
        return None
    return max(-(low + net_premium), _ZERO)


# --- covered or naked -------------------------------------------------------------------

_FOREVER: Final = date.max


@dataclass(slots=True)
class _Cover:
    """A long still free to cover shorts expiring by `until`, in lots (an option contract,
    or 100 shares), and how many lots it has lent."""

    index: int
    until: date
    strike: Decimal
    left: int
    lent: int = 0


def _expiry(leg: PositionLeg) -> date:
    return _FOREVER if leg.occ is None else leg.occ.expiration


def _match(legs: Sequence[PositionLeg]) -> tuple[dict[int, int], tuple[PositionLeg, ...]]:
    """Cover shorts with longs: per long (index in `legs`) the quantity it lends, and each
    short's uncovered part. Shorts go latest-expiry first, each taking longs nearest-expiry
    and lowest-strike first: every long that covers a later short also covers an earlier
    one, so serving the hardest-to-cover shorts first covers as much as any matching."""
    pool: dict[tuple[str, OptionType], list[_Cover]] = {}
    shorts: list[PositionLeg] = []
    for i, leg in enumerate(legs):
        if leg.occ is None:
            # Long shares cover calls, one contract per 100 shares, whatever the expiry;
            # BRK/B shares cover calls under the root BRKB.
            lots = leg.quantity // OPTION_MULTIPLIER
            if lots > 0:
                cover = _Cover(i, _FOREVER, _ZERO, lots)
                pool.setdefault((leg.root, OptionType.CALL), []).append(cover)
        elif leg.quantity > 0:
            # Options cover only within their root: an SPX (AM-settled) long and an SPXW
            # (PM-settled) short of one date settle hours apart, so neither covers the other.
            cover = _Cover(i, leg.occ.expiration, leg.occ.strike, leg.quantity)
            pool.setdefault((leg.occ.root, leg.occ.option_type), []).append(cover)
        elif leg.quantity < 0:
            shorts.append(leg)
    for covers in pool.values():
        covers.sort(key=lambda c: (c.until, c.strike))
    naked: list[PositionLeg] = []
    for short in sorted(shorts, key=_expiry, reverse=True):
        occ = short.occ
        assert occ is not None  # only options are collected as shorts
        need = -short.quantity
        for cover in pool.get((occ.root, occ.option_type), []):
            if need == 0:
                break
            if cover.until >= occ.expiration and cover.left > 0:
                used = min(cover.left, need)
                cover.left -= used
                cover.lent += used
                need -= used
        if need:
            naked.append(_with(short, -need))
    lent = {}
    for covers in pool.values():
        for cover in covers:
            lots = cover.lent
            lent[cover.index] = lots if legs[cover.index].occ else lots * OPTION_MULTIPLIER
    return lent, tuple(naked)


def uncovered_shorts(legs: Iterable[PositionLeg]) -> tuple[PositionLeg, ...]:
    """The short options no long covers, each with its uncovered (negative) quantity."""
    return _match(list(legs))[1]
