"""A printed PROPOSAL line shows the order's price once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from brain.cli import format_event
from brain.engine import EngineEvent
from brain.exits import equity_targets
from brain.proposals import PlannedTrade, Planner, open_proposal, plan_summary, seeded_ids
from brain.strategies import build_strategies
from brain.strategies.base import EquityPlan
from gatekeeper.contract import EquitySide
from tradier.money import to_wire

from .test_proposals import NOW, FakeChains, signal

TODAY = date(2026, 11, 23)


def _line(planned: PlannedTrade, source: str) -> str:
    proposal = open_proposal(
        planned, 2, proposal_id=seeded_ids(1)(), created_at_ms=NOW, source_name=source
    )
    event = EngineEvent(NOW, "proposal", "SPY", source, plan_summary(planned.plan), proposal)
    return format_event(event)


async def test_proposal_line_when_option_credit_then_price_printed_once() -> None:
    planned = await Planner(FakeChains()).plan(
        signal("iron_condor", "iron_condor"), build_strategies(["iron_condor"])[0], TODAY
    )
    assert isinstance(planned, PlannedTrade)
    net = planned.plan.net.price  # type: ignore[union-attr]
    line = _line(planned, "iron_condor")
    tokens = line.split()
    printed = [t for t in tokens if t in {to_wire(net), f"{net:.2f}"}]
    assert len(printed) == 1, line
    assert tokens.count("credit") == 1, line


def test_proposal_line_when_equity_then_limit_price_printed_once() -> None:
    plan = EquityPlan("SPY", "long", EquitySide.BUY, Decimal("500.20"), Decimal("499.02"))
    line = _line(PlannedTrade(plan, equity_targets(Decimal(1), Decimal(2))), "equity_trend")
    tokens = line.split()
    assert [t for t in tokens if t in {"500.2", "500.20"}] == ["500.20"], line
    assert "499.02" in tokens, line
