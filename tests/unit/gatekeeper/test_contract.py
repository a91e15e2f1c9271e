"""The proposal contract: every rule names the failing field and the rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import pytest

from gatekeeper.contract import (
    MAX_BODY_BYTES,
    ContractError,
    Decision,
    DecisionKind,
    ErrorBody,
    ErrorCode,
    ErrorDetail,
    HeartbeatRequest,
    OrderState,
    Proposal,
    ReasonCode,
    decode,
    decode_proposal,
    encode,
    validate_proposal,
)
from tests.unit.gatekeeper.builders import (
    ALL_VALID,
    CALENDAR_SPREAD,
    EQUITY,
    IRON_BUTTERFLY,
    IRON_CONDOR,
    RATIO_SPREAD,
    SINGLE_OPTION,
    VERTICAL,
    body,
    closing,
    leg,
    proposal,
)


def rejects(raw: bytes) -> ContractError:
    with pytest.raises(ContractError) as info:
        decode_proposal(raw)
    return info.value


@pytest.mark.parametrize("name", sorted(ALL_VALID))
def test_decode_when_each_strategy_is_valid_then_round_trips(name: str) -> None:
    decoded = decode_proposal(body(ALL_VALID[name]))
    assert decoded.strategy == name
    assert decode_proposal(encode(decoded)) == decoded


@pytest.mark.parametrize("name", sorted(ALL_VALID))
def test_decode_when_each_strategy_is_closed_then_valid(name: str) -> None:
    decoded = closing(ALL_VALID[name])
    assert decoded.intent == "close"


def test_price_decimal_when_price_given_then_decimal() -> None:
    assert proposal(VERTICAL).price_decimal == Decimal("1.25")
    assert proposal(EQUITY, order_type="market", price=...).price_decimal is None


def test_decode_when_equity_then_legs_absent_and_is_option_false() -> None:
    decoded = proposal(EQUITY)
    assert decoded.legs is None
    assert not decoded.is_option


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"id": "0B6F8C1E-2A3B-4C5D-8E9F-0A1B2C3D4E5F"}, "id", "pattern"),
        ({"id": "not-a-uuid"}, "id", "pattern"),
        ({"id": ...}, "id", "required"),
        ({"created_at": -1}, "created_at", "range"),
        ({"created_at": "1765000000000"}, "created_at", "type"),
        ({"created_at": 1.5}, "created_at", "type"),
        ({"symbol": "spy"}, "symbol", "pattern"),
        ({"strategy": "straddle"}, "strategy", "enum"),
        ({"intent": "hold"}, "intent", "enum"),
        ({"quantity": 0}, "quantity", "range"),
        ({"quantity": True}, "quantity", "type"),
        ({"order_type": "stop"}, "order_type", "enum"),
        ({"price": "1,5"}, "price", "pattern"),
        ({"price": "-1"}, "price", "pattern"),
        ({"price": 600.5}, "price", "type"),
        ({"price": "0"}, "price", "positive"),
        ({"price": ...}, "price", "required"),
        ({"duration": "ioc"}, "duration", "enum"),
        ({"side": "sideways"}, "side", "enum"),
        ({"side": ...}, "side", "required"),
        ({"source": {"kind": "rumour", "name": "x"}}, "source.kind", "enum"),
        ({"source": {"kind": "chat"}}, "source.name", "required"),
        ({"source": {"kind": "chat", "name": "x", "extra": 1}}, "source.extra", "unknown_field"),
        ({"context": []}, "context", "type"),
        ({"context": {f"k{i}": i for i in range(33)}}, "context", "length"),
        ({"context": {"blob": "x" * 20_000}}, "context", "max_size"),
        ({"surprise": 1}, "surprise", "unknown_field"),
        ({"legs": [leg("SPY251219C00600000", "buy_to_open")]}, "legs", "forbidden"),
    ],
)
def test_decode_when_equity_field_breaks_rule_then_names_field_and_rule(
    changes: dict[str, Any], field: str, rule: str
) -> None:
    error = rejects(body(EQUITY, **changes))
    assert (error.field, error.rule) == (field, rule)


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"order_type": "market"}, "price", "forbidden"),
        ({"order_type": "credit"}, "order_type", "strategy"),
        ({"intent": "close"}, "side", "intent"),
        ({"side": "sell"}, "side", "intent"),
        ({"side": "sell_short", "duration": "gtc"}, "duration", "gtc_short"),
    ],
)
def test_decode_when_equity_rules_break_then_names_field(
    changes: dict[str, Any], field: str, rule: str
) -> None:
    error = rejects(body(EQUITY, **changes))
    assert (error.field, error.rule) == (field, rule)


def test_decode_when_equity_close_sides_fit_then_valid() -> None:
    assert proposal(EQUITY, intent="close", side="sell").side == "sell"
    assert proposal(EQUITY, intent="close", side="buy_to_cover").side == "buy_to_cover"
    assert proposal(EQUITY, side="sell_short").side == "sell_short"


def test_decode_when_market_order_without_price_then_valid() -> None:
    assert proposal(EQUITY, order_type="market", price=...).order_type == "market"


def test_decode_when_even_order_without_price_then_valid() -> None:
    assert proposal(CALENDAR_SPREAD, order_type="even", price=...).price is None


def test_decode_when_even_order_has_price_then_forbidden() -> None:
    error = rejects(body(CALENDAR_SPREAD, order_type="even"))
    assert (error.field, error.rule) == ("price", "forbidden")


@pytest.mark.parametrize(
    ("base", "changes", "field", "rule"),
    [
        (SINGLE_OPTION, {"side": "buy"}, "side", "forbidden"),
        (SINGLE_OPTION, {"legs": ...}, "legs", "required"),
        (SINGLE_OPTION, {"legs": []}, "legs", "length"),
        (SINGLE_OPTION, {"order_type": "debit"}, "order_type", "strategy"),
        (VERTICAL, {"order_type": "limit"}, "order_type", "strategy"),
        (
            SINGLE_OPTION,
            {"legs": [leg("SPY251219C00600000", "buy_to_open")] * 5},
            "legs",
            "length",
        ),
        (SINGLE_OPTION, {"legs": [leg("SPY", "buy_to_open")]}, "legs[0].option_symbol", "occ"),
        (
            SINGLE_OPTION,
            {"legs": [leg("SPY251319C00600000", "buy_to_open")]},
            "legs[0].option_symbol",
            "occ",
        ),
        (
            SINGLE_OPTION,
            {"legs": [leg("QQQ251219C00600000", "buy_to_open")]},
            "legs[0].option_symbol",
            "root",
        ),
        (
            SINGLE_OPTION,
            {"legs": [leg("SPY251219C00600000", "buy_to_close")]},
            "legs[0].side",
            "intent",
        ),
        (
            SINGLE_OPTION,
            {"legs": [leg("SPY251219C00600000", "buy_to_open", 2)]},
            "legs[0].ratio",
            "ratio",
        ),
        (
            SINGLE_OPTION,
            {"legs": [leg("SPY251219C00600000", "buy_to_open", 0)]},
            "legs[0].ratio",
            "range",
        ),
        (
            SINGLE_OPTION,
            {"legs": [{"option_symbol": "SPY251219C00600000", "side": "buy_to_open", "x": 1}]},
            "legs[0].x",
            "unknown_field",
        ),
        (
            SINGLE_OPTION,
            {"legs": [{"option_symbol": "SPY251219C00600000"}]},
            "legs[0].side",
            "required",
        ),
        (
            SINGLE_OPTION,
            {"legs": [leg("SPY251219C00600000", "buy_to_open"), leg("SPY251219C00610000", "x")]},
            "legs[1].side",
            "enum",
        ),
        (SINGLE_OPTION, {"legs": VERTICAL["legs"]}, "legs", "leg_count"),
        (
            VERTICAL,
            {"legs": [leg("SPY251219P00580000", "sell_to_open")] * 2},
            "legs[1].option_symbol",
            "duplicate",
        ),
        (
            VERTICAL,
            {
                "legs": [
                    leg("SPY251219P00580000", "sell_to_open"),
                    leg("SPY260116P00575000", "buy_to_open"),
                ]
            },
            "legs",
            "expiry",
        ),
        (
            VERTICAL,
            {
                "legs": [
                    leg("SPY251219P00580000", "sell_to_open"),
                    leg("SPY251219C00575000", "buy_to_open"),
                ]
            },
            "legs",
            "option_type",
        ),
        (
            VERTICAL,
            {
                "legs": [
                    leg("SPY251219P00580000", "sell_to_open"),
                    leg("SPY251219P00575000", "sell_to_open"),
                ]
            },
            "legs",
            "long_short",
        ),
        (
            VERTICAL,
            {
                "legs": [
                    leg("SPY251219P00580000", "sell_to_open"),
                    leg("SPY251219P00575000", "buy_to_close"),
                ]
            },
            "legs[1].side",
            "intent",
        ),
        (
            IRON_CONDOR,
            {
                "legs": [
                    *IRON_CONDOR["legs"][:2],
                    leg("SPY251219P00560000", "sell_to_open"),
                    leg("SPY251219P00550000", "buy_to_open"),
                ]
            },
            "legs",
            "option_type",
        ),
        (
            IRON_CONDOR,
            {
                "legs": [
                    leg("SPY251219P00570000", "buy_to_open"),
                    leg("SPY251219P00625000", "sell_to_open"),
                    leg("SPY251219C00620000", "sell_to_open"),
                    leg("SPY251219C00630000", "buy_to_open"),
                ]
            },
            "legs",
            "strikes",
        ),
        (
            IRON_CONDOR,
            {
                "legs": [
                    leg("SPY251219P00570000", "buy_to_open"),
                    leg("SPY251219P00580000", "buy_to_open"),
                    leg("SPY251219C00620000", "sell_to_open"),
                    leg("SPY251219C00630000", "buy_to_open"),
                ]
            },
            "legs",
            "long_short",
        ),
        (
            IRON_CONDOR,
            {
                "legs": [
                    leg("SPY251219P00570000", "buy_to_open"),
                    leg("SPY251219P00580000", "sell_to_open"),
                    leg("SPY251219C00620000", "sell_to_open"),
                    leg("SPY260116C00630000", "buy_to_open"),
                ]
            },
            "legs",
            "expiry",
        ),
        (
            IRON_BUTTERFLY,
            {"legs": IRON_CONDOR["legs"]},
            "legs",
            "strikes",
        ),
        (
            IRON_BUTTERFLY,
            {
                "legs": [
                    leg("SPY251219P00610000", "buy_to_open"),
                    leg("SPY251219P00600000", "sell_to_open"),
                    leg("SPY251219C00600000", "sell_to_open"),
                    leg("SPY251219C00620000", "buy_to_open"),
                ]
            },
            "legs",
            "strikes",
        ),
        (
            RATIO_SPREAD,
            {
                "legs": [
                    leg("SPY251219C00600000", "buy_to_open", 2),
                    leg("SPY251219C00610000", "sell_to_open", 2),
                ]
            },
            "legs",
            "ratio",
        ),
        (
            RATIO_SPREAD,
            {
                "legs": [
                    leg("SPY251219C00600000", "buy_to_open", 1),
                    leg("SPY251219P00610000", "sell_to_open", 2),
                ]
            },
            "legs",
            "option_type",
        ),
        (
            RATIO_SPREAD,
            {
                "legs": [
                    leg("SPY251219C00600000", "buy_to_open", 1),
                    leg("SPY260116C00610000", "sell_to_open", 2),
                ]
            },
            "legs",
            "expiry",
        ),
        (
            CALENDAR_SPREAD,
            {
                "legs": [
                    leg("SPY251219C00600000", "sell_to_open"),
                    leg("SPY251219C00610000", "buy_to_open"),
                ]
            },
            "legs",
            "expiry",
        ),
        (
            CALENDAR_SPREAD,
            {
                "legs": [
                    leg("SPY251219C00600000", "sell_to_open"),
                    leg("SPY260116C00610000", "buy_to_open"),
                ]
            },
            "legs",
            "strike",
        ),
        (
            CALENDAR_SPREAD,
            {
                "legs": [
                    leg("SPY251219C00600000", "sell_to_open"),
                    leg("SPY260116P00600000", "buy_to_open"),
                ]
            },
            "legs",
            "option_type",
        ),
        (
            CALENDAR_SPREAD,
            {
                "legs": [
                    leg("SPY251219C00600000", "buy_to_open"),
                    leg("SPY260116C00600000", "buy_to_open"),
                ]
            },
            "legs",
            "long_short",
        ),
    ],
)
def test_decode_when_option_rule_breaks_then_names_field_and_rule(
    base: dict[str, Any], changes: dict[str, Any], field: str, rule: str
) -> None:
    error = rejects(body(base, **changes))
    assert (error.field, error.rule) == (field, rule)


@pytest.mark.parametrize(
    ("raw", "rule"),
    [(b"{", "json"), (b"", "json"), (b"[1]", "type"), (b"null", "type"), (b"\xff\xfe", "json")],
)
def test_decode_when_body_is_not_an_object_then_whole_body_named(raw: bytes, rule: str) -> None:
    error = rejects(raw)
    assert (error.field, error.rule) == (None, rule)


def test_decode_when_body_over_limit_then_max_size() -> None:
    error = rejects(b" " * (MAX_BODY_BYTES + 1))
    assert (error.field, error.rule) == (None, "max_size")


def test_decode_when_context_nested_deeply_then_contract_error() -> None:
    nested = b"[" * 20_000 + b"]" * 20_000
    raw = body(EQUITY)[:-1] + b',"context":{"a":' + nested + b"}}"
    assert rejects(raw).field in (None, "context", "context.a")


def test_decode_when_context_is_small_then_kept_for_audit() -> None:
    decoded = proposal(EQUITY, context={"rsi": 28.5, "note": "oversold"})
    assert decoded.context == {"rsi": 28.5, "note": "oversold"}


def test_decode_when_recommendation_id_given_then_kept() -> None:
    source = {"kind": "chat", "name": "claude", "recommendation_id": "rec-123"}
    assert proposal(EQUITY, source=source).source.recommendation_id == "rec-123"


def test_leg_is_long_when_sides_then_position_direction() -> None:
    legs = proposal(IRON_CONDOR).legs
    assert legs is not None
    assert [lg.is_long for lg in legs] == [True, False, False, True]
    closed = closing(IRON_CONDOR).legs
    assert closed is not None
    assert [lg.is_long for lg in closed] == [True, False, False, True]


def test_leg_occ_when_decoded_then_parsed_symbol() -> None:
    legs = proposal(VERTICAL).legs
    assert legs is not None
    assert legs[0].occ.strike == Decimal(580)


def test_decision_when_encoded_then_wire_shape() -> None:
    decision = Decision(
        proposal_id="0b6f8c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f",
        decision=DecisionKind.REJECTED,
        reason_code=ReasonCode.STATE_HALTED,
        reason="trading is halted",
    )
    wire = msgspec.json.decode(encode(decision))
    assert wire == {
        "proposal_id": "0b6f8c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f",
        "decision": "REJECTED",
        "reason_code": "STATE_HALTED",
        "reason": "trading is halted",
        "order_id": None,
        "order_state": "NONE",
        "replayed": False,
    }
    assert decode(encode(decision), Decision) == decision
    assert decision.order_state is OrderState.NONE


def test_error_body_when_encoded_then_error_object() -> None:
    error = ErrorBody(ErrorDetail(ErrorCode.INVALID_REQUEST, "must be > 0", "quantity"))
    assert msgspec.json.decode(encode(error)) == {
        "error": {"code": "INVALID_REQUEST", "message": "must be > 0", "field": "quantity"}
    }


def test_decode_when_heartbeat_has_unknown_field_then_named() -> None:
    with pytest.raises(ContractError) as info:
        decode(b'{"brain_id":"b1","sent_at":1,"cpu":1}', HeartbeatRequest)
    assert (info.value.field, info.value.rule) == ("cpu", "unknown_field")


def test_proposal_when_constructed_then_frozen() -> None:
    decoded: Proposal = proposal(EQUITY)
    with pytest.raises(AttributeError):
        decoded.quantity = 5  # type: ignore[misc]


def test_reason_codes_when_listed_then_cover_every_gate_rejection() -> None:
    expected = {
        "STATE_HALTED", "STATE_REDUCING", "SYMBOL_NOT_ALLOWED", "STRATEGY_NOT_ALLOWED",
        "QUANTITY_LIMIT", "NOTIONAL_LIMIT", "DTE_OUT_OF_RANGE", "MARKET_CLOSED",
        "DAILY_LOSS_LIMIT", "OPEN_STRUCTURES_LIMIT", "SYMBOL_CONCENTRATION",
        "CORRELATION_GROUP_LIMIT", "SYMBOL_RATE_LIMITED", "GLOBAL_RATE_LIMITED",
        "STALE_PROPOSAL", "FUTURE_PROPOSAL", "NO_MATCHING_POSITION", "BROKER_REJECTED",
    }  # fmt: skip
    assert expected <= {code.value for code in ReasonCode}


def test_validate_proposal_when_built_in_python_then_checked_like_the_gate() -> None:
    import msgspec.structs

    good = proposal(EQUITY)
    assert decode_proposal(validate_proposal(good)) == good
    bad = msgspec.structs.replace(good, quantity=0)
    with pytest.raises(ContractError) as info:
        validate_proposal(bad)
    assert info.value.field == "quantity"
