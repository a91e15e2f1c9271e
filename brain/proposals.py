"""From a signal to a proposal: chain lookup, leg selection, targets, the contract object.

`Planner` turns a `Signal` into a `PlannedTrade`: it fetches only the expirations the
strategy asked for (`DteWindow`s), views the chain, and lets the strategy pick legs. The
functions below turn a planned trade, or an open position to close, into a
`gatekeeper.contract.Proposal`. Proposal ids come from an injected factory: random UUIDs
live, `(seed, sequence)`-derived UUIDs in replay so the same seed gives the same ids.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from brain.exits import ExitPolicy, Targets, equity_targets, option_targets, refusal
from brain.legs import HeldLeg, NetPrice, Side, mid_price, pick_expiration, to_contracts
from brain.market import Signal
from brain.monitor import OpenPosition
from brain.sizing import SizingPolicy, shares_for, size
from brain.strategies.base import (
    ChainView,
    EquityPlan,
    OptionPlan,
    OptionStrategy,
    PlannedTrade,
    TradePlan,
    param_decimal,
)
from gatekeeper.contract import (
    Duration,
    EquitySide,
    Intent,
    Leg,
    LegSide,
    OrderType,
    Proposal,
    Source,
    SourceKind,
    Strategy,
)
from tradier.money import NetKind, cash_value, signed_net, to_decimal, to_wire

IdFactory = Callable[[], str]

_OPEN_SIDE = {Side.BUY: LegSide.BUY_TO_OPEN, Side.SELL: LegSide.SELL_TO_OPEN}
_CLOSE_SIDE = {Side.BUY: LegSide.SELL_TO_CLOSE, Side.SELL: LegSide.BUY_TO_CLOSE}
_NET_ORDER_TYPE = {
    NetKind.CREDIT: OrderType.CREDIT,
    NetKind.DEBIT: OrderType.DEBIT,
    NetKind.EVEN: OrderType.EVEN,
}
_EQUITY_CLOSE = {EquitySide.BUY: EquitySide.SELL, EquitySide.SELL_SHORT: EquitySide.BUY_TO_COVER}
_OPENED_AS = {wire: side for side, wire in _OPEN_SIDE.items()}
_ORDER_NET = {order_type: kind for kind, order_type in _NET_ORDER_TYPE.items()}


def random_ids() -> IdFactory:
    """Random UUID4 proposal ids (live)."""
    return lambda: str(uuid.uuid4())


def seeded_ids(seed: int, namespace: str = "edgegate-replay") -> IdFactory:
    """Deterministic UUID-shaped ids from (namespace, seed, sequence), for replay."""
    counter = itertools.count()

    def next_id() -> str:
        digest = hashlib.sha256(f"{namespace}|{seed}|{next(counter)}".encode()).digest()
        return str(uuid.UUID(bytes=digest[:16], version=4))

    return next_id


class ChainSource(Protocol):
    """Where option chains come from (the Tradier client satisfies it)."""

    async def expirations(self, symbol: str) -> list[date]:
        """Listed expirations of `symbol`."""
        ...

    async def chain(self, symbol: str, expiration: date) -> list[Any]:
        """Option quotes (with greeks) of one expiration."""
        ...


@dataclass(frozen=True, slots=True)
class Skip:
    """A signal that produced no trade, and why."""

    reason: str


class Planner:
    """Signals to planned trades: chain fetching kept out of the feed's path."""

    def __init__(self, chains: ChainSource, exit_policy: ExitPolicy | None = None) -> None:
        self._chains = chains
        self._exit_policy = exit_policy or ExitPolicy()
        # Listed expirations do not change during a day: one request per symbol per day.
        self._expirations: dict[tuple[str, date], list[date]] = {}

    async def plan(
        self, signal: Signal, strategy: OptionStrategy, today: date
    ) -> PlannedTrade | Skip:
        """The trade `strategy` wants for `signal`, or why there is none."""
        if not type(strategy).needs_chain:
            empty = ChainView(signal.symbol, Decimal(0), today, (), ())
            return self._finish(strategy.plan(signal, empty))
        price = param_decimal(signal.params, "price")
        if price is None or price <= 0:
            return Skip("no_underlying_price")
        key = (signal.symbol, today)
        listed = self._expirations.get(key)
        if listed is None:
            listed = self._expirations[key] = list(await self._chains.expirations(signal.symbol))
        chosen = tuple(
            pick_expiration(listed, today, w.min_dte, w.max_dte, w.target_dte)
            for w in strategy.windows
        )
        if any(e is None for e in chosen):
            return Skip("no_expiration_in_window")
        rows: list[Any] = []
        for expiration in dict.fromkeys(e for e in chosen if e is not None):
            rows.extend(await self._chains.chain(signal.symbol, expiration))
        view = ChainView(signal.symbol, price, today, chosen, tuple(to_contracts(rows)))
        return self._finish(strategy.plan(signal, view))

    def _finish(self, plan: TradePlan | None) -> PlannedTrade | Skip:
        if plan is None:
            return Skip("no_structure_fits")
        if isinstance(plan, EquityPlan):
            targets = equity_targets(abs(plan.price - plan.stop), plan.reward_multiple)
            return PlannedTrade(plan, targets)
        # the mark at entry sits above the natural price by the bid/ask: the stop ignores it
        spread = cash_value(mid_price(plan.legs).signed - plan.net.signed, 1, plan.multiplier)
        policy = self._exit_policy
        targets = option_targets(
            plan.net.signed, plan.max_loss_each, policy, plan.max_profit_each, spread
        )
        why = refusal(targets, policy)
        if why is not None:
            return Skip(why)
        return PlannedTrade(plan, targets)


