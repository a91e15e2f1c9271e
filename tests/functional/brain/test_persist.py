import os

import pytest

from brain.persist import StateFileError, StateStore, write_atomic
from tests.unit.brain.runtime.test_engine import SilentGate, _gate_over, engine, signal
from tests.unit.brain.runtime.test_monitor import monitor, spread


def test_write_atomic_when_replacing_then_new_content_and_no_temp_left(tmp_path):
    target = tmp_path / "state" / "positions.json"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(os.listdir(target.parent)) == ["positions.json"]


def test_write_atomic_when_write_fails_then_old_content_kept(tmp_path, monkeypatch):
    target = tmp_path / "positions.json"
    write_atomic(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["positions.json"]


def test_state_store_when_saved_then_loaded_back(tmp_path):
    store = StateStore(tmp_path)
    store.save("limits", {"symbols": {"SPY": 5}})
    assert store.load("limits") == {"symbols": {"SPY": 5}}
    assert store.load("missing") is None


def test_state_store_when_file_corrupt_then_state_file_error(tmp_path):
    store = StateStore(tmp_path)
    store.path("x").write_bytes(b"{not json")
    with pytest.raises(StateFileError):
        store.load("x")


def test_state_store_when_name_escapes_directory_then_refused(tmp_path):
    with pytest.raises(ValueError, match="name"):
        StateStore(tmp_path).save("../evil", {})


async def test_monitor_when_saved_then_restored_by_new_monitor(tmp_path):
    store = StateStore(tmp_path)
    m, _, _ = monitor({}, store=store)
    m.add(spread())
    again, _, _ = monitor({}, store=store)
    assert again.load() == 1
    assert again.positions["p1"] == m.positions["p1"]
    assert again.has_open("SPY", "credit_spread")


async def test_monitor_when_a_saved_position_is_malformed_then_state_file_error_and_nothing_loaded(
    tmp_path,
):
    store = StateStore(tmp_path)
    m, _, _ = monitor({}, store=store)
    m.add(spread())
    document = store.load("positions")
    assert document is not None
    broken = dict(document["positions"][0], id="p2")
    del broken["strategy"]
    store.save("positions", {"positions": [*document["positions"], broken]})
    again, _, _ = monitor({}, store=store)
    # The runtime logs a StateFileError and starts clean (positions are then adopted from
    # the broker); any other error would stop the brain at every start, and half a book
    # would leave some positions unmanaged.
    with pytest.raises(StateFileError):
        again.load()
    assert again.positions == {}


async def test_engine_when_restarted_with_an_unknown_opening_then_settled_and_position_managed(
    tmp_path,
):
    store = StateStore(tmp_path)
    first, _, _, _ = engine()
    first.store = store
    silent = SilentGate()  # decides the opening, but the answer and its record are lost
    first.gate = _gate_over(silent)
    await first.handle(signal("iron_condor", "iron_condor"))
    assert first.stats.unknown == 1
    # A restart: a fresh engine reads the state, the gate answers again.
    again, _, _, _ = engine()
    again.store = store
    silent.down = False
    again.gate = _gate_over(silent)
    assert again.load_unknown() == 1
    await again.process_pending()
    assert again.monitor.has_open("SPY", "iron_condor")
    position = next(iter(again.monitor.positions.values()))
    assert position.id == silent.proposals[0].id and position.quantity >= 1
    assert store.load("unknown_outcomes") == {"openings": [], "closes": []}


def test_quarantine_when_called_twice_then_each_unreadable_file_kept_under_its_own_name(tmp_path):
    store = StateStore(tmp_path)
    store.path("positions").write_text("{not json")
    first = store.quarantine("positions")
    store.path("positions").write_text("[]")
    second = store.quarantine("positions")
    assert first is not None and first.name == "positions.unreadable-1.json"
    assert second is not None and second.name == "positions.unreadable-2.json"
    assert first.read_text() == "{not json" and second.read_text() == "[]"
    assert store.quarantine("positions") is None


async def test_restore_when_positions_unreadable_then_moved_aside_and_limits_still_restored(
    tmp_path,
):
    from brain.runtime import build_brain
    from brain.timing import Pace, clock_sleep
    from tradier.client import AsyncTradierClient
    from tradier.clock import ManualClock

    store = StateStore(tmp_path)
    store.path("positions").write_text('{"version": 1, "data": {"positions": [{"id": 1}]}}')
    store.save("limits", {"symbols": {"SPY": 1_000}, "keys": {}})
    clock = ManualClock(2_000)
    market = AsyncTradierClient("http://127.0.0.1:9/v1", "test-token-not-real")
    brain = build_brain(
        symbols=["SPY"],
        clock=clock,
        market=market,
        stream_factory=lambda: None,  # type: ignore[arg-type,return-value]
        gate=None,
        pace=Pace(clock_sleep(clock)),
        equity=__import__("decimal").Decimal(100_000),
        store=store,
    )
    try:
        brain.restore_state()
        assert brain.monitor.positions == {}
        assert brain.limiter.snapshot()["symbols"] == {"SPY": 1_000}
        kept = tmp_path / "positions.unreadable-1.json"
        assert kept.exists()
        brain.flush_state()  # the next save writes a fresh book, the evidence stays
        assert kept.read_text().startswith('{"version": 1')
        assert store.load("positions") == {"positions": []}
    finally:
        await market.aclose()
