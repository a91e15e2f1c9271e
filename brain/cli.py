"""`edgegate brain run` and `edgegate brain replay (FILE | --sim)`.

`run` is the live brain, configured from the environment (see `brain.config`); a missing
variable stops it with a message naming it. `replay` runs the same code path in simulated
time and prints every signal, proposal and decision it makes, then a summary line.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from brain.config import ConfigError, load_config, parse_symbols, signing_secret
from brain.engine import EngineEvent
from brain.logsetup import LEVELS, configure_logging, log_level
from brain.replay import (
    SIM_TOKEN,
    GateFactory,
    ReplayOptions,
    ReplayResult,
    check_replay_options,
    replay_file,
    replay_sim,
)
from tradier.clock import to_new_york


def register(parser: argparse.ArgumentParser) -> None:
    """Add the brain's sub-commands to `parser`."""
    sub = parser.add_subparsers(dest="brain_command", metavar="{run,replay}")
    sub.required = True
    run = sub.add_parser("run", help="stream, decide and propose live (config from env)")
    run.add_argument(
        "--log-level", type=log_level, default="INFO", help=f"one of {', '.join(LEVELS)}"
    )
    replay = sub.add_parser("replay", help="replay recorded frames or a simulated day")
    source = replay.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="newline-delimited Tradier frames")
    source.add_argument("--sim", action="store_true", help="a generated day on the simulator")
    replay.add_argument(
        "--seed", type=int, default=1, help="--sim market seed: same seed, same day and proposals"
    )
    replay.add_argument("--speed", type=float, default=None, help="simulated s per real s")
    replay.add_argument("--minutes", type=int, default=390, help="minutes from the open")
    replay.add_argument("--day", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    replay.add_argument("--step", type=float, default=5.0, help="clock step, seconds")
    replay.add_argument("--symbols", default="SPY,QQQ,IWM,DIA")
    replay.add_argument("--gate", default=None, help="gate URL (default: in-process gate)")
    replay.add_argument("--dry-run", action="store_true", help="build proposals, send none")
    replay.add_argument("--chains", default=None, help="FILE replay: REST base for chains")
    replay.add_argument(
        "--review",
        nargs="?",
        const="fake",
        choices=["fake", "offline", "env"],
        default=None,
        help="--sim: review each signal before it becomes a proposal; fake (the default): "
        "Claude's client against the local fake Messages API; offline: the offline "
        "analyst; env: ANTHROPIC_API_KEY/ANTHROPIC_BASE_URL as set (else offline)",
    )
    replay.add_argument(
        "--log-level", type=log_level, default="WARNING", help=f"one of {', '.join(LEVELS)}"
    )


def _price(wire: str) -> str:
    """A wire price for reading: at least cents (0.4 -> 0.40), never rounded."""
    value = Decimal(wire)
    return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)


def format_event(event: EngineEvent) -> str:
    """One printed line per engine event (time in New York)."""
    at = to_new_york(event.at_ms).strftime("%H:%M:%S") if event.at_ms else "--:--:--"
    head = f"{at} {event.kind.upper():8} {event.symbol:5} {event.strategy:20}"
    if event.proposal is not None:
        p = event.proposal
        price = f" {p.order_type.value} {_price(p.price)}" if p.price else f" {p.order_type.value}"
        return f"{head} {p.intent.value} x{p.quantity}{price} id={p.id} {event.detail}"
    return f"{head} {event.detail}"


def _print(event: EngineEvent) -> None:
    print(format_event(event), flush=True)


def format_summary(result: ReplayResult) -> str:
    """The replay's last line: counts of what it did."""
    counts: dict[str, int] = {}
    for event in result.events:
        counts[event.kind] = counts.get(event.kind, 0) + 1
    approved = sum(
        1 for e in result.events if e.decision is not None and e.decision.decision == "APPROVED"
    )
    return (
        f"replay signals={counts.get('signal', 0)} proposals={counts.get('proposal', 0)} "
        f"approved={approved} skipped={counts.get('skip', 0)} errors={counts.get('error', 0)} "
        f"connects={result.connects} reconnects={result.reconnects} "
        f"heartbeats={result.heartbeats} dead_tasks={len(result.dead_tasks)} "
        f"wall_s={result.wall_s:.1f}"
    )


