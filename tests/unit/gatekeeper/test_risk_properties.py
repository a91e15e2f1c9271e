"""Property: whatever order type and price a generated structure declares, and whatever the
quotes, no proposal whose true worst case exceeds the constitution is approved.

Under the default constitution: naked shorts are refused (allowed, they are sized by the
naked rule instead, a policy rather than a worst case). The true worst case is found here
independently: the legs' payoff scanned by brute force (`payoff_scan`), with the premium
the order can really get — a limit order may fill at its limit, a market order fills at
the market (the natural price from the quotes).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import msgspec
from hypothesis import event, given, settings
from hypothesis import strategies as st

from gatekeeper.constitution import load
from gatekeeper.contract import ReasonCode, TradingState, decode_proposal
from gatekeeper.risk import RiskInputs, evaluate
from tests.unit.gatekeeper.builders import CREATED_AT, PROPOSAL_ID, SOURCE
from tests.unit.gatekeeper.payoff_scan import BruteLeg, brute_max_loss
from tradier.models import Quote
from tradier.occ import OptionType, build_occ

C = load()
EXPIRIES = (date(2025, 12, 19), date(2026, 1, 16))  # 13 and 41 days after CREATED_AT
# Reasons a generated structure may rightly be refused for: what it does or claims.
EXPECTED_REFUSALS = {
    ReasonCode.QUANTITY_LIMIT,
    ReasonCode.ORDER_TYPE_MISMATCH,
    ReasonCode.PRICE_OUT_OF_RANGE,
    ReasonCode.NAKED_SHORT,
    ReasonCode.NOTIONAL_LIMIT,
}


@dataclasses.dataclass(frozen=True)
class GenLeg:
    kind: str
    strike: int
    expiry: int
    long: bool
    ratio: int = 1

    @property
    def symbol(self) -> str:
        option_type = OptionType.CALL if self.kind == "C" else OptionType.PUT
        return build_occ("SPY", EXPIRIES[self.expiry], option_type, Decimal(self.strike))


def _sides(draw: st.DrawFn) -> tuple[bool, bool]:
    first = draw(st.booleans())
    return first, not first


@st.composite
def structures(draw: st.DrawFn) -> tuple[str, list[GenLeg]]:
    """A strategy name and legs of the shape the contract admits for it."""
    strikes = st.integers(1, 300)
    name = draw(
        st.sampled_from(
            ["single_option", "vertical", "iron_condor", "iron_butterfly", "ratio_spread",
             "calendar_spread"]
        )
    )  # fmt: skip
    kind = draw(st.sampled_from(["C", "P"]))
    expiry = draw(st.integers(0, 1))
    if name == "single_option":
        return name, [GenLeg(kind, draw(strikes), expiry, draw(st.booleans()))]
    if name in ("vertical", "ratio_spread"):
        a, b = draw(st.lists(strikes, min_size=2, max_size=2, unique=True))
        first, second = _sides(draw)
        ratios = (1, 1)
        if name == "ratio_spread":
            ratios = tuple(draw(st.lists(st.integers(1, 4), min_size=2, max_size=2, unique=True)))
        return name, [
            GenLeg(kind, a, expiry, first, ratios[0]),
            GenLeg(kind, b, expiry, second, ratios[1]),
        ]
    if name == "calendar_spread":
        strike = draw(strikes)
        first, second = _sides(draw)
        return name, [GenLeg(kind, strike, 0, first), GenLeg(kind, strike, 1, second)]
    if name == "iron_condor":
        p1, p2, c1, c2 = sorted(draw(st.lists(strikes, min_size=4, max_size=4, unique=True)))
        put_low_long, _ = _sides(draw)
        call_low_long, _ = _sides(draw)
        return name, [
            GenLeg("P", p1, expiry, put_low_long),
            GenLeg("P", p2, expiry, not put_low_long),
            GenLeg("C", c1, expiry, call_low_long),
            GenLeg("C", c2, expiry, not call_low_long),
        ]
    low, body, high = sorted(draw(st.lists(strikes, min_size=3, max_size=3, unique=True)))
    return name, [
        GenLeg("P", low, expiry, True),
        GenLeg("P", body, expiry, False),
        GenLeg("C", body, expiry, False),
        GenLeg("C", high, expiry, True),
    ]


CENTS = st.integers(0, 6000).map(lambda c: Decimal(c) / 100)
SPREAD = st.integers(0, 500).map(lambda c: Decimal(c) / 100)


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[GenLeg], dict[str, Quote]]:
    name, legs = draw(structures())
    single = name == "single_option"
    order_type = draw(st.sampled_from(["market", "limit"] if single else
                                      ["market", "credit", "debit", "even"]))  # fmt: skip
    price = None
    if order_type in ("limit", "credit", "debit"):
        price = str(draw(st.integers(1, 7000).map(lambda c: Decimal(c) / 100)))
    suffix = "_to_open"
    body: dict[str, Any] = {
        "id": PROPOSAL_ID,
        "created_at": CREATED_AT,
        "symbol": "SPY",
        "strategy": name,
        "intent": "open",
        "quantity": draw(st.integers(1, 10)),
        "order_type": order_type,
        "duration": "day",
        "source": SOURCE,
        "legs": [
            {"option_symbol": g.symbol, "side": ("buy" if g.long else "sell") + suffix,
             "ratio": g.ratio}
            for g in legs
        ],
    }  # fmt: skip
    if price is not None:
        body["price"] = price
    quotes = {"SPY": Quote(symbol="SPY", bid=Decimal(30), ask=Decimal("30.05"), last=Decimal(30))}
    for g in legs:
        bid = draw(CENTS)
        ask = bid + draw(SPREAD)
        quotes[g.symbol] = Quote(symbol=g.symbol, bid=bid, ask=ask)
    return body, legs, quotes


def _true_premium(body: dict[str, Any], legs: list[GenLeg], quotes: dict[str, Quote]) -> Fraction:
    """Signed cash per structure the order can get at worst: a limit may fill at its limit,
    the market fills at the natural price (a sell at the bid, a buy at the ask)."""
    natural = Fraction(0)
    for g in legs:
        q = quotes[g.symbol]
        assert q.bid is not None and q.ask is not None
        natural += -Fraction(q.ask) * g.ratio if g.long else Fraction(q.bid) * g.ratio
    kind, price = body["order_type"], body.get("price")
    if kind == "market":
        return natural
    limit = Fraction(Decimal(price)) if price is not None else Fraction(0)
    if kind == "debit" or (kind == "limit" and legs[0].long):
        limit = -limit
    # A limit fills at the limit or better: the worst it gets is the limit, and while the
    # market is worse than the limit it is the market that bounds what fills now.
    return min(natural, limit)


@settings(max_examples=500, deadline=None)
@given(cases())
def test_evaluate_when_any_structure_and_claims_then_approved_only_within_max_notional(
    case: tuple[dict[str, Any], list[GenLeg], dict[str, Quote]],
) -> None:
    body, legs, quotes = case
    p = decode_proposal(msgspec.json.encode(body))
    inputs = RiskInputs(
        now_ms=CREATED_AT,
        market_open=True,
        equity=Decimal(100_000),
        start_of_day_equity=Decimal(100_000),
        quotes=quotes,
    )
    rejection = evaluate(p, inputs, C, TradingState.ACTIVE)
    event("approved" if rejection is None else f"refused {rejection.code}")
    if rejection is not None:
        assert rejection.code in EXPECTED_REFUSALS, rejection
        return
    brute: list[BruteLeg] = [
        (g.kind, g.strike, g.expiry, (1 if g.long else -1) * g.ratio * p.quantity, 0) for g in legs
    ]
    premium = _true_premium(body, legs, quotes) * p.quantity * 100
    worst = brute_max_loss(brute, premium)
    assert worst is not None, "an unbounded structure was approved"
    assert worst <= Fraction(C.max_notional)
