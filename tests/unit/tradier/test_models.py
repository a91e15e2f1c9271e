"""Every response quirk in shared/TRADIER.md, decoded from literal JSON."""
# ruff: noqa: E501  (literal Tradier JSON is kept on one line as documented)

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import msgspec

from tradier import models, responses
from tradier.clock import NEW_YORK, from_datetime


def test_orders_when_wrapper_is_string_null_then_empty_list() -> None:
    assert responses.decode_orders(b'{"orders":"null"}') == []


def test_orders_when_wrapper_is_json_null_then_empty_list() -> None:
    assert responses.decode_orders(b'{"orders":null}') == []


def test_orders_when_one_order_is_a_bare_object_then_list_of_one() -> None:
    body = b"""{"orders":{"order":{"id":228175,"type":"limit","symbol":"AAPL","side":"buy",
    "quantity":50.00000000,"status":"open","duration":"pre","price":22.0,"avg_fill_price":0.00000000,
    "exec_quantity":0.00000000,"last_fill_price":0.00000000,"last_fill_quantity":0.00000000,
    "remaining_quantity":0.00000000,"create_date":"2018-06-01T12:02:29.682Z",
    "transaction_date":"2018-06-01T12:30:02.385Z","class":"equity","tag":"p-1"}}}"""
    [order] = responses.decode_orders(body)
    assert order.id == 228175
    assert order.quantity == 50
    assert order.price == Decimal("22.0")
    assert order.class_ == "equity"
    assert order.tag == "p-1"


def test_order_when_unfilled_with_zero_avg_fill_price_then_none() -> None:
    body = b'{"order":{"id":1,"status":"open","avg_fill_price":0.0,"exec_quantity":0}}'
    assert responses.decode_order(body).avg_fill_price is None


def test_order_when_avg_fill_price_missing_then_none() -> None:
    body = b'{"order":{"id":1,"status":"pending"}}'
    order = responses.decode_order(body)
    assert order.avg_fill_price is None
    assert order.exec_quantity == 0


def test_order_when_filled_then_avg_fill_price_kept_as_decimal() -> None:
    body = b'{"order":{"id":1,"status":"filled","avg_fill_price":1.25,"exec_quantity":2.0}}'
    order = responses.decode_order(body)
    assert order.avg_fill_price == Decimal("1.25")
    assert order.is_final


def test_order_when_dates_iso_with_z_then_epoch_ms() -> None:
    body = b'{"order":{"id":1,"status":"open","create_date":"2018-06-06T20:16:17.342Z"}}'
    assert responses.decode_order(body).create_date_ms == 1528316177342


def test_order_when_multileg_then_legs_single_or_list_are_orders() -> None:
    one = b'{"order":{"id":1,"status":"open","class":"multileg","leg":{"id":2,"status":"open"}}}'
    two = (
        b'{"order":{"id":1,"status":"open","num_legs":2,'
        b'"leg":[{"id":2,"status":"filled"},{"id":3,"status":"open"}]}}'
    )
    assert [leg.id for leg in responses.decode_order(one).legs] == [2]
    assert [leg.status for leg in responses.decode_order(two).legs] == ["filled", "open"]


def test_quotes_when_numbers_arrive_as_strings_then_decoded() -> None:
    body = b'{"quotes":{"quote":{"symbol":"SPY","last":"281.10","volume":"1000","bid":281.09}}}'
    quotes, unmatched = responses.decode_quotes(body)
    assert quotes[0].last == Decimal("281.10")
    assert quotes[0].volume == 1000
    assert unmatched == []


def test_quotes_when_before_open_then_null_ohlc_are_none() -> None:
    body = b"""{"quotes":{"quote":[{"symbol":"SPY","open":null,"high":null,"low":null,
    "close":null,"prevclose":280.5,"trade_date":1557757189194,"bid_date":1557757189000},
    {"symbol":"QQQ","open":180.1}]}}"""
    quotes, _ = responses.decode_quotes(body)
    assert quotes[0].open is None and quotes[0].close is None
    assert quotes[0].prevclose == Decimal("280.5")
    assert quotes[0].trade_date_ms == 1557757189194
    assert quotes[0].bid_date_ms == 1557757189000
    assert quotes[1].open == Decimal("180.1")


def test_quotes_when_every_symbol_unknown_then_only_unmatched() -> None:
    body = b'{"quotes":{"unmatched_symbols":{"symbol":"XYZQ"}}}'
    assert responses.decode_quotes(body) == ([], ["XYZQ"])


def test_quotes_when_some_unmatched_as_list_then_listed() -> None:
    body = b'{"quotes":{"quote":{"symbol":"SPY"},"unmatched_symbols":{"symbol":["A1","B1"]}}}'
    quotes, unmatched = responses.decode_quotes(body)
    assert [q.symbol for q in quotes] == ["SPY"]
    assert unmatched == ["A1", "B1"]


