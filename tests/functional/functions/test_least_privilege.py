"""Each function's DynamoDB calls, recorded while it runs, are allowed by its own IAM role
in serverless.yml (and no role needs more than the gate table)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from functions import (
    admin_flatten,
    admin_state,
    heartbeat,
    proposal_get,
    proposals,
    reconcile,
    report,
    status,
    watchdog,
)
from tests.functional.functions.conftest import ADMIN_SECRET, Harness
from tests.support.events import body_json, encode_json, fresh_proposal, load_event
from tests.support.serverless import load_serverless, role_statements
from tradier.clock import from_datetime


def granted_actions() -> dict[str, set[str]]:
    config = load_serverless()
    found: dict[str, set[str]] = {}
    for name in config["functions"]:
        statements = role_statements(config, name)
        found[name] = {
            action
            for statement in statements
            for action in statement["Action"]
            if action.startswith("dynamodb:")
        }
    return found


def scheduled(name: str, at_ms: int) -> dict[str, Any]:
    event = load_event(name)
    event["time"] = datetime.fromtimestamp(at_ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return event


def test_functions_when_every_path_runs_then_dynamodb_calls_fit_their_roles(h: Harness) -> None:
    used: dict[str, set[str]] = {}

    def run(function: str, call: Callable[[], Any]) -> Any:
        h.reset_counts()
        result = call()
        used.setdefault(function, set()).update(h.dynamodb.iam_actions)
        return result

    buy = fresh_proposal("proposals_post", h.now(), order_type="market")
    buy.pop("price")
    run("proposals", lambda: proposals.handler(h.event("proposals_post", body=buy), None))
    run("proposals", lambda: proposals.handler(h.event("proposals_post", body=buy), None))
    other = fresh_proposal("proposals_post", h.now(), symbol="TSLA")
    run("proposals", lambda: proposals.handler(h.event("proposals_post", body=other), None))
    ids = {"id": buy["id"]}
    run(
        "proposalGet",
        lambda: proposal_get.handler(h.event("proposal_get", path_parameters=ids), None),
    )
    run("status", lambda: status.handler(h.event("status_get"), None))
    beat = body_json("heartbeat_post") | {"sent_at": h.now()}
    run("heartbeat", lambda: heartbeat.handler(h.event("heartbeat_post", body=beat), None))
    reducing = encode_json({"state": "REDUCING", "reason": "privilege test"})
    run(
        "adminState",
        lambda: admin_state.handler(
            h.event("admin_state_post", body=reducing, secret=ADMIN_SECRET), None
        ),
    )
    h.clock.advance(60_000)
    run("reconcile", lambda: reconcile.handler(scheduled("schedule_reconcile", h.now()), None))
    h.clock.advance(11 * 60_000)
    run("watchdog", lambda: watchdog.handler(scheduled("schedule_watchdog", h.now()), None))
    run(
        "adminFlatten",
        lambda: admin_flatten.handler(h.event("admin_flatten_post", secret=ADMIN_SECRET), None),
    )
    close = from_datetime(datetime(2026, 11, 18, 21, 15, tzinfo=UTC))
    h.clock.set(close)
    run("report", lambda: report.handler(scheduled("schedule_report", close), None))

    granted = granted_actions()
    assert set(used) == set(granted)
    for function, actions in used.items():
        assert actions, function
        assert actions <= granted[function], (function, actions - granted[function])
