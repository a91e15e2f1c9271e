"""The conversations' errors, grouped by what the caller does about them.

ConversationError            root
├── SessionExpired           the session ended (or never was): start a new one
├── StoreUnavailable         the sessions table did not answer: retry later, nothing
│                            was confirmed or traded
└── BadRequest               the user's input breaks a rule: 400 naming field and rule
"""

from __future__ import annotations


class ConversationError(Exception):
    """Root of the conversations' exceptions."""


class SessionExpired(ConversationError):
    """The session is unknown or past its sliding expiry."""


class StoreUnavailable(ConversationError):
    """The store failed (DynamoDB error, throttling); nothing is half-done that matters."""


class BadRequest(ConversationError):
    """Input that breaks a rule; `field` names it and the message states the rule."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        self.field = field
        self.code = code
        self.detail = message
        super().__init__(f"{field}: {message}")
