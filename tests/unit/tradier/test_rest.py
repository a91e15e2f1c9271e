"""Reply classification and request building, Sans-I/O (no sockets)."""
# ruff: noqa: E501  (literal Tradier JSON is kept on one line as documented)

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tradier import rest
from tradier.errors import (
    StreamAuthError,
    TradierError,
    TradierFatal,
    TradierOrderNotFound,
    TradierOrderRejected,
    TradierOutcomeUnknown,
    TradierRateLimited,
    TradierRetryable,
)
from tradier.orders import EquityOrder
from tradier.rest import Kind, Reply

ACK = b'{"order":{"id":7,"status":"ok","partner_id":"p"}}'


def reply(status: int, body: bytes, **headers: str) -> Reply:
    return Reply(status, {k.lower().replace("_", "-"): v for k, v in headers.items()}, body)


def fault_of(status: int, body: bytes, kind: Kind = Kind.READ, **headers: str) -> TradierError:
    with pytest.raises(TradierError) as info:
        rest.raise_for_reply(reply(status, body, **headers), kind)
    return info.value


def test_reply_when_429_with_expiry_header_then_rate_limited_until_it() -> None:
    err = fault_of(429, b"Quota Violation", x_ratelimit_expiry="1369168800001")
    assert isinstance(err, TradierRateLimited)
    assert err.reset_at_ms == 1369168800001


def test_reply_when_quota_violation_text_without_header_then_reset_from_body() -> None:
    err = fault_of(400, b"Quota Violation: limit exceeded, resets at 1369168800001")
    assert isinstance(err, TradierRateLimited) and err.reset_at_ms == 1369168800001


def test_reply_when_5xx_on_read_then_retryable() -> None:
    err = fault_of(500, b"An error occurred while communicating with the backend.")
    assert type(err) is TradierRetryable and err.status == 500


def test_reply_when_5xx_on_order_send_then_outcome_unknown() -> None:
    assert isinstance(fault_of(502, b"", Kind.SEND), TradierOutcomeUnknown)


def test_reply_when_html_maintenance_page_with_200_then_retryable() -> None:
    err = fault_of(200, b"<!DOCTYPE html><html><body>Maintenance</body></html>")
    assert type(err) is TradierRetryable


def test_reply_when_datastore_fault_then_retryable() -> None:
    body = b'{"fault":{"faultstring":"Datastore Error","detail":{"errorcode":"x"}}}'
    assert type(fault_of(500, body)) is TradierRetryable
    assert type(fault_of(200, body)) is TradierRetryable


def test_reply_when_invalid_access_token_fault_then_fatal() -> None:
    body = b'{"fault":{"faultstring":"Invalid Access Token","detail":{"errorcode":"keymanagement.service.invalid_access_token"}}}'
    err = fault_of(401, body)
    assert type(err) is TradierFatal and isinstance(err, TradierFatal)
    assert err.errors == ["Invalid Access Token"]


def test_reply_when_validation_error_is_a_string_then_fatal_with_list() -> None:
    err = fault_of(400, b'{"errors":{"error":"symbol is invalid"}}')
    assert isinstance(err, TradierFatal) and err.errors == ["symbol is invalid"]


def test_reply_when_order_validation_errors_list_then_order_rejected() -> None:
    body = b'{"errors":{"error":["type is invalid for class option","price is required"]}}'
    err = fault_of(400, body, Kind.SEND)
    assert isinstance(err, TradierOrderRejected)
    assert err.errors == ["type is invalid for class option", "price is required"]


def test_reply_when_200_carries_errors_then_order_rejected() -> None:
    body = b'{"errors":{"error":"Backoffice rejected override of the order. | UnexpectedBuyOrder"}}'
    err = fault_of(200, body, Kind.SEND)
    assert isinstance(err, TradierOrderRejected) and err.status == 200


def test_reply_when_plain_text_400_on_order_then_rejected_with_text() -> None:
    err = fault_of(400, b"Invalid parameter, tag: contains invalid characters.", Kind.SEND)
    assert isinstance(err, TradierOrderRejected)
    assert err.errors == ["Invalid parameter, tag: contains invalid characters."]


def test_reply_when_401_plain_then_fatal() -> None:
    assert type(fault_of(401, b"Invalid Access Token")) is TradierFatal


def test_reply_when_session_401_then_stream_auth_error_with_clear_message() -> None:
    err = fault_of(401, b"", Kind.SESSION)
    assert isinstance(err, StreamAuthError)
    assert "production market-data token" in str(err)


def test_reply_when_200_json_then_no_fault() -> None:
    rest.raise_for_reply(reply(200, ACK), Kind.SEND)


