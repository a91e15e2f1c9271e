"""The analyst's errors, grouped by what the caller does about them.

    AnalystError                  root of everything the analyst raises
    ├── AnalystConfigError        bad configuration: stop at start (names the variable)
    ├── RetryableAnalystError     the API said "later" (429, 529, 5xx, connection): retry
    │                             within the budget and the deadline, else abstain
    └── FatalAnalystError         the request can never succeed as sent (401, 400, 404):
                                  abstain now, and do not retry

Abstentions (a refusal, a reply cut off at `max_tokens`, a reply that fails validation,
a timeout, the cost cap) are not exceptions: they are values (`brain.analyst.answers`),
because "no recommendation" is a normal outcome the brain must handle every time.
"""

from __future__ import annotations


class AnalystError(Exception):
    """Root of the analyst's exceptions."""


class AnalystConfigError(AnalystError, ValueError):
    """A missing or invalid analyst setting; `name` is the variable."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.detail = message
        super().__init__(f"{name}: {message}")


class RetryableAnalystError(AnalystError):
    """The API refused for now; `retry_after_s` is what it asked for (None: not said)."""

    def __init__(self, status: int | None, message: str, retry_after_s: float | None) -> None:
        self.status = status
        self.retry_after_s = retry_after_s
        super().__init__(message)


class FatalAnalystError(AnalystError):
    """The API refused a request that would be refused again (auth, bad request)."""

    def __init__(self, status: int | None, message: str) -> None:
        self.status = status
        super().__init__(message)
