"""The order record the sandbox broker keeps, and its Tradier JSON rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tradier.sim.validation import LegRequest

WORKING = ("open", "pending", "partially_filled")


@dataclass(frozen=True, slots=True)
class Rejection:
    """A downstream rejection: HTTP 200 with errors, the order recorded as rejected."""

    message: str


FINAL = ("filled", "canceled", "expired", "rejected", "error")


def iso_ms(ms: int) -> str:
    """UTC ISO-8601 with milliseconds and `Z`, as Tradier writes order dates."""
    dt = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def _num(value: Decimal | int | None) -> float:
    return float(value) if value is not None else 0.0


@dataclass(slots=True)
class SimOrder:
    """An order (or a leg of one) with its fill state."""

    id: int
    account: str
    klass: str
    symbol: str
    type: str
    side: str
    quantity: int
    duration: str
    create_ms: int
    price: Decimal | None = None
    stop: Decimal | None = None
    option_symbol: str | None = None
    tag: str | None = None
    status: str = "pending"
    exec_quantity: int = 0
    avg_fill_price: Decimal = Decimal(0)
    last_fill_price: Decimal = Decimal(0)
    last_fill_quantity: int = 0
    transaction_ms: int = 0
    reason_description: str | None = None
    triggered: bool = False
    held: bool = False  # a leg of an OTO/OTOCO waiting for its trigger order to fill
    expires_ms: int | None = None
    legs: list[SimOrder] = field(default_factory=list)
    leg_requests: tuple[LegRequest, ...] = ()

    @property
    def remaining(self) -> int:
        """Quantity not yet filled."""
        return self.quantity - self.exec_quantity

    @property
    def working(self) -> bool:
        """Still able to fill or be cancelled."""
        return self.status in WORKING

    def strategy(self) -> str:
        """Tradier's strategy label for the order."""
        if self.klass in ("equity", "option", "oto", "oco", "otoco"):
            return self.klass
        if self.klass == "combo":
            return "covered_call" if len(self.legs) == 2 else "combo"
        return {2: "spread", 3: "butterfly", 4: "condor"}.get(len(self.legs), "custom")

    def to_json(self, include_tag: bool, hide_fill: bool = False) -> dict[str, Any]:
        """The order as GET /orders returns it (numbers as JSON numbers, dates ISO with Z);
        `hide_fill` reports fill prices as 0, as Tradier does just after a fill."""
        body: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "symbol": self.symbol,
            "side": self.side,
            "quantity": _num(self.quantity),
            "status": self.status,
            "duration": self.duration,
        }
        if self.price is not None:
            body["price"] = _num(self.price)
        if self.stop is not None:
            body["stop_price"] = _num(self.stop)
        body.update(
            {
                "avg_fill_price": 0.0 if hide_fill else _num(self.avg_fill_price),
                "exec_quantity": _num(self.exec_quantity),
                "last_fill_price": 0.0 if hide_fill else _num(self.last_fill_price),
                "last_fill_quantity": _num(self.last_fill_quantity),
                "remaining_quantity": _num(self.remaining),
                "create_date": iso_ms(self.create_ms),
                "transaction_date": iso_ms(self.transaction_ms or self.create_ms),
                "class": self.klass,
            }
        )
        if self.option_symbol:
            body["option_symbol"] = self.option_symbol
        if self.reason_description:
            body["reason_description"] = self.reason_description
        if include_tag and self.tag:
            body["tag"] = self.tag
        if self.legs:
            body["num_legs"] = len(self.legs)
            body["strategy"] = self.strategy()
            body["leg"] = [leg.to_json(include_tag, hide_fill) for leg in self.legs]
        return body
