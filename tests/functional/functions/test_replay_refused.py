"""Signature v2 through the real handlers (API Gateway v2 event files, moto DynamoDB, the
simulator): a captured request replayed is refused with no side effect (issue 8 case 6), a
signature binds its method, path and query, and v1 is refused."""

from __future__ import annotations

import copy
import hashlib
import hmac
from typing import Any

from functions import admin_flatten, admin_state, heartbeat, proposal_get, proposals, status
from tests.functional.functions.conftest import ADMIN_SECRET, SIGNING_SECRET, Harness, body_of
from tests.support.events import body_json, encode_json, event_body, fresh_proposal

Handler = Any


def _admin_state(h: Harness, state: str, reason: str) -> dict[str, Any]:
    body = encode_json({"state": state, "reason": reason})
    return h.event("admin_state_post", body=body, secret=ADMIN_SECRET)


def _assert_nonce_reused(response: dict[str, Any]) -> None:
    assert response["statusCode"] == 401, response["body"]
    error = body_of(response)["error"]
    assert error["code"] == "NONCE_REUSED"
    assert error["field"] == "X-Edgegate-Nonce"


def _state(h: Harness) -> str:
    state: str = body_of(status.handler(h.event("status_get"), None))["state"]
    return state


def _positions(h: Harness) -> dict[str, int]:
    return {p.symbol: int(p.quantity) for p in h.tradier.positions()}


def _market_buy(h: Harness, symbol: str, quantity: int = 5) -> dict[str, Any]:
    body = fresh_proposal("proposals_post", h.now(), symbol=symbol, quantity=quantity)
    body.update(order_type="market")
    body.pop("price")
    decision = body_of(proposals.handler(h.event("proposals_post", body=body), None))
    assert decision["decision"] == "APPROVED", decision
    return body


def _moved(event: dict[str, Any], route_key: str, query: str = "") -> dict[str, Any]:
    """`event` as API Gateway would deliver it on another route (headers kept as signed)."""
    method, path = route_key.split(" ", 1)
    moved = copy.deepcopy(event)
    moved["routeKey"] = moved["requestContext"]["routeKey"] = route_key
    moved["rawPath"] = moved["requestContext"]["http"]["path"] = path
    moved["requestContext"]["http"]["method"] = method
    moved["rawQueryString"] = query
    return moved


# -- case 6: captured admin requests replayed -------------------------------------------


def test_admin_state_when_captured_activate_replayed_after_halt_then_401_and_still_halted(
    h: Harness,
) -> None:
    assert admin_state.handler(_admin_state(h, "HALTED", "open review"), None)["statusCode"] == 200
    h.clock.advance(1_000)
    captured = _admin_state(h, "ACTIVE", "resume after review")
    assert admin_state.handler(captured, None)["statusCode"] == 200
    h.clock.advance(2_000)
    assert admin_state.handler(_admin_state(h, "HALTED", "stop again"), None)["statusCode"] == 200
    h.clock.advance(6_000)  # well inside the 30 s timestamp window
    writes_before = h.dynamodb.writes
    _assert_nonce_reused(admin_state.handler(captured, None))
    assert h.dynamodb.writes - writes_before == 1  # the refused nonce write, nothing else
    assert _state(h) == "HALTED"
    blocked = fresh_proposal("proposals_post", h.now(), symbol="QQQ")
    decision = body_of(proposals.handler(h.event("proposals_post", body=blocked), None))
    assert decision["reason_code"] == "STATE_HALTED"
    assert [o for o in h.orders() if o.get("tag") == blocked["id"]] == []


def test_admin_flatten_when_captured_flatten_replayed_then_401_and_nothing_closed(
    h: Harness,
) -> None:
    _market_buy(h, "SPY")
    h.clock.advance(2_000)
    captured = h.event("admin_flatten_post", secret=ADMIN_SECRET)
    flattened = admin_flatten.handler(captured, None)
    assert flattened["statusCode"] == 200, flattened["body"]
    assert [d["decision"] for d in body_of(flattened)["decisions"]] == ["APPROVED"]
    h.clock.advance(2_000)
    _market_buy(h, "QQQ")  # opened between the flatten and its replay
    orders_before = len(h.orders())
    held = _positions(h)
    assert held.get("QQQ") == 5
    h.clock.advance(5_000)
    _assert_nonce_reused(admin_flatten.handler(captured, None))
    assert len(h.orders()) == orders_before
    assert _positions(h) == held


def test_admin_flatten_when_replayed_with_a_fresh_nonce_but_old_signature_then_401(
    h: Harness,
) -> None:
    captured = h.event("admin_flatten_post", secret=ADMIN_SECRET)
    assert admin_flatten.handler(captured, None)["statusCode"] == 200
    forged = copy.deepcopy(captured)
    forged["headers"]["x-edgegate-nonce"] = "attacker-chosen-nonce-01"
    response = admin_flatten.handler(forged, None)
    assert response["statusCode"] == 401
    assert body_of(response)["error"]["code"] == "UNAUTHORIZED"


# -- every authenticated route: a nonce is single-use -----------------------------------


