"""Every bad input to the brain's API is a 400 or 401 (413 for a body over 64 KiB) naming
the problem, and nothing is stored and Claude (the local fake) is not called: not even to
count tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest

from brain.analyst.fake_claude import FakeClaude
from brain.api.auth import TokenError, api_token
from brain.conversations.ids import new_id
from brain.conversations.store import MemorySessionStore
from tests.functional.brain.conversations.support import harness
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim


class WriteCountingStore(MemorySessionStore):
    """The in-memory store, counting every write (the test's witness of 'no write')."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def create_session(self, session_id: str, now_ms: int) -> Any:
        self.writes += 1
        return super().create_session(session_id, now_ms)

    def append(self, message: Any) -> Any:
        self.writes += 1
        return super().append(message)

    def put_summary(self, summary: Any) -> None:
        self.writes += 1
        super().put_summary(summary)

    def put_recommendation(self, recommendation: Any) -> None:
        self.writes += 1
        super().put_recommendation(recommendation)

    def claim(self, recommendation_id: str, version: int, now_ms: int) -> bool:
        self.writes += 1
        return super().claim(recommendation_id, version, now_ms)


GOOD = {"prompt": "what would you do with SPY into the close?", "watchlist": ["SPY"]}
CASES: list[tuple[str, dict[str, str], bytes, int, str | None]] = [
    ("no token", {"Authorization": ""}, json.dumps(GOOD).encode(), 401, "Authorization"),
    (
        "wrong token",
        {"Authorization": "Bearer " + "x" * 40},
        json.dumps(GOOD).encode(),
        401,
        "Authorization",
    ),
    ("basic auth", {"Authorization": "Basic abc"}, json.dumps(GOOD).encode(), 401, "Authorization"),
    ("missing prompt", {}, json.dumps({"watchlist": ["SPY"]}).encode(), 400, "prompt"),
    ("blank prompt", {}, json.dumps({"prompt": "  "}).encode(), 400, "prompt"),
    ("prompt not text", {}, json.dumps({"prompt": 42}).encode(), 400, "prompt"),
    ("oversized prompt", {}, json.dumps({"prompt": "buy " * 2000}).encode(), 400, "prompt"),
    (
        "lower-case symbol",
        {},
        json.dumps({**GOOD, "watchlist": ["spy"]}).encode(),
        400,
        "watchlist[0]",
    ),
    (
        "symbol with a space",
        {},
        json.dumps({**GOOD, "watchlist": ["SPY", "B RK"]}).encode(),
        400,
        "watchlist[1]",
    ),
    (
        "watchlist not a list",
        {},
        json.dumps({**GOOD, "watchlist": "SPY"}).encode(),
        400,
        "watchlist",
    ),
    (
        "too many symbols",
        {},
        json.dumps({**GOOD, "watchlist": ["SPY"] * 11}).encode(),
        400,
        "watchlist",
    ),
    ("short session id", {}, json.dumps({**GOOD, "session_id": "abc"}).encode(), 400, "session_id"),
    (
        "session id with bad characters",
        {},
        json.dumps({**GOOD, "session_id": "!" * 32}).encode(),
        400,
        "session_id",
    ),
    ("not JSON", {}, b"{prompt: hi", 400, "body"),
    ("JSON list", {}, b"[]", 400, "body"),
    ("unknown field", {}, json.dumps({**GOOD, "size": 1000}).encode(), 400, "size"),
    ("body over 64 KiB", {}, json.dumps({"prompt": "x" * 70_000}).encode(), 413, "body"),
]


@pytest.mark.parametrize(
    ("name", "headers", "body", "status", "field"), CASES, ids=[c[0] for c in CASES]
)
async def test_generate_when_bad_input_then_refused_nothing_stored_no_call_to_fake(
    name: str,
    headers: dict[str, str],
    body: bytes,
    status: int,
    field: str | None,
    sim: RunningSim,
    clock: ManualClock,
) -> None:
    store = WriteCountingStore()
    async with (
        FakeClaude() as fake,
        harness(store=store, clock=clock, sim_url=sim.api_url, gate_url=None, fake=fake) as h,
    ):
        response = await h.http.post(
            "/api/strategies/generate",
            content=body,
            headers={"Content-Type": "application/json", **headers},
        )
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["field"] == field
        assert error["message"]
        assert store.writes == 0
        assert fake.requests == []  # neither messages nor count_tokens


async def test_generate_when_prompt_too_long_then_400_names_the_limit(
    sim: RunningSim, clock: ManualClock
) -> None:
    async with harness(
        store=MemorySessionStore(), clock=clock, sim_url=sim.api_url, gate_url=None, fake=None
    ) as h:
        response = await h.generate("sell " * 2000)
    assert response.status_code == 400
    assert "the limit is 1500 tokens" in response.json()["error"]["message"]
    assert response.json()["error"]["code"] == "too_long"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/strategies/not-an-id/confirm", {"confirmed": True}, "id"),
        (f"/api/strategies/{'A' * 32}/confirm", {"confirmed": "yes"}, "confirmed"),
        (f"/api/strategies/{'A' * 32}/confirm", {}, "confirmed"),
    ],
)
async def test_confirm_when_bad_input_then_400_and_nothing_claimed(
    path: str, body: dict[str, Any], field: str, sim: RunningSim, clock: ManualClock
) -> None:
    store = WriteCountingStore()
    async with harness(
        store=store, clock=clock, sim_url=sim.api_url, gate_url=None, fake=None
    ) as h:
        response = await h.http.post(path, json=body)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert store.writes == 0


async def test_session_when_malformed_or_unknown_then_400_or_404(
    sim: RunningSim, clock: ManualClock
) -> None:
    async with harness(
        store=MemorySessionStore(), clock=clock, sim_url=sim.api_url, gate_url=None, fake=None
    ) as h:
        assert (await h.http.get("/api/sessions/short")).status_code == 400
        assert (await h.http.get(f"/api/sessions/{new_id()}")).status_code == 404
        no_token = await h.http.get("/api/status", headers={"Authorization": ""})
        assert no_token.status_code == 401


@pytest.mark.parametrize("token", ["", "short-token", "x" * 31])
def test_api_token_when_missing_or_under_32_bytes_then_refused(token: str) -> None:
    with pytest.raises(TokenError):
        api_token({"EDGEGATE_API_TOKEN": token} if token else {})
    assert api_token({"EDGEGATE_API_TOKEN": "x" * 32}) == "x" * 32
