"""A captured proposal request replayed concurrently: one decision, the rest refused as
replays, one order (the in-memory store's atomicity, the pipeline shared across threads)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from gatekeeper.service import Gate
from gatekeeper.store import MemoryGateStore
from tests.support.gate_harness import equity, orders_tagged, raw, signed
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim


def test_proposal_when_one_captured_request_sent_20_times_at_once_then_one_decision(
    gate: Gate, store: MemoryGateStore, clock: ManualClock, sim: RunningSim
) -> None:
    body = equity(clock)
    data = raw(body)
    headers = signed(data, clock)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: gate.submit_proposal(headers, data), range(20)))
    statuses = sorted(a.status for a in answers)
    assert statuses == [200] + [401] * 19
    codes = {json.loads(a.body)["error"]["code"] for a in answers if a.status == 401}
    assert codes == {"NONCE_REUSED"}
    assert len(orders_tagged(sim, body["id"])) == 1
    assert list(store.nonces) == [headers["X-Edgegate-Nonce"]]


def test_proposal_when_same_body_sent_20_times_with_own_nonces_then_one_order_19_replayed(
    gate: Gate, clock: ManualClock, sim: RunningSim
) -> None:
    body = equity(clock)
    data = raw(body)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(lambda _: gate.submit_proposal(signed(data, clock), data), range(20))
        )
    decided = [json.loads(a.body) for a in answers if a.status == 200]
    # A retry is not a replay: each has its own nonce and gets the stored decision (or a
    # 409 while the first is still being decided).
    assert all(a.status in (200, 409) for a in answers)
    assert sum(1 for d in decided if not d["replayed"]) == 1
    assert len(orders_tagged(sim, body["id"])) == 1
