"""The `edgegate` command: a thin dispatcher to each subsystem's own command module.

Each group lives next to the code it drives and exposes `register(subparsers)`; a group
is imported only when it is asked for, so `edgegate sim serve` never imports the brain.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# group name -> (module with register(parser) and run(args), one-line help)
GROUPS: dict[str, tuple[str, str]] = {
    "sim": ("tradier.sim.cli", "the local Tradier simulator"),
    "gate": ("functions.local.cli", "the gate's handlers behind a local HTTP adapter"),
    "brain": ("edgegate.brain_command", "the brain: live run or replay"),
    "bench": ("edgegate.bench", "benchmarks: decode, gate, pipeline"),
    "demo": ("edgegate.demo", "the whole system on loopback, in accelerated time"),
    "fake-claude": ("brain.analyst.cli", "a local fake of Anthropic's Messages API"),
    "offline": ("edgegate.offline", "the gate under serverless-offline (local stage) on the sim"),
    "status": ("edgegate.status_command", "the gate's status: one signed v2 call"),
    "chat": ("brain.api.cli", "talk strategy with the brain's API; confirm before trading"),
    "constitution": ("edgegate.constitution_command", "check a risk constitution file"),
}


def build_parser(group: str | None = None) -> argparse.ArgumentParser:
    """Build the parser; only the named group's module is imported."""
    parser = argparse.ArgumentParser(prog="edgegate", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="group", metavar="{" + ",".join(GROUPS) + "}")
    sub.required = True
    for name, (module_name, help_text) in GROUPS.items():
        group_parser = sub.add_parser(name, help=help_text)
        if name == group:
            module = importlib.import_module(module_name)
            module.register(group_parser)
            group_parser.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `edgegate` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    group = next((a for a in args_list if not a.startswith("-")), None)
    parser = build_parser(group if group in GROUPS else None)
    args = parser.parse_args(args_list)
    result = args._run(args)
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
