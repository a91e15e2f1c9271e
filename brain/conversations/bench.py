"""`edgegate bench conversation`: a 20-turn session through the brain's API, measured.

Claude is the local fake Messages API (its own thread, so its work is not the brain's);
chains come from the Tradier simulator; the session lives in the in-memory store. Per
turn: prompt and memory tokens, the share of input tokens read from the prompt cache,
the turn's cost, and the API's own latency (the HTTP round trip less the time spent
waiting on the API: count_tokens and messages). Also the offline estimate's error against
the fake's count_tokens over the same prompts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as day_time
from decimal import Decimal
from typing import Any

import httpx

from brain.analyst.budget import Budget
from brain.analyst.calls import CallLog, percentile
from brain.analyst.claude import ClaudeClient
from brain.analyst.config import AnalystConfig
from brain.analyst.fake_claude import FakeClaude, Reply, Scripted, fake_in_thread
from brain.analyst.prices import load_prices
from brain.analyst.spend import MemorySpendStore
from brain.api.server import Api, serve
from brain.conversations.compose import build_service
from brain.conversations.context import LiveBrainState
from brain.conversations.prefix import conversation_prefix
from brain.conversations.speakers import ClaudeSpeaker
from brain.conversations.store import MemorySessionStore
from brain.conversations.tokens import Estimate, calibrate
from brain.market import SymbolState
from brain.replay import SIM_ACCOUNT, SIM_TOKEN
from tradier.client import AsyncTradierClient
from tradier.clock import NEW_YORK, ManualClock, from_datetime
from tradier.sim.core import SimConfig
from tradier.sim.server import run_in_thread

TOKEN = "bench-token-" + "x" * 32
QUESTIONS = [
    "What would you do with SPY into the close?",
    "Is QQQ trending or chopping right now, and what does RSI say?",
    "Give me one defined-risk idea on SPY for this week.",
    "What is the gate's state and how many structures are open?",
    "Compare a bull put spread and an iron condor on SPY here.",
]


@dataclass(frozen=True, slots=True)
class TurnFigure:
    """One turn's numbers."""

    turn: int
    prompt_tokens: int
    memory_tokens: int
    input_tokens: int  # uncached + cache write + cache read
    cache_read_tokens: int
    cost: Decimal
    api_ms: float  # the HTTP round trip less the model's time
    recommendations: int


def _scripted(turn: int) -> str:
    ideas = (
        [
            {
                "strategy": "credit_spread",
                "symbol": "SPY",
                "direction": "bull_put",
                "quantity": 1,
                "rationale": "SPY holds above its averages; sell put premium below.",
            }
        ]
        if turn % 5 == 0
        else []
    )
    text = (
        f"Turn {turn}: SPY and QQQ as the context shows them; the regime is not established "
        "yet, so I would size small and keep risk defined. " * 3
    )
    return json.dumps({"response": text, "recommendations": ideas})


async def run(turns: int = 20) -> tuple[list[TurnFigure], dict[str, Any]]:
    """Run `turns` turns of one session; per-turn figures and the estimate's calibration."""
    start = from_datetime(datetime.combine(date(2026, 11, 18), day_time(10, 30), NEW_YORK))
    clock = ManualClock(start)
    config = SimConfig(seed=11, follow_calendar=True, tick_s=0.05)
    fake_server = FakeClaude()
    with run_in_thread(config, clock) as sim, fake_in_thread(fake_server) as fake:
        return await _session(turns, clock, sim.api_url, fake)


