"""The gate's notifications reach a webhook: a real local gate (embedded DynamoDB, the
simulator as broker) with EDGEGATE_WEBHOOK_URL pointed at a recording receiver."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from functions.local.embedded import LocalGate
from gatekeeper.signing import Target, signed_headers
from tests.functional.functions.conftest import ADMIN_SECRET, gate_env
from tests.functional.notify.webhook_server import Receiver, webhook_receiver
from tests.support.local_gates import scratch_local_gate
from tradier.sim.core import SimConfig
from tradier.sim.server import run_in_thread


@pytest.fixture
def hooked() -> Iterator[tuple[LocalGate, Receiver]]:
    with (
        webhook_receiver() as hook,
        run_in_thread(SimConfig(seed=2, follow_calendar=True)) as sim,
        scratch_local_gate(
            gate_env(sim, "edgegate-notify", EDGEGATE_WEBHOOK_URL=hook.url), schedules=False
        ) as gate,
    ):
        yield gate, hook


def _set_state(gate: LocalGate, state: str) -> httpx.Response:
    body = json.dumps({"state": state, "reason": "test: operator halt"}).encode()
    headers = signed_headers(
        ADMIN_SECRET, Target("POST", "/v1/admin/state"), body, int(time.time() * 1000)
    )
    return httpx.post(
        gate.url + "/v1/admin/state",
        content=body,
        headers={"content-type": "application/json", **headers},
        timeout=10,
    )


def test_gate_when_admin_halts_then_webhook_told_the_state_change(hooked):
    gate, hook = hooked
    assert _set_state(gate, "HALTED").status_code == 200
    [post] = hook.wait_for(1)
    assert post["text"].startswith("edgegate: trading state ACTIVE -> HALTED (admin)")
    assert "reason: test: operator halt" in post["text"]


def test_gate_when_end_of_day_report_runs_then_webhook_gets_its_figures(hooked):
    gate, hook = hooked
    report = gate.gate.end_of_day(force=True)
    [post] = hook.wait_for(1)
    assert post["content"].startswith(f"edgegate: end of day {report.day}")
    assert "approved: 0" in post["content"] and "rejected: 0" in post["content"]


def test_gate_when_webhook_unreachable_then_state_change_still_answered_at_once(tmp_path):
    with (
        run_in_thread(SimConfig(seed=2, follow_calendar=True)) as sim,
        scratch_local_gate(
            # 192.0.2.0/24 is reserved for documentation: connecting to it hangs until timeout.
            gate_env(sim, "edgegate-notify-down", EDGEGATE_WEBHOOK_URL="http://192.0.2.1/hook"),
            schedules=False,
        ) as gate,
    ):
        started = time.monotonic()
        assert _set_state(gate, "HALTED").status_code == 200
        assert time.monotonic() - started < 2.0  # the webhook's 3 s timeout was not waited


def test_scheduled_job_when_it_notifies_then_the_post_is_sent_before_it_returns(hooked):
    # Lambda freezes the container after a handler returns: the queue is drained first.
    from functions.handling import SCHEDULED, handle_scheduled

    _, hook = hooked
    handle_scheduled({}, lambda gate: gate.end_of_day(force=True), SCHEDULED, "report")
    assert [p["text"].split("\n", 1)[0][:22] for p in hook.posts] == ["edgegate: end of day 2"]
