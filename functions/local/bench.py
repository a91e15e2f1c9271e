"""`edgegate bench gate`: the proposals handler's own cost per approved proposal.

N distinct approved proposals (limit buys, the brain's usual order; with `--closes`, market
sells of a share bought just before, unmeasured) go through the real
`functions.proposals.handler` as real API Gateway v2 events, against an in-process
DynamoDB (moto `mock_aws`) and the Tradier simulator on loopback. The boto3 client and
the Tradier transport are wrapped to count their calls and time them; the handler's own
time is its wall time minus the time spent inside those calls (network waits, and moto's
own work). Symbols are distinct and the shared clock steps 1.1 s between proposals, so
neither rate limit refuses them. `import_ms` is the median wall time, in fresh
interpreters, to import the handler and everything its first invocation imports (the
lazily composed gate and its clients); the handler module's own import time is printed
on the line above it.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from functions.config import load_config
from functions.local.metering import CountingClient, TimingTransport
from functions.local.server import build_event
from functions.routes import ROUTES
from tradier.clock import ManualClock, from_datetime

BENCH_SECRET = b"bench-signing-secret-not-real-" + b"x" * 8
BENCH_ADMIN_SECRET = b"bench-admin-secret-not-real-" + b"x" * 8
# A Wednesday, 10:00 in New York: the simulator's market is open.
START = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
STEP_MS = 1_100  # > 60 s / 59 global trade calls a minute
PROPOSALS_ROUTE = next(r for r in ROUTES if r.module == "functions.proposals")


@dataclass(frozen=True)
class Sample:
    """One proposal's measurements."""

    approved: bool
    total_s: float
    ddb_s: float
    tradier_s: float
    ddb_calls: int
    tradier_calls: int

    @property
    def own_ms(self) -> float:
        """Wall time minus time inside DynamoDB and Tradier calls."""
        return (self.total_s - self.ddb_s - self.tradier_s) * 1000


def bench_constitution(symbols: Sequence[str]) -> str:
    """A paper-account constitution with the caps raised so N opens all fit."""
    quoted = ", ".join(f'"{s}"' for s in symbols)
    return f"""
correlation_groups = []

[trading]
live_trading = false
sandbox_hosts = ["127.0.0.1", "localhost"]
live_hosts = ["api.tradier.com"]

[universe]
symbols = [{quoted}]
strategies = ["equity"]

[limits]
max_open_structures = 10000
max_open_structures_per_symbol = 10
max_contracts_per_proposal = 10
max_shares_per_proposal = 500
max_notional = 25000.00
allow_naked_shorts = false
daily_loss_percent = 50.0
min_days_to_expiry = 0
max_days_to_expiry = 60

[timing]
staleness_seconds = 10
heartbeat_timeout_minutes = 10

[rate_limits]
symbol_open_window_seconds = 60
global_trade_calls_per_minute = 59
"""


def import_times_ms(runs: int) -> list[float]:
    """Cumulative `-X importtime` of functions.proposals in `runs` fresh interpreters."""
    found: list[float] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import functions.proposals"],
            capture_output=True,
            text=True,
            check=True,
        )
        for line in done.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == "functions.proposals":
                found.append(int(parts[1]) / 1000)
    return found


# What a cold start imports before the first proposal is decided: the handler module,
# then what `functions.runtime.compose` and the clients it builds import (botocore for
# DynamoDB, httpx and httpcore for Tradier, msgspec, the gate). Kept in step with
# `compose` by a functional test that composes a gate after importing exactly these.
FIRST_INVOCATION_IMPORTS = (
    "functions.proposals",
    "functions.aws",
    "botocore.session",
    "botocore.config",
    "httpx",
    "httpcore",
    "msgspec",
    "tradier.client",
    "gatekeeper.constitution",
    "gatekeeper.dynamo_store",
    "gatekeeper.service",
)

_COLD_IMPORTS = (
    "import importlib, time; t = time.perf_counter()\n"
    f"for name in {FIRST_INVOCATION_IMPORTS!r}: importlib.import_module(name)\n"
    "print((time.perf_counter() - t) * 1000)"
)


def cold_start_imports_ms(runs: int) -> list[float]:
    """Wall time, in `runs` fresh interpreters, to import the proposals handler and
    everything its first invocation imports: what a cold start really pays."""
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", _COLD_IMPORTS], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]


