"""The gate composed for local runs: config from the environment, DynamoDB (an embedded
moto server on loopback, serialized so its conditions and transactions hold under
concurrent requests, unless EDGEGATE_DYNAMODB_ENDPOINT names one), tables created, the
handlers behind `LocalGateServer`, and the schedules on the gate's clock."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from functions import runtime
from functions.config import ALL_NEEDS, GateConfig, load_config
from functions.errors import ConfigError
from functions.local.scheduler import LocalScheduler
from functions.local.server import LocalGateServer
from functions.local.simclock import SimFollowingClock, sim_base_url
from tradier.clock import Clock, SystemClock

log = logging.getLogger("edgegate.functions.local")

LOCAL_DEFAULTS = {
    "EDGEGATE_GATE_TABLE": "edgegate-local-gate",
    "EDGEGATE_SESSIONS_TABLE": "edgegate-local-sessions",
    "EDGEGATE_CONSTITUTION": "infra/constitution.toml",
}
# Loopback DynamoDB servers accept any credentials; real ones are never invented here.
_LOOPBACK_CREDENTIALS = ("local-not-real", "local-not-real")


@dataclass
class LocalGate:
    """A running local gate."""

    url: str
    config: GateConfig
    server: LocalGateServer
    gate: Any
    dynamodb: Any
    clock: Clock
    scheduler: LocalScheduler | None


def _is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def ensure_tables(client: Any, gate_table: str, sessions_table: str) -> list[str]:
    """Create whichever of the two tables is missing; returns the names created."""
    from gatekeeper.tables import create_table

    existing = set(client.list_tables().get("TableNames", []))
    created = []
    for name in (gate_table, sessions_table):
        if name not in existing:
            create_table(client, name)
            created.append(name)
    return created


@contextlib.contextmanager
def embedded_dynamodb() -> Iterator[str]:
    """A moto DynamoDB server on a free loopback port, for the duration of the block.

    Requests to it are served one at a time (`functions.local.serial_moto`): moto alone
    would let concurrent proposals break the limits the gate's transactions enforce."""
    try:
        from functions.local.serial_moto import SerializedMotoServer
    except ImportError as exc:  # moto is a dev dependency
        raise ConfigError(
            "EDGEGATE_DYNAMODB_ENDPOINT",
            "is not set and moto[server] is not installed for an embedded DynamoDB",
        ) from exc
    server = SerializedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@contextlib.contextmanager
def local_gate(
    env: Mapping[str, str],
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    follow_sim_clock: bool = False,
    clock: Clock | None = None,
    schedules: bool = True,
    state_dir: Path | None = None,
) -> Iterator[LocalGate]:
    """Compose and serve the gate locally until the block ends; with `state_dir`, the
    embedded DynamoDB's tables are restored from it and kept in it (`snapshot`)."""
    config = load_config({**LOCAL_DEFAULTS, **env}, ALL_NEEDS)
    sessions_table = env.get("EDGEGATE_SESSIONS_TABLE") or LOCAL_DEFAULTS["EDGEGATE_SESSIONS_TABLE"]
    with contextlib.ExitStack() as stack:
        embedded = config.dynamodb_endpoint is None  # a given endpoint keeps its own data
        if embedded:
            endpoint = stack.enter_context(embedded_dynamodb())
            config = dataclasses.replace(config, dynamodb_endpoint=endpoint)
        assert config.dynamodb_endpoint is not None
        credentials = None
        if _is_loopback(config.dynamodb_endpoint) and not env.get("AWS_ACCESS_KEY_ID"):
            credentials = _LOOPBACK_CREDENTIALS
        # One connection per concurrent request: the local server runs a thread for each.
        client = runtime.dynamodb_client(config, 128, credentials)
        ensure_tables(client, config.gate_table, sessions_table)
        if state_dir is not None and embedded:
            from functions.local.snapshot import kept_tables

            tables = (config.gate_table, sessions_table)
            restored = stack.enter_context(kept_tables(client, tables, state_dir))
            log.info("gate state kept in %s (%d items restored)", state_dir, restored)
        if clock is None and follow_sim_clock:
            following = SimFollowingClock(sim_base_url(config.tradier_base_url))
            stack.callback(following.close)
            clock = following
        clock = clock or SystemClock()
        gate = runtime.compose(config, clock=clock, dynamodb=client)
        runtime.install(gate)
        stack.callback(runtime.reset)
        server = LocalGateServer(host, port, clock=clock)
        url = server.start()
        stack.callback(server.stop)
        scheduler = None
        if schedules:
            scheduler = LocalScheduler(clock)
            scheduler.start()
            stack.callback(scheduler.stop)
        yield LocalGate(url, config, server, gate, client, clock, scheduler)
