"""Every `edgegate bench` sub-command explains each of its options."""

from __future__ import annotations

import argparse
import importlib

import pytest

from edgegate.bench import BENCHES


@pytest.mark.parametrize("bench", sorted(BENCHES))
def test_bench_options_when_registered_then_each_has_help_text(bench: str) -> None:
    module = importlib.import_module(BENCHES[bench][0])
    parser = argparse.ArgumentParser(prog=f"edgegate bench {bench}")
    module.register(parser)
    options = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
    assert options, "no options registered"
    unexplained = [a.option_strings or [a.dest] for a in options if not (a.help or "").strip()]
    assert unexplained == []
