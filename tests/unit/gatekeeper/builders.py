"""Literal proposals for the gatekeeper's unit tests, as dicts and as bytes."""

from __future__ import annotations

import copy
from typing import Any

import msgspec

from gatekeeper.contract import Proposal, decode_proposal

PROPOSAL_ID = "0b6f8c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f"
CREATED_AT = 1_765_000_000_000  # 2025-12-06
SOURCE = {"kind": "signal", "name": "rsi_revert"}


def leg(symbol: str, side: str, ratio: int | None = None) -> dict[str, Any]:
    """One leg dict."""
    out: dict[str, Any] = {"option_symbol": symbol, "side": side}
    if ratio is not None:
        out["ratio"] = ratio
    return out


EQUITY: dict[str, Any] = {
    "id": PROPOSAL_ID,
    "created_at": CREATED_AT,
    "symbol": "SPY",
    "strategy": "equity",
    "intent": "open",
    "quantity": 10,
    "order_type": "limit",
    "price": "600.50",
    "duration": "day",
    "side": "buy",
    "source": SOURCE,
}

SINGLE_OPTION: dict[str, Any] = {
    **{k: v for k, v in EQUITY.items() if k != "side"},
    "strategy": "single_option",
    "quantity": 2,
    "price": "3.10",
    "legs": [leg("SPY251219C00600000", "buy_to_open")],
}

VERTICAL: dict[str, Any] = {
    **SINGLE_OPTION,
    "strategy": "vertical",
    "order_type": "credit",
    "price": "1.25",
    "legs": [
        leg("SPY251219P00580000", "sell_to_open"),
        leg("SPY251219P00575000", "buy_to_open"),
    ],
}

IRON_CONDOR: dict[str, Any] = {
    **VERTICAL,
    "strategy": "iron_condor",
    "price": "2.00",
    "legs": [
        leg("SPY251219P00570000", "buy_to_open"),
        leg("SPY251219P00580000", "sell_to_open"),
        leg("SPY251219C00620000", "sell_to_open"),
        leg("SPY251219C00630000", "buy_to_open"),
    ],
}

IRON_BUTTERFLY: dict[str, Any] = {
    **VERTICAL,
    "strategy": "iron_butterfly",
    "price": "8.00",
    "legs": [
        leg("SPY251219P00590000", "buy_to_open"),
        leg("SPY251219P00600000", "sell_to_open"),
        leg("SPY251219C00600000", "sell_to_open"),
        leg("SPY251219C00610000", "buy_to_open"),
    ],
}

RATIO_SPREAD: dict[str, Any] = {
    **VERTICAL,
    "strategy": "ratio_spread",
    "order_type": "debit",
    "price": "0.40",
    "legs": [
        leg("SPY251219C00600000", "buy_to_open", 1),
        leg("SPY251219C00610000", "sell_to_open", 2),
    ],
}

CALENDAR_SPREAD: dict[str, Any] = {
    **VERTICAL,
    "strategy": "calendar_spread",
    "order_type": "debit",
    "price": "1.80",
    "legs": [
        leg("SPY251219C00600000", "sell_to_open"),
        leg("SPY260116C00600000", "buy_to_open"),
    ],
}

ALL_VALID: dict[str, dict[str, Any]] = {
    "equity": EQUITY,
    "single_option": SINGLE_OPTION,
    "vertical": VERTICAL,
    "iron_condor": IRON_CONDOR,
    "iron_butterfly": IRON_BUTTERFLY,
    "ratio_spread": RATIO_SPREAD,
    "calendar_spread": CALENDAR_SPREAD,
}


def body(base: dict[str, Any], **changes: Any) -> bytes:
    """JSON bytes of `base` with top-level `changes`; a value of `...` removes the key."""
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if value is ...:
            data.pop(key, None)
        else:
            data[key] = value
    return msgspec.json.encode(data)


def proposal(base: dict[str, Any], **changes: Any) -> Proposal:
    """A decoded, validated Proposal."""
    return decode_proposal(body(base, **changes))


def closing(base: dict[str, Any], **changes: Any) -> Proposal:
    """The closing twin of an opening proposal: sides flipped to *_to_close."""
    flip = {
        "buy_to_open": "sell_to_close",
        "sell_to_open": "buy_to_close",
        "buy": "sell",
        "sell_short": "buy_to_cover",
    }
    data = copy.deepcopy(base)
    data["intent"] = "close"
    if "side" in data:
        data["side"] = flip[data["side"]]
    if "legs" in data:
        data["legs"] = [{**lg, "side": flip[lg["side"]]} for lg in data["legs"]]
    if data["order_type"] == "credit":
        data["order_type"] = "debit"
    elif data["order_type"] == "debit":
        data["order_type"] = "credit"
    data.update(changes)
    return decode_proposal(msgspec.json.encode(data))
