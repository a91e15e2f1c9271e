"""The dashboard's login: the token asked once, then a cookie; every POST carries a CSRF token.

After `POST /login` with the right token the browser holds `eg_session`, a random id
(HttpOnly, SameSite=Strict, Path=/). It cannot be `Secure`: the API is plain http on
loopback and a browser would never send a Secure cookie there. The CSRF token is bound to
the session (an HMAC of its id under a per-process key), handed to the page in a
`<meta>` tag and sent back as `X-CSRF-Token`; the login form itself is protected by a
double submit (`eg_login` cookie equal to the form's `csrf` field). Sessions live in
memory: a restart of the brain asks for the token again. The bearer token keeps working
for `edgegate chat` and needs no CSRF token (a browser cannot add that header cross-site).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from hashlib import sha256

SESSION_COOKIE = "eg_session"
LOGIN_COOKIE = "eg_login"
CSRF_HEADER = "X-CSRF-Token"
SESSION_TTL_MS = 12 * 3600_000
MAX_SESSIONS = 64


def cookie_flags() -> dict[str, object]:
    """The attributes of every cookie the dashboard sets (no `Secure`: plain http loopback)."""
    return {"httponly": True, "samesite": "Strict", "path": "/"}


@dataclass
class WebSessions:
    """Logged-in browsers: id -> expiry (epoch ms); CSRF tokens derived from the id."""

    token: str
    now_ms: Callable[[], int]
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _sessions: dict[str, int] = field(default_factory=dict)

    def login(self, given: str) -> str | None:
        """A new session id when `given` is the API token, else None."""
        if not hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8")):
            return None
        now = self.now_ms()
        self._sessions = {s: exp for s, exp in self._sessions.items() if exp > now}
        if len(self._sessions) >= MAX_SESSIONS:  # the oldest browser is logged out
            del self._sessions[min(self._sessions, key=self._sessions.__getitem__)]
        session_id = secrets.token_urlsafe(32)
        self._sessions[session_id] = now + SESSION_TTL_MS
        return session_id

    def valid(self, session_id: str | None) -> bool:
        """Whether `session_id` is a live session."""
        if not session_id:
            return False
        expiry = self._sessions.get(session_id)
        return expiry is not None and expiry > self.now_ms()

    def logout(self, session_id: str | None) -> None:
        """Forget `session_id`."""
        if session_id:
            self._sessions.pop(session_id, None)

    def csrf(self, session_id: str) -> str:
        """The CSRF token of `session_id`."""
        return hmac.new(self.key, session_id.encode("utf-8"), sha256).hexdigest()

    def csrf_ok(self, session_id: str, given: str | None) -> bool:
        """Whether `given` is the CSRF token of `session_id`."""
        return bool(given) and hmac.compare_digest(self.csrf(session_id), given or "")


def login_nonce() -> str:
    """The login form's double-submit value (cookie and hidden field)."""
    return secrets.token_urlsafe(24)


def login_csrf_ok(cookie: str | None, field_value: str | None) -> bool:
    """Whether the login form's `csrf` field matches its cookie."""
    return (
        bool(cookie) and bool(field_value) and hmac.compare_digest(cookie or "", field_value or "")
    )
