"""The gate's wire types: the proposal, its decision and every route's request and response.

Import them from `gatekeeper.contract`, which re-exports every name here and adds decoding
and the cross-field rules. Structs are frozen and reject unknown fields; field constraints
live in the types (`Annotated[..., Meta(...)]`) so they also reach the OpenAPI schemas.

Price rule: `price` is a decimal string per unit (per share, per contract, or the net per
structure). It is required and must be > 0 for `limit`, `credit` and `debit`; it must be
absent for `market` and `even` (a price there would be ignored by the broker, so sending one
is a mistake we refuse rather than hide).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Final

import msgspec
from msgspec import Meta

from tradier.money import to_decimal
from tradier.occ import SYMBOL_PATTERN, OccSymbol, parse_occ

MAX_BODY_BYTES: Final = 64 * 1024
MAX_CONTEXT_BYTES: Final = 16 * 1024
MAX_LEGS: Final = 4

_UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# Up to 8 integer digits and 4 decimals (Tradier quotes sub-dollar equities to 1/100 cent).
_PRICE_PATTERN = "^(0|[1-9][0-9]{0,7})(\\.[0-9]{1,4})?$"
_NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,63}$"

ProposalId = Annotated[str, Meta(pattern=_UUID_PATTERN, description="UUID, lower case")]
EpochMs = Annotated[int, Meta(ge=0, le=4_102_444_800_000, description="UTC epoch ms")]
Symbol = Annotated[
    str, Meta(pattern=SYMBOL_PATTERN, description="upper-case ticker, or a share class: BRK/B")
]
Price = Annotated[
    str,
    Meta(
        pattern=_PRICE_PATTERN,
        description="decimal string per unit; in a proposal: required and > 0 for limit,"
        " credit and debit, absent for market and even",
    ),
]
Name = Annotated[str, Meta(pattern=_NAME_PATTERN)]
Text = Annotated[str, Meta(min_length=1, max_length=500)]
SmallObject = Annotated[dict[str, Any], Meta(max_length=32)]


class Strategy(StrEnum):
    """What a proposal trades."""

    EQUITY = "equity"
    SINGLE_OPTION = "single_option"
    VERTICAL = "vertical"
    IRON_CONDOR = "iron_condor"
    IRON_BUTTERFLY = "iron_butterfly"
    RATIO_SPREAD = "ratio_spread"
    CALENDAR_SPREAD = "calendar_spread"


OPTION_STRATEGIES: Final = frozenset(Strategy) - {Strategy.EQUITY}
MULTILEG_STRATEGIES: Final = OPTION_STRATEGIES - {Strategy.SINGLE_OPTION}


class Intent(StrEnum):
    """Whether a proposal opens new exposure or closes held exposure."""

    OPEN = "open"
    CLOSE = "close"


class OrderType(StrEnum):
    """Order type; credit, debit and even are multi-leg net prices."""

    MARKET = "market"
    LIMIT = "limit"
    CREDIT = "credit"
    DEBIT = "debit"
    EVEN = "even"


PRICED_ORDER_TYPES: Final = frozenset({OrderType.LIMIT, OrderType.CREDIT, OrderType.DEBIT})


class Duration(StrEnum):
    """How long an order works."""

    DAY = "day"
    GTC = "gtc"


class EquitySide(StrEnum):
    """Side of an equity order."""

    BUY = "buy"
    SELL = "sell"
    SELL_SHORT = "sell_short"
    BUY_TO_COVER = "buy_to_cover"


class LegSide(StrEnum):
    """Side of an option leg."""

    BUY_TO_OPEN = "buy_to_open"
    SELL_TO_OPEN = "sell_to_open"
    BUY_TO_CLOSE = "buy_to_close"
    SELL_TO_CLOSE = "sell_to_close"


class SourceKind(StrEnum):
    """Where a proposal came from."""

    SIGNAL = "signal"
    CHAT = "chat"
    MANUAL = "manual"


class DecisionKind(StrEnum):
    """The gate's verdict."""

    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class TradingState(StrEnum):
    """ACTIVE: all allowed; REDUCING: only closes; HALTED: nothing but an admin flatten."""

    ACTIVE = "ACTIVE"
    REDUCING = "REDUCING"
    HALTED = "HALTED"


