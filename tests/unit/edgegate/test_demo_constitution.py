"""The demo's constitution is infra's with the index group's cap lowered, nothing else."""

from __future__ import annotations

import dataclasses

from edgegate.demo import DEMO_CONSTITUTION
from gatekeeper.constitution import CorrelationGroup, load


def test_demo_constitution_when_loaded_then_infra_but_the_index_group_capped_at_2() -> None:
    infra, demo = load(), load(DEMO_CONSTITUTION)
    assert demo.group_caps == {"us_equity_index": 2}
    relaxed = tuple(
        CorrelationGroup(g.name, g.symbols, infra.group_caps[g.name])
        for g in demo.correlation_groups
    )
    assert dataclasses.replace(demo, correlation_groups=relaxed) == infra
