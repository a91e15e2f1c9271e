import asyncio

from brain.supervisor import RestartPolicy, Supervisor
from brain.timing import LockstepPace, clock_sleep
from tradier.clock import ManualClock, ScaledClock, SystemClock


async def _no_wait(_: float) -> None:
    await asyncio.sleep(0)


async def test_supervisor_when_task_dies_then_restarted_and_not_dead():
    runs: list[int] = []
    forever = asyncio.Event()

    async def flaky() -> None:
        runs.append(1)
        if len(runs) <= 2:
            raise RuntimeError("boom")
        await forever.wait()

    sup = Supervisor(ManualClock(0), _no_wait, RestartPolicy(initial_s=0.001))
    sup.supervise("feed", flaky)
    for _ in range(50):
        await asyncio.sleep(0)
    assert len(runs) == 3
    assert sup.health["feed"].restarts == 2
    assert sup.health["feed"].failures == 2
    assert sup.health["feed"].running
    assert sup.dead() == []
    await sup.stop()


async def test_supervisor_when_task_returns_then_restarted_too():
    count = 0
    forever = asyncio.Event()

    async def returns() -> None:
        nonlocal count
        count += 1
        if count < 3:
            return
        await forever.wait()

    sup = Supervisor(ManualClock(0), _no_wait)
    sup.supervise("monitor", returns)
    for _ in range(50):
        await asyncio.sleep(0)
    assert count == 3 and sup.health["monitor"].restarts == 2
    await sup.stop()


async def test_supervisor_when_stopped_then_tasks_cancelled_and_hooks_run_once():
    flushed: list[str] = []
    sup = Supervisor(ManualClock(0), _no_wait)
    sup.supervise("heartbeat", lambda: asyncio.Event().wait())
    sup.on_stop(lambda: flushed.append("state"))

    async def async_hook() -> None:
        flushed.append("clients")

    sup.on_stop(async_hook)
    await asyncio.sleep(0)
    await asyncio.gather(sup.stop(), sup.stop())
    assert flushed == ["state", "clients"]
    assert sup.dead() == ["heartbeat"]


def test_restart_policy_when_many_failures_then_delay_capped():
    import random

    policy = RestartPolicy(initial_s=1, max_s=8)
    rng = random.Random(3)
    assert all(0.5 <= policy.delay(n, rng) <= 8 for n in range(1, 20))


async def test_clock_sleep_when_manual_clock_then_waits_for_clock_to_move():
    clock = ManualClock(0)
    sleeper = asyncio.create_task(clock_sleep(clock, poll_s=0.0005)(60))
    await asyncio.sleep(0.005)
    assert not sleeper.done()
    clock.advance(60_000)
    await asyncio.wait_for(sleeper, 1)


def test_clock_sleep_when_system_clock_then_asyncio_sleep():
    assert clock_sleep(SystemClock()) is asyncio.sleep
    assert clock_sleep(ScaledClock(0, 1000.0)) is not asyncio.sleep


async def test_lockstep_when_round_then_tasks_run_in_order_when_due():
    clock = ManualClock(0)
    pace = LockstepPace(clock, ["flush", "executor", "monitor"])
    log: list[str] = []

    async def loop(name: str, interval: float) -> None:
        while True:
            await pace.wait(name, interval)
            await asyncio.sleep(0)
            log.append(name)

    tasks = [
        asyncio.create_task(loop("monitor", 30)),
        asyncio.create_task(loop("executor", 1)),
        asyncio.create_task(loop("flush", 1)),
    ]
    await asyncio.sleep(0.01)
    await pace.run_round()
    assert log == ["flush", "executor", "monitor"]
    clock.advance(1_000)
    await pace.run_round()
    assert log[3:] == ["flush", "executor"]
    clock.advance(30_000)
    await pace.run_round()
    assert log[5:] == ["flush", "executor", "monitor"]
    assert pace.stalls == 0
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_supervisor_when_task_raises_cancelled_error_from_inside_then_restarted():
    # A library can surface CancelledError from a future it cancelled itself; only the
    # supervisor's own stop may end a supervised task for good.
    runs: list[int] = []
    forever = asyncio.Event()

    async def cancelled_inside() -> None:
        runs.append(1)
        if len(runs) == 1:
            raise asyncio.CancelledError()
        await forever.wait()

    sup = Supervisor(ManualClock(0), _no_wait, RestartPolicy(initial_s=0.001))
    sup.supervise("feed", cancelled_inside)
    for _ in range(50):
        await asyncio.sleep(0)
    assert len(runs) == 2
    assert sup.dead() == []
    assert sup.health["feed"].running and sup.health["feed"].failures == 1
    await sup.stop()
    assert sup.dead() == ["feed"]
