import uuid
from datetime import date
from decimal import Decimal

import pytest

from brain.exits import ExitPolicy, equity_targets, option_targets
from brain.legs import HeldLeg, NetPrice, Side, to_contracts
from brain.market import Signal
from brain.proposals import (
    PlannedTrade,
    Planner,
    Skip,
    close_equity_proposal,
    close_option_proposal,
    open_proposal,
    opened_position,
    seeded_ids,
)
from brain.strategies import ChainView, build_strategies
from brain.strategies.base import EquityPlan
from gatekeeper.contract import (
    EquitySide,
    Intent,
    LegSide,
    OrderType,
    Strategy,
    decode_proposal,
    encode,
)
from tradier.money import NetKind

from .chain_fixture import FAR, NEAR, chain

TODAY = date(2026, 11, 23)
NOW = 1_795_012_200_000


class FakeChains:
    def __init__(self) -> None:
        self.expiration_calls = 0
        self.chain_calls: list[date] = []

    async def expirations(self, symbol):
        self.expiration_calls += 1
        return [NEAR, FAR]

    async def chain(self, symbol, expiration):
        self.chain_calls.append(expiration)
        return [row for row in chain() if f"{expiration:%y%m%d}" in row["symbol"]]


def signal(strategy: str, kind: str) -> Signal:
    return Signal("SPY", strategy, kind, NOW, 1.0, "test", {"price": "500.00"})  # type: ignore[arg-type]


def test_seeded_ids_when_same_seed_then_same_uuid_sequence():
    a, b, c = seeded_ids(7), seeded_ids(7), seeded_ids(8)
    first = [a() for _ in range(3)]
    assert first == [b() for _ in range(3)]
    assert first != [c() for _ in range(3)]
    assert all(str(uuid.UUID(i)) == i and uuid.UUID(i).version == 4 for i in first)


@pytest.mark.parametrize(
    ("name", "kind", "strategy"),
    [
        ("credit_spread", "bull_put", Strategy.VERTICAL),
        ("iron_condor", "iron_condor", Strategy.IRON_CONDOR),
        ("iron_butterfly", "iron_butterfly", Strategy.IRON_BUTTERFLY),
    ],
)
async def test_planner_when_chain_then_proposal_passes_contract(name, kind, strategy):
    chains = FakeChains()
    planned = await Planner(chains).plan(signal(name, kind), build_strategies([name])[0], TODAY)
    assert isinstance(planned, PlannedTrade)
    proposal = open_proposal(
        planned, 3, proposal_id=seeded_ids(1)(), created_at_ms=NOW, source_name=name
    )
    assert decode_proposal(encode(proposal)) == proposal
    assert proposal.strategy is strategy and proposal.intent is Intent.OPEN
    assert proposal.order_type is OrderType.CREDIT
    assert proposal.context["max_loss_each"] == str(planned.plan.max_loss_each)


async def test_planner_when_called_twice_same_day_then_expirations_fetched_once():
    chains = FakeChains()
    planner = Planner(chains)
    strategy = build_strategies(["credit_spread"])[0]
    await planner.plan(signal("credit_spread", "bull_put"), strategy, TODAY)
    await planner.plan(signal("credit_spread", "bear_call"), strategy, TODAY)
    assert chains.expiration_calls == 1
    assert chains.chain_calls == [NEAR, NEAR]


async def test_planner_when_no_expiration_in_window_then_skip():
    chains = FakeChains()
    strategy = build_strategies(["credit_spread"])[0]
    result = await Planner(chains).plan(
        signal("credit_spread", "bull_put"), strategy, date(2027, 1, 1)
    )
    assert result == Skip("no_expiration_in_window")


async def test_planner_when_price_missing_then_skip():
    bare = Signal("SPY", "iron_condor", "iron_condor", NOW, 1.0, "", {})
    result = await Planner(FakeChains()).plan(bare, build_strategies(["iron_condor"])[0], TODAY)
    assert result == Skip("no_underlying_price")


