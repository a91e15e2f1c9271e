"""`edgegate bench {decode,gate,pipeline,analyst,conversation}`: one subsystem's benchmark each.

A benchmark module is imported only when its sub-command runs (the gate's pulls in moto,
the pipeline's the brain), and parses its own options: everything after the sub-command
name is handed to its `main(argv) -> int`, so `edgegate bench gate --help` shows the gate
benchmark's own help.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from typing import Any

# sub-command -> (module exposing main(argv) -> int, one-line help)
BENCHES: dict[str, tuple[str, str]] = {
    "decode": ("tradier.bench", "stream frame decoding and streaming throughput"),
    "gate": ("functions.local.bench", "the gate's proposal handler: latency and calls"),
    "pipeline": ("brain.bench", "the brain's frame-to-signal pipeline"),
    "analyst": ("brain.analyst.bench", "signal review: the brain's own time per review"),
    "conversation": (
        "brain.conversations.bench",
        "a 20-turn session: tokens, cache, cost, latency",
    ),
}


class _PassThrough(argparse.ArgumentParser):
    """A sub-command parser that keeps every remaining argument for the benchmark itself."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        namespace = namespace or argparse.Namespace()
        namespace.bench_argv = list(args or [])
        return namespace, []


def register(parser: argparse.ArgumentParser) -> None:
    """Add the bench sub-commands to the `edgegate bench` parser."""
    sub = parser.add_subparsers(
        dest="bench", metavar="{" + ",".join(BENCHES) + "}", parser_class=_PassThrough
    )
    sub.required = True
    for name, (_, help_text) in BENCHES.items():
        sub.add_parser(name, help=help_text, add_help=False)


def run(args: argparse.Namespace) -> int:
    """Import the chosen benchmark and run it with its own arguments."""
    module_name = BENCHES[args.bench][0]
    module: Any = importlib.import_module(module_name)
    argv: list[str] = getattr(args, "bench_argv", [])
    return int(module.main(argv) or 0)
