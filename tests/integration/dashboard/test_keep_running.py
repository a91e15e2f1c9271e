"""`edgegate demo --keep-running`'s hold: after a real replay (simulator, in-process gate,
offline analyst) the brain is still up and its dashboard serves what the run did; the
page as Chromium draws it is kept as tests/artifacts/dashboard-demo.png."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import httpx
import pytest

from brain.api.activity import Activity
from brain.api.keep_running import keep_serving
from brain.replay import ReplayOptions, replay_sim
from edgegate.compose import in_process_gate
from tests.integration.dashboard.devtools import open_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "tests" / "artifacts"

TOKEN = "fake-keep-running-token-" + "k" * 16
URL = re.compile(r"dashboard: (http://127\.0\.0\.1:\d+/)")


async def test_keep_running_when_replay_done_then_dashboard_serves_the_runs_proposals(
    tmp_path: Path,
) -> None:
    said: list[str] = []
    seen: dict[str, object] = {}

    async def probe() -> None:
        [url] = [m.group(1) for line in said if (m := URL.search(line))]
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            seen["login"] = (await http.get("/")).status_code
            seen["dashboard"] = (await http.get("/api/dashboard", headers=headers)).json()
        async with open_page(tmp_path / "profile") as page:
            await page.send("Page.enable")
            await page.send("Page.navigate", url=url)
            await page.wait_for("document.getElementById('token') !== null")
            await page.evaluate(
                f"document.getElementById('token').value = {TOKEN!r};"
                "document.getElementById('sign-in').click(); true"
            )
            seen["rows"] = await page.wait_for(
                "document.querySelectorAll('#proposals tbody tr[data-proposal-id]').length"
            )
            shot = await page.send("Page.captureScreenshot", format="png")
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / "dashboard-demo.png").write_bytes(base64.b64decode(shot["data"]))

    activity, env = Activity(), {"EDGEGATE_API_TOKEN": TOKEN}
    options = ReplayOptions(
        seed=7,
        minutes=8,
        step_s=10.0,
        symbols=("SPY", "QQQ"),
        gate_factory=in_process_gate,
        review="offline",
        hold=keep_serving(env, activity, port=0, say=said.append, stopped=probe),
    )
    result = await replay_sim(options, activity.engine_event)
    assert seen["login"] == 200
    board = seen["dashboard"]
    assert isinstance(board, dict)
    proposed = [e for e in result.events if e.kind == "proposal" and e.proposal is not None]
    assert proposed, "the replay made no proposal"
    shown = {p["proposal_id"] for p in board["proposals"]}
    assert {str(e.proposal.id) for e in proposed if e.proposal} <= shown
    assert board["signals"] and board["trading_state"] == "ACTIVE"
    assert board["analyst"]["analyst"] == "offline"
    decided = [p for p in board["proposals"] if p["decision"] in ("APPROVED", "REJECTED")]
    assert decided
    assert seen["rows"] == len(board["proposals"])  # the page drew every proposal
