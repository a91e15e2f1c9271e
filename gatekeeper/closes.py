"""Whether a proposal that says `close` really closes: judged on the account, not the claim.

A close is a close only if, for every leg (or the shares), it moves the position toward zero
without crossing it, net of every order already working at the broker. Working orders may
fill or not, so each leg is checked against the worst end (`gatekeeper.account`): buying
back a short counts every working buy of that instrument as filled, selling out a long
every working sell. Three `buy_to_cover 100` of a -100 short sent one after another: the
first is a close, the next two would take the account long once the first fills, so they
are refused (CLOSE_CROSSES_ZERO) — an exit never becomes an entry.

Nothing held to close (or held the other way) is NO_MATCHING_POSITION.
"""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.account import AccountView
from gatekeeper.contract import EquitySide, Proposal, ReasonCode, Strategy

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


def close_refusal(p: Proposal, view: AccountView) -> CloseRefusal | None:
    """Why the close `p` is not a close on the account `view`, or None when it is."""
    return crossing_refusal(p, view)
