"""`edgegate bench analyst`: the brain's own time per signal review, model time excluded.

Reviews of a planned SPY iron condor (real legs, prices and a warmed-up symbol state) go
through `SignalReviewer` -> `ClaudeAnalyst` -> the SDK -> the local fake Messages API on
loopback (served from its own thread, so its work is not counted as the brain's), and
through the offline analyst. Per review: the whole review's wall time less
the time spent waiting on the API (count_tokens and messages round trips), prompt tokens,
and the share of input tokens served from the prompt cache.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from brain.analyst.analysts import Analyst, ClaudeAnalyst, OfflineAnalyst
from brain.analyst.calls import percentile
from brain.analyst.config import AnalystConfig
from brain.analyst.factory import build_analyst
from brain.analyst.fake_claude import fake_in_thread
from brain.analyst.review import SignalReviewer
from brain.analyst.spend import FileSpendStore, MemorySpendStore, SpendStore
from brain.bars import Bar, Session
from brain.exits import Targets
from brain.legs import Contract, NetPrice, Side, StructureLeg
from brain.market import Signal, SymbolState
from brain.persist import StateStore
from brain.strategies.base import OptionPlan, PlannedTrade
from gatekeeper.contract import Strategy
from tradier.clock import ManualClock
from tradier.money import NetKind
from tradier.occ import OptionType

NOW_MS = 1_795_012_200_000  # 2026-11-18 15:30 UTC
EXPIRY = date(2026, 12, 18)


def _contract(kind: OptionType, strike: int, bid: str, ask: str, delta: float) -> Contract:
    letter = "P" if kind is OptionType.PUT else "C"
    symbol = f"SPY261218{letter}{strike * 1000:08d}"
    return Contract(
        symbol, "SPY", kind, Decimal(strike), EXPIRY, Decimal(bid), Decimal(ask), delta, 0.18
    )


def planned_condor() -> PlannedTrade:
    """A priced SPY iron condor, as the planner would hand it over."""
    legs = (
        StructureLeg(_contract(OptionType.PUT, 570, "1.10", "1.14", -0.10), Side.BUY),
        StructureLeg(_contract(OptionType.PUT, 575, "1.50", "1.54", -0.16), Side.SELL),
        StructureLeg(_contract(OptionType.CALL, 625, "1.45", "1.49", 0.16), Side.SELL),
        StructureLeg(_contract(OptionType.CALL, 630, "1.05", "1.09", 0.10), Side.BUY),
    )
    plan = OptionPlan(
        "SPY",
        Strategy.IRON_CONDOR,
        "iron_condor",
        legs,
        NetPrice(Decimal("0.72"), NetKind.CREDIT),
        Decimal("428"),
    )
    return PlannedTrade(plan, Targets(Decimal("36"), Decimal("72")))


def warmed_state() -> SymbolState:
    """SPY with 120 one-minute bars applied, so every indicator has a value."""
    state = SymbolState("SPY")
    price = 600.0
    for i in range(120):
        price += 0.05 if i % 3 else -0.08
        start = NOW_MS - (120 - i) * 60_000
        bar = Bar(
            "SPY",
            start,
            price,
            price + 0.2,
            price - 0.2,
            price + 0.01,
            10_000,
            50,
            price,
            Session.REGULAR,
        )
        state.apply_bar(bar)
    state.bid, state.ask = price - 0.01, price + 0.01
    return state


async def _run(analyst: Analyst, reviews: int) -> dict[str, float]:
    clock = ManualClock(NOW_MS)
    state = warmed_state()
    reviewer = SignalReviewer(analyst, clock, state_of=lambda s: state)
    trade = planned_condor()
    for i in range(reviews):
        clock.advance(60_000)
        signal = Signal(
            "SPY",
            "iron_condor",
            "iron_condor",
            clock.now_ms(),
            1.0,
            f"chop #{i}",
            {"price": "600.00", "regime": "low_vol_chop"},
        )
        await reviewer.review(signal, [(trade, 2)])
    model_ms: dict[str, float] = {}
    out: dict[str, float] = {}
    if isinstance(analyst, ClaudeAnalyst):
        records = list(analyst.client.calls.records)
        model_ms = {r.call_id: r.model_ms for r in records}
        figures = analyst.client.calls.figures()
        out["prompt_tokens_median"] = float(figures["prompt_tokens_median"])
        out["cache_read_share"] = float(figures["cache_read_share"])
        out["model_ms_median"] = statistics.median(r.model_ms for r in records)
    overheads = reviewer.overheads_ms(model_ms)
    out["overhead_ms_median"] = statistics.median(overheads)
    out["overhead_ms_p99"] = percentile(overheads, 99)
    return out


async def _bench(reviews: int, spend_kind: str) -> None:
    with fake_in_thread() as fake, tempfile.TemporaryDirectory() as folder:
        spend: SpendStore = (
            FileSpendStore(StateStore(Path(folder))) if spend_kind == "file" else MemorySpendStore()
        )
        config = AnalystConfig(
            api_key="fake-claude",
            base_url=fake.url,
            daily_budget=Decimal(1000),
            calls_per_hour=100_000,
        )
        claude = build_analyst(config, ManualClock(NOW_MS), spend=spend)
        try:
            result = await _run(claude, reviews)
        finally:
            await claude.aclose()
    print(
        f"claude (fake API, {spend_kind} spend store) reviews={reviews} "
        f"prompt_tokens_median={result['prompt_tokens_median']:.0f} "
        f"cache_read_share={result['cache_read_share']:.3f} "
        f"model_ms_median={result['model_ms_median']:.2f} "
        f"overhead_ms median={result['overhead_ms_median']:.3f} p99={result['overhead_ms_p99']:.3f}"
    )
    offline = await _run(OfflineAnalyst(), reviews)
    print(
        f"offline reviews={reviews} overhead_ms median={offline['overhead_ms_median']:.3f} "
        f"p99={offline['overhead_ms_p99']:.3f}"
    )


def register(parser: argparse.ArgumentParser) -> None:
    """The benchmark's options."""
    parser.add_argument(
        "--reviews", type=int, default=300, help="reviews per analyst (default 300)"
    )
    parser.add_argument(
        "--spend",
        choices=["memory", "file"],
        default="file",
        help="spend store (default file: every reservation and settlement fsync'ed)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; `--reviews N`, `--spend memory|file`."""
    parser = argparse.ArgumentParser(
        prog="edgegate bench analyst", description=__doc__.splitlines()[0]
    )
    register(parser)
    args = parser.parse_args(argv)
    asyncio.run(_bench(args.reviews, args.spend))
    return 0
