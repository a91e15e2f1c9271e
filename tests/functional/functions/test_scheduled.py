"""The scheduled handlers with real EventBridge event files: reconcile, watchdog, report."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from functions import proposal_get, reconcile, report, status, watchdog
from tests.functional.functions.conftest import Harness, body_of
from tests.support.events import fresh_proposal, load_event
from tradier.clock import from_datetime


def scheduled(name: str, at_ms: int) -> dict[str, Any]:
    event = load_event(name)
    event["time"] = datetime.fromtimestamp(at_ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return event


def market_buy(h: Harness) -> dict[str, Any]:
    body = fresh_proposal("proposals_post", h.now(), order_type="market")
    body.pop("price")
    return body


def test_reconcile_when_order_response_was_lost_then_settled_by_tag_with_one_order(
    h: Harness,
) -> None:
    from functions import proposals

    h.sim.controls.fault("lost_response", 1, f"/v1/accounts/{h.sim.config.account}/orders")
    body = market_buy(h)
    response = proposals.handler(h.event("proposals_post", body=body), None)
    assert response["statusCode"] == 200, response["body"]
    assert body_of(response)["decision"] == "APPROVED"
    h.clock.advance(60_000)
    result = reconcile.handler(scheduled("schedule_reconcile", h.now()), None)
    assert result["job"] == "reconcile"
    record = body_of(
        proposal_get.handler(h.event("proposal_get", path_parameters={"id": body["id"]}), None)
    )
    assert record["decision"]["order_state"] not in ("SUBMITTING", "SUBMIT_UNKNOWN")
    assert len([o for o in h.orders() if o.get("tag") == body["id"]]) == 1


def test_reconcile_when_fired_on_saturday_then_skipped_without_calls(h: Harness) -> None:
    h.reset_counts()
    saturday = from_datetime(datetime(2026, 11, 21, 15, 0, tzinfo=UTC))
    result = reconcile.handler(scheduled("schedule_reconcile", saturday), None)
    assert "skipped" in result
    assert h.dynamodb.total == 0 and h.tradier_transport.total == 0


def test_watchdog_when_no_heartbeat_with_position_open_then_reducing(h: Harness) -> None:
    from functions import proposals

    response = proposals.handler(h.event("proposals_post", body=market_buy(h)), None)
    assert body_of(response)["decision"] == "APPROVED"
    h.clock.advance(11 * 60_000)
    result = watchdog.handler(scheduled("schedule_watchdog", h.now()), None)
    assert result["result"]["tripped"] is True
    assert body_of(status.handler(h.event("status_get"), None))["state"] == "REDUCING"


def test_watchdog_when_heartbeat_fresh_then_not_tripped(h: Harness) -> None:
    result = watchdog.handler(scheduled("schedule_watchdog", h.now()), None)
    assert result["result"]["tripped"] is False
    assert body_of(status.handler(h.event("status_get"), None))["state"] == "ACTIVE"


def test_report_when_est_cron_at_21_15_utc_then_report_runs(h: Harness) -> None:
    close = from_datetime(datetime(2026, 11, 18, 21, 15, tzinfo=UTC))  # 16:15 EST
    h.clock.set(close)
    result = report.handler(scheduled("schedule_report", close), None)
    assert result["job"] == "report"
    assert result["result"]["day"] == "2026-11-18"


def test_report_when_edt_cron_fires_in_winter_then_skipped_without_calls(h: Harness) -> None:
    h.reset_counts()
    early = from_datetime(datetime(2026, 11, 18, 20, 15, tzinfo=UTC))  # 15:15 EST
    result = report.handler(scheduled("schedule_report", early), None)
    assert "skipped" in result
    assert h.dynamodb.total == 0 and h.tradier_transport.total == 0