class StateChanger(StrEnum):
    """What changed the trading state: an admin, the daily-loss limit or the watchdog."""

    ADMIN = "admin"
    DAILY_LOSS = "daily_loss"
    WATCHDOG = "watchdog"


class OrderState(StrEnum):
    """Where a proposal's order stands; transitions are in `gatekeeper.states`."""

    NONE = "NONE"
    SUBMITTING = "SUBMITTING"
    SUBMITTED = "SUBMITTED"
    SUBMIT_UNKNOWN = "SUBMIT_UNKNOWN"
    OPEN = "OPEN"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"
    CANCELED = "CANCELED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    NOT_PLACED = "NOT_PLACED"


class ReasonCode(StrEnum):
    """Every reason the gate can give for `decision: REJECTED`."""

    STALE_PROPOSAL = "STALE_PROPOSAL"
    FUTURE_PROPOSAL = "FUTURE_PROPOSAL"
    STATE_HALTED = "STATE_HALTED"
    STATE_REDUCING = "STATE_REDUCING"
    NO_MATCHING_POSITION = "NO_MATCHING_POSITION"
    CLOSE_CROSSES_ZERO = "CLOSE_CROSSES_ZERO"
    CLOSE_LEAVES_REFUSED_STRUCTURE = "CLOSE_LEAVES_REFUSED_STRUCTURE"
    CLOSE_IN_PROGRESS = "CLOSE_IN_PROGRESS"
    SYMBOL_NOT_ALLOWED = "SYMBOL_NOT_ALLOWED"
    NOT_TRADABLE = "NOT_TRADABLE"
    STRATEGY_NOT_ALLOWED = "STRATEGY_NOT_ALLOWED"
    QUANTITY_LIMIT = "QUANTITY_LIMIT"
    NOTIONAL_LIMIT = "NOTIONAL_LIMIT"
    QUOTE_UNAVAILABLE = "QUOTE_UNAVAILABLE"
    ORDER_TYPE_MISMATCH = "ORDER_TYPE_MISMATCH"
    PRICE_OUT_OF_RANGE = "PRICE_OUT_OF_RANGE"
    NAKED_SHORT = "NAKED_SHORT"
    DTE_OUT_OF_RANGE = "DTE_OUT_OF_RANGE"
    MARKET_CLOSED = "MARKET_CLOSED"
    DAILY_LOSS_LIMIT = "DAILY_LOSS_LIMIT"
    OPEN_STRUCTURES_LIMIT = "OPEN_STRUCTURES_LIMIT"
    SYMBOL_CONCENTRATION = "SYMBOL_CONCENTRATION"
    CORRELATION_GROUP_LIMIT = "CORRELATION_GROUP_LIMIT"
    SYMBOL_RATE_LIMITED = "SYMBOL_RATE_LIMITED"
    GLOBAL_RATE_LIMITED = "GLOBAL_RATE_LIMITED"
    BROKER_REJECTED = "BROKER_REJECTED"


class ErrorCode(StrEnum):
    """`error.code` of a non-200 response."""

    INVALID_REQUEST = "INVALID_REQUEST"
    UNAUTHORIZED = "UNAUTHORIZED"
    # 401: a correctly signed request whose nonce was accepted before (a replay).
    NONCE_REUSED = "NONCE_REUSED"
    NOT_FOUND = "NOT_FOUND"
    PROPOSAL_IN_PROGRESS = "PROPOSAL_IN_PROGRESS"
    PROPOSAL_ID_REUSED = "PROPOSAL_ID_REUSED"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"
    BROKER_UNAVAILABLE = "BROKER_UNAVAILABLE"
    INTERNAL = "INTERNAL"


