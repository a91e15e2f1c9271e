"""What a trader wants at the end of the demo: what was opened, closed and refused, and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from brain.engine import EngineEvent


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counter.most_common()) or "none"


def trader_summary(events: Sequence[EngineEvent]) -> list[str]:
    """Plain lines: positions opened and closed, and what was refused or held back, and why."""
    intents = {e.proposal.id: e.proposal.intent.value for e in events if e.proposal is not None}
    opened = closed = 0
    refused: Counter[str] = Counter()
    for event in events:
        decision = event.decision
        if decision is None:
            continue
        if decision.decision.value == "APPROVED":
            if intents.get(decision.proposal_id) == "close":
                closed += 1
            else:
                opened += 1
        else:
            refused[str(decision.reason_code.value if decision.reason_code else "unknown")] += 1
    skipped = Counter(e.detail for e in events if e.kind == "skip")
    errors = sum(1 for e in events if e.kind == "error")
    lines = [
        f"summary: {sum(1 for e in events if e.kind == 'signal')} signals, "
        f"{len(intents)} proposals sent to the gate",
        f"  approved: {opened} to open, {closed} to close",
        f"  refused by the gate: {sum(refused.values())} ({_counts(refused)})",
        f"  held back by the brain's own limits: {sum(skipped.values())} ({_counts(skipped)})",
    ]
    reviews = Counter(e.detail.split(" ", 1)[0] for e in events if e.kind == "review")
    if reviews:
        lines.append(f"  reviewed before sending: {sum(reviews.values())} ({_counts(reviews)})")
    if errors:
        lines.append(f"  errors: {errors} (see the ERROR lines above)")
    return lines
