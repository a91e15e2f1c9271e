"""The transport seam: what the client puts on the wire (headers, bodies, URLs).

Only these tests use httpx.MockTransport, to look at a bare request; every behaviour test
runs against the simulator (tests/functional/tradier).
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs

import httpx

from tradier.client import TradierClient, api_base
from tradier.orders import EquityOrder

ACK = {"order": {"id": 1, "status": "ok"}}
SESSION = {"stream": {"url": "https://stream.tradier.com/v1/markets/events", "sessionid": "s"}}


class Recorder:
    """Answers every request with one JSON body and keeps the requests."""

    def __init__(self, body: dict) -> None:
        self.body = body
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=self.body)


def client_for(recorder: Recorder, base_url: str = "https://api.example.test/v1") -> TradierClient:
    return TradierClient(base_url, "test-token", "VA1", transport=httpx.MockTransport(recorder))


def test_request_when_any_then_bearer_token_and_json_accept() -> None:
    recorder = Recorder(SESSION)
    client_for(recorder).create_market_session()
    headers = recorder.requests[0].headers
    assert headers["authorization"] == "Bearer test-token"
    assert headers["accept"] == "application/json"


def test_session_post_when_bodyless_then_content_length_zero() -> None:
    recorder = Recorder(SESSION)
    client_for(recorder).create_market_session()
    request = recorder.requests[0]
    assert request.method == "POST" and request.headers["content-length"] == "0"
    assert request.url.path == "/v1/markets/events/session"


def test_place_order_when_sent_then_form_encoded_fields() -> None:
    recorder = Recorder(ACK)
    order = EquityOrder(
        symbol="SPY", side="buy", quantity=3, type="limit", price=Decimal("1.5"), tag="t-1"
    )
    client_for(recorder).place_order(order)
    request = recorder.requests[0]
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
    assert form == {
        "class": "equity",
        "symbol": "SPY",
        "side": "buy",
        "quantity": "3",
        "type": "limit",
        "duration": "day",
        "price": "1.5",
        "tag": "t-1",
    }
    assert request.url.path == "/v1/accounts/VA1/orders"


def test_modify_when_price_then_put_with_only_price() -> None:
    recorder = Recorder(ACK)
    client_for(recorder).modify_order(1, price=Decimal("2.25"))
    request = recorder.requests[0]
    assert request.method == "PUT" and request.content == b"price=2.25"


def test_base_url_when_bare_host_then_v1_added() -> None:
    assert api_base("http://127.0.0.1:8700") == "http://127.0.0.1:8700/v1"
    assert api_base("https://sandbox.tradier.com/v1/") == "https://sandbox.tradier.com/v1"
    recorder = Recorder(SESSION)
    client_for(recorder, "http://127.0.0.1:8700").create_market_session()
    assert recorder.requests[0].url.path == "/v1/markets/events/session"


def test_calls_when_requests_made_then_counted_per_method() -> None:
    recorder = Recorder(ACK)
    client = client_for(recorder)
    client.modify_order(1, price=Decimal("1"))
    client.modify_order(1, price=Decimal("2"))
    assert client.calls["modify_order"] == 2 and client.calls.total() == 2


async def test_clients_when_compared_then_same_public_methods_and_signatures() -> None:
    import inspect

    from tradier.client import AsyncTradierClient

    def public(client: object) -> dict[str, inspect.Signature]:
        names = [n for n in dir(client) if not n.startswith("_") and n not in ("close", "aclose")]
        methods = {n: getattr(client, n) for n in names}
        return {n: inspect.signature(m) for n, m in methods.items() if callable(m)}

    sync_client = TradierClient("https://api.example.test", "test-token")
    async_client = AsyncTradierClient("https://api.example.test", "test-token")
    try:
        assert public(sync_client) == public(async_client)
        assert {"quotes", "find_order_by_tag", "place_order"} <= set(public(sync_client))
        assert list(public(sync_client)["place_order"].parameters) == ["order"]
    finally:
        sync_client.close()
        await async_client.aclose()


def test_finish_when_a_sync_call_would_suspend_then_runtime_error() -> None:
    import asyncio

    import pytest

    from tradier.client import _finish

    with pytest.raises(RuntimeError):
        _finish(asyncio.sleep(0))