def test_cancel_when_already_filled_then_result_names_final_state() -> None:
    call = rest.cancel_order("VA1", 42)
    result = call.parse(reply(400, b"order already in finalized state: filled"))
    assert (result.id, result.outcome, result.final_state) == (42, "already_final", "filled")


def test_cancel_when_working_then_canceled() -> None:
    result = rest.cancel_order("VA1", 7).parse(reply(200, ACK))
    assert (result.id, result.outcome) == (7, "canceled")


def test_cancel_when_unknown_id_401_then_order_not_found() -> None:
    with pytest.raises(TradierOrderNotFound):
        rest.cancel_order("VA1", 9).parse(reply(401, b"Unauthorized Account: VA1"))


def test_parse_when_200_body_garbled_on_send_then_outcome_unknown() -> None:
    call = rest.place_order("VA1", EquityOrder(symbol="SPY", side="buy", quantity=1))
    with pytest.raises(TradierOutcomeUnknown):
        call.parse(reply(200, b'{"order":'))


def test_parse_when_200_body_garbled_on_read_then_retryable() -> None:
    with pytest.raises(TradierRetryable):
        rest.clock().parse(reply(200, b'{"clock":{"date":1}}'))


def test_quotes_request_when_symbols_then_comma_joined_get() -> None:
    request = rest.quotes(["SPY", "QQQ"], greeks=True).request
    assert (request.method, request.path) == ("GET", "/markets/quotes")
    assert request.params == {"symbols": "SPY,QQQ", "greeks": "true"}


def test_account_request_when_no_account_id_then_value_error_names_field() -> None:
    with pytest.raises(ValueError, match="account_id"):
        rest.balances(None)


def test_place_request_when_order_then_form_post_of_kind_send() -> None:
    request = rest.place_order(
        "VA1", EquityOrder(symbol="SPY", side="buy", quantity=2, tag="p-1")
    ).request
    assert (request.method, request.path, request.kind) == (
        "POST",
        "/accounts/VA1/orders",
        Kind.SEND,
    )
    assert request.form is not None and request.form["tag"] == "p-1"


def test_preview_request_when_order_then_preview_true() -> None:
    request = rest.preview_order("VA1", EquityOrder(symbol="SPY", side="buy", quantity=2)).request
    assert request.form is not None and request.form["preview"] == "true"
    assert request.kind is Kind.PREVIEW


def test_modify_request_when_duration_with_price_then_refused() -> None:
    with pytest.raises(ValueError, match="duration"):
        rest.modify_order("VA1", 1, duration="gtc", price=Decimal("1.00"))


def test_modify_request_when_price_then_only_price_sent() -> None:
    request = rest.modify_order("VA1", 1, price=Decimal("1.50")).request
    assert request.method == "PUT" and request.form == {"price": "1.50"}


def test_timesales_request_when_aware_datetime_then_new_york_minutes() -> None:
    start = datetime(2019, 5, 6, 13, 30, tzinfo=UTC)
    params = rest.timesales("SPY", start=start).request.params
    assert params is not None and params["start"] == "2019-05-06 09:30"


def test_chain_request_when_date_then_iso_expiration() -> None:
    params = rest.chain("SPY", date(2026, 3, 20)).request.params
    assert params == {"symbol": "SPY", "expiration": "2026-03-20", "greeks": "true"}


def test_match_tag_when_several_orders_then_tagged_one() -> None:
    from tradier.models import Order

    orders = [Order(id=1, status="open", tag="a"), Order(id=2, status="filled", tag="b")]
    found = rest.match_tag(orders, "b")
    assert found is not None and found.id == 2
    assert rest.match_tag(orders, "c") is None


def test_find_tag_calls_when_bad_tag_then_value_error() -> None:
    with pytest.raises(ValueError, match="tag"):
        rest.find_tag_calls("VA1", "bad tag!")


def test_backoff_when_attempts_grow_then_capped_and_jittered() -> None:
    import random

    backoff = rest.Backoff(initial_s=1.0, max_s=4.0, factor=2.0, jitter=0.5)
    rng = random.Random(1)
    delays = [backoff.delay(n, rng) for n in range(6)]
    assert all(0.5 <= d <= 1.0 for d in delays[:1])
    assert all(2.0 <= d <= 4.0 for d in delays[3:])


def test_session_hint_when_sandbox_host_then_stream_auth_error() -> None:
    with pytest.raises(StreamAuthError):
        rest.session_hint("https://sandbox.tradier.com/v1")


def test_quotes_request_when_many_option_symbols_then_form_post() -> None:
    symbols = [f"SPY260320C00{strike:03d}000" for strike in range(400, 600)]
    request = rest.quotes(symbols).request
    assert (request.method, request.params) == ("POST", None)
    assert request.form is not None and request.form["symbols"].count(",") == 199
