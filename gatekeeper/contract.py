"""The signed proposal contract between the brain and the gate: decode, validate, encode.

One definition used by both halves. The wire types live in `gatekeeper.messages` and are
re-exported here, so callers import everything from `gatekeeper.contract`. Field constraints
are checked by msgspec while decoding; the rules that span fields (legs that fit the
strategy, sides that fit the intent, prices that fit the order type) run right after
(`check_proposal`). Every failure is a `ContractError` whose `field` is the JSON path the
400 response names (`legs[1].option_symbol`), or None when the body as a whole is wrong.
"""

from __future__ import annotations

import re
from typing import Any, Final, TypeVar

import msgspec

from gatekeeper.errors import ContractError
from gatekeeper.messages import (
    MAX_BODY_BYTES,
    MAX_CONTEXT_BYTES,
    MAX_LEGS,
    MULTILEG_STRATEGIES,
    OPTION_STRATEGIES,
    PRICED_ORDER_TYPES,
    AdminStateRequest,
    AdminStateResponse,
    Decision,
    DecisionKind,
    Duration,
    EquitySide,
    ErrorBody,
    ErrorCode,
    ErrorDetail,
    Fill,
    FlattenRequest,
    FlattenResponse,
    HeartbeatRequest,
    HeartbeatResponse,
    Intent,
    Leg,
    LegSide,
    OrderState,
    OrderType,
    Proposal,
    ProposalRecordResponse,
    ReasonCode,
    Source,
    SourceKind,
    StateChanger,
    StatusResponse,
    Strategy,
    TradingState,
)
from tradier.money import to_decimal
from tradier.occ import OccSymbol, parse_occ, underlying_of

__all__ = [
    "LEG_COUNT",
    "MAX_BODY_BYTES",
    "MAX_CONTEXT_BYTES",
    "MAX_LEGS",
    "MULTILEG_STRATEGIES",
    "OPTION_STRATEGIES",
    "PRICED_ORDER_TYPES",
    "AdminStateRequest",
    "AdminStateResponse",
    "ContractError",
    "Decision",
    "DecisionKind",
    "Duration",
    "EquitySide",
    "ErrorBody",
    "ErrorCode",
    "ErrorDetail",
    "Fill",
    "FlattenRequest",
    "FlattenResponse",
    "HeartbeatRequest",
    "HeartbeatResponse",
    "Intent",
    "Leg",
    "LegSide",
    "OrderState",
    "OrderType",
    "Proposal",
    "ProposalRecordResponse",
    "ReasonCode",
    "Source",
    "SourceKind",
    "StateChanger",
    "StatusResponse",
    "Strategy",
    "TradingState",
    "check_proposal",
    "contract_error_from",
    "decode",
    "decode_proposal",
    "encode",
    "validate_proposal",
]

_ENCODER = msgspec.json.Encoder(decimal_format="string")
_PROPOSAL_DECODER = msgspec.json.Decoder(Proposal)
_DECODERS: dict[type, msgspec.json.Decoder[Any]] = {Proposal: _PROPOSAL_DECODER}
T = TypeVar("T")


def encode(obj: object) -> bytes:
    """JSON bytes of any contract object (one Encoder for the whole gate)."""
    return _ENCODER.encode(obj)


