"""Keeps the brain's long-running tasks alive: restart with backoff, stop cleanly.

Each supervised task is a coroutine factory. When the coroutine returns or raises (anything
but cancellation), the supervisor counts it, waits a jittered exponential backoff (reset
once the task has run for `healthy_after_s`) and starts a fresh one. `stop()` cancels every
task and runs the shutdown hooks (state flush) exactly once; SIGTERM and SIGINT call it.
Sleeping uses an injected sleep function so replay runs in simulated time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from brain.timing import Sleep
from tradier.clock import Clock

log = logging.getLogger(__name__)
TaskFactory = Callable[[], Awaitable[Any]]


@dataclass(slots=True)
class TaskHealth:
    """What the supervisor knows of one task."""

    name: str
    starts: int = 0
    restarts: int = 0
    failures: int = 0
    last_error: str | None = None
    running: bool = False
    started_at_ms: int | None = None


@dataclass(frozen=True, slots=True)
class RestartPolicy:
    """Backoff between restarts (seconds of the injected clock)."""

    initial_s: float = 1.0
    max_s: float = 60.0
    healthy_after_s: float = 60.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Jittered exponential backoff for the `attempt`-th consecutive restart."""
        ceiling = min(self.max_s, self.initial_s * (2 ** max(0, attempt - 1)))
        return ceiling / 2 + rng.random() * ceiling / 2


@dataclass
class Supervisor:
    """Runs named tasks, restarting any that die, until stopped."""

    clock: Clock
    sleep: Sleep
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    health: dict[str, TaskHealth] = field(default_factory=dict)
    _tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    _stop_hooks: list[Callable[[], Awaitable[None] | None]] = field(default_factory=list)
    _stopped: asyncio.Event = field(default_factory=asyncio.Event)
    _stopping: bool = False
    _signal_stop: asyncio.Future[None] | None = None

    def supervise(self, name: str, factory: TaskFactory) -> None:
        """Start `factory()` under supervision as task `name`."""
        if name in self._tasks:
            raise ValueError(f"name: task {name!r} is already supervised")
        self.health[name] = TaskHealth(name)
        self._tasks[name] = asyncio.create_task(self._keep(name, factory), name=f"sup:{name}")

    async def _keep(self, name: str, factory: TaskFactory) -> None:
        health = self.health[name]
        consecutive = 0
        while not self._stopping:
            health.starts += 1
            health.running = True
            started = health.started_at_ms = self.clock.now_ms()
            try:
                await factory()
                health.last_error = "returned"
            except asyncio.CancelledError as exc:
                health.running = False
                if self._stopping or _being_cancelled():
                    raise
                # Raised inside the task (a library's own cancelled future), not a stop:
                # a failure like any other, or the task would stay dead for the day.
                self._failed(health, exc)
            except Exception as exc:
                self._failed(health, exc)
            health.running = False
            if self._stopping:
                return
            ran_s = (self.clock.now_ms() - started) / 1000
            consecutive = 1 if ran_s >= self.policy.healthy_after_s else consecutive + 1
            health.restarts += 1
            await self.sleep(self.policy.delay(consecutive, self.rng))

    def _failed(self, health: TaskHealth, exc: BaseException) -> None:
        health.failures += 1
        health.last_error = f"{type(exc).__name__}: {exc}"
        log.warning("task %s died: %s", health.name, health.last_error)

    def on_stop(self, hook: Callable[[], Awaitable[None] | None]) -> None:
        """Run `hook` once when the supervisor stops (flush state, close clients)."""
        self._stop_hooks.append(hook)

    def dead(self) -> list[str]:
        """Names of supervised tasks whose supervising loop has ended (never while running)."""
        return [name for name, task in self._tasks.items() if task.done()]

    async def stop(self) -> None:
        """Cancel every task, then run the stop hooks; safe to call twice."""
        if self._stopping:
            await self._stopped.wait()
            return
        self._stopping = True
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for hook in self._stop_hooks:
            try:
                result = hook()
                if result is not None:
                    await result
            except Exception:
                log.exception("stop hook failed")
        self._stopped.set()

    async def wait_stopped(self) -> None:
        """Until `stop()` has finished."""
        await self._stopped.wait()

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT stop the supervisor (flush state, exit cleanly)."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._on_signal, sig)

    def _on_signal(self, sig: signal.Signals) -> None:
        # Said at WARNING: an operator reading the journal must see why the brain ended.
        log.warning("%s received: flushing state and stopping", sig.name)
        self._signal_stop = asyncio.ensure_future(self._stop_and_say())

    async def _stop_and_say(self) -> None:
        await self.stop()
        log.warning("stopped: state flushed")

    def summary(self) -> dict[str, Any]:
        """Restart counts per task, for the heartbeat."""
        return {name: h.restarts for name, h in self.health.items()}


def _being_cancelled() -> bool:
    """True when the running task itself has been asked to cancel."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
