"""Admin flatten: close every open position through the pipeline, in any trading state.

Each position becomes a market closing proposal (an option leg or the shares) decided with
`flatten=True`: the trading state does not block it, and it is still recorded, sent once
with its id as tag, and audited like any other proposal.
"""

from __future__ import annotations

from collections.abc import Callable

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
from gatekeeper.execution import Broker
from gatekeeper.pipeline import Pipeline, body_hash
from gatekeeper.store import GateStore
from tradier import models
from tradier.clock import Clock
from tradier.errors import TradierError
from tradier.occ import OccSymbolError, parse_occ


def closing_proposal(position: models.Position, proposal_id: str, now_ms: int) -> Proposal:
    """A market proposal that closes `position` entirely."""
    quantity = abs(position.quantity)
    source = Source(kind=SourceKind.MANUAL, name="admin-flatten")
    side: EquitySide | None
    legs: tuple[Leg, ...] | None
    try:
        occ = parse_occ(position.symbol)
    except (OccSymbolError, ValueError):
        side = EquitySide.SELL if position.quantity > 0 else EquitySide.BUY_TO_COVER
        symbol, strategy, legs = position.symbol, Strategy.EQUITY, None
    else:
        leg_side = LegSide.SELL_TO_CLOSE if position.quantity > 0 else LegSide.BUY_TO_CLOSE
        symbol, strategy, side = occ.root, Strategy.SINGLE_OPTION, None
        legs = (Leg(option_symbol=position.symbol, side=leg_side),)
    return Proposal(
        id=proposal_id,
        created_at=now_ms,
        symbol=symbol,
        strategy=strategy,
        intent=Intent.CLOSE,
        quantity=quantity,
        order_type=OrderType.MARKET,
        duration=Duration.DAY,
        source=source,
        side=side,
        legs=legs,
    )


def flatten_all(
    pipeline: Pipeline,
    broker: Broker,
    store: GateStore,
    clock: Clock,
    ids: Callable[[], str],
    reason: str,
) -> FlattenResponse:
    """Close every open position; one decision per position."""
    decisions = []
    try:
        positions = broker.positions()
    except TradierError as exc:
        raise BrokerUnavailable(f"Tradier unavailable: {type(exc).__name__}") from exc
    for position in positions:
        if position.quantity == 0:
            continue
        proposal = closing_proposal(position, ids(), clock.now_ms())
        decisions.append(pipeline.decide(proposal, body_hash(encode(proposal)), flatten=True))
    state = TradingState(store.get_state().state)
    return FlattenResponse(state=state, decisions=decisions)
