"""The pipeline on real Tradier frame bytes: quotes, trades, bars, strategies, VIX."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from brain.bars import Bar, Session
from brain.market import IndicatorConfig, Signal, Strategy, SymbolState
from brain.pipeline import Pipeline
from tradier.clock import NEW_YORK, ManualClock

MONDAY = date(2026, 11, 9)


def ny(h: int, m: int, s: float = 0.0, day: date = MONDAY) -> int:
    dt = datetime(day.year, day.month, day.day, h, m, tzinfo=NEW_YORK)
    return int(dt.timestamp() * 1000) + int(s * 1000)


def trade(sym: str, price: float, size: int, ts: int, kind: str = "trade") -> bytes:
    return (
        f'{{"type":"{kind}","symbol":"{sym}","exch":"Q","price":"{price}","size":"{size}",'
        f'"cvol":"1000","date":"{ts}","last":"{price}"}}'
    ).encode()


def quote(sym: str, bid: float, ask: float, ts: int) -> bytes:
    return (
        f'{{"type":"quote","symbol":"{sym}","bid":{bid},"bidsz":3,"bidexch":"Q",'
        f'"biddate":"{ts}","ask":{ask},"asksz":4,"askexch":"Z","askdate":"{ts}"}}'
    ).encode()


class Recorder:
    """A hand-written fake strategy that remembers what it saw and signals on every bar."""

    name = "recorder"

    def __init__(self) -> None:
        self.seen: list[tuple[str, int, float | None]] = []

    def on_bar(self, state: SymbolState, bar: Bar) -> list[Signal]:
        self.seen.append((bar.symbol, bar.start_ms, state.bid))
        return [Signal(bar.symbol, self.name, "long", bar.end_ms, 0.5, "test")]


class Boom:
    """A strategy with a bug."""

    name = "boom"

    def on_bar(self, state: SymbolState, bar: Bar) -> list[Signal]:
        raise RuntimeError("bug in a strategy")


def test_pipeline_when_quotes_only_then_bid_ask_kept_and_no_bars() -> None:
    rec = Recorder()
    pipe = Pipeline(["SPY"], [rec], ManualClock(0))
    for i in range(5):
        assert pipe.on_frame(quote("SPY", 450.0 + i, 450.02 + i, ny(9, 30 + i))) == ()
    st = pipe.states["SPY"]
    assert (st.bid, st.ask, st.bid_size, st.ask_size) == (454.0, 454.02, 3, 4)
    assert st.mid is not None and abs(st.mid - 454.01) < 1e-9
    assert st.quote_ms == ny(9, 34)
    assert pipe.bars == 0 and rec.seen == [] and st.last is None


def test_pipeline_when_trades_cross_minutes_then_bars_reach_strategies_with_quotes() -> None:
    rec = Recorder()
    got: list[Signal] = []
    pipe = Pipeline(["SPY", "QQQ"], [rec], ManualClock(0), on_signal=got.append)
    pipe.on_frame(quote("SPY", 449.9, 450.1, ny(9, 29)))
    pipe.on_frame(trade("SPY", 450.0, 100, ny(9, 30, 1)))
    pipe.on_frame(trade("QQQ", 380.0, 100, ny(9, 30, 2)))
    out = pipe.on_frame(trade("SPY", 451.0, 100, ny(9, 31, 1)))
    assert [s.symbol for s in out] == ["SPY"]
    assert rec.seen == [("SPY", ny(9, 30), 449.9)]
    assert got == list(out) == list(pipe.signals)
    st = pipe.states["SPY"]
    assert st.last == 451.0 and st.last_bar is not None and st.bars[-1].close == 450.0
    assert st.vwap.value == 450.0 and st.vwap.live_value == 450.5  # live: the open bar too


def test_pipeline_when_timer_flushes_then_open_bars_close() -> None:
    rec = Recorder()
    clock = ManualClock(ny(9, 30))
    pipe = Pipeline(["SPY", "QQQ"], [rec], clock)
    pipe.on_frame(trade("SPY", 450.0, 100, ny(9, 30, 1)))
    pipe.on_frame(trade("QQQ", 380.0, 100, ny(9, 30, 2)))
    assert pipe.flush() == ()
    clock.set(ny(9, 31, 0.2))
    assert {s.symbol for s in pipe.flush()} == {"SPY", "QQQ"}
    assert pipe.bars == 2


def test_pipeline_when_tradex_in_regular_session_then_ignored_but_counts_outside() -> None:
    pipe = Pipeline(["SPY"], [], ManualClock(0))
    pipe.on_frame(trade("SPY", 450.0, 100, ny(9, 45), kind="tradex"))
    assert pipe.tradex_in_regular == 1 and not pipe.states["SPY"].builder.is_open
    pipe.on_frame(trade("SPY", 449.0, 100, ny(8, 0), kind="tradex"))
    assert pipe.states["SPY"].builder.is_open
    assert pipe.states["SPY"].session is Session.PRE


def test_pipeline_when_pre_market_bar_then_kept_in_history_but_no_indicators_or_strategies() -> (
    None
):
    rec = Recorder()
    pipe = Pipeline(["SPY"], [rec], ManualClock(0))
    pipe.on_frame(trade("SPY", 450.0, 100, ny(8, 0, 1), kind="tradex"))
    pipe.on_frame(trade("SPY", 451.0, 100, ny(8, 1, 1), kind="tradex"))
    st = pipe.states["SPY"]
    assert pipe.bars == 1 and rec.seen == []
    assert st.bars[-1].session is Session.PRE and st.sma_fast.count == 0
    assert st.vwap.live_value is None  # session VWAP is regular-session only


def test_pipeline_when_extended_sessions_enabled_then_indicators_see_pre_market_bars() -> None:
    rec = Recorder()
    sessions = frozenset({Session.PRE, Session.REGULAR, Session.POST})
    pipe = Pipeline(["SPY"], [rec], ManualClock(0), indicator_sessions=sessions)
    pipe.on_frame(trade("SPY", 450.0, 100, ny(8, 0, 1), kind="tradex"))
    pipe.on_frame(trade("SPY", 451.0, 100, ny(8, 1, 1), kind="tradex"))
    assert pipe.states["SPY"].sma_fast.count == 1 and rec.seen == []


def test_pipeline_when_a_strategy_raises_then_counted_and_others_still_run() -> None:
    rec = Recorder()
    pipe = Pipeline(["SPY"], [Boom(), rec], ManualClock(0))
    pipe.on_frame(trade("SPY", 450.0, 100, ny(9, 30, 1)))
    out = pipe.on_frame(trade("SPY", 451.0, 100, ny(9, 31, 1)))
    assert pipe.strategy_errors == 1 and len(out) == 1 and len(rec.seen) == 1


def test_pipeline_when_vix_quotes_and_trades_then_shared_level_for_every_symbol() -> None:
    pipe = Pipeline(["SPY", "QQQ"], [], ManualClock(0))
    pipe.on_frame(quote("VIX", 17.0, 17.2, ny(9, 30)))
    assert pipe.states["SPY"].vix.value == pipe.states["QQQ"].vix.value
    assert pipe.vix.value is not None and abs(pipe.vix.value - 17.1) < 1e-9
    pipe.on_frame(trade("VIX", 18.5, 0, ny(9, 31)))
    assert pipe.states["SPY"].vix.value == 18.5


def test_pipeline_when_unknown_symbol_summary_or_error_frame_then_counted_not_raised() -> None:
    pipe = Pipeline(["SPY"], [], ManualClock(0))
    pipe.on_frame(quote("MSFT", 1.0, 2.0, ny(9, 30)))
    pipe.on_frame(b'{"type":"summary","symbol":"SPY","open":"1","high":"2","low":"0.5"}')
    pipe.on_frame(b'{"error":"session not found"}')
    pipe.on_frame(b"not json at all")
    pipe.on_frame(
        b'{"type":"timesale","symbol":"SPY","exch":"Q","bid":"1","ask":"2","last":"1.5",'
        b'"size":"100","date":"1794235800000","seq":1,"flag":"","cancel":false,'
        b'"correction":false,"session":"normal"}'
    )
    assert (pipe.ignored, pipe.errors, pipe.bars) == (3, 2, 0)
    assert not pipe.states["SPY"].builder.is_open  # a timesale never makes a bar


def test_pipeline_when_many_bars_then_history_is_bounded() -> None:
    config = IndicatorConfig(bar_history=50)
    pipe = Pipeline(["SPY"], [], ManualClock(0), config=config)
    start = ny(9, 30)
    for i in range(200):
        pipe.on_frame(trade("SPY", 450.0 + (i % 7), 10, start + i * 60_000 + 5))
    st = pipe.states["SPY"]
    assert pipe.bars == 199 and len(st.bars) == 50
    assert st.bars[-1].start_ms == start + 198 * 60_000


def test_pipeline_when_three_regular_days_replayed_then_indicators_and_regime_ready() -> None:
    # the regime compares each minute with the same minute of two earlier sessions, so it
    # is established on the third day; the other indicators are ready on the first
    pipe = Pipeline(["SPY"], [], ManualClock(0))
    st = pipe.states["SPY"]
    price = 450.0
    for n, day in enumerate((MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2))):
        start = ny(9, 30, day=day)
        for i in range(390):
            price += 0.05 if (i // 30) % 2 == 0 else -0.04
            ts = start + i * 60_000
            pipe.on_frame(trade("SPY", round(price, 2), 100, ts + 1_000))
            pipe.on_frame(trade("SPY", round(price + 0.03, 2), 100, ts + 30_000))
        if n == 0:
            for ind in (st.sma_fast, st.ema_slow, st.rsi, st.atr, st.adx, st.bb, st.realized_vol):
                assert ind.initialized, type(ind).__name__
            assert st.opening_range.initialized and st.volume_profile.poc is not None
            assert not st.regime.initialized
    assert st.regime.initialized and not st.iv_rank.initialized


def test_recorder_when_checked_then_satisfies_strategy_protocol() -> None:
    assert isinstance(Recorder(), Strategy)


def test_state_when_warmed_up_with_todays_bars_then_live_trades_continue_the_vwap() -> None:
    pipe = Pipeline(["SPY"], [], ManualClock(0))
    st = pipe.states["SPY"]
    hist = pipe.calendar.hours(ny(9, 30))
    warm = Bar(
        "SPY", ny(9, 30), 10.0, 10.0, 10.0, 10.0, 100, 1, 10.0, Session.REGULAR, 0,
        hist.ny_day, 570, 1000.0,
    )  # fmt: skip
    st.apply_bar(warm)
    assert st.vwap.value == 10.0 and st.bars[-1] is warm
    pipe.on_frame(trade("SPY", 20.0, 100, ny(9, 31, 5)))
    assert st.vwap.live_value == 15.0


def test_pipeline_when_trade_stamped_far_in_the_future_then_dropped_not_blocking() -> None:
    clock = ManualClock(ny(9, 30, 30))
    pipe = Pipeline(["SPY"], [], clock, max_future_ms=60_000)
    pipe.on_frame(trade("SPY", 450.0, 100, ny(9, 30, 31)))
    pipe.on_frame(trade("SPY", 450.0, 100, ny(13, 0)))  # a corrupt timestamp
    clock.set(ny(9, 31, 1))
    out = pipe.on_frame(trade("SPY", 451.0, 100, ny(9, 31, 1)))
    b = pipe.states["SPY"].builder
    assert (b.future_dropped, b.late_dropped, pipe.bars) == (1, 0, 1)
    assert out == ()


def test_pipeline_when_generated_days_replayed_then_regime_changes_far_less_than_raw() -> None:
    from brain.bench import SYMBOLS, generate_days

    pipe = Pipeline(list(SYMBOLS), [], ManualClock(0))
    # five days: the first two teach the regime's time-of-day baseline, three are classified
    for day in generate_days(150_000, seed=5, days=5):
        for frame in day:
            pipe.on_frame(frame)
    for st in pipe.states.values():
        det = st.regime
        assert det.initialized
        assert det.raw_changes >= 10, st.symbol  # the raw class does move around
        assert det.changes * 2 <= det.raw_changes, (st.symbol, det.changes, det.raw_changes)
        assert det.changes <= 15 * 3  # three regular sessions of 390 bars
