"""report.html: the run on one page that opens offline (plotly.js is inside it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version

import jinja2
from markupsafe import Markup

from edgegate.report.charts import equity_chart, plotly_js, price_chart
from edgegate.report.records import RunRecord
from edgegate.report.summary import closing, held_back_reason, hhmmss, money, price
from edgegate.report.trades import order_fills, proposal_rows
from tradier.clock import to_new_york

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("edgegate.report", "."),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True, slots=True)
class PositionRow:
    """A holding at the close, valued at its mark."""

    instrument: str
    quantity: int
    cost_basis: Decimal
    mark: Decimal
    value: Decimal
    open_pl: Decimal


def render(run: RunRecord) -> str:
    """The whole page as a string."""
    book, valued, rec = closing(run)
    rows = proposal_rows(run.events)
    orders = order_fills(book, rows)
    positions = []
    for held in sorted(book.holdings.values(), key=lambda h: h.instrument):
        mark = run.final.marks.get(held.instrument, Decimal(0))
        worth = mark * held.quantity * held.multiplier
        positions.append(
            PositionRow(
                held.instrument, held.quantity, held.cost_basis, mark, worth,
                worth - held.cost_basis,
            )
        )  # fmt: skip
    skipped = Counter(e.detail for e in run.events if e.kind == "skip")
    symbols = sorted(run.prices)
    price_charts = [
        Markup(price_chart(s, run.prices[s], orders, f"price-chart-{s}")) for s in symbols
    ]
    start, end = to_new_york(run.start_ms), to_new_york(run.end_ms)
    template = _ENV.get_template("report.html.j2")
    return template.render(
        day=run.day.isoformat(),
        weekday=f"{run.day:%A}",
        window=f"{start:%H:%M}-{end:%H:%M}",
        seed=run.seed,
        constitution=run.constitution or "infra/constitution.toml",
        # Our own fragments and plotly's bundled script: trusted, not user text.
        plotly_js=Markup(plotly_js()),
        plotly_version=version("plotly"),
        equity_chart=Markup(equity_chart(run.equity)),
        price_charts=price_charts,
        realised=money(valued.realised),
        realised_value=valued.realised,
        open_pl=money(valued.open_pl),
        open_value=valued.open_pl,
        total_pl=money(valued.total_pl),
        total_value=valued.total_pl,
        equity=f"{valued.equity:,.2f}",
        reconciled=rec.agrees,
        checks=rec.checks,
        position_differences=rec.position_differences,
        rows=rows,
        approved=sum(1 for r in rows if r.verdict == "APPROVED"),
        refused=sum(1 for r in rows if r.verdict == "REJECTED"),
        orders=orders,
        legs=len(book.booked),
        positions=positions,
        held_back=[(c, n, held_back_reason(c)) for c, n in skipped.most_common()],
        audit=sorted(run.audit, key=lambda a: (a.ts_ms, a.ref)),
        reviews=sorted(run.reviews, key=lambda v: v.at_ms),
        hhmmss=hhmmss,
        money=money,
        price=price,
    )