def format_analyst(result: ReplayResult) -> list[str]:
    """The analyst's figures after a reviewed replay (nothing when review was off)."""
    a = result.analyst
    if not a:
        return []
    reviews: dict[str, int] = {}
    for event in result.events:
        if event.kind == "review":
            status = event.detail.split(" ", 1)[0]
            reviews[status] = reviews.get(status, 0) + 1
    lines = [
        f"analyst {a.get('analyst')} reviews={sum(reviews.values())} "
        + " ".join(f"{k}={v}" for k, v in sorted(reviews.items()))
    ]
    figures = a.get("figures")
    if figures:
        budget = a.get("budget", {})
        lines.append(
            f"analyst calls={figures['calls']} attempts={figures['attempts']} "
            f"retries={figures['retries']} outcomes={figures['outcomes']} "
            f"cost=${figures['cost']} (budget ${budget.get('budget')}, prices of "
            f"{a.get('prices_effective')})"
        )
        lines.append(
            f"analyst prompt_tokens median={figures['prompt_tokens_median']} "
            f"max={figures['prompt_tokens_max']} prefix={a.get('prefix_tokens')} tokens "
            f"({a.get('prefix_bytes')} bytes, min cacheable {a.get('min_cacheable_tokens')}) "
            f"cache_read_share={figures['cache_read_share']} "
            f"cache_misses={figures['cache_misses']}"
        )
    overhead = a.get("review_overhead_ms")
    if overhead:
        lines.append(
            f"analyst brain overhead per review excluding model time: "
            f"median={overhead['median']}ms p99={overhead['p99']}ms (n={overhead['n']})"
        )
    return lines


def run(args: argparse.Namespace, gate_factory: GateFactory | None = None) -> int:
    """Dispatch `edgegate brain ...`; `gate_factory` gives a replay its in-process gate."""
    configure_logging(args.log_level)
    if args.brain_command == "run":
        try:
            config = load_config(os.environ)
        except ConfigError as exc:
            for line in str(exc).splitlines():
                print(f"edgegate brain run: {line}", file=sys.stderr)
            return 2
        from brain.runtime import run_live

        return asyncio.run(run_live(config, _print))
    problem = check_replay_options(args.day, args.minutes, args.step)
    if problem is not None:
        print(f"edgegate brain replay: {problem}", file=sys.stderr)
        return 2
    try:
        symbols = parse_symbols(args.symbols, "--symbols")
    except ConfigError as exc:
        print(f"edgegate brain replay: {exc}", file=sys.stderr)
        return 2
    secret = b""
    if args.gate:
        try:
            secret = signing_secret(os.environ)  # the gate's rule, before anything is sent
        except ConfigError as exc:
            print(f"edgegate brain replay: {exc} (required with --gate)", file=sys.stderr)
            return 2
    options = ReplayOptions(
        seed=args.seed,
        day=args.day,
        minutes=args.minutes,
        step_s=args.step,
        symbols=symbols,
        gate_url=args.gate,
        dry_run=args.dry_run,
        speed=args.speed,
        gate_factory=gate_factory,
        review=args.review,
    )
    if args.review and not args.sim:
        print("edgegate brain replay: --review needs --sim", file=sys.stderr)
        return 2
    if args.gate:
        options.gate_secret = secret
    if not args.sim and not args.file.is_file():
        print(f"edgegate brain replay: no such file: {args.file}", file=sys.stderr)
        return 2
    try:
        result = _replay(args, options)
    except ConfigError as exc:
        print(f"edgegate brain replay: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Ctrl-C is how a user ends a replay early: a line, not every task's traceback.
        print("edgegate brain replay: interrupted; nothing more was replayed", file=sys.stderr)
        return 130
    for line in format_analyst(result):
        print(line, flush=True)
    print(format_summary(result), flush=True)
    return 0


def _replay(args: argparse.Namespace, options: ReplayOptions) -> ReplayResult:
    if args.sim:
        return asyncio.run(replay_sim(options, _print))
    token = os.environ.get("TRADIER_DATA_TOKEN", "").strip() or SIM_TOKEN
    return asyncio.run(replay_file(args.file, options, _print, base_url=args.chains, token=token))