class Leg(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One option leg; the order quantity of a leg is `proposal.quantity * ratio`."""

    option_symbol: Annotated[str, Meta(min_length=1, max_length=32, description="OCC symbol")]
    side: LegSide
    ratio: Annotated[int, Meta(ge=1, le=100)] = 1

    @property
    def occ(self) -> OccSymbol:
        """The parsed OCC symbol (valid after `decode_proposal`)."""
        return parse_occ(self.option_symbol)

    @property
    def is_long(self) -> bool:
        """True when the leg is (or closes) a long position."""
        return self.side in (LegSide.BUY_TO_OPEN, LegSide.SELL_TO_CLOSE)


class Source(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Who asked for the trade."""

    kind: SourceKind
    name: Name
    recommendation_id: Name | None = None


class Proposal(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """A trade the brain asks the gate to make; `id` is the idempotency key."""

    id: ProposalId
    created_at: EpochMs
    symbol: Symbol
    strategy: Strategy
    intent: Intent
    quantity: Annotated[int, Meta(ge=1, le=1_000_000, description="shares or structures")]
    order_type: OrderType
    duration: Duration
    source: Source
    price: Price | None = None
    side: EquitySide | None = None
    legs: Annotated[tuple[Leg, ...], Meta(min_length=1, max_length=MAX_LEGS)] | None = None
    context: SmallObject = msgspec.field(default_factory=dict)

    @property
    def price_decimal(self) -> Decimal | None:
        """The price as a Decimal per unit, None for market and even orders."""
        return None if self.price is None else to_decimal(self.price)

    @property
    def is_option(self) -> bool:
        """True for every strategy but equity."""
        return self.strategy is not Strategy.EQUITY


class Decision(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The gate's answer to a proposal (200 for every well-formed proposal)."""

    proposal_id: ProposalId
    decision: DecisionKind
    reason_code: ReasonCode | None = None
    reason: str | None = None
    order_id: int | None = None
    order_state: OrderState = OrderState.NONE
    replayed: bool = False


class Fill(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """An execution of (part of) a proposal's order."""

    quantity: int
    price: Price
    at: EpochMs
    option_symbol: str | None = None


class ProposalRecordResponse(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`GET /v1/proposals/{id}`: the stored proposal, its decision, order state and fills."""

    decision: Decision
    proposal: Proposal
    received_at: EpochMs
    updated_at: EpochMs
    fills: list[Fill] = msgspec.field(default_factory=list)


class AdminStateRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`POST /v1/admin/state`."""

    state: TradingState
    reason: Text


class AdminStateResponse(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The trading state after an admin change."""

    state: TradingState
    previous: TradingState
    reason: str
    changed_at: EpochMs


class FlattenRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`POST /v1/admin/flatten`: close every open position."""

    reason: Text


class FlattenResponse(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One decision per closing proposal the flatten created."""

    state: TradingState
    decisions: list[Decision] = msgspec.field(default_factory=list)


class HeartbeatRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`POST /v1/heartbeat`: the brain is alive; `summary` is a small, free-form snapshot."""

    brain_id: Name
    sent_at: EpochMs
    summary: SmallObject = msgspec.field(default_factory=dict)


class HeartbeatResponse(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The gate's trading state, so the brain learns of REDUCING/HALTED at once."""

    state: TradingState
    received_at: EpochMs


class StatusResponse(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`GET /v1/status`: trading state, limits in use, day P&L, heartbeat, recent decisions.

    `state_changed_at` and `state_changed_by` are absent while the state was never set."""

    state: TradingState
    state_reason: str | None
    as_of: EpochMs
    open_structures: int
    max_open_structures: int
    open_structures_by_symbol: dict[str, int] = msgspec.field(default_factory=dict)
    day_pnl: str | None = None
    start_of_day_equity: str | None = None
    last_heartbeat_at: EpochMs | None = None
    recent_decisions: list[Decision] = msgspec.field(default_factory=list)
    state_changed_at: EpochMs | None = None
    state_changed_by: StateChanger | None = None


class ErrorDetail(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What went wrong and, for bad input, which field."""

    code: ErrorCode
    message: str
    field: str | None = None


class ErrorBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Every non-200 response: `{"error": {"code", "message", "field"}}`."""

    error: ErrorDetail
