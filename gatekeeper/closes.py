"""Whether a proposal that says `close` really closes: judged on the account, not the claim.

A close is a close only if, for every leg (or the shares), it moves the position toward zero
without crossing it, net of every order already working at the broker. Working orders may
fill or not, so each leg is checked against the worst end (`gatekeeper.account`): buying
back a short counts every working buy of that instrument as filled, selling out a long
every working sell. Three `buy_to_cover 100` of a -100 short sent one after another: the
first is a close, the next two would take the account long once the first fills, so they
are refused (CLOSE_CROSSES_ZERO) — an exit never becomes an entry.

Nothing held to close (or held the other way) is NO_MATCHING_POSITION.

A close must also leave an account the gate would accept: closing part of a structure so
that what remains on the underlying would be refused as an opening is refused
(CLOSE_LEAVES_REFUSED_STRUCTURE), in every trading state. What remains is judged at the
worst end for cover (working sells filled, working buys not: longs at their fewest, shorts
at their most) with this order filled, against the same account without it, using the
covered/naked rule and the payoff scan of `gatekeeper.exposure`:
- more short contracts left uncovered than before (selling the long leg of a credit spread
  leaves its short naked; selling the shares under a covered call leaves the call naked),
  unless the constitution allows naked shorts;
- a worst-case loss above `max_notional` that is larger than before.
A close that only shrinks the risk always passes, so an account that is already outside
the limits can still be reduced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gatekeeper.account import AccountView
from gatekeeper.constitution import Constitution
from gatekeeper.contract import EquitySide, Proposal, ReasonCode, Strategy
from gatekeeper.exposure import PositionLeg, max_loss, position_leg, uncovered_shorts

_BUYING_SIDES = frozenset({EquitySide.BUY, EquitySide.BUY_TO_COVER})


@dataclass(frozen=True, slots=True)
class CloseRefusal:
    """Why a close is not a close: a reason code and a message naming the instrument."""

    code: ReasonCode
    message: str


def trades(p: Proposal) -> list[tuple[str, int]]:
    """What the order would do to each instrument: (symbol, signed quantity, + buys)."""
    if p.strategy is Strategy.EQUITY:
        sign = 1 if p.side in _BUYING_SIDES else -1
        return [(p.symbol, sign * p.quantity)]
    return [
        (leg.option_symbol, (-1 if leg.is_long else 1) * p.quantity * leg.ratio)
        for leg in p.legs or ()
    ]


def crossing_refusal(p: Proposal, view: AccountView) -> CloseRefusal | None:
    """NO_MATCHING_POSITION when a leg has nothing to close; CLOSE_CROSSES_ZERO when a leg
    would pass zero once the working orders that trade the same way have filled."""
    for symbol, delta in trades(p):
        held = view.quantity(symbol)
        if delta > 0:  # buying back: needs a short, and must not end long
            if held >= 0:
                return CloseRefusal(
                    ReasonCode.NO_MATCHING_POSITION,
                    f"{symbol}: buying {delta} to close, but {held} held (no short to close)",
                )
            worst, working = view.highest(symbol), view.working_buy(symbol)
        else:  # selling out: needs a long, and must not end short
            if held <= 0:
                return CloseRefusal(
                    ReasonCode.NO_MATCHING_POSITION,
                    f"{symbol}: selling {-delta} to close, but {held} held (no long to close)",
                )
            worst, working = view.lowest(symbol), view.working_sell(symbol)
        after = worst + delta
        if (delta > 0 and after > 0) or (delta < 0 and after < 0):
            covered = " (already closed by working orders)" if worst * held <= 0 else ""
            return CloseRefusal(
                ReasonCode.CLOSE_CROSSES_ZERO,
                f"{symbol}: {held} held, {working} more working the same way{covered}; "
                f"closing {abs(delta)} would leave {after}",
            )
    return None


def _legs(quantities: Mapping[str, int]) -> list[PositionLeg]:
    return [position_leg(symbol, q) for symbol, q in sorted(quantities.items()) if q]


def _naked(legs: list[PositionLeg]) -> int:
    return sum(-leg.quantity for leg in uncovered_shorts(legs))


def remainder_refusal(
    p: Proposal, view: AccountView, c: Constitution | None = None
) -> CloseRefusal | None:
    """CLOSE_LEAVES_REFUSED_STRUCTURE when what the close leaves on its underlying would be
    refused as an opening by `c` and is worse than what was there (see the module
    docstring). Without a constitution, naked shorts are refused and loss is not sized."""
    on_underlying = [s for s in view.symbols() if position_leg(s, 0).underlying == p.symbol]
    before = {symbol: view.lowest(symbol) for symbol in on_underlying}
    after = dict(before)
    for symbol, delta in trades(p):
        after[symbol] = after.get(symbol, view.lowest(symbol)) + delta
    legs_before, legs_after = _legs(before), _legs(after)
    naked_before, naked_after = _naked(legs_before), _naked(legs_after)
    if naked_after > naked_before and (c is None or not c.allow_naked_shorts):
        shorts = ", ".join(f"{-leg.quantity} {leg.symbol}" for leg in uncovered_shorts(legs_after))
        return CloseRefusal(
            ReasonCode.CLOSE_LEAVES_REFUSED_STRUCTURE,
            f"closing this leaves naked short options ({shorts}); close the short legs too",
        )
    if c is None:
        return None
    max_notional = c.max_notional
    loss_before, loss_after = max_loss(legs_before), max_loss(legs_after)
    worse = loss_after is None or (loss_before is not None and loss_after > loss_before)
    if worse and loss_before is not None and (loss_after is None or loss_after > max_notional):
        shown = "unbounded" if loss_after is None else str(loss_after)
        return CloseRefusal(
            ReasonCode.CLOSE_LEAVES_REFUSED_STRUCTURE,
            f"what remains on {p.symbol} could lose {shown} (> max_notional {max_notional}, "
            f"and more than {loss_before} before this close)",
        )
    return None


def close_refusal(
    p: Proposal, view: AccountView, c: Constitution | None = None
) -> CloseRefusal | None:
    """Why the close `p` is not a close on the account `view` under `c`, or None."""
    return crossing_refusal(p, view) or remainder_refusal(p, view, c)
