"""Issue 8 through the HTTP adapter: the gate judges what an opening order does at the
simulator's market, not what it declares. Each dishonest proposal is refused for the right
reason and leaves no order at the broker; the honest twin of each is approved, so the
refusals are not the gate refusing everything.

Real API Gateway v2 events (`tests/events/`), the real proposals handler, moto server
DynamoDB and the Tradier simulator on loopback; SPY trades near 683 at the start.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from functions import proposals
from tests.functional.functions.conftest import Harness, body_of
from tests.support.events import fresh_proposal
from tradier.money import to_wire

NEAR, FAR = "261218", "270115"  # 30 and 58 days out: both inside max_days_to_expiry 60


def opt(kind: str, strike: int, expiry: str = NEAR) -> str:
    return f"SPY{expiry}{kind}{strike * 1000:08d}"


def leg(symbol: str, side: str, ratio: int = 1) -> dict[str, Any]:
    return {"option_symbol": symbol, "side": side, "ratio": ratio}


def natural(h: Harness, legs: list[dict[str, Any]]) -> Decimal:
    """Signed net per structure at the simulator's natural price (+ credit)."""
    quotes = {q.symbol: q for q in h.tradier.quotes([lg["option_symbol"] for lg in legs])}
    total = Decimal(0)
    for lg in legs:
        q = quotes[lg["option_symbol"]]
        buy = lg["side"].startswith("buy")
        total += -q.ask * lg["ratio"] if buy else q.bid * lg["ratio"]
    return total


