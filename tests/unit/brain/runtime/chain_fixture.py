"""A small literal option chain for leg-selection tests (dicts, like decoded JSON)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tradier.occ import OptionType, build_occ

NEAR = date(2026, 12, 18)
FAR = date(2027, 1, 15)


def row(
    exp: date, kind: OptionType, strike: int, bid: str, ask: str, delta: float
) -> dict[str, Any]:
    return {
        "symbol": build_occ("SPY", exp, kind, Decimal(strike)),
        "underlying": "SPY",
        "bid": bid,
        "ask": ask,
        "greeks": {"delta": delta, "mid_iv": 0.18},
    }


def chain() -> list[dict[str, Any]]:
    rows = []
    # Puts 480..520 step 5 with deltas rising towards the money (underlying 500).
    put_deltas = {
        480: -0.08,
        485: -0.12,
        490: -0.19,
        495: -0.31,
        500: -0.5,
        505: -0.66,
        510: -0.78,
        515: -0.86,
        520: -0.92,
    }
    call_deltas = {
        480: 0.92,
        485: 0.86,
        490: 0.78,
        495: 0.66,
        500: 0.5,
        505: 0.31,
        510: 0.21,
        515: 0.12,
        520: 0.08,
    }
    for strike, d in put_deltas.items():
        mid = Decimal(str(round(abs(d) * 12, 2)))
        rows.append(
            row(
                NEAR,
                OptionType.PUT,
                strike,
                str(mid - Decimal("0.05")),
                str(mid + Decimal("0.05")),
                d,
            )
        )
        rows.append(
            row(
                FAR,
                OptionType.PUT,
                strike,
                str(mid + Decimal("1.45")),
                str(mid + Decimal("1.55")),
                d,
            )
        )
    for strike, d in call_deltas.items():
        mid = Decimal(str(round(abs(d) * 12, 2)))
        rows.append(
            row(
                NEAR,
                OptionType.CALL,
                strike,
                str(mid - Decimal("0.05")),
                str(mid + Decimal("0.05")),
                d,
            )
        )
        rows.append(
            row(
                FAR,
                OptionType.CALL,
                strike,
                str(mid + Decimal("1.45")),
                str(mid + Decimal("1.55")),
                d,
            )
        )
    return rows
