"""The report's charts, drawn by plotly: the equity curve and each symbol's price with its
entries and exits. Each is an HTML fragment; plotly.js itself goes once into the page.

SVG traces only (`go.Scatter`, never `Scattergl`): they draw without a GPU, in a headless
browser too, and stay crisp when printed.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from edgegate.report.records import EquityPoint, PricePoint
from edgegate.report.trades import OrderFill
from tradier.clock import to_new_york

_CONFIG = {"displaylogo": False, "responsive": True}
_LAYOUT = {
    "template": "plotly_white",
    "height": 320,
    "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
    "hovermode": "x unified",
    "legend": {"orientation": "h", "y": -0.2},
}


def plotly_js() -> str:
    """plotly.js as the installed plotly package ships it (pinned by the lock)."""
    return get_plotlyjs()


def _ny(at_ms: int) -> datetime:
    # Naive New York wall time: the axis reads as the trader's clock.
    return to_new_york(at_ms).replace(tzinfo=None)


def _fragment(fig: go.Figure, div_id: str) -> str:
    html: str = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=_CONFIG)
    return html


def equity_chart(points: Sequence[EquityPoint], div_id: str = "equity-chart") -> str:
    """Equity each minute from fills and marks, with the broker's own figure beside it."""
    x = [_ny(p.at_ms) for p in points]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x, y=[float(p.equity) for p in points], name="equity (fills + marks)", mode="lines"
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=[float(p.broker_equity) for p in points],
            name="broker's total_equity",
            mode="lines",
            line={"dash": "dot"},
        )
    )
    fig.update_layout(title="Account equity", yaxis_title="$", **_LAYOUT)
    return _fragment(fig, div_id)


def _price_at(prices: Sequence[PricePoint], at_ms: int) -> float | None:
    # The last minute close at or before the fill (the first one for a fill before it).
    if not prices:
        return None
    times = [p.at_ms for p in prices]
    i = bisect.bisect_right(times, at_ms) - 1
    return float(prices[max(i, 0)].price)


def price_chart(
    symbol: str, prices: Sequence[PricePoint], orders: Sequence[OrderFill], div_id: str
) -> str:
    """`symbol`'s minute closes, its entries (▲) and exits (▼) at the time each order filled."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[_ny(p.at_ms) for p in prices],
            y=[float(p.price) for p in prices],
            name=f"{symbol} last",
            mode="lines",
        )
    )
    for intent, marker, colour in (
        ("open", "triangle-up", "#1a7f37"),
        ("close", "triangle-down", "#cf222e"),
    ):
        mine = [o for o in orders if o.underlying == symbol and o.intent == intent]
        if not mine:
            continue
        fig.add_trace(
            go.Scatter(
                x=[_ny(o.at_ms) for o in mine],
                y=[_price_at(prices, o.at_ms) for o in mine],
                name="entries" if intent == "open" else "exits",
                mode="markers",
                marker={"symbol": marker, "size": 13, "color": colour},
                text=[f"{o.strategy}: cash {o.cash:+.2f}" for o in mine],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.update_layout(title=f"{symbol}: price, entries and exits", yaxis_title="$", **_LAYOUT)
    return _fragment(fig, div_id)