def planned_quantity(trade: PlannedTrade, equity: Decimal, policy: SizingPolicy) -> int:
    """How many structures (or shares) of a planned trade the sizing policy allows."""
    plan = trade.plan
    if isinstance(plan, EquityPlan):
        return shares_for(equity, plan.price, plan.stop, policy).quantity
    biggest_ratio = max(leg.ratio for leg in plan.legs)
    sized = size(equity, plan.max_loss_each, policy).quantity
    # The gate counts contracts as quantity x the largest ratio: stay within the cap.
    return min(sized, policy.cap // biggest_ratio)


def _price(net: NetPrice) -> str | None:
    return None if net.kind is NetKind.EVEN else to_wire(net.price)


def open_proposal(
    trade: PlannedTrade,
    quantity: int,
    *,
    proposal_id: str,
    created_at_ms: int,
    source_name: str,
    context: dict[str, Any] | None = None,
) -> Proposal:
    """The opening proposal of a planned trade for `quantity` structures or shares."""
    plan = trade.plan
    base_context = {
        "kind": plan.kind,
        "take_profit_each": to_wire(trade.targets.take_profit_each),
        "stop_loss_each": to_wire(trade.targets.stop_loss_each),
        "spread_each": to_wire(trade.targets.spread_each),
        "reward_risk": to_wire(trade.targets.reward_risk.quantize(Decimal("0.01"))),
        **(context or {}),
    }
    source = Source(kind=SourceKind.SIGNAL, name=source_name)
    if isinstance(plan, EquityPlan):
        return Proposal(
            id=proposal_id,
            created_at=created_at_ms,
            symbol=plan.symbol,
            strategy=Strategy.EQUITY,
            intent=Intent.OPEN,
            quantity=quantity,
            order_type=OrderType.LIMIT,
            price=to_wire(plan.price),
            side=plan.side,
            duration=Duration.DAY,
            source=source,
            context={**base_context, "stop": to_wire(plan.stop)},
        )
    return Proposal(
        id=proposal_id,
        created_at=created_at_ms,
        symbol=plan.symbol,
        strategy=plan.strategy,
        intent=Intent.OPEN,
        quantity=quantity,
        order_type=_NET_ORDER_TYPE[plan.net.kind],
        price=_price(plan.net),
        duration=Duration.DAY,
        legs=tuple(
            Leg(option_symbol=leg.contract.symbol, side=_OPEN_SIDE[leg.side], ratio=leg.ratio)
            for leg in plan.legs
        ),
        source=source,
        context={**base_context, "max_loss_each": to_wire(plan.max_loss_each)},
    )


def close_option_proposal(
    symbol: str,
    strategy: Strategy,
    legs: Iterable[HeldLeg],
    quantity: int,
    price: NetPrice,
    *,
    proposal_id: str,
    created_at_ms: int,
    source_name: str,
    context: dict[str, Any] | None = None,
) -> Proposal:
    """A closing proposal for an option structure, every leg reversed, at `price`."""
    legs = tuple(legs)
    if strategy is Strategy.SINGLE_OPTION:
        # A single option closes with a plain limit order at its own price.
        order_type = OrderType.LIMIT
        wire_price: str | None = to_wire(price.price) if price.price > 0 else None
        if wire_price is None:
            order_type = OrderType.MARKET
    else:
        order_type = _NET_ORDER_TYPE[price.kind]
        wire_price = _price(price)
    return Proposal(
        id=proposal_id,
        created_at=created_at_ms,
        symbol=symbol,
        strategy=strategy,
        intent=Intent.CLOSE,
        quantity=quantity,
        order_type=order_type,
        price=wire_price,
        duration=Duration.DAY,
        legs=tuple(
            Leg(option_symbol=leg.option_symbol, side=_CLOSE_SIDE[leg.side], ratio=leg.ratio)
            for leg in legs
        ),
        source=Source(kind=SourceKind.SIGNAL, name=source_name),
        context=context or {},
    )


def close_equity_proposal(
    symbol: str,
    opened_side: EquitySide,
    quantity: int,
    price: Decimal,
    *,
    proposal_id: str,
    created_at_ms: int,
    source_name: str,
    context: dict[str, Any] | None = None,
) -> Proposal:
    """A closing limit order for a share position opened with `opened_side`."""
    return Proposal(
        id=proposal_id,
        created_at=created_at_ms,
        symbol=symbol,
        strategy=Strategy.EQUITY,
        intent=Intent.CLOSE,
        quantity=quantity,
        order_type=OrderType.LIMIT,
        price=to_wire(price),
        side=_EQUITY_CLOSE[opened_side],
        duration=Duration.DAY,
        source=Source(kind=SourceKind.SIGNAL, name=source_name),
        context=context or {},
    )


def signal_key(signal: Signal) -> str:
    """What makes two signals 'the same' for the repeat limit."""
    return f"{signal.symbol}|{signal.strategy}|{signal.kind}"


def plan_summary(plan: TradePlan) -> str:
    """A one-line description of a plan for the replay printout.

    The order type and price are left out: the printed proposal line shows them already.
    """
    if isinstance(plan, OptionPlan):
        legs = " ".join(
            f"{'+' if leg.side is Side.BUY else '-'}{leg.ratio}{leg.contract.symbol}"
            for leg in plan.legs
        )
        return f"{plan.strategy.value} {legs}"
    return f"equity {plan.side.value} stop {to_wire(plan.stop)}"


def opened_position(proposal: Proposal, opened_at_ms: int) -> OpenPosition:
    """The managed position an approved opening proposal (from `open_proposal`) creates:
    legs, quantity and entry from the proposal, exit targets from its context."""
    price = proposal.price_decimal or Decimal(0)
    context = proposal.context
    targets = Targets(
        to_decimal(context["take_profit_each"]),
        to_decimal(context["stop_loss_each"]),
        to_decimal(context.get("spread_each", "0")),
    )
    if proposal.side is not None:  # shares
        entry = price if proposal.side is EquitySide.SELL_SHORT else -price
        legs: tuple[HeldLeg, ...] = ()
    else:
        entry = signed_net(price, _ORDER_NET[proposal.order_type])
        legs = tuple(
            HeldLeg(leg.option_symbol, _OPENED_AS[leg.side], leg.ratio)
            for leg in proposal.legs or ()
        )
    return OpenPosition(
        id=proposal.id,
        symbol=proposal.symbol,
        strategy=proposal.strategy,
        quantity=proposal.quantity,
        entry_signed=entry,
        targets=targets,
        opened_at_ms=opened_at_ms,
        legs=legs,
        equity_side=proposal.side,
        source=proposal.source.name,
    )
