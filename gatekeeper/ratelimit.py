"""Entry-side limits as the store enforces them, and what each refusal means.

The limits themselves are conditions inside the store's one transaction (see
`gatekeeper.dynamo_store.DynamoGateStore.reserve`): at most one opening proposal per
symbol per window, a global per-minute budget under Tradier's 60 trade calls, and caps on
open structures in total, per symbol and per correlation group. Closing proposals count
against the minute budget but are never refused by any of them.
"""

from __future__ import annotations

from typing import Final

from gatekeeper.constitution import Constitution
from gatekeeper.contract import ReasonCode
from gatekeeper.store import ConflictKind, Limits

CONFLICT_REASONS: Final = {
    ConflictKind.SYMBOL_RATE: ReasonCode.SYMBOL_RATE_LIMITED,
    ConflictKind.GLOBAL_RATE: ReasonCode.GLOBAL_RATE_LIMITED,
    ConflictKind.OPEN_TOTAL: ReasonCode.OPEN_STRUCTURES_LIMIT,
    ConflictKind.OPEN_SYMBOL: ReasonCode.SYMBOL_CONCENTRATION,
    ConflictKind.OPEN_GROUP: ReasonCode.CORRELATION_GROUP_LIMIT,
    ConflictKind.CLOSE_IN_FLIGHT: ReasonCode.CLOSE_IN_PROGRESS,
}


def limits_from(constitution: Constitution) -> Limits:
    """The store's `Limits` from the constitution."""
    return Limits(
        symbol_window_ms=constitution.symbol_open_window_ms,
        global_budget_per_minute=constitution.global_trade_calls_per_minute,
        max_open_total=constitution.max_open_structures,
        max_open_per_symbol=constitution.max_open_structures_per_symbol,
        group_caps=constitution.group_caps,
    )


def refusal_text(kind: ConflictKind, limits: Limits, detail: str = "") -> str:
    """A human reason for a refused reservation."""
    if kind is ConflictKind.SYMBOL_RATE:
        return f"one opening proposal per symbol per {limits.symbol_window_ms // 1000} s"
    if kind is ConflictKind.GLOBAL_RATE:
        return f"global budget of {limits.global_budget_per_minute} orders this minute is spent"
    if kind is ConflictKind.OPEN_TOTAL:
        return f"at most {limits.max_open_total} open structures"
    if kind is ConflictKind.OPEN_SYMBOL:
        return f"at most {limits.max_open_per_symbol} open structures per symbol"
    if kind is ConflictKind.OPEN_GROUP:
        return f"correlation group {detail} is at its cap of {limits.group_caps.get(detail)}"
    if kind is ConflictKind.CLOSE_IN_FLIGHT:
        return (
            f"another close of {detail} is being sent, or was sent after this one read the "
            "account; send a new proposal to be judged on the account after it"
        )
    return str(kind)
