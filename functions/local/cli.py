"""`edgegate gate serve`: the gate's handlers behind a local API Gateway v2 adapter.

Reads EDGEGATE_SIGNING_SECRET, EDGEGATE_ADMIN_SECRET, TRADIER_TRADE_BASE_URL,
TRADIER_TRADE_TOKEN, TRADIER_ACCOUNT_ID, EDGEGATE_CONSTITUTION (a path; default
infra/constitution.toml) and EDGEGATE_DYNAMODB_ENDPOINT (unset: an embedded DynamoDB on
loopback with the tables created). Wall-clock time unless --follow-sim-clock.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import threading
from pathlib import Path

from functions.errors import ConfigError
from gatekeeper.errors import ConstitutionError

ENVIRONMENT_HELP = """environment:
  EDGEGATE_SIGNING_SECRET     HMAC secret the brain signs requests with (required,
                              at least 32 bytes)
  EDGEGATE_ADMIN_SECRET       secret for the admin routes (required, at least 32 bytes,
                              not the signing secret)
  TRADIER_TRADE_BASE_URL      Tradier REST base for orders (e.g. the simulator's URL)
  TRADIER_TRADE_TOKEN         Tradier token for that base
  TRADIER_ACCOUNT_ID          the account orders go to
  EDGEGATE_CONSTITUTION       path of the constitution (default: infra/constitution.toml)
  EDGEGATE_DYNAMODB_ENDPOINT  DynamoDB endpoint (unset: an embedded DynamoDB on loopback,
                              tables created, kept in --state-dir)
  EDGEGATE_WEBHOOK_URL        optional Discord/Slack webhook for state changes, halts,
                              fills and the end-of-day report (best effort)
"""


def register(parser: argparse.ArgumentParser) -> None:
    """Add the `gate` sub-commands."""
    sub = parser.add_subparsers(dest="gate_command", metavar="{serve}")
    sub.required = True
    serve = sub.add_parser(
        "serve",
        help="serve the gate's routes on a local port",
        description="Serve the gate's Lambda handlers behind a local API Gateway v2 adapter.",
        epilog=ENVIRONMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    serve.add_argument(
        "--port", type=int, default=8701, help="port to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--follow-sim-clock",
        action="store_true",
        help="use the Tradier simulator's (possibly accelerated) clock instead of wall time",
    )
    serve.add_argument(
        "--no-schedules",
        action="store_true",
        help="do not run reconcile / watchdog / report on the clock",
    )
    serve.add_argument(
        "--state-dir",
        type=Path,
        default=Path(".edgegate/gate-state"),
        help="where the embedded DynamoDB's tables are kept across restarts, so that the "
        "gate remembers its state and open structures (default: %(default)s; ignored with "
        "EDGEGATE_DYNAMODB_ENDPOINT)",
    )
    serve.add_argument(
        "--forget-state",
        action="store_true",
        help="start from empty tables and keep nothing (the embedded DynamoDB only)",
    )
    serve.add_argument(
        "--log-level",
        type=_log_level,
        default="INFO",
        help=f"one of {', '.join(LEVELS)} (default: %(default)s)",
    )


LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(text: str) -> str:
    # A typo must not silently mean INFO: argparse refuses it with the choices.
    name = text.strip().upper()
    if name not in LEVELS:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(LEVELS)}, got {text!r}")
    return name


def configure_logging(level_name: str) -> None:
    """Log at `level_name`, but keep the embedded DynamoDB's per-request lines quiet."""
    level = logging.getLevelNamesMapping()[_log_level(level_name)]
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
    # The embedded DynamoDB (a moto server on werkzeug) logs every request at INFO.
    logging.getLogger("werkzeug").setLevel(max(level, logging.WARNING))


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Serve until interrupted (or until `stop` is set)."""
    from functions.local.embedded import local_gate

    configure_logging(args.log_level)
    if not args.forget_state:
        try:
            args.state_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            print(f"edgegate gate: --state-dir {args.state_dir}: {reason}", file=sys.stderr)
            return 2
    try:
        with local_gate(
            os.environ,
            host=args.host,
            port=args.port,
            follow_sim_clock=args.follow_sim_clock,
            schedules=not args.no_schedules,
            state_dir=None if args.forget_state else args.state_dir,
        ) as running:
            print(
                f"edgegate gate serving on {running.url} "
                f"(dynamodb {running.config.dynamodb_endpoint}, "
                f"tradier {running.config.tradier_base_url})",
                flush=True,
            )
            with contextlib.suppress(KeyboardInterrupt):
                (stop or threading.Event()).wait()
    except ConfigError as exc:
        print(f"edgegate gate: configuration error: {exc}", file=sys.stderr)
        return 2
    except ConstitutionError as exc:
        # One line naming the key; `edgegate constitution check FILE` says the same.
        where = os.environ.get("EDGEGATE_CONSTITUTION", "") or "infra/constitution.toml"
        print(f"edgegate gate: EDGEGATE_CONSTITUTION {where}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. the port is taken
        print(f"edgegate gate: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    return 0
