"""The dashboard's sessions and CSRF tokens, on a test clock."""

from __future__ import annotations

from brain.api.web_auth import (
    SESSION_TTL_MS,
    WebSessions,
    cookie_flags,
    login_csrf_ok,
)

TOKEN = "fake-dashboard-token-" + "x" * 24


class Clock:
    """Milliseconds set by the test."""

    def __init__(self) -> None:
        self.ms = 1_000_000

    def __call__(self) -> int:
        return self.ms


def test_login_when_wrong_token_then_no_session() -> None:
    sessions = WebSessions(TOKEN, Clock())
    assert sessions.login("not-the-token-" + "y" * 24) is None
    assert sessions.login("") is None
    assert sessions._sessions == {}


def test_login_when_right_token_then_a_live_session_until_its_ttl() -> None:
    clock = Clock()
    sessions = WebSessions(TOKEN, clock)
    session_id = sessions.login(TOKEN)
    assert session_id is not None and len(session_id) >= 40
    assert sessions.valid(session_id)
    clock.ms += SESSION_TTL_MS
    assert not sessions.valid(session_id)


def test_logout_when_called_then_session_no_longer_valid() -> None:
    sessions = WebSessions(TOKEN, Clock())
    session_id = sessions.login(TOKEN)
    sessions.logout(session_id)
    assert not sessions.valid(session_id)


def test_csrf_when_other_session_or_missing_then_refused() -> None:
    sessions = WebSessions(TOKEN, Clock())
    first, second = sessions.login(TOKEN), sessions.login(TOKEN)
    assert first is not None and second is not None
    assert sessions.csrf_ok(first, sessions.csrf(first))
    assert not sessions.csrf_ok(first, sessions.csrf(second))
    assert not sessions.csrf_ok(first, None)
    assert not sessions.csrf_ok(first, "")


def test_csrf_when_another_process_then_its_tokens_do_not_pass() -> None:
    ours, theirs = WebSessions(TOKEN, Clock()), WebSessions(TOKEN, Clock())
    session_id = ours.login(TOKEN)
    assert session_id is not None
    assert not ours.csrf_ok(session_id, theirs.csrf(session_id))


def test_login_csrf_when_cookie_and_field_differ_or_missing_then_refused() -> None:
    assert login_csrf_ok("nonce-abc", "nonce-abc")
    assert not login_csrf_ok("nonce-abc", "nonce-abd")
    assert not login_csrf_ok(None, "nonce-abc")
    assert not login_csrf_ok("nonce-abc", None)
    assert not login_csrf_ok("", "")


def test_cookie_flags_when_set_then_httponly_strict_and_not_secure_on_plain_http() -> None:
    assert cookie_flags() == {"httponly": True, "samesite": "Strict", "path": "/"}
