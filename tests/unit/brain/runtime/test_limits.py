from brain.limits import LimitReason, SignalLimiter
from tradier.clock import ManualClock


def test_limiter_when_second_signal_same_symbol_within_minute_then_symbol_rate():
    clock = ManualClock(1_000_000)
    limiter = SignalLimiter(clock)
    assert limiter.admit("SPY", "a") is None
    clock.advance(59_999)
    hit = limiter.admit("SPY", "b")
    assert hit is not None
    assert hit.reason is LimitReason.SYMBOL_RATE
    assert hit.retry_at_ms == 1_060_000


def test_limiter_when_minute_passed_then_other_signal_admitted():
    clock = ManualClock(0)
    limiter = SignalLimiter(clock)
    assert limiter.admit("SPY", "a") is None
    clock.advance(60_000)
    assert limiter.admit("SPY", "b") is None


def test_limiter_when_same_signal_within_five_minutes_then_repeated():
    clock = ManualClock(0)
    limiter = SignalLimiter(clock)
    assert limiter.admit("SPY", "a") is None
    clock.advance(299_999)
    hit = limiter.admit("SPY", "a")
    assert hit is not None and hit.reason is LimitReason.REPEATED_SIGNAL
    clock.advance(1)
    assert limiter.admit("SPY", "a") is None


def test_limiter_when_other_symbol_then_independent():
    limiter = SignalLimiter(ManualClock(0))
    assert limiter.admit("SPY", "a") is None
    assert limiter.admit("QQQ", "b") is None


def test_limiter_when_closing_right_after_open_then_not_blocked_by_symbol_rate():
    limiter = SignalLimiter(ManualClock(0))
    assert limiter.admit("SPY", "open") is None
    assert limiter.admit("SPY", "close", closing=True) is None
    assert limiter.admit("SPY", "close", closing=True) is not None


def test_limiter_when_rejected_then_not_recorded():
    clock = ManualClock(0)
    limiter = SignalLimiter(clock)
    limiter.admit("SPY", "a")
    clock.advance(30_000)
    assert limiter.admit("SPY", "b") is not None
    clock.advance(30_000)
    # "b" was never sent, so it is not a repeat.
    assert limiter.admit("SPY", "b") is None


def test_limiter_when_snapshot_restored_then_limits_survive_restart():
    clock = ManualClock(0)
    first = SignalLimiter(clock)
    first.admit("SPY", "a")
    second = SignalLimiter(clock)
    second.restore(first.snapshot())
    clock.advance(1_000)
    assert second.admit("SPY", "c") is not None
