"""Composition across the halves, which only this package may do.

The brain may import nothing of the gate but its contract and signing (DESIGN.md), so a
replay or the demo that wants the real gate in-process gets it from here, injected.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from tradier.clock import Clock
from tradier.sim.defaults import DEFAULT_ACCOUNT, DEFAULT_TOKEN

_ROOT = Path(__file__).resolve().parents[1]
_TABLES = itertools.count(1)


def gate_env(api_url: str, secret: bytes, constitution: Path | None = None) -> dict[str, str]:
    """The local gate's environment for a simulator at `api_url`, on fresh tables, running
    `constitution` (default: `infra/constitution.toml`)."""
    # The embedded DynamoDB keeps tables for the whole process: a fresh pair per gate, so
    # one replay's open structures never count against the next one's limits.
    suffix = f"{os.getpid()}-{next(_TABLES)}"
    return {
        "EDGEGATE_GATE_TABLE": f"edgegate-replay-gate-{suffix}",
        "EDGEGATE_SESSIONS_TABLE": f"edgegate-replay-sessions-{suffix}",
        "TRADIER_TRADE_BASE_URL": api_url,
        "TRADIER_TRADE_TOKEN": DEFAULT_TOKEN,
        "TRADIER_ACCOUNT_ID": DEFAULT_ACCOUNT,
        "EDGEGATE_SIGNING_SECRET": secret.decode(),
        # Nothing in a replay or the demo signs admin requests: a random secret per gate
        # keeps the admin routes shut rather than open to a value written in the source.
        "EDGEGATE_ADMIN_SECRET": secrets.token_urlsafe(32),
        "EDGEGATE_CONSTITUTION": str(constitution or _ROOT / "infra" / "constitution.toml"),
    }


@contextlib.contextmanager
def in_process_gate(
    api_url: str,
    clock: Clock,
    secret: bytes,
    *,
    schedules: bool = False,
    constitution: Path | None = None,
) -> Iterator[str]:
    """The real gate (handlers, local v2 adapter, embedded DynamoDB) on `clock`; yields its URL.

    `schedules` also runs reconcile and the watchdog on `clock`: only reconcile sees a
    close fill and releases its structure, so without it closed positions keep counting
    against the gate's limits. A replay leaves it off to stay deterministic.
    """
    from functions.local.embedded import local_gate

    env = gate_env(api_url, secret, constitution)
    with local_gate(env, clock=clock, schedules=schedules) as gate:
        yield gate.url


def scheduled_gate(
    api_url: str, clock: Clock, secret: bytes
) -> contextlib.AbstractContextManager[str]:
    """`in_process_gate` with its schedules running, as deployed (the demo's gate)."""
    return in_process_gate(api_url, clock, secret, schedules=True)
