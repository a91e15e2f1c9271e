"""Every read of the sync client against the simulator on loopback."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.functional.tradier.conftest import ACCOUNT, SANDBOX_TOKEN, Sleeps, sim_config
from tradier.client import TradierClient
from tradier.errors import TradierFatal, TradierOrderNotFound, TradierRateLimited, TradierRetryable
from tradier.models import OptionQuote, Quote
from tradier.rest import Backoff, RetryPolicy
from tradier.sim.server import RunningSim, run_in_thread


def test_quotes_when_known_and_unknown_symbols_then_typed_known_only(
    client: TradierClient,
) -> None:
    quotes = client.quotes(["SPY", "QQQ", "ZZZZ9"])
    assert [q.symbol for q in quotes] == ["SPY", "QQQ"]
    assert all(isinstance(q, Quote) and isinstance(q.bid, Decimal) for q in quotes)
    assert quotes[0].bid is not None and quotes[0].ask is not None
    assert quotes[0].bid <= quotes[0].ask


def test_quotes_when_one_symbol_then_single_object_is_a_list(client: TradierClient) -> None:
    assert [q.symbol for q in client.quotes(["SPY"])] == ["SPY"]


def test_quotes_when_every_symbol_unknown_then_empty(client: TradierClient) -> None:
    assert client.quotes(["ZZZZ9"]) == []


def test_clock_when_market_open_then_state_and_ms_timestamp(client: TradierClient) -> None:
    clock = client.clock()
    assert clock.state == "open" and clock.is_open
    assert clock.timestamp_ms % 1000 == 0 and clock.timestamp_ms > 1_795_000_000_000
    assert clock.date == date(2026, 11, 18)


def test_calendar_when_november_then_thanksgiving_closed(client: TradierClient) -> None:
    days = {d.date: d for d in client.calendar(2026, 11)}
    assert not days[date(2026, 11, 26)].is_open
    assert days[date(2026, 11, 18)].open is not None


def test_expirations_strikes_and_chain_when_spy_then_typed_options(client: TradierClient) -> None:
    expirations = client.expirations("SPY")
    assert expirations and all(isinstance(d, date) for d in expirations)
    expiration = expirations[0]
    strikes = client.strikes("SPY", expiration)
    assert strikes and all(isinstance(s, Decimal) for s in strikes)
    chain = client.chain("SPY", expiration, greeks=True)
    assert chain and all(isinstance(o, OptionQuote) for o in chain)
    assert {o.expiration_date for o in chain} == {expiration}
    assert any(o.greeks is not None and o.greeks.delta is not None for o in chain)


def test_history_and_timesales_when_spy_then_bars(client: TradierClient) -> None:
    bars = client.history("SPY", "daily", date(2026, 11, 2), date(2026, 11, 17))
    assert bars and bars[-1].date <= date(2026, 11, 17)
    sales = client.timesales("SPY", "1min", "2026-11-18 09:30", "2026-11-18 09:59")
    assert sales and all(s.time_ms >= 1_795_012_200_000 for s in sales)


def test_account_reads_when_fresh_account_then_null_lists_are_empty(
    client: TradierClient,
) -> None:
    balances = client.balances()
    assert balances.total_equity is not None and balances.total_equity > 0
    assert balances.option_buying_power is not None
    assert client.positions() == []
    assert client.orders() == []
    assert client.gainloss() == []


def test_order_when_unknown_id_then_order_not_found(client: TradierClient) -> None:
    with pytest.raises(TradierOrderNotFound):
        client.order(999_999)


def test_find_order_by_tag_when_no_such_order_then_none(client: TradierClient) -> None:
    assert client.find_order_by_tag("no-such-tag") is None
    assert client.calls["orders"] == 2  # today's list, then one filter=all page


def test_read_when_two_5xx_then_retried_and_counted(
    sim: RunningSim, client: TradierClient, sleeps: Sleeps
) -> None:
    sim.controls.fault("5xx", count=2, path_prefix="/v1/markets/clock")
    assert client.clock().is_open
    assert client.calls["clock"] == 3
    assert len(sleeps.slept) == 2


def test_read_when_5xx_persists_then_retryable_after_bounded_attempts(
    sim: RunningSim, client: TradierClient
) -> None:
    sim.controls.fault("5xx", count=10, path_prefix="/v1/markets/clock")
    with pytest.raises(TradierRetryable) as info:
        client.clock()
    assert info.value.status == 500
    assert client.calls["clock"] == 4


def test_read_when_server_times_out_then_retried(sim: RunningSim, sleeps: Sleeps) -> None:
    import httpx

    sim.controls.fault("timeout", count=1, path_prefix="/v1/markets/clock", delay_s=2.0)
    retry = RetryPolicy(attempts=3, backoff=Backoff(initial_s=0.01, max_s=0.01))
    timeout = httpx.Timeout(0.3, connect=1.0)
    with TradierClient(sim.api_url, "sim-token", retry=retry, sleep=sleeps, timeout=timeout) as c:
        assert c.clock().is_open
        assert c.calls["clock"] == 2


def test_read_when_token_invalid_then_fatal_without_retry(sim: RunningSim) -> None:
    with TradierClient(sim.api_url, "wrong-token-not-real", ACCOUNT) as c:
        with pytest.raises(TradierFatal) as info:
            c.clock()
        assert info.value.status == 401
        assert c.calls["clock"] == 1


def test_client_when_no_token_then_value_error() -> None:
    with pytest.raises(ValueError, match="token"):
        TradierClient("http://127.0.0.1:1/v1", "")


def test_reads_when_quota_spent_then_rate_limited_with_reset_time() -> None:
    with run_in_thread(sim_config(rate_limits={"market": 2})) as small:
        retry = RetryPolicy(attempts=3, max_rate_wait_s=0.0)
        clock = small.server.core.clock
        with TradierClient(
            small.api_url, "sim-token", retry=retry, sleep=Sleeps(), clock=clock
        ) as c:
            c.clock()
            c.clock()
            with pytest.raises(TradierRateLimited) as info:
                c.clock()
            now = small.server.core.clock.now_ms()
            assert info.value.reset_at_ms is not None
            assert now < info.value.reset_at_ms <= now + 60_000
            assert c.calls["clock"] == 3  # a long window is not waited out


def test_reads_when_quota_spent_then_waits_for_reset_and_succeeds() -> None:
    with run_in_thread(sim_config(rate_limits={"market": 1})) as small:
        core = small.server.core
        waited: list[float] = []

        def sleep(seconds: float) -> None:  # waiting moves the simulator's clock instead
            waited.append(seconds)
            small.server.set_clock(now_ms=core.clock.now_ms() + int(seconds * 1000) + 1)

        retry = RetryPolicy(attempts=3, max_rate_wait_s=120.0)
        with TradierClient(
            small.api_url, "sim-token", retry=retry, sleep=sleep, clock=core.clock
        ) as c:
            c.clock()
            assert c.clock().is_open
            assert len(waited) == 1 and 0 < waited[0] <= 60.0
            assert c.calls["clock"] == 3


def test_session_when_sandbox_token_then_stream_auth_error(sim: RunningSim) -> None:
    from tradier.errors import StreamAuthError

    with TradierClient(sim.api_url, SANDBOX_TOKEN) as c:
        with pytest.raises(StreamAuthError, match="production market-data token"):
            c.create_market_session()
        assert c.calls["create_market_session"] == 1


def test_session_when_production_token_then_session_id(client: TradierClient) -> None:
    session = client.create_market_session()
    assert session.sessionid and session.url.endswith("/v1/markets/events")


def test_quotes_when_hundreds_of_symbols_then_posted_and_all_answered(
    client: TradierClient,
) -> None:
    expiration = client.expirations("SPY")[0]
    symbols = [o.symbol for o in client.chain("SPY", expiration, greeks=False)]
    assert len(",".join(symbols)) > 1500
    quotes = client.quotes(symbols)
    assert {q.symbol for q in quotes} == set(symbols)


def test_client_when_any_symbol_then_quotes_chains_history_decode(client: TradierClient) -> None:
    """The project's own client reads the wider market: a share class, an index and its
    PM-settled root, a generated symbol (issue 12)."""
    quotes = client.quotes(["BRK/B", "SPX", "ZZZZ"])
    assert [q.symbol for q in quotes] == ["BRK/B", "SPX", "ZZZZ"]
    listed = client.expirations("SPX", include_all_roots=True)
    chain = client.chain("SPX", listed[0])
    assert chain and {o.root_symbol for o in chain} == {"SPXW"}
    assert client.history("BRK/B", "daily")


def test_client_when_lookup_search_etb_then_typed_securities(client: TradierClient) -> None:
    """Lookup, search and the ETB list decode to `Security` whatever the cardinality."""
    found = client.lookup("BRK", types=["stock"])
    assert [s.symbol for s in found] == ["BRK/A", "BRK/B"]
    assert [s.symbol for s in client.lookup("AAPL")] == ["AAPL"]  # one: a bare object
    assert client.lookup("ZZZZ9") == []  # none: a null wrapper
    assert client.search("berkshire")[0].description == "Berkshire Hathaway Inc Class A"
    assert "AAPL" in {s.symbol for s in client.easy_to_borrow()}
