"""`edgegate offline`: the gate under serverless-offline (`osls offline --stage local`).

The same handlers `npx osls deploy` ships, served by the Serverless toolchain on
127.0.0.1:8701 (--port), against the Tradier simulator (started here, as `edgegate sim
serve` would serve it, unless --tradier-url or TRADIER_TRADE_BASE_URL names a running
Tradier) and a DynamoDB on loopback (moto's
server, started here on --dynamodb-port with the local stage's tables created, unless
EDGEGATE_DYNAMODB_ENDPOINT names one). The `local` stage in serverless.yml reads the secrets
from this environment (no SSM), honours TRADIER_TRADE_BASE_URL and schedules nothing.
EDGEGATE_SIGNING_SECRET and EDGEGATE_ADMIN_SECRET must be exported (>= 32 bytes, distinct):
nothing here invents a credential.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from functions.config import Need, load_config
from functions.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
STAGE = "local"
GATE_TABLE = f"edgegate-{STAGE}-gate"
SESSIONS_TABLE = f"edgegate-{STAGE}-sessions"
# Loopback DynamoDB accepts any credentials; these reach nothing else.
_LOOPBACK_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local-not-real",
    "AWS_SECRET_ACCESS_KEY": "local-not-real",
}


def register(parser: argparse.ArgumentParser) -> None:
    """Add the `offline` options."""
    parser.description = __doc__.splitlines()[0]
    parser.add_argument(
        "--tradier-url",
        help="a running Tradier, e.g. `edgegate sim serve` (default: $TRADIER_TRADE_BASE_URL, "
        "else start the simulator); then export TRADIER_TRADE_TOKEN and TRADIER_ACCOUNT_ID",
    )
    parser.add_argument(
        "--port", type=int, default=8701, help="the gate's HTTP port (default: %(default)s)"
    )
    parser.add_argument(
        "--lambda-port", type=int, default=8703, help="serverless-offline's Lambda port"
    )
    parser.add_argument(
        "--sim-port", type=int, default=8700, help="the simulator's port (default: %(default)s)"
    )
    parser.add_argument(
        "--dynamodb-port",
        type=int,
        default=8704,
        help="the local DynamoDB's port (default: %(default)s)",
    )


@contextlib.contextmanager
def _simulator(port: int) -> Iterator[tuple[str, str, str]]:
    from tradier.sim.core import SimConfig
    from tradier.sim.server import run_in_thread

    config = SimConfig(port=port)
    with run_in_thread(config) as sim:
        yield sim.api_url, config.token, config.account


@contextlib.contextmanager
def _dynamodb(port: int) -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _create_tables(env: Mapping[str, str]) -> None:
    from functions import runtime
    from functions.local.embedded import ensure_tables

    config = load_config(env, (Need.SIGNING_SECRET, Need.ADMIN_SECRET))
    credentials = (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"])
    ensure_tables(runtime.dynamodb_client(config, 2, credentials), GATE_TABLE, SESSIONS_TABLE)


def offline_environment(
    base: Mapping[str, str],
    tradier: tuple[str, str, str] | None,
    dynamodb: str,
    tradier_url: str | None = None,
) -> dict[str, str]:
    """The environment `osls offline --stage local` runs with (secrets from `base`);
    `tradier` is the started simulator's (url, token, account), else `tradier_url` or
    TRADIER_TRADE_BASE_URL with the exported token and account."""
    env = {**_LOOPBACK_CREDENTIALS, **base}
    if tradier_url:
        env["TRADIER_TRADE_BASE_URL"] = tradier_url
    if tradier is not None:
        env["TRADIER_TRADE_BASE_URL"], env["TRADIER_TRADE_TOKEN"], env["TRADIER_ACCOUNT_ID"] = (
            tradier
        )
    env.update(
        EDGEGATE_DYNAMODB_ENDPOINT=dynamodb,
        EDGEGATE_GATE_TABLE=GATE_TABLE,
        EDGEGATE_CONSTITUTION=env.get("EDGEGATE_CONSTITUTION", "infra/constitution.toml"),
        EDGEGATE_SECRETS_SOURCE="environment",
        # serverless-offline puts $VIRTUAL_ENV/bin first: the handlers run on the project's Python.
        VIRTUAL_ENV=sys.prefix,
        SLS_TELEMETRY_DISABLED="1",
    )
    return env


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Serve the gate under serverless-offline until interrupted (or `stop` is set)."""
    with contextlib.ExitStack() as stack:
        try:
            tradier = None
            if not (args.tradier_url or os.environ.get("TRADIER_TRADE_BASE_URL")):
                tradier = stack.enter_context(_simulator(args.sim_port))
            dynamodb = os.environ.get("EDGEGATE_DYNAMODB_ENDPOINT") or stack.enter_context(
                _dynamodb(args.dynamodb_port)
            )
            env = offline_environment(os.environ, tradier, dynamodb, args.tradier_url)
            load_config(env)  # every variable checked before anything is served
            _create_tables(env)
        except ConfigError as exc:
            print(f"edgegate offline: configuration error: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:  # a port taken
            print(f"edgegate offline: cannot start: {exc}", file=sys.stderr)
            return 2
        child = subprocess.Popen(
            [
                "npx",
                "--no-install",
                "osls",
                "offline",
                "--stage",
                STAGE,
                "--httpPort",
                str(args.port),
                "--lambdaPort",
                str(args.lambda_port),
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        stack.callback(_stop, child)
        # systemctl stop / kill: stop osls (its own session) before exiting, like Ctrl-C.
        signal.signal(signal.SIGTERM, _interrupt)
        print(
            f"edgegate offline: gate on http://127.0.0.1:{args.port} (stage {STAGE}, tradier "
            f"{env['TRADIER_TRADE_BASE_URL']}, dynamodb {dynamodb})",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            if stop is None:
                return child.wait()
            while child.poll() is None and not stop.wait(0.2):
                pass
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGTERM)  # osls and the Python workers it spawned
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