async def _session(
    turns: int, clock: ManualClock, sim_url: str, fake: FakeClaude
) -> tuple[list[TurnFigure], dict[str, Any]]:
    settings = AnalystConfig(api_key="bench-key", base_url=fake.url, max_tokens=1200)
    prices = load_prices(settings.prices_path)
    client = ClaudeClient(
        settings,
        prices.price(settings.model),
        Budget(MemorySpendStore(), clock, Decimal("5.00"), 1000),
        clock,
        calls=CallLog(),
        price_effective=prices.effective,
    )
    speaker = ClaudeSpeaker(client, conversation_prefix())
    async with AsyncTradierClient(sim_url, SIM_TOKEN, SIM_ACCOUNT) as market:
        states = {s: SymbolState(s) for s in ("SPY", "QQQ")}
        for quote in await market.quotes(list(states)):
            # As the feed writes them: floats on the hot path (prices become Decimal later).
            states[quote.symbol].bid = float(quote.bid) if quote.bid is not None else None
            states[quote.symbol].ask = float(quote.ask) if quote.ask is not None else None

        async def equity() -> Decimal:
            return Decimal(100_000)

        service = build_service(
            store=MemorySessionStore(),
            speaker=speaker,
            brain=LiveBrainState(states, {}, None, clock),
            chains=market,
            gate=None,
            clock=clock,
            equity=equity,
        )
        runner, port = await serve(Api(service, TOKEN), "127.0.0.1", 0)
        figures: list[TurnFigure] = []
        prompts = []
        session_id: str | None = None
        try:
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}",
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=60,
            ) as http:
                for turn in range(1, turns + 1):
                    fake.script(Reply(Scripted.VALID, _scripted(turn)))
                    body: dict[str, Any] = {
                        "prompt": QUESTIONS[turn % len(QUESTIONS)],
                        "watchlist": ["SPY", "QQQ"],
                    }
                    if session_id:
                        body["session_id"] = session_id
                    counted_before = speaker.counter.seconds
                    t0 = time.perf_counter()
                    response = await http.post("/api/strategies/generate", json=body)
                    wall = time.perf_counter() - t0
                    response.raise_for_status()
                    out = response.json()
                    session_id = out["session_id"]
                    record = client.calls.records[-1]
                    usage = record.usage
                    model_s = record.model_ms / 1000 + speaker.counter.seconds - counted_before
                    stats = out["context_stats"]
                    figures.append(
                        TurnFigure(
                            turn=turn,
                            prompt_tokens=stats["prompt_tokens"],
                            memory_tokens=stats["memory_tokens"],
                            input_tokens=usage.input_tokens
                            + usage.cache_write_tokens
                            + usage.cache_read_tokens,
                            cache_read_tokens=usage.cache_read_tokens,
                            cost=record.cost,
                            api_ms=max(0.0, (wall - model_s) * 1000),
                            recommendations=len(out["recommendations"]),
                        )
                    )
                    if service.last_fitted is not None:
                        prompts.append(service.last_fitted.prompt)
                    clock.advance(60_000)
            calibration = await calibrate(prompts, speaker.counter, Estimate())
        finally:
            await runner.cleanup()
            await client.aclose()
    cal = {
        "samples": calibration.samples,
        "fitted_bytes_per_token": round(calibration.fitted_bytes_per_token, 3),
        "estimate_over_real_min": round(calibration.min_ratio, 3),
        "estimate_over_real_max": round(calibration.max_ratio, 3),
    }
    return figures, cal


def report(figures: list[TurnFigure], calibration: dict[str, Any]) -> str:
    """The figures as a table and a summary."""
    lines = ["turn  prompt_tok  memory_tok  input_tok  cache_read%  cost$      api_ms  recs"]
    for f in figures:
        share = 100 * f.cache_read_tokens / f.input_tokens if f.input_tokens else 0.0
        lines.append(
            f"{f.turn:>4}  {f.prompt_tokens:>10}  {f.memory_tokens:>10}  {f.input_tokens:>9}"
            f"  {share:>10.1f}  {f.cost:<9.6f}  {f.api_ms:>6.1f}  {f.recommendations:>4}"
        )
    total_in = sum(f.input_tokens for f in figures)
    total_read = sum(f.cache_read_tokens for f in figures)
    api = [f.api_ms for f in figures]
    lines.append(
        f"cache-read share of input tokens: {100 * total_read / max(total_in, 1):.1f} %; "
        f"cost per turn: mean ${statistics.mean(float(f.cost) for f in figures):.6f}, "
        f"total ${sum(f.cost for f in figures):.6f}"
    )
    lines.append(
        f"API latency excluding model time: median {statistics.median(api):.1f} ms, "
        f"p95 {percentile(api, 95):.1f} ms, max {max(api):.1f} ms"
    )
    lines.append(f"offline estimate vs the fake's count_tokens: {json.dumps(calibration)}")
    return "\n".join(lines)


def register(parser: argparse.ArgumentParser) -> None:
    """The bench's options."""
    parser.add_argument(
        "--turns", type=int, default=20, help="turns of the one session (default 20)"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print its figures."""
    parser = argparse.ArgumentParser(prog="edgegate bench conversation")
    register(parser)
    args = parser.parse_args(argv)
    figures, calibration = asyncio.run(run(args.turns))
    print(report(figures, calibration))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
