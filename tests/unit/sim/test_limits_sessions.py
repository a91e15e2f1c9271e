"""Rate-limit windows, fault plans and stream sessions, with literal times."""

from __future__ import annotations

import itertools

import pytest

from tradier.sim.core import SimConfig, SimCore
from tradier.sim.errors import SimConfigError
from tradier.sim.limits import Fault, FaultPlan, RateLimiter, group_for
from tradier.sim.sessions import SESSION_TTL_MS, SessionBook


@pytest.mark.parametrize(
    ("method", "path", "group"),
    [
        ("GET", "/v1/markets/quotes", "market"),
        ("POST", "/v1/markets/events/session", "market"),
        ("GET", "/v1/accounts/VA1/orders", "standard"),
        ("POST", "/v1/accounts/VA1/orders", "trade"),
        ("PUT", "/v1/accounts/VA1/orders/7", "trade"),
        ("DELETE", "/v1/accounts/VA1/orders/7", "trade"),
        ("GET", "/v1/user/profile", "standard"),
    ],
)
def test_group_for_when_path_then_tradier_group(method: str, path: str, group: str) -> None:
    assert group_for(method, path) == group


def test_rate_limiter_when_window_full_then_exceeded_until_expiry() -> None:
    limiter = RateLimiter({"market": 2})
    assert limiter.hit("t", "market", 1_000).used == 1
    second = limiter.hit("t", "market", 30_000)
    assert (second.used, second.available, second.expiry_ms) == (2, 0, 61_000)
    assert limiter.hit("t", "market", 60_999).exceeded
    fresh = limiter.hit("t", "market", 61_000)
    assert (fresh.used, fresh.expiry_ms, fresh.exceeded) == (1, 121_000, False)


def test_rate_limiter_when_other_token_then_own_window() -> None:
    limiter = RateLimiter({"market": 1})
    limiter.hit("a", "market", 0)
    assert limiter.hit("a", "market", 1).exceeded
    assert not limiter.hit("b", "market", 1).exceeded


def test_fault_plan_when_count_used_up_then_disarmed() -> None:
    plan = FaultPlan()
    plan.arm(Fault("5xx", 2, "/accounts"))
    assert plan.take("/v1/markets/clock") is None
    assert plan.take("/v1/accounts/VA1/orders") is not None
    assert plan.take("/v1/accounts/VA1/orders") is not None
    assert plan.take("/v1/accounts/VA1/orders") is None


@pytest.mark.parametrize(
    ("fault", "field"),
    [
        (Fault("boom", 1), "kind"),
        (Fault("5xx", 0), "count"),
        (Fault("timeout", 1, "", -1), "delay_s"),
    ],
)
def test_fault_plan_when_bad_fault_then_error_names_field(fault: Fault, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        FaultPlan().arm(fault)


def _book(now: list[int]) -> SessionBook:
    counter = itertools.count()
    return SessionBook(lambda: now[0], lambda: f"s{next(counter)}")


def test_session_when_claimed_then_bound_to_that_connection() -> None:
    now = [0]
    book = _book(now)
    sid = book.create()
    assert book.claim(sid, 1) and book.claim(sid, 1)
    assert not book.claim(sid, 2)
    book.release(sid)
    assert not book.claim(sid, 1)


def test_session_when_older_than_five_minutes_then_unclaimable() -> None:
    now = [0]
    book = _book(now)
    sid = book.create()
    now[0] = SESSION_TTL_MS + 1
    assert not book.claim(sid, 1)
    fresh = book.create()
    assert book.claim(fresh, 1) and len(book) == 2
    assert book.expire_all() == 2 and not book.claim(fresh, 1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"account_type": "ira"}, "account_type"),
        ({"speed": 0}, "speed"),
        ({"rate_limits": {"market": 0}}, "rate_limits"),
        ({"fill_cap": -1}, "fill_cap"),
    ],
)
def test_sim_config_when_field_out_of_range_then_error_names_it(
    overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(SimConfigError, match=field):
        SimCore(SimConfig(**overrides))  # type: ignore[arg-type]