def _proposal(symbol: str, now_ms: int, kind: str = "open") -> bytes:
    """A one-share proposal: `open` a limit buy, `market_open` a market buy (it fills), or
    `close` a market sell of that share."""
    import json

    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "created_at": now_ms,
        "symbol": symbol,
        "strategy": "equity",
        "intent": "close" if kind == "close" else "open",
        "quantity": 1,
        "order_type": "limit" if kind == "open" else "market",
        "duration": "day",
        "side": "sell" if kind == "close" else "buy",
        "source": {"kind": "signal", "name": "bench"},
    }
    if kind == "open":
        body["price"] = "100.00"
    return json.dumps(body, separators=(",", ":")).encode()


def _event(body: bytes, now_ms: int) -> dict[str, Any]:
    from gatekeeper.signing import Target, signed_headers

    headers = [("content-type", "application/json"), ("content-length", str(len(body)))]
    target = Target(PROPOSALS_ROUTE.method, PROPOSALS_ROUTE.path)
    headers += list(signed_headers(BENCH_SECRET, target, body, now_ms).items())
    return build_event(
        method="POST",
        raw_path="/v1/proposals",
        raw_query="",
        headers=headers,
        body=body,
        route=PROPOSALS_ROUTE,
        path_parameters={},
        source_ip="127.0.0.1",
        now_ms=now_ms,
        request_id=uuid.uuid4().hex,
    )


@contextlib.contextmanager
def _bench_gate(
    symbols: Sequence[str], clock: ManualClock
) -> Iterator[tuple[CountingClient, TimingTransport]]:
    import boto3
    from moto import mock_aws

    from functions import runtime
    from gatekeeper.tables import create_table
    from tradier.sim.core import SimConfig
    from tradier.sim.server import run_in_thread

    unlimited = {"standard": 1_000_000, "market": 1_000_000, "trade": 1_000_000}
    # SPY first: the simulator derives its volatility level from its first symbol as if it
    # were SPY, and the bench's made-up symbols would otherwise trade at nonsense prices
    # (which the gate, pricing every open at the market, rightly refuses).
    sim_config = SimConfig(
        symbols=("SPY", *symbols), rate_limits=unlimited, start_ms=clock.now_ms()
    )
    with (
        tempfile.TemporaryDirectory() as folder,
        mock_aws(),
        run_in_thread(sim_config, clock) as sim,
    ):
        path = Path(folder) / "constitution.toml"
        path.write_text(bench_constitution(symbols))
        config = load_config(
            {
                "EDGEGATE_GATE_TABLE": "edgegate-bench-gate",
                "EDGEGATE_CONSTITUTION": str(path),
                "TRADIER_TRADE_BASE_URL": sim.api_url,
                "TRADIER_TRADE_TOKEN": sim_config.token,
                "TRADIER_ACCOUNT_ID": sim_config.account,
                "EDGEGATE_SIGNING_SECRET": BENCH_SECRET.decode(),
                "EDGEGATE_ADMIN_SECRET": BENCH_ADMIN_SECRET.decode(),
                "AWS_REGION": "us-east-1",
            }
        )
        raw = boto3.client(
            "dynamodb",
            region_name="us-east-1",
            aws_access_key_id="bench-not-real",
            aws_secret_access_key="bench-not-real",
        )
        create_table(raw, config.gate_table)
        dynamodb = CountingClient(raw)
        transport = TimingTransport()
        tradier = runtime.tradier_client(config, clock, transport)
        runtime.install(runtime.compose(config, clock=clock, dynamodb=dynamodb, tradier=tradier))
        try:
            yield dynamodb, transport
        finally:
            runtime.reset()
            tradier.close()