def test_chain_when_options_null_then_empty() -> None:
    assert responses.decode_chain(b'{"options":null}') == []


def test_chain_when_greeks_present_then_option_quote_with_greeks() -> None:
    body = b"""{"options":{"option":{"symbol":"SPY260320C00500000","underlying":"SPY",
    "strike":500.0,"option_type":"call","expiration_date":"2026-03-20","bid":1.2,"ask":1.3,
    "open_interest":12,"contract_size":100,"root_symbol":"SPY",
    "greeks":{"delta":0.31,"gamma":0.02,"theta":-0.05,"vega":0.2,"rho":0.01,"phi":-0.01,
    "bid_iv":0.18,"mid_iv":0.185,"ask_iv":0.19,"smv_vol":0.186,"updated_at":"2026-03-14 12:00:00"}}}}"""
    [option] = responses.decode_chain(body)
    assert option.strike == Decimal("500.0")
    assert option.expiration_date == date(2026, 3, 20)
    assert option.mid == Decimal("1.25")
    assert option.greeks is not None and option.greeks.delta == 0.31


def test_clock_when_timestamp_in_seconds_then_milliseconds() -> None:
    body = b"""{"clock":{"date":"2019-05-06","description":"Market is open from 09:30 to 16:00",
    "state":"open","timestamp":1557156988,"next_change":"16:00","next_state":"postmarket"}}"""
    clock = responses.decode_clock(body)
    assert clock.timestamp_ms == 1557156988000
    assert clock.is_open and clock.next_state == "postmarket"


def test_calendar_when_closed_day_then_no_sessions_and_open_day_has_et_times() -> None:
    body = b"""{"calendar":{"month":4,"year":2019,"days":{"day":[
    {"date":"2019-04-19","status":"closed","description":"Market is closed for Good Friday"},
    {"date":"2019-04-22","status":"open","description":"Market is open",
     "premarket":{"start":"07:00","end":"09:24"},"open":{"start":"09:30","end":"16:00"},
     "postmarket":{"start":"16:00","end":"20:00"}}]}}}"""
    closed, open_day = responses.decode_calendar(body)
    assert not closed.is_open and closed.open is None
    assert open_day.open == models.SessionHours(time(9, 30), time(16, 0))
    assert open_day.premarket is not None and open_day.premarket.end == time(9, 24)


def test_expirations_when_plain_dates_single_or_list_then_dates() -> None:
    single = responses.decode_expirations(b'{"expirations":{"date":"2019-05-17"}}')
    many = responses.decode_expirations(b'{"expirations":{"date":["2019-05-17","2019-05-24"]}}')
    assert [e.date for e in single] == [date(2019, 5, 17)]
    assert [e.date for e in many] == [date(2019, 5, 17), date(2019, 5, 24)]
    assert responses.decode_expirations(b'{"expirations":null}') == []


def test_expirations_when_details_then_strikes_decimal() -> None:
    body = b"""{"expirations":{"expiration":{"date":"2019-05-17","contract_size":100,
    "expiration_type":"standard","strikes":{"strike":[190.0,195.5]}}}}"""
    [exp] = responses.decode_expirations(body)
    assert exp.strikes == (Decimal("190.0"), Decimal("195.5"))
    assert exp.expiration_type == "standard"


def test_strikes_when_single_value_then_list_of_one() -> None:
    assert responses.decode_strikes(b'{"strikes":{"strike":195.0}}') == [Decimal("195.0")]
    assert responses.decode_strikes(b'{"strikes":null}') == []


def test_balances_when_margin_account_then_sub_object_and_buying_power() -> None:
    body = b"""{"balances":{"option_short_value":0,"total_equity":17798.36,"account_number":"VA0",
    "account_type":"margin","close_pl":-4813.0,"current_requirement":2557.0,"equity":0,
    "long_market_value":11434.5,"market_value":11434.5,"open_pl":546.9,"option_long_value":8877.5,
    "option_requirement":0,"pending_orders_count":0,"short_market_value":0,"stock_long_value":2557.0,
    "total_cash":6363.86,"uncleared_funds":0,"pending_cash":0,
    "margin":{"fed_call":0,"maintenance_call":0,"option_buying_power":6363.86,
    "stock_buying_power":12727.72,"stock_short_value":0,"sweep":0}}}"""
    balances = responses.decode_balances(body)
    assert balances.total_equity == Decimal("17798.36")
    assert balances.option_buying_power == Decimal("6363.86")
    assert balances.cash is None


def test_balances_when_cash_account_then_cash_available_is_buying_power() -> None:
    body = b'{"balances":{"account_type":"cash","cash":{"cash_available":4871.24,"sweep":0,"unsettled_funds":1630.0}}}'
    assert responses.decode_balances(body).option_buying_power == Decimal("4871.24")


