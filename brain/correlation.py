"""Correlated exposure: the same bet on four index ETFs is one bet.

Symbols map to correlation groups (the broad US index ETFs move together, so a put
backspread on SPY, QQQ, IWM and DIA at the same minute is one position four times over).
`GroupLimits` caps, per group, how many positions of one strategy may be open (one by
default) and how many positions in all; `rank` orders a batch of signals so that, within a
group and strategy, the strongest candidate is tried first and the others meet the cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from brain.market import Signal

US_INDEX = "us_index"
DEFAULT_GROUPS: Mapping[str, str] = MappingProxyType(
    {s: US_INDEX for s in ("SPY", "QQQ", "IWM", "DIA", "VOO", "IVV", "VTI", "RSP", "MDY")}
)


@dataclass(frozen=True, slots=True)
class GroupLimits:
    """Caps on open positions per correlation group (a symbol not listed is its own group)."""

    groups: Mapping[str, str] = field(default_factory=lambda: DEFAULT_GROUPS)
    per_strategy: int = 1
    per_group: int = 3

    def __post_init__(self) -> None:
        if self.per_strategy < 1 or self.per_group < self.per_strategy:
            raise ValueError("per_strategy, per_group: need 1 <= per_strategy <= per_group")

    def group_of(self, symbol: str) -> str:
        """The symbol's correlation group."""
        return self.groups.get(symbol, symbol)

    def check(self, symbol: str, strategy: str, open_: Iterable[tuple[str, str]]) -> str | None:
        """Why opening `strategy` on `symbol` would exceed a cap, given the open (and
        in-flight) positions as (symbol, strategy) pairs; None when it may go."""
        group = self.group_of(symbol)
        same = in_group = 0
        for sym, strat in open_:
            if self.group_of(sym) != group:
                continue
            in_group += 1
            same += strat == strategy
        if same >= self.per_strategy:
            return "group_strategy_cap"
        if in_group >= self.per_group:
            return "group_cap"
        return None

    def rank(self, batch: Sequence[Signal]) -> list[Signal]:
        """The batch in time order; within one minute, group and strategy, strongest first
        (ties by symbol, so the order is deterministic)."""
        return sorted(
            batch,
            key=lambda s: (
                s.created_at_ms // 60_000,
                self.group_of(s.symbol),
                s.strategy,
                -s.strength,
                s.symbol,
                s.kind,
            ),
        )
