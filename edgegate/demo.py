"""`edgegate demo`: the whole system on loopback, no account and no network.

It composes the Tradier simulator (REST and WebSocket on loopback), a local DynamoDB
(an embedded moto server), the gate's real Lambda handlers behind the local HTTP adapter
that builds API Gateway HTTP API (v2) events, and the brain — feed, bars, indicators,
regime, strategies, sizing, exits, signed proposals — replaying a generated trading day
in simulated time. Each line printed is a signal, a skip, a proposal or the gate's decision;
it ends with a summary of what was opened, closed, refused and held back.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import date

from brain.cli import format_analyst, format_event, format_summary
from brain.replay import ReplayOptions, check_replay_options, replay_sim
from edgegate.compose import scheduled_gate
from edgegate.demo_summary import trader_summary

BANNER = """edgegate demo — everything on loopback, in simulated time:
  tradier simulator  REST + WebSocket, seeded market, Black-Scholes chains, sandbox broker
  gate               real handlers behind a local API Gateway v2 adapter, embedded DynamoDB
  brain              stream -> 1-min bars -> indicators -> regime -> strategies -> review
                     -> proposals (the offline analyst reviews unless ANTHROPIC_API_KEY is set)
Columns: New York time, kind, symbol, strategy, details. Ctrl-C stops it.
"""


def register(parser: argparse.ArgumentParser) -> None:
    """Add the demo's options."""
    parser.add_argument("--seed", type=int, default=7, help="market seed (same seed, same day)")
    parser.add_argument("--minutes", type=int, default=390, help="minutes from the open")
    parser.add_argument("--step", type=float, default=10.0, help="simulated seconds per step")
    parser.add_argument("--day", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument(
        "--speed", type=float, default=None, help="simulated s per real s (default: flat out)"
    )


def run(args: argparse.Namespace) -> int:
    """Run the demo and print what happens."""
    problem = check_replay_options(args.day, args.minutes, args.step)
    if problem is not None:
        print(f"edgegate demo: {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(BANNER, flush=True)
    options = ReplayOptions(
        seed=args.seed,
        day=args.day,
        minutes=args.minutes,
        step_s=args.step,
        speed=args.speed,
        gate_factory=scheduled_gate,
        # DESIGN: the demo reviews with the offline analyst unless ANTHROPIC_API_KEY is set.
        review="env",
    )
    try:
        result = asyncio.run(replay_sim(options, lambda e: print(format_event(e), flush=True)))
    except KeyboardInterrupt:
        print("demo stopped", flush=True)
        return 130
    for line in [*trader_summary(result.events), *format_analyst(result)]:
        print(line, flush=True)
    print(format_summary(result), flush=True)
    return 0 if not result.dead_tasks else 1
