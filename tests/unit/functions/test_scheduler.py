"""functions.local.scheduler: the serverless.yml crons, run on the gate's clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from functions.local.scheduler import LocalScheduler, due_jobs, scheduled_event
from functions.schedule import fired_at_ms
from tradier.clock import ManualClock, from_datetime


def utc(*parts: int) -> int:
    return from_datetime(datetime(*parts, tzinfo=UTC))


class Recorder:
    """A job that remembers the events it got."""

    def __init__(self) -> None:
        self.events: list[Mapping[str, Any]] = []

    def __call__(self, event: Mapping[str, Any], context: Any) -> None:
        self.events.append(event)


def test_due_jobs_when_weekday_minutes_then_crons_of_serverless_yml() -> None:
    assert due_jobs(utc(2026, 11, 18, 15, 31)) == ["reconcile"]
    assert due_jobs(utc(2026, 11, 18, 15, 32)) == ["reconcile", "watchdog"]
    assert due_jobs(utc(2026, 11, 18, 21, 15)) == ["reconcile", "report"]
    assert due_jobs(utc(2026, 11, 18, 20, 15)) == ["reconcile", "report"]
    assert due_jobs(utc(2026, 11, 18, 3, 0)) == ["watchdog"]
    assert due_jobs(utc(2026, 11, 21, 15, 30)) == []  # Saturday


def test_tick_when_same_minute_twice_then_jobs_run_once() -> None:
    clock = ManualClock(utc(2026, 11, 18, 15, 32, 5))
    jobs = {"reconcile": Recorder(), "watchdog": Recorder(), "report": Recorder()}
    scheduler = LocalScheduler(clock, jobs)
    assert scheduler.tick() == ["reconcile", "watchdog"]
    clock.advance(30_000)
    assert scheduler.tick() == []
    clock.advance(30_000)
    assert scheduler.tick() == ["reconcile"]
    assert len(jobs["reconcile"].events) == 2


def test_scheduled_event_when_built_then_eventbridge_time_of_the_minute() -> None:
    now = utc(2026, 11, 18, 21, 15, 42)
    event = scheduled_event("report", now)
    assert event["detail-type"] == "Scheduled Event"
    assert fired_at_ms(event, 0) == utc(2026, 11, 18, 21, 15)


def test_tick_when_a_job_raises_then_others_still_run() -> None:
    def broken(event: Mapping[str, Any], context: Any) -> None:
        raise RuntimeError("boom")

    watchdog = Recorder()
    scheduler = LocalScheduler(
        ManualClock(utc(2026, 11, 18, 15, 32)),
        {"reconcile": broken, "watchdog": watchdog, "report": Recorder()},
    )
    assert scheduler.tick() == ["watchdog"]
    assert len(watchdog.events) == 1
