"""Reading a Messages API reply: the typed answer or why there is none, its usage, and
the wait a refusal asked for. Pure functions over the SDK's objects (no I/O)."""

from __future__ import annotations

from typing import Any, TypeVar

import anthropic
from pydantic import BaseModel, ValidationError

from brain.analyst.answers import Abstained, AbstainReason
from brain.analyst.prices import TokenUsage

T = TypeVar("T", bound=BaseModel)


def usage_of(message: Any) -> TokenUsage:
    """The tokens a Message reports (`usage`), missing counts as zero."""
    u = message.usage
    return TokenUsage(
        input_tokens=int(u.input_tokens or 0),
        output_tokens=int(u.output_tokens or 0),
        cache_write_tokens=int(u.cache_creation_input_tokens or 0),
        cache_read_tokens=int(u.cache_read_input_tokens or 0),
    )


def texts_of(message: Any) -> list[str]:
    """The text blocks of a Message, in order."""
    return [
        str(getattr(block, "text", ""))
        for block in message.content
        if getattr(block, "type", "") == "text"
    ]


def read_answer(message: Any, answer: type[T]) -> T | Abstained:
    """The typed answer in `message`, or why there is none (never a guess)."""
    stop = message.stop_reason
    if stop == "refusal":
        details = getattr(message, "stop_details", None)
        category = getattr(details, "category", None) if details is not None else None
        return Abstained(AbstainReason.REFUSAL, f"refused (category {category})")
    if stop == "max_tokens":
        return Abstained(AbstainReason.MAX_TOKENS, "cut off at max_tokens")
    if stop == "model_context_window_exceeded":
        return Abstained(AbstainReason.CONTEXT_EXCEEDED, "context window exceeded")
    texts = texts_of(message)
    if not texts:
        return Abstained(AbstainReason.NO_TEXT, f"no text block (stop_reason {stop})")
    try:
        return answer.model_validate_json("".join(texts))
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        detail = "invalid"
        if errors:
            where = ".".join(str(p) for p in errors[0]["loc"]) or "<root>"
            detail = f"{where}: {errors[0]['msg']}"
        if any(e.get("type") == "json_invalid" for e in errors):
            return Abstained(AbstainReason.INVALID_JSON, detail)
        return Abstained(AbstainReason.SCHEMA_INVALID, detail)


def retry_after(exc: anthropic.APIStatusError) -> float | None:
    """The wait the API asked for (`retry-after-ms`, else `retry-after` seconds)."""
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw:
            try:
                return max(0.0, float(raw) * scale)
            except ValueError:
                continue
    return None
