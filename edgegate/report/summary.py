"""The demo's closing summary, in a trader's words: the day, every fill, realised and open
P&L (reconciled with the broker), positions at the close, what the gate refused and why,
and what the brain held back and which of its limits did it."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from edgegate.demo_summary import trader_summary
from edgegate.report.pnl import (
    CENT,
    Book,
    Reconciliation,
    Valuation,
    book_fills,
    cents,
    reconcile,
    value,
)
from edgegate.report.records import RunRecord
from edgegate.report.trades import order_fills, proposal_rows
from tradier.clock import to_new_york

# The brain's own reasons for holding a signal back (brain.engine, brain.limits,
# brain.proposals), in words.
HELD_BACK = {
    "max_open_positions": "its ceiling of managed positions was reached",
    "position_open": "it already holds that strategy on the symbol",
    "symbol_rate": "one proposal per symbol per minute",
    "repeated_signal": "the same signal within 5 minutes",
    "outcome_unknown": "the last opening's outcome is not yet known",
    "size_zero": "the size came to zero for the account's risk budget",
    "no_structure_fits": "no structure in the chain fits the strategy's rules",
    "no_expiration_in_window": "no expiry in the strategy's days-to-expiry window",
    "no_underlying_price": "no price for the underlying yet",
    "exit_signal": "an exit signal opens nothing",
    "no_strategy": "no strategy of that name is running",
    "group_strategy_cap": "it already holds that strategy in the correlation group",
    "group_cap": "its ceiling of positions in the correlation group was reached",
    "gate_group_full": "the gate refused that correlation group as full within 15 minutes",
    "review_veto": "the analyst vetoed it",
    "review_held": "the analyst could not review it and the fallback is hold",
    "reward_risk_below_floor": "its target is below the reward-to-risk floor",
    "spread_too_wide_for_stop": "the bid/ask at entry would use too much of its stop",
}


def money(amount: Decimal) -> str:
    """Signed dollars to the cent: +1,234.50 / -3.20 (never -0.00)."""
    rounded = cents(amount)
    return f"{abs(rounded) if rounded == 0 else rounded:+,.2f}"


def price(value: Decimal) -> str:
    """A per-unit price with at least cents (8.4 -> 8.40), never rounded away."""
    return f"{value:.2f}" if value == value.quantize(CENT) else str(value)


def hhmmss(at_ms: int) -> str:
    """New York wall time of an instant."""
    return to_new_york(at_ms).strftime("%H:%M:%S")


def held_back_reason(code: str) -> str:
    """The brain's reason code in words (the gate's own state for gate_* codes)."""
    if code in HELD_BACK:
        return HELD_BACK[code]
    if code.startswith("gate_"):
        return f"the gate is {code.removeprefix('gate_').upper()}"
    return code


def closing(run: RunRecord) -> tuple[Book, Valuation, Reconciliation]:
    """The book from the final fills, valued at the final marks, reconciled with the broker."""
    final = run.final
    book = book_fills(final.fills, final.starting_cash)
    valued = value(book, final.marks)
    return book, valued, reconcile(book, valued, final.figures)


def closing_summary(run: RunRecord) -> list[str]:
    """The lines printed at the end of the demo."""
    book, valued, rec = closing(run)
    rows = proposal_rows(run.events)
    start, end = to_new_york(run.start_ms), to_new_york(run.end_ms)
    lines = [
        "",
        f"== {run.day.isoformat()} ({run.day:%A}), {start:%H:%M}-{end:%H:%M} New York, "
        f"seed {run.seed} ==",
        *trader_summary(run.events),
        "",
    ]
    orders = order_fills(book, rows)
    lines.append(f"fills: {len(orders)} orders, {len(book.booked)} legs")
    for order in orders:
        what = f"{order.intent or '?'} {order.strategy or 'untagged order'}"
        lines.append(
            f"  {hhmmss(order.at_ms)} {order.underlying:4} {what:32} "
            f"cash {money(order.cash):>10}"
            + (f"  realised {money(order.realised)}" if order.intent == "close" else "")
        )
        for leg in order.legs:
            f = leg.fill
            lines.append(f"      {f.side:13} {f.quantity:+4d} {f.instrument:21} @ {price(f.price)}")
    verdict = "agrees" if rec.agrees else "DOES NOT AGREE"
    lines += [
        "",
        f"P&L (from the broker's fills and marks; {verdict} with its /balances to the cent):",
        f"  realised {money(valued.realised)}   open {money(valued.open_pl)}   "
        f"total {money(valued.total_pl)}   equity {cents(valued.equity):,.2f}",
    ]
    for check in rec.checks:
        if not check.agrees:
            lines.append(f"  {check.name}: ours {money(check.ours)}, broker {money(check.broker)}")
    lines += [f"  position differs: {d}" for d in rec.position_differences]
    lines.append(f"positions at the close: {len(book.holdings) or 'none'}")
    for held in sorted(book.holdings.values(), key=lambda h: h.instrument):
        mark = run.final.marks.get(held.instrument, Decimal(0))
        worth = mark * held.quantity * held.multiplier
        lines.append(
            f"  {held.instrument:21} {held.quantity:+4d}  cost {money(held.cost_basis):>10}  "
            f"mark {mark:.4f}  open P&L {money(worth - held.cost_basis)}"
        )
    if run.final.working_orders:
        lines.append(f"orders still working at the close: {run.final.working_orders}")
    refused = [r for r in rows if r.verdict == "REJECTED"]
    lines.append(f"refused by the gate: {len(refused) or 'none'}")
    for row in refused:
        p = row.proposal
        lines.append(
            f"  {hhmmss(row.at_ms)} {p.symbol:4} {row.strategy} {p.intent.value} x{p.quantity}: "
            f"{row.reason_code} - {row.reason or 'no reason given'}"
        )
    unanswered = [r for r in rows if r.decision is None]
    if unanswered:
        lines.append(f"no answer from the gate: {len(unanswered)} (its outcome is unknown)")
    for row in unanswered:
        p = row.proposal
        lines.append(
            f"  {hhmmss(row.at_ms)} {p.symbol:4} {row.strategy} {p.intent.value} x{p.quantity}"
        )
    skipped = Counter(e.detail for e in run.events if e.kind == "skip")
    lines.append(f"held back by the brain: {sum(skipped.values()) or 'none'}")
    for code, count in skipped.most_common():
        lines.append(f"  {count:3d} {code}: {held_back_reason(code)}")
    return lines
