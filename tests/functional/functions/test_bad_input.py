"""Bad input to POST /v1/proposals through the real handler: never a 5xx, never an order,
never a DynamoDB write; a bad signature is refused before any DynamoDB or Tradier call.

The DynamoDB client is wrapped in a proxy that counts every API call it passes to the moto
server, and the Tradier client's transport counts every request it sends the simulator.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import string
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions import proposals
from gatekeeper.contract import decode_proposal
from gatekeeper.errors import ContractError
from gatekeeper.signing import Target, sign
from tests.functional.functions.conftest import SIGNING_SECRET, Harness, body_of
from tests.support.events import encode_json, fresh_proposal, with_body

VALID_KEYS = list(fresh_proposal("proposals_post", 0))

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@st.composite
def mutated_proposals(draw: st.DrawFn) -> bytes:
    """A valid proposal with one field broken: removed, retyped, or an unknown field added."""
    body: dict[str, Any] = fresh_proposal("proposals_post", draw(st.integers(0, 2**42)))
    key = draw(st.sampled_from(VALID_KEYS))
    action = draw(st.sampled_from(["drop", "retype", "unknown", "legs"]))
    if action == "drop":
        body.pop(key)
    elif action == "retype":
        body[key] = draw(json_values)
    elif action == "unknown":
        body[draw(st.text(string.ascii_lowercase, min_size=1, max_size=12))] = draw(json_values)
    else:
        body["legs"] = draw(st.lists(json_values, max_size=6))
    return encode_json(body)


malformed_bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    mutated_proposals(),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


def _is_valid(body: bytes) -> bool:
    try:
        decode_proposal(body)
    except ContractError:
        return False
    return True


PROPOSALS = Target("POST", "/v1/proposals")
NONCE = "bad-input-nonce-0001"


def v2(
    secret: bytes,
    ts: int,
    body: bytes,
    nonce: str = NONCE,
    target: Target = PROPOSALS,
) -> dict[str, str]:
    """v2 headers (as API Gateway delivers them, lower-case) for `body` sent to `target`."""
    return {
        "x-edgegate-timestamp": str(ts),
        "x-edgegate-nonce": nonce,
        "x-edgegate-signature": sign(secret, ts, nonce, target, body),
    }


def v1_signature(secret: bytes, ts: int, body: bytes) -> str:
    """What the retired v1 signed: the timestamp and the body only."""
    return "v1=" + hmac.new(secret, f"{ts}.".encode() + body, hashlib.sha256).hexdigest()


@st.composite
def bad_headers(draw: st.DrawFn, body: bytes, now_ms: int) -> dict[str, str]:
    """Signature headers that must not authenticate `body` at `now_ms`."""
    good = v2(SIGNING_SECRET, now_ms, body)
    kind = draw(
        st.sampled_from(
            [
                "missing_ts",
                "missing_sig",
                "missing_nonce",
                "junk_ts",
                "junk_sig",
                "junk_nonce",
                "wrong_secret",
                "stale",
                "flip",
                "v1",
                "other_route",
            ]
        )
    )
    junk = draw(st.text(max_size=80))
    if kind.startswith("missing_"):
        name = {"ts": "timestamp", "sig": "signature", "nonce": "nonce"}[kind[8:]]
        return {k: v for k, v in good.items() if k != f"x-edgegate-{name}"}
    if kind == "junk_ts":
        return {**good, "x-edgegate-timestamp": junk or "x"}
    if kind == "junk_sig":
        return {**good, "x-edgegate-signature": junk}
    if kind == "junk_nonce":
        return {**good, "x-edgegate-nonce": junk}
    if kind == "wrong_secret":
        secret = draw(st.binary(min_size=1, max_size=40).filter(lambda s: s != SIGNING_SECRET))
        return v2(secret, now_ms, body)
    if kind == "stale":
        skew = draw(st.integers(30_001, 10**9)) * draw(st.sampled_from([-1, 1]))
        return v2(SIGNING_SECRET, max(0, now_ms + skew), body)
    if kind == "v1":
        return {**good, "x-edgegate-signature": v1_signature(SIGNING_SECRET, now_ms, body)}
    if kind == "other_route":
        target = draw(
            st.sampled_from(
                [
                    Target("POST", "/v1/admin/state"),
                    Target("GET", "/v1/proposals"),
                    Target("POST", "/v1/proposals", "x=1"),
                ]
            )
        )
        return v2(SIGNING_SECRET, now_ms, body, target=target)
    signature = good["x-edgegate-signature"]
    position = draw(st.integers(3, len(signature) - 1))
    flipped = "0" if signature[position] != "0" else "1"
    return {
        **good,
        "x-edgegate-signature": signature[:position] + flipped + signature[position + 1 :],
    }


def _event_with(h: Harness, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    event = h.event("proposals_post")
    for name in ("x-edgegate-timestamp", "x-edgegate-nonce", "x-edgegate-signature"):
        event["headers"].pop(name, None)
    event["headers"].update(headers)
    return with_body(event, body) if _utf8(body) else _base64_event(event, body)


def _utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _base64_event(event: dict[str, Any], body: bytes) -> dict[str, Any]:
    import base64

    event = dict(event)
    event["body"] = base64.b64encode(body).decode("ascii")
    event["isBase64Encoded"] = True
    return event


def test_proposals_when_1000_malformed_bodies_and_headers_then_no_5xx_no_order_no_write(
    harness: Harness,
) -> None:
    h = harness
    seen = {"body": 0, "headers": 0}

    @settings(
        max_examples=1100,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=malformed_bodies, bad_auth=st.booleans(), data=st.data())
    def case(body: bytes, bad_auth: bool, data: st.DataObject) -> None:
        if not bad_auth and _is_valid(body):
            return  # a well-formed proposal is not bad input
        now = h.now()
        headers = data.draw(bad_headers(body, now)) if bad_auth else v2(SIGNING_SECRET, now, body)
        h.reset_counts()
        response = proposals.handler(_event_with(h, body, headers), None)
        assert response["statusCode"] < 500, response
        assert response["statusCode"] == (401 if bad_auth else response["statusCode"])
        assert "error" in body_of(response)
        assert h.dynamodb.writes == 0
        assert h.tradier_transport.total == 0
        if bad_auth:
            assert h.dynamodb.total == 0
        seen["headers" if bad_auth else "body"] += 1

    case()
    assert seen["body"] + seen["headers"] >= 1000, seen
    assert seen["body"] >= 300 and seen["headers"] >= 300, seen
    assert h.item_count() == 0
    assert h.orders() == []


def _signed_proposal(h: Harness) -> tuple[bytes, int]:
    return encode_json(fresh_proposal("proposals_post", h.now())), h.now()


def _assert_refused_before_io(h: Harness, event: dict[str, Any]) -> None:
    h.reset_counts()
    calls_before = sum(h.tradier.calls.values())
    response = proposals.handler(event, None)
    assert response["statusCode"] == 401
    assert body_of(response)["error"]["code"] == "UNAUTHORIZED"
    assert h.dynamodb.total == 0
    assert h.tradier_transport.total == 0
    assert sum(h.tradier.calls.values()) == calls_before
    assert h.item_count() == 0
    assert h.orders() == []


def test_proposals_when_body_tampered_after_signing_then_401_before_any_call(h: Harness) -> None:
    body, now = _signed_proposal(h)
    headers = v2(SIGNING_SECRET, now, body)
    tampered = body.replace(b'"quantity":10', b'"quantity":99')
    assert tampered != body
    _assert_refused_before_io(h, _event_with(h, tampered, headers))


def test_proposals_when_signed_with_wrong_secret_then_401_before_any_call(h: Harness) -> None:
    body, now = _signed_proposal(h)
    headers = v2(b"wrong-signing-secret-" + b"x" * 12, now, body)
    _assert_refused_before_io(h, _event_with(h, body, headers))


def test_proposals_when_timestamp_stale_then_401_before_any_call(h: Harness) -> None:
    body, now = _signed_proposal(h)
    ts = now - 31_000
    headers = v2(SIGNING_SECRET, ts, body)
    _assert_refused_before_io(h, _event_with(h, body, headers))


def test_proposals_when_timestamp_in_future_then_401_before_any_call(h: Harness) -> None:
    body, now = _signed_proposal(h)
    ts = now + 31_000
    headers = v2(SIGNING_SECRET, ts, body)
    _assert_refused_before_io(h, _event_with(h, body, headers))


def test_proposals_when_valid_signature_then_the_same_counters_see_calls(h: Harness) -> None:
    """The counters are live: a well-signed proposal does reach DynamoDB and Tradier."""
    body, now = _signed_proposal(h)
    headers = v2(SIGNING_SECRET, now, body)
    h.reset_counts()
    response = proposals.handler(_event_with(h, body, headers), None)
    assert response["statusCode"] == 200
    assert h.dynamodb.total > 0 and h.dynamodb.writes > 0
    assert h.tradier_transport.total > 0


def test_proposals_when_event_body_flagged_base64_but_not_then_400_without_calls(
    h: Harness,
) -> None:
    event = h.event("proposals_post_base64")
    event["body"] = "%%% not base64 %%%"
    h.reset_counts()
    response = proposals.handler(event, None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"]["field"] == "body"
    assert h.dynamodb.total == 0 and h.tradier_transport.total == 0
