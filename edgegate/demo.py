"""`edgegate demo`: the whole system on loopback, no account and no network.

It composes the Tradier simulator (REST and WebSocket on loopback), a local DynamoDB
(an embedded moto server), the gate's real Lambda handlers behind the local HTTP adapter
that builds API Gateway HTTP API (v2) events, and the brain — feed, bars, indicators,
regime, strategies, sizing, exits, signed proposals — replaying a generated trading day
in simulated time. Each line printed is a signal, a skip, a proposal or the gate's decision,
under a live progress bar on a terminal (plain progress lines otherwise). It ends with a
trader's summary — every fill, realised and open P&L reconciled with the broker, positions
at the close, what the gate refused and what the brain held back — and writes
`edgegate-report/` (report.html and trades.csv).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from brain.api.activity import Activity
from brain.api.auth import TokenError
from brain.api.keep_running import keep_serving
from brain.cli import format_analyst, format_event, format_summary
from brain.config import ConfigError, parse_symbols
from brain.engine import EngineEvent
from brain.replay import (
    DEFAULT_SYMBOLS,
    ReplayOptions,
    check_replay_options,
    default_day,
    replay_sim,
    session_open_ms,
)
from edgegate.report import DEFAULT_DIR, closing_summary, write_report
from edgegate.report.gate_audit import AuditKeepingGate
from edgegate.report.progress import LiveProgress
from edgegate.report.recorder import RunRecorder
from edgegate.universe import derived_constitution
from gatekeeper.constitution import load
from gatekeeper.errors import ConstitutionError

DEMO_CONSTITUTION = Path(__file__).with_name("demo_constitution.toml")
BANNER = """edgegate demo — everything on loopback, in simulated time:
  tradier simulator  REST + WebSocket, seeded market, Black-Scholes chains, sandbox broker
  gate               real handlers behind a local API Gateway v2 adapter, embedded DynamoDB
  brain              stream -> 1-min bars -> indicators -> regime -> strategies -> review
                     -> proposals (the offline analyst reviews unless ANTHROPIC_API_KEY is set)
Columns: New York time, kind, symbol, strategy, details. Ctrl-C stops it.
"""


def register(parser: argparse.ArgumentParser) -> None:
    """Add the demo's options."""
    parser.add_argument(
        "--seed",
        type=int,
        default=7,
        help="market seed: same seed, same market (default: %(default)s)",
    )
    parser.add_argument(
        "--symbols",
        default=",".join(DEFAULT_SYMBOLS),
        help="comma-separated watchlist the brain trades and the demo's gate allows "
        f"(default: {','.join(DEFAULT_SYMBOLS)})",
    )
    parser.add_argument(
        "--minutes", type=int, default=390, help="minutes from the open (default: %(default)s)"
    )
    parser.add_argument(
        "--step", type=float, default=10.0, help="simulated seconds per step (default: %(default)s)"
    )
    parser.add_argument(
        "--day",
        type=date.fromisoformat,
        default=None,
        help=f"YYYY-MM-DD (default: a fixed ordinary trading day, {default_day().isoformat()})",
    )
    parser.add_argument(
        "--speed", type=float, default=None, help="simulated s per real s (default: flat out)"
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_DIR,
        help=f"where report.html and trades.csv are written (default: ./{DEFAULT_DIR})",
    )
    parser.add_argument(
        "--constitution",
        type=Path,
        default=DEMO_CONSTITUTION,
        help="the gate's risk constitution (default: the demo's, infra/constitution.toml with "
        "the index group capped at 2 open structures, under the brain's own 3 per group)",
    )

    parser.add_argument(
        "--keep-running",
        action="store_true",
        help="after the replay keep the system up with the dashboard on "
        "http://127.0.0.1:8702/ until Ctrl-C (default: exit)",
    )
    parser.add_argument(
        "--port", type=int, default=8702, help="the dashboard's port with --keep-running"
    )


def run(args: argparse.Namespace) -> int:
    """Run the demo, show what happens, summarise it and write the report."""
    problem = check_replay_options(args.day, args.minutes, args.step)
    if problem is None and not args.constitution.is_file():
        problem = f"--constitution {args.constitution}: no such file"
    try:
        symbols = parse_symbols(args.symbols, "--symbols")
    except ConfigError as exc:
        problem = problem or str(exc)
    if problem is not None:
        print(f"edgegate demo: {problem}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="edgegate-demo-") as tmp:
        try:
            # The demo's gate allows the watchlist (edgegate.universe says why).
            constitution = derived_constitution(args.constitution, symbols, Path(tmp))
        except ConstitutionError as exc:
            print(f"edgegate demo: --constitution {args.constitution}: {exc}", file=sys.stderr)
            return 2
        return _run(args, symbols, constitution)


def _run(args: argparse.Namespace, symbols: tuple[str, ...], constitution: Path) -> int:
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(BANNER, flush=True)
    day = args.day or default_day()
    start_ms = session_open_ms(day)
    end_ms = start_ms + args.minutes * 60_000
    activity = Activity()  # what the dashboard shows with --keep-running
    try:
        hold = keep_serving(os.environ, activity, args.port) if args.keep_running else None
    except TokenError as exc:
        print(f"edgegate demo: {exc}", file=sys.stderr)
        return 2
    gate = AuditKeepingGate(constitution)
    recorder = RunRecorder(day, args.seed, start_ms, end_ms, symbols)
    options = ReplayOptions(
        seed=args.seed,
        day=args.day,
        minutes=args.minutes,
        step_s=args.step,
        symbols=symbols,
        speed=args.speed,
        gate_factory=gate,
        observer=recorder,
        # DESIGN: the demo reviews with the offline analyst unless ANTHROPIC_API_KEY is set.
        review="env",
        hold=hold,
    )
    try:
        with LiveProgress(recorder.tally, start_ms, end_ms) as progress:
            recorder.on_event = lambda e: progress.event_line(format_event(e))
            recorder.on_step = progress.update
            recorder.on_finish = gate.quiesce
            result = asyncio.run(replay_sim(options, both(activity.engine_event, recorder.event)))
    except ConfigError as exc:
        print(f"edgegate demo: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("demo stopped", flush=True)
        return 130
    shown = _shown(args.constitution)
    if set(symbols) - load(args.constitution).symbols:
        shown += f" (universe + --symbols {','.join(symbols)})"
    record = recorder.record(gate.audit, constitution=shown)
    for line in [*closing_summary(record), *format_analyst(result)]:
        print(line, flush=True)
    print(format_summary(result), flush=True)
    page, trades = write_report(record, args.report_dir)
    print(f"report: {page}  trades: {trades}", flush=True)
    return 0 if not result.dead_tasks else 1


def both(*listeners: Callable[[EngineEvent], None]) -> Callable[[EngineEvent], None]:
    """One report callback calling each of `listeners` in turn."""

    def report(event: EngineEvent) -> None:
        for listener in listeners:
            listener(event)

    return report


def _shown(path: Path) -> str:
    # A path inside the checkout reads better relative to it.
    root = Path(__file__).resolve().parents[1]
    resolved = path.resolve()
    return str(resolved.relative_to(root)) if resolved.is_relative_to(root) else str(path)
