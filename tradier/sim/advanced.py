"""OTO, OCO and OTOCO orders in the broker: held legs, triggers, one-cancels-other."""

from __future__ import annotations

from typing import Protocol

from tradier.sim.orders import Rejection, SimOrder
from tradier.sim.validation import OrderRequest
from tradier.sim.validation_advanced import AdvancedRequest


class LegBroker(Protocol):
    """What the advanced classes need from the broker. A protocol, so this module depends
    on nothing that depends on it (the broker imports it; it never imports the broker)."""

    account: str
    orders: list[SimOrder]

    def next_id(self) -> int:
        """A new order id."""
        ...

    def now_ms(self) -> int:
        """Simulated now."""
        ...

    def build(self, req: OrderRequest, now: int) -> SimOrder:
        """The order record of a validated request."""
        ...

    def check(self, req: OrderRequest) -> Rejection | None:
        """Downstream checks of one order."""
        ...

    def reject(self, order: SimOrder, rejection: Rejection) -> None:
        """Record a rejection."""
        ...

    def try_fill(self, order: SimOrder, now: int) -> None:
        """Fill what is marketable."""
        ...

    def finish(self, order: SimOrder, status: str, now: int) -> None:
        """Finalize an order."""
        ...

    def expiry(self, duration: str, ms: int) -> int | None:
        """When an order of `duration` placed at `ms` lapses."""
        ...


# Which legs wait for the first order to fill.
HELD_LEGS: dict[str, tuple[int, ...]] = {"oto": (1,), "oco": (), "otoco": (1, 2)}


def place_advanced(broker: LegBroker, adv: AdvancedRequest) -> tuple[SimOrder, Rejection | None]:
    """Record an OTO/OCO/OTOCO order: held legs wait for their trigger order to fill."""
    now = broker.now_ms()
    first = adv.children[0]
    parent = SimOrder(
        id=broker.next_id(),
        account=broker.account,
        klass=adv.klass,
        symbol=first.symbol,
        type=first.type,
        side=first.legs[0].side,
        quantity=first.legs[0].quantity,
        duration=first.duration,
        create_ms=now,
        price=first.price,
        stop=first.stop,
        tag=adv.tag,
    )
    parent.legs = [broker.build(child, now) for child in adv.children]
    held = HELD_LEGS[adv.klass]
    for i in held:
        parent.legs[i].held = True
        parent.legs[i].expires_ms = None
    broker.orders.append(parent)
    for i, child in enumerate(adv.children):
        rejection = None if i in held else broker.check(child)
        if rejection is not None:
            broker.reject(parent, rejection)
            return parent, rejection
    broker.try_fill(parent, now)
    return parent, None


def advance(broker: LegBroker, parent: SimOrder, now: int) -> None:
    """Work the legs: fill active ones, release held ones on the trigger fill, let one of
    a pair cancel the other, and settle the parent's status."""
    kids = parent.legs
    for kid in kids:
        if kid.working and not kid.held:
            if kid.expires_ms is not None and now >= kid.expires_ms:
                broker.finish(kid, "expired", now)
            else:
                broker.try_fill(kid, now)
    pair = kids if parent.klass == "oco" else kids[1:] if parent.klass == "otoco" else []
    if kids[0].status == "filled" and any(kid.held for kid in kids):
        for kid in kids:
            if kid.held:
                kid.held = False
                kid.expires_ms = broker.expiry(kid.duration, now)
        for kid in kids[1:]:
            if not any(k.status == "filled" for k in pair):
                broker.try_fill(kid, now)
    if any(k.status == "filled" for k in pair):
        for kid in pair:  # one cancels the other
            if kid.working:
                broker.finish(kid, "canceled", now)
    filled = [k.status == "filled" for k in kids]
    done = {"oto": all(filled), "oco": any(filled), "otoco": filled[0] and any(filled[1:])}
    if done[parent.klass]:
        parent.status, parent.transaction_ms = "filled", now
    elif not any(kid.working for kid in kids):
        parent.status, parent.transaction_ms = "expired", now
    elif any(kid.status in ("open", "partially_filled") for kid in kids):
        parent.status = "open"
    else:
        parent.status = "pending"