def test_close_option_proposal_when_credit_vertical_then_debit_with_to_close_sides():
    proposal = close_option_proposal(
        "SPY",
        Strategy.VERTICAL,
        [HeldLeg("SPY261218P00490000", Side.SELL), HeldLeg("SPY261218P00485000", Side.BUY)],
        2,
        NetPrice(Decimal("0.40"), NetKind.DEBIT),
        proposal_id=seeded_ids(1)(),
        created_at_ms=NOW,
        source_name="credit_spread",
    )
    assert decode_proposal(encode(proposal)) == proposal
    assert proposal.intent is Intent.CLOSE and proposal.order_type is OrderType.DEBIT
    assert [leg.side for leg in proposal.legs or ()] == [
        LegSide.BUY_TO_CLOSE,
        LegSide.SELL_TO_CLOSE,
    ]


def test_close_option_proposal_when_single_option_then_limit():
    proposal = close_option_proposal(
        "SPY",
        Strategy.SINGLE_OPTION,
        [HeldLeg("SPY261218P00490000", Side.BUY)],
        1,
        NetPrice(Decimal("2.10"), NetKind.CREDIT),
        proposal_id=seeded_ids(1)(),
        created_at_ms=NOW,
        source_name="monitor",
    )
    assert decode_proposal(encode(proposal)).order_type is OrderType.LIMIT


def test_equity_open_and_close_when_long_then_buy_then_sell():
    plan = EquityPlan("SPY", "long", EquitySide.BUY, Decimal("500.02"), Decimal("499.02"))
    trade = PlannedTrade(plan, equity_targets(Decimal(1), Decimal(2)))
    opening = open_proposal(
        trade, 10, proposal_id=seeded_ids(2)(), created_at_ms=NOW, source_name="equity_trend"
    )
    closing = close_equity_proposal(
        "SPY",
        EquitySide.BUY,
        10,
        Decimal("501"),
        proposal_id=seeded_ids(3)(),
        created_at_ms=NOW,
        source_name="equity_trend",
    )
    assert decode_proposal(encode(opening)).side is EquitySide.BUY
    assert decode_proposal(encode(closing)).side is EquitySide.SELL
    assert opening.price == "500.02"


def test_open_proposal_when_debit_plan_then_debit_order_type():
    contracts = to_contracts(chain())
    view = ChainView("SPY", Decimal("500.00"), TODAY, (NEAR, FAR), tuple(contracts))
    plan = build_strategies(["calendar"])[0].plan(signal("calendar", "calendar"), view)
    assert plan is not None
    trade = PlannedTrade(plan, option_targets(plan.net.signed, plan.max_loss_each, ExitPolicy()))  # type: ignore[union-attr]
    proposal = open_proposal(
        trade, 1, proposal_id=seeded_ids(4)(), created_at_ms=NOW, source_name="calendar"
    )
    assert decode_proposal(encode(proposal)).order_type is OrderType.DEBIT


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("iron_condor", "iron_condor"),
        ("credit_spread", "bull_put"),
        ("iron_butterfly", "iron_butterfly"),
    ],
)
async def test_opened_position_when_built_from_the_proposal_then_same_as_the_plan(name, kind):
    planned = await Planner(FakeChains()).plan(
        signal(name, kind), build_strategies([name])[0], TODAY
    )
    assert isinstance(planned, PlannedTrade)
    proposal = open_proposal(
        planned, 2, proposal_id=seeded_ids(1)(), created_at_ms=NOW, source_name=name
    )
    position = opened_position(decode_proposal(encode(proposal)), NOW)
    plan = planned.plan
    assert position.entry_signed == plan.net.signed
    assert position.targets == planned.targets
    assert position.legs == tuple(
        HeldLeg(leg.contract.symbol, leg.side, leg.ratio) for leg in plan.legs
    )
    assert (position.quantity, position.source, position.strategy) == (2, name, plan.strategy)


def test_opened_position_when_short_shares_then_entry_is_the_price_received():
    plan = EquityPlan("SPY", "short", EquitySide.SELL_SHORT, Decimal("500.25"), Decimal("505.25"))
    trade = PlannedTrade(plan, equity_targets(Decimal(5), Decimal(2)))
    proposal = open_proposal(
        trade, 10, proposal_id=seeded_ids(2)(), created_at_ms=NOW, source_name="eq"
    )
    position = opened_position(proposal, NOW)
    assert position.entry_signed == Decimal("500.25") and position.legs == ()
    assert position.equity_side is EquitySide.SELL_SHORT and position.targets == trade.targets
