"""`edgegate brain ...`: the brain's own command, with the in-process gate injected for replay."""

from __future__ import annotations

import argparse
import functools

from brain import cli as brain_cli
from brain.config import ConfigError, parse_symbols
from edgegate.compose import in_process_gate
from edgegate.universe import watchlist_gate
from gatekeeper.constitution import DEFAULT_PATH

register = brain_cli.register


def run(args: argparse.Namespace) -> int:
    """Run the brain command; a replay without --gate uses the real gate in-process, on
    `infra/constitution.toml` with the replay's `--symbols` added to its universe."""
    if args.brain_command != "replay":
        return brain_cli.run(args, gate_factory=in_process_gate)
    try:
        symbols = parse_symbols(args.symbols, "--symbols")
    except ConfigError:
        return brain_cli.run(args)  # which names the bad symbol and stops
    factory = functools.partial(watchlist_gate, constitution=DEFAULT_PATH, symbols=symbols)
    return brain_cli.run(args, gate_factory=factory)
