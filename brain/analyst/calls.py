"""The record of every call to Claude: what it was told, what it answered, what it cost.

`CallLog` keeps the last `keep` records in memory (status, figures) and totals since
start, and appends each record as one JSON line to `transcript` when given (the audit:
the documents sent, the prefix's digest, the reply's text, usage, cost, retries).
"""

from __future__ import annotations

import json
import statistics
from collections import deque
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from brain.analyst.prices import TokenUsage


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call (with its retries) and how it ended."""

    call_id: str
    purpose: str
    model: str
    at_ms: int
    outcome: str  # "answered" or an AbstainReason value
    detail: str
    attempts: int  # requests sent to /v1/messages
    retries: int
    usage: TokenUsage  # summed over the attempts
    cost: Decimal
    reserved: Decimal  # worst cases reserved, summed over the attempts
    counted_tokens: int  # prompt tokens counted before the call
    latency_ms: float  # the whole call, wall time
    model_ms: float  # waiting on the API: round trips and the waits it asked for
    prefix_digest: str = ""
    documents: dict[str, str] = field(default_factory=dict)
    reply_text: str | None = None
    request_ids: tuple[str, ...] = ()

    @property
    def overhead_ms(self) -> float:
        """The brain's own time in the call: everything but waiting on the API."""
        return max(0.0, self.latency_ms - self.model_ms)

    def to_json(self) -> dict[str, Any]:
        """The record as JSON-ready builtins (decimals as strings)."""
        raw = asdict(self)
        raw["cost"] = str(self.cost)
        raw["reserved"] = str(self.reserved)
        raw["request_ids"] = list(self.request_ids)
        return raw


def percentile(values: list[float], pct: float) -> float:
    """The `pct` percentile (nearest rank) of `values`; 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class CallLog:
    """Recent call records, totals, and the optional JSON-lines transcript."""

    keep: int = 1000
    transcript: Path | None = None
    records: deque[CallRecord] = field(default_factory=deque)
    calls: int = 0
    attempts: int = 0
    retries: int = 0
    cost: Decimal = Decimal(0)
    usage: TokenUsage = field(default_factory=TokenUsage)
    outcomes: dict[str, int] = field(default_factory=dict)
    cache_misses: int = 0

    def add(self, record: CallRecord) -> None:
        """Keep `record`, add it to the totals and the transcript."""
        if self.records.maxlen != self.keep:
            self.records = deque(self.records, maxlen=self.keep)
        self.records.append(record)
        self.calls += 1
        self.attempts += record.attempts
        self.retries += record.retries
        self.cost += record.cost
        self.usage = self.usage + record.usage
        self.outcomes[record.outcome] = self.outcomes.get(record.outcome, 0) + 1
        if self.transcript is not None:
            self.transcript.parent.mkdir(parents=True, exist_ok=True)
            with self.transcript.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record.to_json(), sort_keys=True) + "\n")

    def figures(self) -> dict[str, Any]:
        """Per-call figures of the kept records: prompt tokens, cache share, overhead."""
        records = list(self.records)
        prompts = [float(r.usage.prompt_tokens) for r in records if r.attempts]
        overheads = [r.overhead_ms for r in records]
        prompt_total = self.usage.prompt_tokens
        return {
            "calls": self.calls,
            "attempts": self.attempts,
            "retries": self.retries,
            "outcomes": dict(sorted(self.outcomes.items())),
            "cost": str(self.cost),
            "prompt_tokens_median": statistics.median(prompts) if prompts else 0,
            "prompt_tokens_max": max(prompts) if prompts else 0,
            "cache_read_share": (
                round(self.usage.cache_read_tokens / prompt_total, 4) if prompt_total else 0.0
            ),
            "cache_misses": self.cache_misses,
            "overhead_ms_median": round(statistics.median(overheads), 3) if overheads else 0.0,
            "overhead_ms_p99": round(percentile(overheads, 99), 3),
        }
