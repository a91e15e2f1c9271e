"""Every route through its real Lambda handler, with real API Gateway v2 event files, a
moto DynamoDB server and the Tradier simulator."""

from __future__ import annotations

import uuid
from typing import Any

from functions import admin_flatten, admin_state, heartbeat, proposal_get, proposals, status
from tests.functional.functions.conftest import ADMIN_SECRET, Harness, body_of
from tests.support.events import body_json, encode_json, fresh_proposal


def submit(h: Harness, body: dict[str, Any] | bytes, name: str = "proposals_post") -> Any:
    return proposals.handler(h.event(name, body=body), None)


def test_proposals_when_equity_proposal_then_approved_and_one_tagged_order(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now())
    response = submit(h, body)
    assert response["statusCode"] == 200, response["body"]
    decision = body_of(response)
    assert decision["proposal_id"] == body["id"]
    assert decision["decision"] == "APPROVED"
    assert decision["order_id"] is not None
    assert decision["replayed"] is False
    tagged = [o for o in h.orders() if o.get("tag") == body["id"]]
    assert len(tagged) == 1


def test_proposals_when_vertical_credit_spread_then_approved_multileg_order(h: Harness) -> None:
    body = fresh_proposal("proposals_post_vertical", h.now())
    response = submit(h, body, "proposals_post_vertical")
    assert response["statusCode"] == 200, response["body"]
    assert body_of(response)["decision"] == "APPROVED"
    assert len([o for o in h.orders() if o.get("tag") == body["id"]]) == 1


def test_proposals_when_base64_event_then_same_decision_path(h: Harness) -> None:
    body = fresh_proposal("proposals_post_base64", h.now())
    event = h.event("proposals_post_base64", body=body)
    assert event["isBase64Encoded"] is True
    response = proposals.handler(event, None)
    assert response["statusCode"] == 200, response["body"]
    assert body_of(response)["proposal_id"] == body["id"]


def test_proposals_when_same_id_twice_then_replayed_and_one_order(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now())
    first = body_of(submit(h, body))
    second_response = submit(h, body)
    assert second_response["statusCode"] == 200
    second = body_of(second_response)
    assert second["replayed"] is True
    assert second["decision"] == first["decision"]
    assert len([o for o in h.orders() if o.get("tag") == body["id"]]) <= 1


def test_proposals_when_id_reused_with_other_body_then_409(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now())
    submit(h, body)
    response = submit(h, {**body, "quantity": body["quantity"] + 1})
    assert response["statusCode"] == 409
    assert body_of(response)["error"]["code"] == "PROPOSAL_ID_REUSED"


def test_proposals_when_body_over_64_kib_then_413_and_nothing_written(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now(), context={"pad": "x" * (70 * 1024)})
    h.reset_counts()
    response = submit(h, encode_json(body))
    assert response["statusCode"] == 413
    assert body_of(response)["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert h.dynamodb.writes == 0
    assert h.tradier_transport.total == 0


def test_proposals_when_field_breaks_contract_then_400_naming_field(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now(), quantity=0)
    response = submit(h, body)
    assert response["statusCode"] == 400
    error = body_of(response)["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert error["field"] == "quantity"
    assert h.item_count() == 0


def test_proposals_when_symbol_not_allowed_then_200_rejected_without_order(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now(), symbol="TSLA")
    response = submit(h, body)
    assert response["statusCode"] == 200
    decision = body_of(response)
    assert decision["decision"] == "REJECTED"
    assert decision["reason_code"] == "SYMBOL_NOT_ALLOWED"
    assert h.orders() == []


def test_proposal_get_when_decided_then_record_with_decision(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now())
    submit(h, body)
    event = h.event("proposal_get", path_parameters={"id": body["id"]})
    response = proposal_get.handler(event, None)
    assert response["statusCode"] == 200, response["body"]
    record = body_of(response)
    assert record["decision"]["proposal_id"] == body["id"]
    assert record["proposal"]["symbol"] == body["symbol"]


def test_proposal_get_when_unknown_id_then_404(h: Harness) -> None:
    event = h.event("proposal_get", path_parameters={"id": str(uuid.uuid4())})
    response = proposal_get.handler(event, None)
    assert response["statusCode"] == 404
    assert body_of(response)["error"]["code"] == "NOT_FOUND"


def test_status_when_fresh_gate_then_active_with_limits(h: Harness) -> None:
    response = status.handler(h.event("status_get"), None)
    assert response["statusCode"] == 200, response["body"]
    body = body_of(response)
    assert body["state"] == "ACTIVE"
    assert body["max_open_structures"] == 10


def test_status_when_proposal_approved_then_recent_decisions_list_it(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now())
    submit(h, body)
    recent = body_of(status.handler(h.event("status_get"), None))["recent_decisions"]
    assert body["id"] in [d["proposal_id"] for d in recent]


def test_heartbeat_when_brain_reports_then_state_returned_and_status_shows_it(
    h: Harness,
) -> None:
    beat = body_json("heartbeat_post") | {"sent_at": h.now()}
    response = heartbeat.handler(h.event("heartbeat_post", body=beat), None)
    assert response["statusCode"] == 200, response["body"]
    assert body_of(response)["state"] == "ACTIVE"
    shown = body_of(status.handler(h.event("status_get"), None))
    assert shown["last_heartbeat_at"] is not None


def test_admin_state_when_halted_then_proposals_rejected_without_order(h: Harness) -> None:
    event = h.event("admin_state_post", secret=ADMIN_SECRET)
    response = admin_state.handler(event, None)
    assert response["statusCode"] == 200, response["body"]
    assert body_of(response)["state"] == "HALTED"
    decision = body_of(submit(h, fresh_proposal("proposals_post", h.now())))
    assert decision["decision"] == "REJECTED"
    assert decision["reason_code"] == "STATE_HALTED"
    assert h.orders() == []


def test_admin_state_when_signed_with_brain_secret_then_401(h: Harness) -> None:
    response = admin_state.handler(h.event("admin_state_post"), None)
    assert response["statusCode"] == 401
    assert body_of(response)["error"]["code"] == "UNAUTHORIZED"


def test_admin_flatten_when_position_held_then_closing_order_sent(h: Harness) -> None:
    body = fresh_proposal("proposals_post", h.now(), order_type="market", price=None)
    body.pop("price")
    assert body_of(submit(h, body))["decision"] == "APPROVED"
    h.clock.advance(5_000)
    response = admin_flatten.handler(h.event("admin_flatten_post", secret=ADMIN_SECRET), None)
    assert response["statusCode"] == 200, response["body"]
    decisions = body_of(response)["decisions"]
    assert len(decisions) == 1
    assert decisions[0]["decision"] == "APPROVED"
    sides = sorted(o["side"] for o in h.orders())
    assert sides == ["buy", "sell"]
