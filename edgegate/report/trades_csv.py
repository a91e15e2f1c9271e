"""trades.csv: one row per executed leg, with the cash it moved and the P&L it realised."""

from __future__ import annotations

import csv
import io

from edgegate.report.records import RunRecord
from edgegate.report.summary import closing
from edgegate.report.trades import order_fills, proposal_rows
from tradier.clock import to_new_york

COLUMNS = (
    "time_new_york",
    "order_id",
    "proposal_id",
    "symbol",
    "strategy",
    "intent",
    "instrument",
    "side",
    "quantity",
    "price",
    "multiplier",
    "cash",
    "realised",
)


def trades_csv(run: RunRecord) -> str:
    """The CSV text (header first; amounts as exact decimals, cash + received, - paid)."""
    book, _, _ = closing(run)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for order in order_fills(book, proposal_rows(run.events)):
        for leg in order.legs:
            f = leg.fill
            writer.writerow(
                (
                    to_new_york(f.at_ms).isoformat(timespec="seconds"),
                    order.order_id,
                    f.proposal_id,
                    order.underlying,
                    order.strategy,
                    order.intent,
                    f.instrument,
                    f.side,
                    f.quantity,
                    f.price,
                    f.multiplier,
                    leg.cash,
                    leg.realised,
                )
            )
    return out.getvalue()
