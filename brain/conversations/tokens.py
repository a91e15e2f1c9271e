"""Counting a prompt's tokens: for real through the SDK's `messages.count_tokens` (see
`brain.conversations.analyst_counter`), or offline with an estimate calibrated against it.

`Prompt` is what is counted and sent: the static system text (instructions and schema),
data documents, the fixed question, and the answer schema that goes in `output_config`.
The estimate is deliberately pessimistic (fewer bytes per token than English prose has),
so a prompt fitted with it fits the real count too; `calibrate` measures its error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Piece:
    """One data document: a title and its text (JSON)."""

    title: str
    data: str


@dataclass(frozen=True, slots=True)
class Prompt:
    """Everything a call sends that costs input tokens."""

    system: str
    documents: tuple[Piece, ...]
    ask: str
    schema: str = ""

    def with_documents(self, documents: Sequence[Piece]) -> Prompt:
        """The same prompt with other documents."""
        return Prompt(self.system, tuple(documents), self.ask, self.schema)


class TokenCounter(Protocol):
    """Counts a whole prompt's input tokens."""

    async def count(self, prompt: Prompt) -> int:
        """The prompt's input tokens."""
        ...


def text_bytes(text: str) -> int:
    """UTF-8 length."""
    return len(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Estimate:
    """Offline token estimate: one token per `bytes_per_token` bytes, started, plus a
    fixed overhead per message and per document (role markers, titles' framing).

    The default 3.0 bytes per token over-counts the API's ~3.5–4 for English and the
    fake's 4 (`calibrate` states the error against a real counter)."""

    bytes_per_token: float = 3.0
    base: int = 8
    per_document: int = 6

    def text(self, text: str) -> int:
        """Tokens of one text."""
        return math.ceil(text_bytes(text) / self.bytes_per_token)

    def piece(self, piece: Piece) -> int:
        """Tokens of one document."""
        return self.text(piece.data) + self.text(piece.title) + self.per_document

    def prompt(self, prompt: Prompt) -> int:
        """Tokens of a whole prompt."""
        return (
            self.base
            + self.text(prompt.system)
            + sum(self.piece(p) for p in prompt.documents)
            + self.text(prompt.ask)
            + self.text(prompt.schema)
        )


class EstimateCounter:
    """`TokenCounter` offline: the estimate, no call."""

    def __init__(self, estimate: Estimate | None = None) -> None:
        self.estimate = estimate or Estimate()

    async def count(self, prompt: Prompt) -> int:
        """See `Estimate.prompt`."""
        return self.estimate.prompt(prompt)


@dataclass(frozen=True, slots=True)
class Calibration:
    """How an estimate compares with a real counter over sample prompts."""

    samples: int
    fitted_bytes_per_token: float  # what the real counter implies
    min_ratio: float  # estimate / real, over the samples
    max_ratio: float

    @property
    def never_under(self) -> bool:
        """True when the estimate never counted fewer tokens than the real counter."""
        return self.min_ratio >= 1.0


async def calibrate(
    prompts: Sequence[Prompt], real: TokenCounter, estimate: Estimate
) -> Calibration:
    """Count `prompts` both ways and state the estimate's error."""
    ratios: list[float] = []
    total_bytes = total_tokens = 0
    for prompt in prompts:
        counted = await real.count(prompt)
        ratios.append(estimate.prompt(prompt) / counted)
        total_tokens += counted
        total_bytes += (
            text_bytes(prompt.system)
            + sum(text_bytes(p.data) + text_bytes(p.title) for p in prompt.documents)
            + text_bytes(prompt.ask)
            + text_bytes(prompt.schema)
        )
    return Calibration(len(ratios), total_bytes / total_tokens, min(ratios), max(ratios))
