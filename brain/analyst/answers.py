"""What a call to an analyst gives back: a typed answer, or an abstention with its reason.

An abstention is never a guess: the caller gets no content at all, only why. The reasons
are a closed set, so the brain (and a test) can act on each without reading prose.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel

AnswerT = TypeVar("AnswerT", bound=BaseModel)


class AbstainReason(StrEnum):
    """Why there is no answer."""

    REFUSAL = "refusal"  # stop_reason "refusal"
    MAX_TOKENS = "max_tokens"  # cut off: a truncated JSON is not an answer
    CONTEXT_EXCEEDED = "context_exceeded"  # stop_reason "model_context_window_exceeded"
    INVALID_JSON = "invalid_json"  # the text is not JSON
    SCHEMA_INVALID = "schema_invalid"  # JSON, but not the typed answer
    NO_TEXT = "no_text"  # no text block to read
    TIMEOUT = "timeout"  # an attempt or the whole deadline ran out
    UNAVAILABLE = "unavailable"  # 429/529/5xx after the allowed retries
    FATAL = "fatal"  # 400/401/403/404: the request cannot succeed
    DAILY_BUDGET = "daily_budget"  # the reservation would pass the daily budget
    CALLS_PER_HOUR = "calls_per_hour"  # the hour's calls are used up
    OUT_OF_BOUNDS = "out_of_bounds"  # a valid answer that asks for more than allowed

    @property
    def is_cap(self) -> bool:
        """True for the cost cap (budget or calls per hour)."""
        return self in (AbstainReason.DAILY_BUDGET, AbstainReason.CALLS_PER_HOUR)


@dataclass(frozen=True, slots=True)
class Answered(Generic[AnswerT]):
    """A validated answer; `call_id` finds the call's record (usage, cost, transcript)."""

    answer: AnswerT
    call_id: str


@dataclass(frozen=True, slots=True)
class Abstained:
    """No answer, and why; `detail` is for people (logs, audit), never parsed."""

    reason: AbstainReason
    detail: str = ""
    call_id: str | None = None


Reply = Answered[AnswerT] | Abstained
