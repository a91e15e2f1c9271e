"""`edgegate brain ...`: the brain's own command, with the in-process gate injected for replay."""

from __future__ import annotations

import argparse

from brain import cli as brain_cli
from edgegate.compose import in_process_gate

register = brain_cli.register


def run(args: argparse.Namespace) -> int:
    """Run the brain command; a replay without --gate uses the real gate in-process."""
    return brain_cli.run(args, gate_factory=in_process_gate)
