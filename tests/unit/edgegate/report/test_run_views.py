"""The closing summary, report.html and trades.csv, from one literal run."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from brain.engine import EngineEvent
from edgegate.report import write_report
from edgegate.report.page import render
from edgegate.report.pnl import book_fills
from edgegate.report.records import AnalystReview, BrokerPosition, RunRecord
from edgegate.report.summary import closing_summary
from edgegate.report.trades import order_fills, proposal_rows
from edgegate.report.trades_csv import COLUMNS, trades_csv
from gatekeeper.messages import ReasonCode
from tests.unit.edgegate.report.factories import (
    CASH,
    at,
    audit_line,
    decided,
    equity_proposal,
    figures,
    fill,
    proposed,
    run_record,
)

OPENING = equity_proposal(1, "open", "buy")
REFUSED = equity_proposal(2, "open", "buy", quantity=900)
CLOSING = equity_proposal(30, "close", "sell")
REVIEW = AnalystReview(
    at(1), "SPY", "equity_trend", "approve", "trend <script>alert(1)</script> intact",
    "offline analyst (not Claude)", OPENING.id, Decimal("0"),
)  # fmt: skip


def _run(**extra: object) -> RunRecord:
    events: list[EngineEvent] = [
        EngineEvent(at(1), "signal", "SPY", "equity_trend", "long"),
        proposed(OPENING),
        decided(OPENING),
        EngineEvent(at(2), "signal", "SPY", "equity_trend", "long"),
        proposed(REFUSED),
        decided(REFUSED, ReasonCode.QUANTITY_LIMIT, "900 shares; limit 500"),
        EngineEvent(at(3), "skip", "SPY", "equity_trend", "repeated_signal"),
        proposed(CLOSING, "close take_profit"),
        decided(CLOSING),
        EngineEvent(at(40), "skip", "QQQ", "credit_spread", "gate_reducing"),
    ]
    fills = (
        fill(1, "SPY", 10, "500.00", order_id=1000, proposal_id=OPENING.id),
        fill(30, "SPY", -6, "505.50", order_id=1001, proposal_id=CLOSING.id),
    )
    broker = figures(
        "100038.00", "98033.00", "5.00", "33.00", BrokerPosition("SPY", 4, Decimal("2000"))
    )
    return run_record(
        fills,
        {"SPY": Decimal("501.25")},
        broker,
        events,
        audit=(audit_line(OPENING, "APPROVED"), audit_line(REFUSED, "REJECTED", "QUANTITY_LIMIT")),
        **extra,
    )


def test_proposal_rows_when_decided_then_each_has_its_verdict_and_reason() -> None:
    rows = proposal_rows(_run().events)
    assert [(r.proposal.id, r.verdict, r.reason_code) for r in rows] == [
        (OPENING.id, "APPROVED", ""),
        (REFUSED.id, "REJECTED", "QUANTITY_LIMIT"),
        (CLOSING.id, "APPROVED", ""),
    ]
    assert rows[1].reason == "900 shares; limit 500"


def test_order_fills_when_tagged_then_tied_to_proposal_intent_and_strategy() -> None:
    run = _run()
    book = book_fills(run.final.fills, CASH)
    orders = order_fills(book, proposal_rows(run.events))
    assert [(o.order_id, o.intent, o.strategy, o.cash, o.realised) for o in orders] == [
        (1000, "open", "equity_trend", Decimal("-5000.00"), Decimal(0)),
        (1001, "close", "equity_trend", Decimal("3033.00"), Decimal("33.00")),
    ]


def test_closing_summary_when_run_done_then_fills_pl_positions_refusals_and_limits() -> None:
    lines = closing_summary(_run())
    text = "\n".join(lines)
    assert "== 2026-11-18 (Wednesday), 09:30-10:30 New York, seed 7 ==" in lines
    assert "fills: 2 orders, 2 legs" in lines
    assert "      sell            -6 SPY                   @ 505.50" in lines
    assert "agrees with its /balances to the cent" in text
    assert "  realised +33.00   open +5.00   total +38.00   equity 100,038.00" in lines
    assert "positions at the close: 1" in lines
    assert "  09:32:00 SPY  equity_trend open x900: QUANTITY_LIMIT - 900 shares; limit 500" in lines
    assert "    1 repeated_signal: the same signal within 5 minutes" in lines
    assert "    1 gate_reducing: the gate is REDUCING" in lines


def test_closing_summary_when_broker_differs_then_says_so_and_names_the_figure() -> None:
    run = _run()
    wrong = figures("100038.00", "98033.00", "5.01", "33.00", *run.final.figures.positions)
    shifted = RunRecord(**{**run.__dict__, "final": run.final.__class__(
        run.final.at_ms, CASH, run.final.fills, run.final.marks, wrong)})  # fmt: skip
    text = "\n".join(closing_summary(shifted))
    assert "DOES NOT AGREE" in text
    assert "  open P&L: ours +5.00, broker +5.01" in text


def test_page_when_rendered_then_tables_hold_every_proposal_and_audit_line() -> None:
    page = render(_run())
    for proposal in (OPENING, REFUSED, CLOSING):
        assert f'data-proposal-id="{proposal.id}"' in page
    assert page.count('<tr data-order-id="') == 2
    assert '<td class="REJECTED">REJECTED</td><td>NONE</td><td>QUANTITY_LIMIT</td>' in page
    assert page.count("<td>decision</td>") == 2  # the audit trail's two lines
    assert 'id="equity-chart"' in page and 'id="price-chart-SPY"' in page
    assert "agrees to the cent" in page


def test_page_when_no_reviews_then_says_so_plainly() -> None:
    page = render(_run())
    assert '<p id="no-reviews">No analyst reviews in this run' in page
    assert 'id="reviews"' not in page


def test_page_when_reviews_then_listed_with_their_text_escaped() -> None:
    page = render(_run(reviews=(REVIEW,)))
    assert '<table id="reviews">' in page
    assert "trend &lt;script&gt;alert(1)&lt;/script&gt; intact" in page
    assert "offline analyst (not Claude)" in page
    assert "no-reviews" not in page


def test_page_when_rendered_then_plotly_js_is_inside_so_it_opens_offline() -> None:
    page = render(_run())
    assert "<script src=" not in page
    assert "plotly.js v" in page  # the bundle's own banner
    assert "Plotly.newPlot" in page


def test_trades_csv_when_written_then_one_row_per_leg_with_cash_and_realised() -> None:
    rows = list(csv.DictReader(io.StringIO(trades_csv(_run()))))
    assert tuple(rows[0]) == COLUMNS
    assert [
        (r["order_id"], r["intent"], r["quantity"], r["cash"], r["realised"]) for r in rows
    ] == [
        ("1000", "open", "10", "-5000.00", "0"),
        ("1001", "close", "-6", "3033.00", "33.00"),
    ]
    assert rows[1]["proposal_id"] == CLOSING.id
    assert rows[1]["time_new_york"] == "2026-11-18T10:00:00-05:00"


def test_write_report_when_directory_missing_then_made_with_both_files(tmp_path: Path) -> None:
    page, trades = write_report(_run(), tmp_path / "out" / "edgegate-report")
    assert page.name == "report.html" and page.stat().st_size > 1_000_000
    assert trades.read_text().startswith(",".join(COLUMNS))


def test_closing_summary_when_a_proposal_got_no_answer_then_listed_as_unknown() -> None:
    lost = equity_proposal(50, "open", "buy", quantity=3)
    run = _run()
    events = [
        *run.events,
        proposed(lost),
        EngineEvent(at(50), "error", "SPY", "equity_trend", "gate unavailable"),
    ]
    lines = closing_summary(RunRecord(**{**run.__dict__, "events": events}))
    assert "no answer from the gate: 1 (its outcome is unknown)" in lines
    assert "  10:20:00 SPY  equity_trend open x3" in lines
    assert "no answer from the gate" not in "\n".join(closing_summary(run))