def run_bench(count: int, warmup: int, closes: bool = False) -> list[Sample]:
    """Send `warmup + count` proposals; returns the samples of the last `count`. With
    `closes`, each measured proposal closes a share bought (unmeasured) just before it."""
    from functions.proposals import handler

    symbols = [f"B{i:04d}" for i in range(count + warmup)]
    clock = ManualClock(from_datetime(START))
    samples: list[Sample] = []
    with _bench_gate(symbols, clock) as (dynamodb, transport):
        for symbol in symbols:
            if closes:
                clock.advance(STEP_MS)
                now = clock.now_ms()
                handler(_event(_proposal(symbol, now, "market_open"), now), None)
            clock.advance(STEP_MS)
            now = clock.now_ms()
            event = _event(_proposal(symbol, now, "close" if closes else "open"), now)
            ddb_s, ddb_n = dynamodb.seconds, dynamodb.total
            tr_s, tr_n = transport.seconds, transport.total
            started = time.perf_counter()
            response = handler(event, None)
            total = time.perf_counter() - started
            approved = response["statusCode"] == 200 and '"APPROVED"' in response["body"]
            samples.append(
                Sample(
                    approved,
                    total,
                    dynamodb.seconds - ddb_s,
                    transport.seconds - tr_s,
                    dynamodb.total - ddb_n,
                    transport.total - tr_n,
                )
            )
    return samples[warmup:]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def register(parser: argparse.ArgumentParser) -> None:
    """Options of `edgegate bench gate`."""
    parser.add_argument(
        "--proposals",
        type=int,
        default=60,
        help="approved proposals to time, after the warm-up (default: %(default)s)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=5,
        help="proposals sent first and left out of the figures (default: %(default)s)",
    )
    parser.add_argument(
        "--import-runs",
        type=int,
        default=7,
        help="fresh interpreters timed for the import / cold-start cost (default: %(default)s)",
    )
    parser.add_argument(
        "--closes",
        action="store_true",
        help="time closes instead: each a market sell of a share bought just before it",
    )


def main(args: argparse.Namespace | Sequence[str] | None = None) -> int:
    """Run the gate benchmark and print its summary; the last line is machine-readable."""
    parser = argparse.ArgumentParser(
        prog="edgegate bench gate",
        description="The gate's proposals handler: own time, calls and import cost per proposal.",
    )
    register(parser)
    if args is None or isinstance(args, Sequence):
        args = parser.parse_args(list(args or []))
    count = getattr(args, "proposals", 60)
    warmup = getattr(args, "warmup", 5)
    import_runs = getattr(args, "import_runs", 7)

    samples = run_bench(count, warmup, closes=getattr(args, "closes", False))
    approved = [s for s in samples if s.approved]
    imports = import_times_ms(import_runs)
    cold = cold_start_imports_ms(import_runs)
    if not approved:
        print(f"gate bench: 0 of {len(samples)} proposals approved", file=sys.stderr)
        return 1
    own = [s.own_ms for s in approved]
    ddb = [s.ddb_calls for s in approved]
    tradier = [s.tradier_calls for s in approved]
    print(f"approved {len(approved)} of {len(samples)} proposals (after {warmup} warm-up)")
    print(
        f"handler own ms: median {statistics.median(own):.2f} "
        f"p90 {statistics.quantiles(own, n=10)[-1]:.2f} max {max(own):.2f}"
        if len(own) >= 2
        else f"handler own ms: {own[0]:.2f}"
    )
    print(
        "wall ms incl. DynamoDB (moto in-process) and Tradier (simulator, loopback): "
        f"median {statistics.median(s.total_s * 1000 for s in approved):.2f}"
    )
    print(
        "inside calls ms (median): DynamoDB "
        f"{statistics.median(s.ddb_s * 1000 for s in approved):.2f}, Tradier "
        f"{statistics.median(s.tradier_s * 1000 for s in approved):.2f}"
    )
    print(f"ddb calls per approved: mean {statistics.fmean(ddb):.2f} max {max(ddb)}")
    print(f"tradier calls per approved: mean {statistics.fmean(tradier):.2f} max {max(tradier)}")
    print(
        f"import functions.proposals alone ms: median {statistics.median(imports):.1f} "
        f"({', '.join(f'{v:.1f}' for v in imports)})"
    )
    print(
        "first-invocation imports (handler + botocore + httpx + msgspec + gate) ms: "
        f"{', '.join(f'{v:.1f}' for v in cold)}"
    )
    print(
        f"gate handler_ms={statistics.median(own):.2f} "
        f"ddb_calls={_num(statistics.median(ddb))} "
        f"tradier_calls={_num(statistics.median(tradier))} "
        f"import_ms={statistics.median(cold):.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
