"""`edgegate constitution check FILE`: validate a risk constitution before a gate loads it.

Exit 0 with a one-line digest of its limits when the file is valid; exit 1 with one line
naming the first bad key and the rule it breaks (the same check the gate runs at start).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gatekeeper.constitution import load
from gatekeeper.errors import ConstitutionError


def register(parser: argparse.ArgumentParser) -> None:
    """Add the `constitution` sub-commands."""
    sub = parser.add_subparsers(dest="constitution_command", metavar="{check}")
    sub.required = True
    check = sub.add_parser("check", help="validate a constitution file", description=__doc__)
    check.add_argument("file", type=Path, help="the constitution (TOML)")


def run(args: argparse.Namespace) -> int:
    """Check the file and say what it allows, or which key is wrong."""
    try:
        c = load(args.file)
    except ConstitutionError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    mode = "LIVE trading" if c.live_trading else "sandbox only"
    print(
        f"{args.file}: valid ({mode}; {len(c.symbols)} symbols, {len(c.strategies)} "
        f"strategies, at most {c.max_open_structures} open structures, max notional "
        f"${c.max_notional}, daily loss {c.daily_loss_percent}%, "
        f"{len(c.correlation_groups)} correlation groups)"
    )
    return 0
