"""The brain's own notifications (analyst notices, bursts of rejections) through the real
webhook poster to a recording receiver on loopback."""

from __future__ import annotations

import uuid

from brain.alerts import BrainAlerts, BurstPolicy
from brain.engine import EngineEvent
from gatekeeper.contract import DecisionKind
from gatekeeper.messages import Decision, ReasonCode
from gatekeeper.webhook import WebhookPoster
from tests.functional.notify.webhook_server import webhook_receiver

T0 = 1_795_012_200_000
MINUTE = 60_000


def _rejected(at_ms: int, code: ReasonCode) -> EngineEvent:
    decision = Decision(str(uuid.uuid4()), DecisionKind.REJECTED, reason_code=code)
    return EngineEvent(at_ms, "decision", "SPY", "iron_condor", "rejected", decision=decision)


def test_brain_alerts_when_rejections_burst_then_one_post_per_window_with_reasons():
    with webhook_receiver() as hook:
        poster = WebhookPoster(hook.url)
        alerts = BrainAlerts(poster, BurstPolicy(threshold=3, window_ms=10 * MINUTE))
        codes = [ReasonCode.STALE_PROPOSAL] * 2 + [ReasonCode.FUTURE_PROPOSAL] * 3
        for n, code in enumerate(codes):  # five in five minutes: one burst told
            alerts(_rejected(T0 + n * MINUTE, code))
        alerts(_rejected(T0 + 30 * MINUTE, ReasonCode.STALE_PROPOSAL))  # alone: quiet
        for n in range(3):  # a new burst after a quiet window: told again
            alerts(_rejected(T0 + (40 + n) * MINUTE, ReasonCode.STALE_PROPOSAL))
        assert poster.drain(5.0)
    texts = [p["text"] for p in hook.posts]
    assert texts == [
        "edgegate: 3 proposals rejected in 10 min\nreasons: STALE_PROPOSAL x2, FUTURE_PROPOSAL x1",
        "edgegate: 3 proposals rejected in 10 min\nreasons: STALE_PROPOSAL x3",
    ]


def test_brain_alerts_when_analyst_cost_cap_notice_then_posted():
    with webhook_receiver() as hook:
        alerts = BrainAlerts(WebhookPoster(hook.url))
        alerts(EngineEvent(T0, "notice", "-", "analyst", "daily cost cap $5.00 reached"))
        alerts(EngineEvent(T0, "signal", "SPY", "iron_condor", "entry"))  # not for the webhook
        [post] = hook.wait_for(1)
    assert post["content"] == "edgegate: brain notice: daily cost cap $5.00 reached\nfrom: analyst"