_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<name>[^`]*)`")
_MISSING = re.compile(r"^Object missing required field `(?P<name>[^`]*)`")


def _join(path: str | None, name: str) -> str:
    return f"{path}.{name}" if path else name


def contract_error_from(exc: msgspec.ValidationError | msgspec.DecodeError) -> ContractError:
    """Translate a msgspec error into a ContractError with a JSON path (`legs[1].side`)."""
    text = str(exc)
    if not isinstance(exc, msgspec.ValidationError):
        return ContractError(None, "json", f"malformed JSON: {text}")
    match = _AT.search(text)
    message = text[: match.start()] if match else text
    path: str | None = None
    if match:
        path = match["path"].removeprefix(".") or None
    if unknown := _UNKNOWN.match(message):
        return ContractError(_join(path, unknown["name"]), "unknown_field", "unknown field")
    if missing := _MISSING.match(message):
        return ContractError(_join(path, missing["name"]), "required", "field is required")
    if message.startswith("Invalid enum value"):
        return ContractError(path, "enum", message)
    if "matching regex" in message:
        return ContractError(path, "pattern", message)
    if "length" in message:
        return ContractError(path, "length", message)
    if re.search(r"`(int|float)` [<>]=?", message):
        return ContractError(path, "range", message)
    return ContractError(path, "type", message)


def decode(raw: bytes, type_: type[T]) -> T:
    """Decode a request body into a contract Struct; raises ContractError naming the field."""
    decoder = _DECODERS.get(type_)
    if decoder is None:
        decoder = _DECODERS[type_] = msgspec.json.Decoder(type_)
    try:
        result: T = decoder.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise contract_error_from(exc) from exc
    except UnicodeDecodeError as exc:
        # msgspec raises this (not DecodeError) for invalid UTF-8 inside an object key.
        raise ContractError(None, "json", f"malformed JSON: {exc.reason}") from exc
    except RecursionError as exc:
        raise ContractError(None, "depth", "JSON nested too deeply") from exc
    return result


def decode_proposal(raw: bytes) -> Proposal:
    """Decode and fully validate a proposal; raises ContractError naming the field and rule."""
    if len(raw) > MAX_BODY_BYTES:
        raise ContractError(None, "max_size", f"body over {MAX_BODY_BYTES} bytes")
    proposal = decode(raw, Proposal)
    check_proposal(proposal)
    if proposal.context and len(encode(proposal.context)) > MAX_CONTEXT_BYTES:
        raise ContractError("context", "max_size", f"over {MAX_CONTEXT_BYTES} bytes encoded")
    return proposal


def validate_proposal(proposal: Proposal) -> bytes:
    """The wire bytes of a Proposal built in Python, after every rule the gate applies;
    raises ContractError. (msgspec checks constraints only when decoding, so a sender
    validates by round-tripping.)"""
    raw = encode(proposal)
    decode_proposal(raw)
    return raw


# --- rules that span fields, run after decoding ---------------------------------------------

_EQUITY_SIDES_BY_INTENT: Final = {
    Intent.OPEN: frozenset({EquitySide.BUY, EquitySide.SELL_SHORT}),
    Intent.CLOSE: frozenset({EquitySide.SELL, EquitySide.BUY_TO_COVER}),
}
_LEG_SIDES_BY_INTENT: Final = {
    Intent.OPEN: frozenset({LegSide.BUY_TO_OPEN, LegSide.SELL_TO_OPEN}),
    Intent.CLOSE: frozenset({LegSide.BUY_TO_CLOSE, LegSide.SELL_TO_CLOSE}),
}
_SIMPLE_ORDER_TYPES: Final = frozenset({OrderType.MARKET, OrderType.LIMIT})
_MULTILEG_ORDER_TYPES: Final = frozenset(
    {OrderType.MARKET, OrderType.CREDIT, OrderType.DEBIT, OrderType.EVEN}
)
LEG_COUNT: Final = {
    Strategy.SINGLE_OPTION: 1,
    Strategy.VERTICAL: 2,
    Strategy.IRON_CONDOR: 4,
    Strategy.IRON_BUTTERFLY: 4,
    Strategy.RATIO_SPREAD: 2,
    Strategy.CALENDAR_SPREAD: 2,
}


def check_proposal(proposal: Proposal) -> None:
    """The cross-field rules of the contract; raises ContractError naming the field."""
    _check_price(proposal)
    if proposal.strategy is Strategy.EQUITY:
        _check_equity(proposal)
    else:
        _check_options(proposal)


def _check_price(p: Proposal) -> None:
    if p.order_type in PRICED_ORDER_TYPES:
        if p.price is None:
            raise ContractError("price", "required", f"required for {p.order_type} orders")
        if to_decimal(p.price) <= 0:
            raise ContractError("price", "positive", "must be > 0")
    elif p.price is not None:
        raise ContractError("price", "forbidden", f"must be absent for {p.order_type} orders")


def _check_equity(p: Proposal) -> None:
    if p.legs is not None:
        raise ContractError("legs", "forbidden", "equity proposals have no legs")
    if p.side is None:
        raise ContractError("side", "required", "required for equity proposals")
    if p.order_type not in _SIMPLE_ORDER_TYPES:
        raise ContractError("order_type", "strategy", "equity orders are market or limit")
    if p.side not in _EQUITY_SIDES_BY_INTENT[p.intent]:
        allowed = " or ".join(sorted(_EQUITY_SIDES_BY_INTENT[p.intent]))
        raise ContractError("side", "intent", f"a {p.intent} equity order is {allowed}")
    if p.side is EquitySide.SELL_SHORT and p.duration is Duration.GTC:
        raise ContractError("duration", "gtc_short", "gtc is not allowed with sell_short")


def _check_options(p: Proposal) -> None:
    if p.side is not None:
        raise ContractError("side", "forbidden", "option proposals put sides on legs")
    if p.legs is None:
        raise ContractError("legs", "required", f"required for {p.strategy}")
    allowed_types = (
        _SIMPLE_ORDER_TYPES if p.strategy is Strategy.SINGLE_OPTION else _MULTILEG_ORDER_TYPES
    )
    if p.order_type not in allowed_types:
        names = ", ".join(sorted(allowed_types))
        raise ContractError("order_type", "strategy", f"{p.strategy} orders are {names}")
    want = LEG_COUNT[p.strategy]
    if len(p.legs) != want:
        raise ContractError("legs", "leg_count", f"{p.strategy} needs {want} legs")
    parsed: list[OccSymbol] = []
    for i, leg in enumerate(p.legs):
        parsed.append(_check_leg(p, i, leg, p.legs[:i]))
    _SHAPES[p.strategy](p.legs, parsed)


def _check_leg(p: Proposal, i: int, leg: Leg, before: tuple[Leg, ...]) -> OccSymbol:
    try:
        occ = parse_occ(leg.option_symbol)
    except ValueError as exc:
        raise ContractError(f"legs[{i}].option_symbol", "occ", str(exc)) from exc
    # A root names its underlying, not always by its own name: SPXW is on SPX, BRKB on BRK/B.
    if underlying_of(occ.root) != p.symbol:
        raise ContractError(
            f"legs[{i}].option_symbol",
            "root",
            f"root {occ.root} is on {underlying_of(occ.root)}, not on symbol {p.symbol}",
        )
    if any(other.option_symbol == leg.option_symbol for other in before):
        raise ContractError(f"legs[{i}].option_symbol", "duplicate", "same option twice")
    if leg.side not in _LEG_SIDES_BY_INTENT[p.intent]:
        raise ContractError(f"legs[{i}].side", "intent", f"an {p.intent} leg is *_to_{p.intent}")
    if p.strategy is not Strategy.RATIO_SPREAD and leg.ratio != 1:
        raise ContractError(f"legs[{i}].ratio", "ratio", f"must be 1 for {p.strategy}")
    return occ


def _same(field: str, what: str, values: list[Any]) -> None:
    if len(set(values)) != 1:
        raise ContractError("legs", field, f"legs must have the same {what}")


def _one_long_one_short(legs: tuple[Leg, ...] | list[Leg], where: str = "legs") -> None:
    if sorted(leg.is_long for leg in legs) != [False, True]:
        raise ContractError("legs", "long_short", f"{where}: one long and one short leg")


def _shape_single(legs: tuple[Leg, ...], occ: list[OccSymbol]) -> None:
    """One leg: nothing spans legs."""


def _shape_vertical(legs: tuple[Leg, ...], occ: list[OccSymbol]) -> None:
    _same("expiry", "expiration", [o.expiration for o in occ])
    _same("option_type", "option type", [o.option_type for o in occ])
    if occ[0].strike == occ[1].strike:
        raise ContractError("legs", "strikes", "vertical legs need different strikes")
    _one_long_one_short(legs)


def _wings(legs: tuple[Leg, ...], occ: list[OccSymbol]) -> tuple[list[int], list[int]]:
    _same("expiry", "expiration", [o.expiration for o in occ])
    puts = [i for i, o in enumerate(occ) if o.option_type == "put"]
    calls = [i for i, o in enumerate(occ) if o.option_type == "call"]
    if len(puts) != 2 or len(calls) != 2:
        raise ContractError("legs", "option_type", "needs two puts and two calls")
    _one_long_one_short([legs[i] for i in puts], "puts")
    _one_long_one_short([legs[i] for i in calls], "calls")
    return puts, calls


def _shape_iron_condor(legs: tuple[Leg, ...], occ: list[OccSymbol]) -> None:
    puts, calls = _wings(legs, occ)
    if max(occ[i].strike for i in puts) >= min(occ[i].strike for i in calls):
        raise ContractError("legs", "strikes", "put strikes must be below call strikes")


def _shape_iron_butterfly(legs: tuple[Leg, ...], occ: list[OccSymbol]) -> None:
    puts, calls = _wings(legs, occ)
    short_put = next(occ[i].strike for i in puts if not legs[i].is_long)
    long_put = next(occ[i].strike for i in puts if legs[i].is_long)
    short_call = next(occ[i].strike for i in calls if not legs[i].is_long)
    long_call = next(occ[i].strike for i in calls if legs[i].is_long)
    if short_put != short_call:
        raise ContractError("legs", "strikes", "short put and short call share one strike")
    if not long_put < short_put < long_call:
        raise ContractError("legs", "strikes", "long put below and long call above the body")


def _shape_ratio(legs: tuple[Leg, ...], occ: list[OccSymbol]) -> None:
    _same("expiry", "expiration", [o.expiration for o in occ])
    _same("option_type", "option type", [o.option_type for o in occ])
    if occ[0].strike == occ[1].strike:
        raise ContractError("legs", "strikes", "ratio spread legs need different strikes")
    _one_long_one_short(legs)
    if legs[0].ratio == legs[1].ratio:
        raise ContractError("legs", "ratio", "ratio spread legs need unequal ratios")


def _shape_calendar(legs: tuple[Leg, ...], occ: list[OccSymbol]) -> None:
    if occ[0].expiration == occ[1].expiration:
        raise ContractError("legs", "expiry", "calendar legs need two expirations")
    _same("strike", "strike", [o.strike for o in occ])
    _same("option_type", "option type", [o.option_type for o in occ])
    _one_long_one_short(legs)


_SHAPES: Final = {
    Strategy.SINGLE_OPTION: _shape_single,
    Strategy.VERTICAL: _shape_vertical,
    Strategy.IRON_CONDOR: _shape_iron_condor,
    Strategy.IRON_BUTTERFLY: _shape_iron_butterfly,
    Strategy.RATIO_SPREAD: _shape_ratio,
    Strategy.CALENDAR_SPREAD: _shape_calendar,
}