def test_proposals_when_captured_request_replayed_then_401_and_one_order(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now())
    captured = h.event("proposals_post", body=body)
    assert body_of(proposals.handler(captured, None))["decision"] == "APPROVED"
    h.clock.advance(3_000)
    h.reset_counts()
    _assert_nonce_reused(proposals.handler(captured, None))
    # The duplicate's only write is its refused nonce; no Tradier call at all.
    assert (h.dynamodb.total, h.dynamodb.writes, h.tradier_transport.total) == (2, 1, 0)
    assert len([o for o in h.orders() if o.get("tag") == body["id"]]) == 1


def test_proposals_when_approved_then_three_dynamodb_calls_with_the_nonce_in_the_reservation(
    h: Harness,
) -> None:
    warm = fresh_proposal("proposals_post", h.now(), symbol="DIA")
    proposals.handler(h.event("proposals_post", body=warm), None)  # baseline, caches
    h.clock.advance(100)
    nonce = "hot-path-nonce-000001"
    h.reset_counts()
    body = fresh_proposal("proposals_post", h.now())
    response = proposals.handler(h.event("proposals_post", body=body, nonce=nonce), None)
    assert body_of(response)["decision"] == "APPROVED"
    assert dict(h.dynamodb.calls) == {"batch_get_item": 1, "transact_write_items": 2}
    item = h.raw_dynamodb.get_item(
        TableName=h.table, Key={"pk": {"S": f"NONCE#{nonce}"}, "sk": {"S": "NONCE"}}
    )["Item"]
    assert int(item["expires_at_ms"]["N"]) == h.now() + 60_000
    assert int(item["ttl"]["N"]) == (h.now() + 60_000) // 1000 + 1


def test_proposals_when_rate_limited_request_replayed_then_401(h: Harness) -> None:
    first = fresh_proposal("proposals_post", h.now())
    assert body_of(proposals.handler(h.event("proposals_post", body=first), None))["decision"] == (
        "APPROVED"
    )
    h.clock.advance(1_000)
    second = fresh_proposal("proposals_post", h.now())  # same symbol inside 60 s
    captured = h.event("proposals_post", body=second)
    refused = body_of(proposals.handler(captured, None))
    assert refused["reason_code"] == "SYMBOL_RATE_LIMITED"
    _assert_nonce_reused(proposals.handler(captured, None))
    assert [o for o in h.orders() if o.get("tag") == second["id"]] == []


def test_proposals_when_retried_with_new_nonce_then_stored_decision_replayed(h: Harness) -> None:
    # The proposal id is the idempotency key; a retry is a new request with its own nonce.
    body = fresh_proposal("proposals_post", h.now())
    first = body_of(proposals.handler(h.event("proposals_post", body=body), None))
    h.clock.advance(1_000)
    retry = h.event("proposals_post", body=body)
    second = body_of(proposals.handler(retry, None))
    assert second["replayed"] is True and second["order_id"] == first["order_id"]
    _assert_nonce_reused(proposals.handler(retry, None))
    assert len([o for o in h.orders() if o.get("tag") == body["id"]]) == 1


def test_proposals_when_rejected_request_replayed_then_401_and_no_second_record(
    h: Harness,
) -> None:
    assert admin_state.handler(_admin_state(h, "HALTED", "test"), None)["statusCode"] == 200
    body = fresh_proposal("proposals_post", h.now())
    captured = h.event("proposals_post", body=body)
    assert body_of(proposals.handler(captured, None))["reason_code"] == "STATE_HALTED"
    items = h.item_count()
    _assert_nonce_reused(proposals.handler(captured, None))
    assert h.item_count() == items
    assert h.orders() == []


def test_proposals_when_same_nonce_on_a_new_proposal_then_401_and_nothing_recorded(
    h: Harness,
) -> None:
    first = fresh_proposal("proposals_post", h.now())
    nonce = "reused-on-purpose-0001"
    ok = proposals.handler(h.event("proposals_post", body=first, nonce=nonce), None)
    assert body_of(ok)["decision"] == "APPROVED"
    h.clock.advance(61_000 - 30_000)  # a new, correctly signed request, same nonce
    second = fresh_proposal("proposals_post", h.now(), symbol="QQQ")
    event = h.event("proposals_post", body=second, nonce=nonce)
    _assert_nonce_reused(proposals.handler(event, None))
    got = proposal_get.handler(h.event("proposal_get", path_parameters={"id": second["id"]}), None)
    assert got["statusCode"] == 404
    assert [o for o in h.orders() if o.get("tag") == second["id"]] == []


def test_proposals_when_nonce_reused_after_its_window_then_accepted(h: Harness) -> None:
    nonce = "reused-after-window-01"
    first = fresh_proposal("proposals_post", h.now())
    proposals.handler(h.event("proposals_post", body=first, nonce=nonce), None)
    h.clock.advance(60_001)  # past both windows the nonce is kept for
    later = fresh_proposal("proposals_post", h.now(), symbol="QQQ")
    response = proposals.handler(h.event("proposals_post", body=later, nonce=nonce), None)
    assert body_of(response)["decision"] == "APPROVED", response["body"]


