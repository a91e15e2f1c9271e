"""The scheduled functions, run locally on the gate's clock (EventBridge's job on AWS).

Every new minute of the clock (real or simulated) fires reconcile; every second minute the
watchdog; at hh:15 UTC of 20:00 and 21:00 the end-of-day report — the same UTC crons as
serverless.yml, so the handlers' own New York checks decide, as they do on AWS.
"""

from __future__ import annotations

import importlib
import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from functions.routes import SCHEDULES
from tradier.clock import Clock

log = logging.getLogger("edgegate.functions.local")

Job = Callable[[Mapping[str, Any], Any], Any]


def scheduled_event(rule: str, now_ms: int) -> dict[str, Any]:
    """An EventBridge "Scheduled Event" as Lambda receives it."""
    stamp = datetime.fromtimestamp(now_ms / 1000, tz=UTC).replace(second=0, microsecond=0)
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:000000000000:rule/edgegate-gate-local-{rule}"],
        "detail": {},
    }


def due_jobs(now_ms: int) -> list[str]:
    """The schedules whose UTC cron matches the minute of `now_ms`."""
    moment = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    due: list[str] = []
    if moment.weekday() >= 5:
        return due
    if 13 <= moment.hour <= 21:
        due.append("reconcile")
    if moment.minute % 2 == 0:
        due.append("watchdog")
    if moment.minute == 15 and moment.hour in (20, 21):
        due.append("report")
    return due


class LocalScheduler:
    """Polls the clock once a second and runs the jobs due in each new minute."""

    def __init__(self, clock: Clock, jobs: Mapping[str, Job] | None = None) -> None:
        self._clock = clock
        self._jobs = dict(jobs) if jobs is not None else _load_jobs()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_minute: int | None = None
        self.runs: list[tuple[str, int]] = []

    def tick(self) -> list[str]:
        """Run what is due in the current minute, once; returns the jobs run."""
        now = self._clock.now_ms()
        minute = now // 60_000
        if minute == self._last_minute:
            return []
        self._last_minute = minute
        ran = []
        for name in due_jobs(now):
            try:
                self._jobs[name](scheduled_event(name, now), None)
                self.runs.append((name, now))
                ran.append(name)
            except Exception:
                log.exception("scheduled job failed", extra={"job": name})
        return ran

    def _loop(self) -> None:
        while not self._stop.wait(1.0):
            self.tick()

    def start(self) -> None:
        """Run in a daemon thread."""
        self._thread = threading.Thread(target=self._loop, name="gate-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


def _load_jobs() -> dict[str, Job]:
    return {name: importlib.import_module(module).handler for name, module in SCHEDULES.items()}