def send(h: Harness, strategy: str, legs: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    """Post one opening proposal; returns its decision, after checking the broker side:
    an order tagged with the id exists exactly when the proposal was approved."""
    h.clock.advance(61_000)  # past the per-symbol opening window
    body = fresh_proposal(
        "proposals_post_vertical", h.now(), strategy=strategy, legs=legs, **fields
    )
    decision = body_of(proposals.handler(h.event("proposals_post_vertical", body=body), None))
    tagged = [o for o in h.orders() if o.get("tag") == body["id"]]
    assert len(tagged) == (1 if decision["decision"] == "APPROVED" else 0), (decision, tagged)
    return dict(decision)


def refused(decision: dict[str, Any], code: str) -> None:
    assert (decision["decision"], decision["reason_code"]) == ("REJECTED", code), decision


def approved(decision: dict[str, Any]) -> None:
    assert decision["decision"] == "APPROVED", decision


def credit(net: Decimal) -> dict[str, Any]:
    assert net > 0, net
    return {"order_type": "credit", "price": to_wire(net)}


# --- issue 8, cases 1-3 ------------------------------------------------------------------


def test_credit_vertical_when_declared_debit_at_a_penny_then_order_type_mismatch(
    h: Harness,
) -> None:
    # Case 1: sell the lower call, buy one 100 points higher, x9, sent as a 0.01 debit.
    legs = [leg(opt("C", 640), "sell_to_open"), leg(opt("C", 740), "buy_to_open")]
    decision = send(h, "vertical", legs, quantity=9, order_type="debit", price="0.01")
    refused(decision, "ORDER_TYPE_MISMATCH")
    assert "credit at market" in decision["reason"] and "sent as debit" in decision["reason"]
    # Sent honestly, at its natural credit, its true worst case is over max_notional.
    honest = send(h, "vertical", legs, quantity=9, **credit(natural(h, legs)))
    refused(honest, "NOTIONAL_LIMIT")


def test_sell_short_when_limit_at_a_penny_then_valued_at_market_and_refused(h: Harness) -> None:
    # Case 2: 100 SPY at ~683 is ~$68,300, not $1.
    h.clock.advance(61_000)
    body = fresh_proposal(
        "proposals_post", h.now(), side="sell_short", quantity=100, order_type="limit",
        price="0.01",
    )  # fmt: skip
    decision = body_of(proposals.handler(h.event("proposals_post", body=body), None))
    refused(decision, "NOTIONAL_LIMIT")
    assert [o for o in h.orders() if o.get("tag") == body["id"]] == []


def test_reverse_calendar_when_long_near_short_far_then_naked_short(h: Harness) -> None:
    # Case 3: once the near leg expires the far short call is naked.
    legs = [leg(opt("C", 685, NEAR), "buy_to_open"), leg(opt("C", 685, FAR), "sell_to_open")]
    refused(send(h, "calendar_spread", legs, **credit(natural(h, legs))), "NAKED_SHORT")
    # The calendar the right way round (short near, long far) is approved at its debit.
    right = [leg(opt("C", 685, NEAR), "sell_to_open"), leg(opt("C", 685, FAR), "buy_to_open")]
    debit = -natural(h, right)
    approved(send(h, "calendar_spread", right, order_type="debit", price=to_wire(debit)))


# --- the same for an iron condor, an iron butterfly and a ratio spread --------------------

CONDOR = [
    leg(opt("P", 650), "buy_to_open"),
    leg(opt("P", 660), "sell_to_open"),
    leg(opt("C", 705), "sell_to_open"),
    leg(opt("C", 715), "buy_to_open"),
]
BUTTERFLY = [
    leg(opt("P", 670), "buy_to_open"),
    leg(opt("P", 685), "sell_to_open"),
    leg(opt("C", 685), "sell_to_open"),
    leg(opt("C", 700), "buy_to_open"),
]
# A call backspread: sell one 680 call, buy two 690s. Covered: each short has a long.
BACKSPREAD = [leg(opt("C", 680), "sell_to_open", 1), leg(opt("C", 690), "buy_to_open", 2)]


def test_iron_condor_when_sent_as_debit_or_even_then_order_type_mismatch(h: Harness) -> None:
    refused(send(h, "iron_condor", CONDOR, order_type="debit", price="0.05"), "ORDER_TYPE_MISMATCH")
    refused(send(h, "iron_condor", CONDOR, order_type="even", price=None), "ORDER_TYPE_MISMATCH")
    approved(send(h, "iron_condor", CONDOR, **credit(natural(h, CONDOR))))


def test_iron_condor_when_credit_above_its_wing_then_price_out_of_range(h: Harness) -> None:
    decision = send(h, "iron_condor", CONDOR, order_type="credit", price="10.01")
    refused(decision, "PRICE_OUT_OF_RANGE")


def test_iron_butterfly_when_credit_above_its_wing_then_price_out_of_range(h: Harness) -> None:
    refused(
        send(h, "iron_butterfly", BUTTERFLY, order_type="credit", price="15.50"),
        "PRICE_OUT_OF_RANGE",
    )
    decision = send(h, "iron_butterfly", BUTTERFLY, order_type="debit", price="0.10")
    refused(decision, "ORDER_TYPE_MISMATCH")
    approved(send(h, "iron_butterfly", BUTTERFLY, **credit(natural(h, BUTTERFLY))))


def test_ratio_spread_when_impossible_price_then_price_out_of_range(h: Harness) -> None:
    # A put backspread: sell one 690 put, buy two 680s. It owes at most 10 (at 680) and is
    # worth at most 2 x 680 - 690 = 670 (at 0): whichever way the market nets it, a price
    # beyond that is impossible.
    legs = [leg(opt("P", 690), "sell_to_open", 1), leg(opt("P", 680), "buy_to_open", 2)]
    if natural(h, legs) > 0:
        impossible = {"order_type": "credit", "price": "10.01"}
    else:
        impossible = {"order_type": "debit", "price": "670.01"}
    refused(send(h, "ratio_spread", legs, **impossible), "PRICE_OUT_OF_RANGE")


def test_ratio_spread_when_wrong_order_type_then_mismatch(h: Harness) -> None:
    net = natural(h, BACKSPREAD)
    wrong = {"order_type": "debit", "price": "0.05"} if net > 0 else credit(Decimal("0.05"))
    refused(send(h, "ratio_spread", BACKSPREAD, **wrong), "ORDER_TYPE_MISMATCH")
    honest = credit(net) if net > 0 else {"order_type": "debit", "price": to_wire(-net)}
    approved(send(h, "ratio_spread", BACKSPREAD, **honest))


def test_ratio_spread_when_front_ratio_leaves_a_short_uncovered_then_naked_short(
    h: Harness,
) -> None:
    front = [leg(opt("C", 680), "buy_to_open", 1), leg(opt("C", 690), "sell_to_open", 2)]
    net = natural(h, front)
    honest = credit(net) if net > 0 else {"order_type": "debit", "price": to_wire(-net)}
    refused(send(h, "ratio_spread", front, **honest), "NAKED_SHORT")


def test_open_when_leg_quote_missing_then_quote_unavailable_and_no_order(h: Harness) -> None:
    legs = [leg(opt("P", 100), "sell_to_open"), leg(opt("P", 95), "buy_to_open")]  # unlisted
    refused(send(h, "vertical", legs, order_type="credit", price="0.10"), "QUOTE_UNAVAILABLE")