def test_proposals_when_body_invalid_then_400_and_nonce_not_spent(h: Harness) -> None:
    # Bad input writes nothing, its nonce included; the same request is the same 400.
    event = h.event("proposals_post", body=b'{"id": "not-a-proposal"}')
    first = proposals.handler(event, None)
    assert first["statusCode"] == 400
    assert h.item_count() == 0
    assert proposals.handler(event, None)["statusCode"] == 400


def test_read_routes_when_captured_request_replayed_then_401(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now())
    proposals.handler(h.event("proposals_post", body=body), None)
    captured_get = h.event("proposal_get", path_parameters={"id": body["id"]})
    assert proposal_get.handler(captured_get, None)["statusCode"] == 200
    _assert_nonce_reused(proposal_get.handler(captured_get, None))
    captured_status = h.event("status_get")
    assert status.handler(captured_status, None)["statusCode"] == 200
    _assert_nonce_reused(status.handler(captured_status, None))


def test_heartbeat_when_captured_request_replayed_then_401_and_heartbeat_not_refreshed(
    h: Harness,
) -> None:
    beat = body_json("heartbeat_post") | {"sent_at": h.now()}
    captured = h.event("heartbeat_post", body=beat)
    assert heartbeat.handler(captured, None)["statusCode"] == 200
    seen = body_of(status.handler(h.event("status_get"), None))["last_heartbeat_at"]
    h.clock.advance(20_000)
    _assert_nonce_reused(heartbeat.handler(captured, None))
    assert body_of(status.handler(h.event("status_get"), None))["last_heartbeat_at"] == seen


# -- a signature binds its method, path and query ---------------------------------------


def _assert_unauthorized_before_io(h: Harness, handler: Handler, event: dict[str, Any]) -> None:
    h.reset_counts()
    response = handler(event, None)
    assert response["statusCode"] == 401, response["body"]
    assert body_of(response)["error"]["code"] == "UNAUTHORIZED"
    assert (h.dynamodb.total, h.tradier_transport.total) == (0, 0)


def test_admin_state_signature_when_sent_to_admin_flatten_then_401_and_nothing_closed(
    h: Harness,
) -> None:
    _market_buy(h, "SPY")
    body = encode_json({"reason": "signed for the state route"})
    signed_for_state = h.event("admin_state_post", body=body, secret=ADMIN_SECRET)
    _assert_unauthorized_before_io(
        h, admin_flatten.handler, _moved(signed_for_state, "POST /v1/admin/flatten")
    )
    assert _positions(h) == {"SPY": 5}


def test_status_signature_when_query_added_then_401(h: Harness) -> None:
    signed = h.event("status_get")
    _assert_unauthorized_before_io(h, status.handler, _moved(signed, "GET /v1/status", "x=1"))


def test_proposal_get_signature_when_sent_for_another_id_then_401(h: Harness) -> None:
    first = "00000000-0000-4000-8000-000000000001"
    other = "00000000-0000-4000-8000-000000000002"
    signed = h.event("proposal_get", path_parameters={"id": first})
    moved = _moved(signed, f"GET /v1/proposals/{other}")
    moved["pathParameters"] = {"id": other}
    _assert_unauthorized_before_io(h, proposal_get.handler, moved)


def test_heartbeat_signature_when_delivered_as_another_method_then_401(h: Harness) -> None:
    beat = body_json("heartbeat_post") | {"sent_at": h.now()}
    signed = h.event("heartbeat_post", body=beat)
    _assert_unauthorized_before_io(h, heartbeat.handler, _moved(signed, "PUT /v1/heartbeat"))


def test_proposal_signature_when_replayed_on_admin_route_with_signing_secret_then_401(
    h: Harness,
) -> None:
    # Issue 8 case 9's consequence: a proposal-signed request must never move the state.
    body = encode_json({"state": "HALTED", "reason": "signed with the proposal secret"})
    event = h.event("admin_state_post", body=body, secret=SIGNING_SECRET)
    _assert_unauthorized_before_io(h, admin_state.handler, event)
    assert _state(h) == "ACTIVE"


# -- v1 is retired ----------------------------------------------------------------------


def test_proposals_when_signed_v1_then_401_naming_the_retired_version_before_any_call(
    h: Harness,
) -> None:
    event = h.event("proposals_post", body=fresh_proposal("proposals_post", h.now()))
    ts = event["headers"]["x-edgegate-timestamp"]
    digest = hmac.new(SIGNING_SECRET, f"{ts}.".encode() + event_body(event), hashlib.sha256)
    event["headers"]["x-edgegate-signature"] = "v1=" + digest.hexdigest()
    del event["headers"]["x-edgegate-nonce"]
    h.reset_counts()
    response = proposals.handler(event, None)
    assert response["statusCode"] == 401
    assert "v1 is retired" in body_of(response)["error"]["message"]
    assert (h.dynamodb.total, h.tradier_transport.total) == (0, 0)
    assert h.orders() == []
