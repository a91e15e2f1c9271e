"""Stream frames decoded into typed events (payloads as documented by Tradier)."""
# ruff: noqa: E501  (literal Tradier JSON is kept on one line as documented)

from __future__ import annotations

from tradier.clock import ManualClock
from tradier.stream import (
    QuoteEvent,
    StreamError,
    SummaryEvent,
    TickFilter,
    TimesaleEvent,
    TradeEvent,
    TradexEvent,
    decode_frame,
    decode_frames,
    event_time_ms,
)

TRADE = b'{"type":"trade","symbol":"SPY","exch":"Q","price":"281.1001","size":"100","cvol":"41620462","date":"1557757189194","last":"281.1001"}'
QUOTE = b'{"type":"quote","symbol":"SPY","bid":281.84,"bidsz":60,"bidexch":"M","biddate":"1557757188000","ask":281.85,"asksz":6,"askexch":"Z","askdate":"1557757189000"}'
SUMMARY = b'{"type":"summary","symbol":"SPY","open":"282.42","high":"283.49","low":"280.96","prevClose":"288.1"}'
TIMESALE = b'{"type":"timesale","symbol":"SPY","exch":"Q","bid":"282.08","ask":"282.09","last":"282.08","size":"100","date":"1557757189194","seq":352836,"flag":"","cancel":false,"correction":false,"session":"normal"}'


def test_trade_when_numbers_are_strings_then_floats_and_int_ms() -> None:
    event = decode_frame(TRADE)
    assert event == TradeEvent(
        symbol="SPY",
        exch="Q",
        price=281.1001,
        size=100,
        cvol=41620462,
        date=1557757189194,
        last=281.1001,
    )


def test_tradex_when_decoded_then_its_own_type_not_a_trade() -> None:
    event = decode_frame(TRADE.replace(b'"trade"', b'"tradex"'))
    assert isinstance(event, TradexEvent) and not isinstance(event, TradeEvent)


def test_quote_when_decoded_then_sizes_exchanges_and_ms_dates() -> None:
    event = decode_frame(QUOTE)
    assert isinstance(event, QuoteEvent)
    assert (event.bid, event.ask, event.bidsz, event.askexch) == (281.84, 281.85, 60, "Z")
    assert event_time_ms(event) == 1557757189000


def test_summary_when_camelcase_prevclose_then_prev_close() -> None:
    event = decode_frame(SUMMARY)
    assert isinstance(event, SummaryEvent)
    assert (event.open, event.prev_close, event.close) == (282.42, 288.1, None)
    assert event_time_ms(event) is None


def test_timesale_when_decoded_then_seq_flags_and_session() -> None:
    event = decode_frame(TIMESALE)
    assert isinstance(event, TimesaleEvent)
    assert (event.last, event.size, event.seq, event.session) == (282.08, 100, 352836, "normal")
    assert event.cancel is False and event.flag == ""


def test_error_frame_when_session_not_found_then_server_error_marking_session_lost() -> None:
    event = decode_frame(b'{"error":"session not found"}')
    assert event == StreamError("session not found")
    assert isinstance(event, StreamError) and event.session_lost


def test_error_frame_when_invalid_symbol_then_error_without_session_loss() -> None:
    event = decode_frame(b'{"error":"1234 is not a valid symbol"}')
    assert isinstance(event, StreamError) and not event.session_lost


def test_frame_when_unknown_type_then_local_stream_error() -> None:
    event = decode_frame(b'{"type":"heartbeat","symbol":"X"}')
    assert isinstance(event, StreamError) and not event.from_server


def test_frame_when_not_json_then_local_stream_error() -> None:
    event = decode_frame(b"\x00garbage")
    assert isinstance(event, StreamError) and not event.from_server


def test_frames_when_linebreak_batch_then_each_payload_in_order() -> None:
    events = decode_frames(TRADE + b"\n" + QUOTE + b"\n" + SUMMARY + b"\n")
    assert [type(e) for e in events] == [TradeEvent, QuoteEvent, SummaryEvent]


def test_frames_when_batch_holds_an_error_then_error_kept_in_place() -> None:
    events = decode_frames(TRADE + b'\n{"error":"session not found"}\n' + QUOTE)
    assert [type(e) for e in events] == [TradeEvent, StreamError, QuoteEvent]


def test_frames_when_single_payload_with_trailing_newline_then_one_event() -> None:
    assert len(decode_frames(TRADE + b"\n")) == 1


def test_frames_when_text_frame_str_then_decoded() -> None:
    assert isinstance(decode_frames(TRADE.decode())[0], TradeEvent)


def test_tick_filter_when_trade_size_zero_then_dropped() -> None:
    tick_filter = TickFilter(ManualClock(1557757189194))
    zero = decode_frame(TRADE.replace(b'"size":"100"', b'"size":"0"'))
    assert isinstance(zero, TradeEvent)
    assert not tick_filter.keep(zero)
    assert tick_filter.dropped == 1


def test_tick_filter_when_tick_older_than_limit_then_dropped_else_kept() -> None:
    clock = ManualClock(1557757189194 + 10_000)
    tick_filter = TickFilter(clock, max_age_ms=10_000)
    trade = decode_frame(TRADE)
    assert isinstance(trade, TradeEvent)
    assert tick_filter.keep(trade)
    clock.advance(1)
    assert not tick_filter.keep(trade)


def test_decode_when_filter_exists_then_decoding_never_drops_size_zero() -> None:
    assert isinstance(decode_frame(TRADE.replace(b'"size":"100"', b'"size":"0"')), TradeEvent)