def test_positions_when_string_null_then_empty_and_short_is_negative() -> None:
    assert responses.decode_positions(b'{"positions":"null"}') == []
    body = b"""{"positions":{"position":{"cost_basis":-207.2,"date_acquired":"2019-03-27T14:19:25.140Z",
    "id":130089,"quantity":-1.00000000,"symbol":"SPY190405P00280000"}}}"""
    [position] = responses.decode_positions(body)
    assert position.quantity == -1
    assert position.cost_basis == Decimal("-207.2")
    assert position.date_acquired_ms == 1553696365140


def test_preview_when_request_date_has_no_zone_then_read_as_new_york() -> None:
    body = b"""{"order":{"status":"ok","commission":3.49,"cost":34.7151,"fees":0,"symbol":"T",
    "quantity":1,"side":"buy","type":"market","duration":"day","result":true,"order_cost":31.2251,
    "margin_change":0,"request_date":"2019-05-14T15:56:47.371","extended_hours":false,
    "class":"equity","strategy":"equity","day_trades":3}}"""
    preview = responses.decode_preview(body)
    expected = from_datetime(datetime(2019, 5, 14, 15, 56, 47, 371000, tzinfo=NEW_YORK))
    assert preview.request_date_ms == expected
    assert preview.commission == Decimal("3.49")
    assert preview.result is True and preview.class_ == "equity"


def test_order_ack_when_success_then_id_status_partner() -> None:
    body = (
        b'{"order":{"id":257459,"status":"ok","partner_id":"c4998eb7-06e8-4820-a7ab-55d9760065fb"}}'
    )
    ack = responses.decode_order_ack(body)
    assert (ack.id, ack.status) == (257459, "ok")


def test_gainloss_when_one_closed_position_then_list_with_ms_dates() -> None:
    body = b"""{"gainloss":{"closed_position":{"close_date":"2018-10-31T00:00:00.000Z","cost":12.7,
    "gain_loss":-12.7,"gain_loss_percent":-100.0,"open_date":"2018-06-19T00:00:00.000Z",
    "proceeds":0.0,"quantity":1.0,"symbol":"SNAP","term":134}}}"""
    [closed] = responses.decode_gainloss(body)
    assert closed.gain_loss == Decimal("-12.7")
    assert closed.close_date_ms == 1540944000000
    assert responses.decode_gainloss(b'{"gainloss":"null"}') == []


def test_history_when_one_bar_then_list_and_null_history_empty() -> None:
    body = b'{"history":{"day":{"date":"2019-05-06","open":204.29,"high":208.84,"low":203.5,"close":208.48,"volume":32443113}}}'
    [bar] = responses.decode_history(body)
    assert bar.date == date(2019, 5, 6) and bar.close == Decimal("208.48")
    assert responses.decode_history(b'{"history":null}') == []


def test_timesales_when_naive_et_time_then_utc_ms() -> None:
    with_ts = (
        b'{"series":{"data":{"time":"2019-05-06T09:30:00","timestamp":1557149400,"price":204.9}}}'
    )
    without = b'{"series":{"data":[{"time":"2019-05-06T09:30:00","price":204.9}]}}'
    assert responses.decode_timesales(with_ts)[0].time_ms == 1557149400000
    assert responses.decode_timesales(without)[0].time_ms == 1557149400000
    assert responses.decode_timesales(b'{"series":"null"}') == []


def test_session_when_created_then_url_and_id() -> None:
    body = b'{"stream":{"url":"https://stream.tradier.com/v1/markets/events","sessionid":"c8638963-a6d4-4fb9-9bc6-e25fbd8c60c3"}}'
    assert responses.decode_session(body).sessionid.startswith("c8638963")


def test_model_when_encoded_then_keeps_wire_names() -> None:
    quote = models.Quote(symbol="SPY", trade_date_ms=5)
    assert b'"trade_date":5' in msgspec.json.encode(quote)


def test_securities_when_none_one_many_then_lists() -> None:
    """Lookup/search/etb: a null wrapper, a bare object or a list (TRADIER.md §4 quirk)."""
    one = b'{"securities":{"security":{"symbol":"AAPL","exchange":"Q","type":"stock","description":"Apple Inc"}}}'
    many = b'{"securities":{"security":[{"symbol":"A"},{"symbol":"B"}]}}'
    assert [s.symbol for s in responses.decode_securities(one)] == ["AAPL"]
    assert [s.symbol for s in responses.decode_securities(many)] == ["A", "B"]
    assert responses.decode_securities(b'{"securities":null}') == []
    assert responses.decode_securities(b'{"securities":"null"}') == []
