"""Admin flatten: close what the account holds through the pipeline, in any trading state.

The gate reads the positions and every order still working, and closes only what no
working order is already closing: a long counts its working sells as filled, a short its
working buys (`gatekeeper.account`). So a flatten queued behind a close, or a second
flatten queued behind the first, sends nothing more for what is already being closed, and
never flips a position.

Each held structure gets at most one closing order: the option positions on one
underlying go out together as one market order (single-leg, or multileg for 2-4 legs),
so a spread never loses its protective leg before its short; shares go out one order per
symbol, after the options (selling the shares under a covered call first would leave the
call naked; while the call's buy-back is still working, the shares are refused
CLOSE_LEAVES_REFUSED_STRUCTURE and the next flatten sells them). More than four option
positions on one underlying are sent in chunks of four, shorts first; a chunk of longs
that still cover a short being bought back is refused (CLOSE_LEAVES_REFUSED_STRUCTURE)
and the next flatten closes it once that fill is in. Each closing proposal is decided
with `flatten=True` (the trading state and the market hours do not block it) and is
recorded, sent once with its id as tag, and audited like any other. The strategy label
is the nearest the contract has; the gate judges the legs, never the label.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from gatekeeper.account import AccountView, account_view
from gatekeeper.contract import (
    Duration,
    EquitySide,
    FlattenResponse,
    Intent,
    Leg,
    LegSide,
    OrderType,
    Proposal,
    Source,
    SourceKind,
    Strategy,
    TradingState,
    encode,
)
from gatekeeper.errors import BrokerUnavailable
from gatekeeper.execution import Broker, BrokerInputs
from gatekeeper.pipeline import Pipeline, body_hash
from gatekeeper.store import GateStore
from tradier import models
from tradier.clock import Clock
from tradier.errors import TradierError
from tradier.occ import OccSymbol, is_occ, parse_occ, underlying_of

MAX_RATIO: Final = 100  # the contract's bound on a leg ratio
_SOURCE: Final = Source(kind=SourceKind.MANUAL, name="admin-flatten")


@dataclass(frozen=True, slots=True)
class Closable:
    """An instrument and the signed quantity still to close (> 0: a long to sell)."""

    symbol: str
    quantity: int


def closable(view: AccountView) -> list[Closable]:
    """What no working order is already closing, per held instrument (sorted by symbol)."""
    left: list[Closable] = []
    for symbol in sorted(view.held):
        held = view.quantity(symbol)
        if held > 0:
            rest = max(view.lowest(symbol), 0)
        else:
            rest = min(view.highest(symbol), 0)
        if rest:
            left.append(Closable(symbol, rest))
    return left


def _proposal(
    proposal_id: str,
    now_ms: int,
    symbol: str,
    strategy: Strategy,
    quantity: int,
    *,
    side: EquitySide | None = None,
    legs: tuple[Leg, ...] | None = None,
) -> Proposal:
    return Proposal(
        id=proposal_id,
        created_at=now_ms,
        symbol=symbol,
        strategy=strategy,
        intent=Intent.CLOSE,
        quantity=quantity,
        order_type=OrderType.MARKET,
        duration=Duration.DAY,
        source=_SOURCE,
        side=side,
        legs=legs,
    )


def closing_proposal(position: models.Position, proposal_id: str, now_ms: int) -> Proposal:
    """A market proposal that closes `position` entirely."""
    return structure_proposal([Closable(position.symbol, position.quantity)], proposal_id, now_ms)


def _leg(item: Closable, ratio: int) -> Leg:
    side = LegSide.SELL_TO_CLOSE if item.quantity > 0 else LegSide.BUY_TO_CLOSE
    return Leg(option_symbol=item.symbol, side=side, ratio=ratio)


def _label(occs: Sequence[OccSymbol], ratios: Sequence[int]) -> Strategy:
    if len(occs) == 1:
        return Strategy.SINGLE_OPTION
    if len(occs) == 4:
        return Strategy.IRON_CONDOR
    if len({o.expiration for o in occs}) > 1:
        return Strategy.CALENDAR_SPREAD
    if len(occs) == 2 and len(set(ratios)) == 1:
        return Strategy.VERTICAL
    return Strategy.RATIO_SPREAD


def structure_proposal(items: Sequence[Closable], proposal_id: str, now_ms: int) -> Proposal:
    """One market closing proposal for shares, one option or 2-4 options of one underlying
    (quantity the legs' common divisor, each leg's ratio the rest)."""
    first = items[0]
    if not is_occ(first.symbol):
        side = EquitySide.SELL if first.quantity > 0 else EquitySide.BUY_TO_COVER
        return _proposal(
            proposal_id, now_ms, first.symbol, Strategy.EQUITY, abs(first.quantity), side=side
        )
    unit = math.gcd(*(abs(item.quantity) for item in items))
    ratios = [abs(item.quantity) // unit for item in items]
    occs = [parse_occ(item.symbol) for item in items]
    legs = tuple(_leg(item, ratio) for item, ratio in zip(items, ratios, strict=True))
    # The proposal is on the underlying (SPX, BRK/B), which the legs' roots (SPXW, BRKB) name.
    symbol = underlying_of(occs[0].root)
    return _proposal(proposal_id, now_ms, symbol, _label(occs, ratios), unit, legs=legs)


def _chunks(options: list[Closable]) -> list[list[Closable]]:
    """Orders for one underlying's options: at most four legs each, shorts first, and
    single legs where a common quantity would need a ratio over the contract's bound."""
    ordered = sorted(options, key=lambda c: (c.quantity > 0, _sort_key(c.symbol)))
    chunks: list[list[Closable]] = []
    for start in range(0, len(ordered), 4):
        chunk = ordered[start : start + 4]
        unit = math.gcd(*(abs(c.quantity) for c in chunk))
        if max(abs(c.quantity) // unit for c in chunk) > MAX_RATIO:
            chunks.extend([c] for c in chunk)
        else:
            chunks.append(chunk)
    return chunks


def _sort_key(symbol: str) -> tuple[str, str, object, object]:
    occ = parse_occ(symbol)
    return (occ.root, occ.option_type.value, occ.expiration, occ.strike)


def structures(items: Sequence[Closable]) -> list[list[Closable]]:
    """What flatten sends, in order: each underlying's options together, then shares."""
    by_root: dict[str, list[Closable]] = {}
    shares: list[Closable] = []
    for item in items:
        if is_occ(item.symbol):
            by_root.setdefault(parse_occ(item.symbol).root, []).append(item)
        else:
            shares.append(item)
    orders = [chunk for root in sorted(by_root) for chunk in _chunks(by_root[root])]
    return orders + [[item] for item in shares]


def flatten_all(
    pipeline: Pipeline,
    broker: Broker,
    store: GateStore,
    clock: Clock,
    ids: Callable[[], str],
    reason: str,
) -> FlattenResponse:
    """Close what is held and not already being closed; one decision per closing order."""
    inputs = BrokerInputs(broker, clock)
    try:
        positions = inputs.positions()
        working = inputs.working_orders(inputs.balances().pending_orders_count)
    except TradierError as exc:
        raise BrokerUnavailable(f"Tradier unavailable: {type(exc).__name__}") from exc
    decisions = []
    for items in structures(closable(account_view(positions, working))):
        proposal = structure_proposal(items, ids(), clock.now_ms())
        decisions.append(pipeline.decide(proposal, body_hash(encode(proposal)), flatten=True))
    state = TradingState(store.get_state().state)
    return FlattenResponse(state=state, decisions=decisions)
