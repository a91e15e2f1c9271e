"""Market-data REST held to TRADIER.md §1 (auth, Accept) and §5, over real HTTP."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.functional.sim.conftest import JSON, OPEN_MS, TOKEN, Sim


async def test_request_when_no_or_wrong_token_then_401(sim: Sim) -> None:
    """TRADIER.md §1: Authorization: Bearer <token>."""
    missing = await sim.raw.get("/v1/markets/clock", headers={"Accept": "application/json"})
    wrong = await sim.raw.get(
        "/v1/markets/clock", headers={"Authorization": "Bearer nope", "Accept": "application/json"}
    )
    assert missing.status_code == 401 and wrong.status_code == 401


async def test_request_when_accept_missing_then_xml_not_json(sim: Sim) -> None:
    """TRADIER.md §1: the API returns XML when Accept is absent."""
    response = await sim.raw.get("/v1/markets/clock", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert response.text.startswith("<?xml") and "<clock>" in response.text


async def test_quotes_when_one_known_one_unknown_then_object_and_unmatched(sim: Sim) -> None:
    """TRADIER.md §5 Quotes: one quote is a bare object; unknown symbols in unmatched_symbols."""
    body = (await sim.http.get("/markets/quotes", params={"symbols": "SPY,ZZZZ9"})).json()
    quote = body["quotes"]["quote"]
    assert isinstance(quote, dict) and quote["symbol"] == "SPY"
    assert body["quotes"]["unmatched_symbols"] == {"symbol": "ZZZZ9"}
    for key in ("last", "bid", "ask", "prevclose", "change", "volume"):
        assert isinstance(quote[key], int | float), key
    for key in ("trade_date", "bid_date", "ask_date"):
        assert isinstance(quote[key], int) and quote[key] > 10**12, key
    assert quote["type"] == "etf"


async def test_quotes_when_all_unknown_then_only_unmatched(sim: Sim) -> None:
    """TRADIER.md §5 Quotes: if every symbol is unknown only unmatched_symbols is present."""
    body = (await sim.http.get("/markets/quotes", params={"symbols": "AAA1,BBB2"})).json()
    assert body == {"quotes": {"unmatched_symbols": {"symbol": ["AAA1", "BBB2"]}}}


async def test_quotes_when_posted_as_form_then_list_for_several(sim: Sim) -> None:
    """TRADIER.md §5 Quotes: POST with a form also works; several give a list."""
    body = (await sim.http.post("/markets/quotes", data={"symbols": "SPY,QQQ,VIX"})).json()
    quotes = body["quotes"]["quote"]
    assert [q["symbol"] for q in quotes] == ["SPY", "QQQ", "VIX"]
    assert quotes[2]["type"] == "index"


async def test_quotes_when_before_open_then_open_high_low_null(sim: Sim) -> None:
    """TRADIER.md §5 Quotes: before the open, open/high/low/close can be null."""
    sim.clock.advance(-3 * 3600 * 1000)  # 07:30 ET
    quote = (await sim.http.get("/markets/quotes", params={"symbols": "SPY"})).json()
    assert quote["quotes"]["quote"]["open"] is None and quote["quotes"]["quote"]["close"] is None


async def test_clock_when_open_then_timestamp_seconds_and_next_change(sim: Sim) -> None:
    """TRADIER.md §5 Clock: timestamp in epoch seconds, next_change HH:MM ET."""
    clock = (await sim.http.get("/markets/clock")).json()["clock"]
    assert clock == {
        "date": "2026-11-18",
        "description": "Market is open from 09:30 to 16:00",
        "state": "open",
        "timestamp": OPEN_MS // 1000,
        "next_change": "16:00",
        "next_state": "postmarket",
    }


async def test_calendar_when_month_then_days_with_sessions_and_closed_days_bare(sim: Sim) -> None:
    """TRADIER.md §5 Calendar: days.day list; closed days carry date, status, description."""
    body = (await sim.http.get("/markets/calendar", params={"month": "11", "year": "2026"})).json()
    cal = body["calendar"]
    assert cal["month"] == 11 and cal["year"] == 2026
    days = {d["date"]: d for d in cal["days"]["day"]}
    assert days["2026-11-26"]["status"] == "closed" and "open" not in days["2026-11-26"]
    assert days["2026-11-27"]["open"] == {"start": "09:30", "end": "13:00"}
    assert days["2026-11-18"]["postmarket"] == {"start": "16:00", "end": "20:00"}


async def test_expirations_when_plain_then_dates_list(sim: Sim) -> None:
    """TRADIER.md §5 Expirations: {"expirations":{"date":[...]}}."""
    body = (await sim.http.get("/markets/options/expirations", params={"symbol": "SPY"})).json()
    dates = body["expirations"]["date"]
    assert dates[0] >= "2026-11-18" and "2026-12-18" in dates


async def test_expirations_when_strikes_flag_then_objects_with_strikes(sim: Sim) -> None:
    """TRADIER.md §5 Expirations: with any extra flag, expiration objects."""
    body = (
        await sim.http.get(
            "/markets/options/expirations", params={"symbol": "SPY", "strikes": "true"}
        )
    ).json()
    first = body["expirations"]["expiration"][0]
    assert set(first) == {"date", "contract_size", "expiration_type", "strikes"}
    assert isinstance(first["strikes"]["strike"], list) and first["contract_size"] == 100


async def test_expirations_when_no_options_then_null(sim: Sim) -> None:
    """TRADIER.md §5: no expirations gives a null wrapper (a symbol that cannot exist)."""
    body = (await sim.http.get("/markets/options/expirations", params={"symbol": "ZZZZ9"})).json()
    assert body == {"expirations": None}


async def _first_expiration(sim: Sim) -> str:
    body = (await sim.http.get("/markets/options/expirations", params={"symbol": "SPY"})).json()
    return str(body["expirations"]["date"][1])


async def test_chain_when_greeks_then_every_option_has_greeks_fields(sim: Sim) -> None:
    """TRADIER.md §5 Option chain: greeks with updated_at "YYYY-MM-DD HH:MM:SS"."""
    expiration = await _first_expiration(sim)
    body = (
        await sim.http.get(
            "/markets/options/chains",
            params={"symbol": "SPY", "expiration": expiration, "greeks": "true"},
        )
    ).json()
    options = body["options"]["option"]
    assert len(options) > 50
    greeks = options[0]["greeks"]
    assert set(greeks) == {
        "delta",
        "gamma",
        "theta",
        "vega",
        "rho",
        "phi",
        "bid_iv",
        "mid_iv",
        "ask_iv",
        "smv_vol",
        "updated_at",
    }
    datetime.strptime(greeks["updated_at"], "%Y-%m-%d %H:%M:%S")
    call = next(o for o in options if o["option_type"] == "call")
    assert call["underlying"] == "SPY" and call["contract_size"] == 100
    assert call["expiration_date"] == expiration and call["bid"] <= call["ask"]


async def test_chain_when_expiration_not_listed_then_options_null(sim: Sim) -> None:
    """TRADIER.md §5 Option chain: or {"options":null}."""
    body = (
        await sim.http.get(
            "/markets/options/chains", params={"symbol": "SPY", "expiration": "2026-11-21"}
        )
    ).json()
    assert body == {"options": None}


async def test_strikes_when_listed_then_numbers(sim: Sim) -> None:
    """TRADIER.md §5 Strikes: {"strikes":{"strike":[...]}}."""
    expiration = await _first_expiration(sim)
    body = (
        await sim.http.get(
            "/markets/options/strikes", params={"symbol": "SPY", "expiration": expiration}
        )
    ).json()
    strikes = body["strikes"]["strike"]
    assert all(isinstance(k, float) for k in strikes) and strikes == sorted(strikes)


async def test_option_quote_when_greeks_then_option_fields(sim: Sim) -> None:
    """TRADIER.md §5 Quotes: option quotes add underlying, strike, ... and greeks."""
    expiration = await _first_expiration(sim)
    chain = (
        await sim.http.get(
            "/markets/options/chains", params={"symbol": "SPY", "expiration": expiration}
        )
    ).json()
    symbol = chain["options"]["option"][100]["symbol"]
    quote = (
        await sim.http.get("/markets/quotes", params={"symbols": symbol, "greeks": "true"})
    ).json()
    q = quote["quotes"]["quote"]
    for key in (
        "underlying",
        "strike",
        "open_interest",
        "contract_size",
        "expiration_date",
        "expiration_type",
        "option_type",
        "root_symbol",
        "greeks",
    ):
        assert key in q, key


async def test_history_when_daily_then_day_bars_skip_holidays(sim: Sim) -> None:
    """TRADIER.md §4/§5: history `day` list of bars."""
    body = (
        await sim.http.get(
            "/markets/history", params={"symbol": "SPY", "start": "2026-11-02", "end": "2026-11-13"}
        )
    ).json()
    days = body["history"]["day"]
    assert len(days) == 10 and {"date", "open", "high", "low", "close", "volume"} == set(days[0])
    assert all(d["low"] <= d["close"] <= d["high"] for d in days)


async def test_timesales_when_5min_then_naive_et_times(sim: Sim) -> None:
    """TRADIER.md §5 Time and sales: series.data[].time is naive ET."""
    body = (
        await sim.http.get(
            "/markets/timesales",
            params={
                "symbol": "SPY",
                "interval": "5min",
                "start": "2026-11-18 09:30",
                "end": "2026-11-18 10:00",
            },
        )
    ).json()
    rows = body["series"]["data"]
    assert rows[0]["time"] == "2026-11-18T09:30:00" and len(rows) == 6
    assert "+" not in rows[0]["time"] and "Z" not in rows[0]["time"]


@pytest.mark.parametrize("sim", [{"follow_calendar": False}], indirect=True)
async def test_clock_when_calendar_off_then_open_on_a_holiday(sim: Sim) -> None:
    """Without --calendar the market is open whenever the simulator runs."""
    sim.clock.set(OPEN_MS + 8 * 24 * 3600 * 1000)  # Thanksgiving 2026
    assert (await sim.http.get("/markets/clock")).json()["clock"]["state"] == "open"


async def test_session_when_posted_then_stream_url_and_id(sim: Sim) -> None:
    """TRADIER.md §2 Sessions: {"stream":{"url": ".../v1/markets/events","sessionid"}}."""
    body = (await sim.http.post("/markets/events/session")).json()
    assert body["stream"]["url"].endswith("/v1/markets/events")
    assert len(body["stream"]["sessionid"]) >= 32


async def test_session_when_sandbox_token_then_401(sim: Sim) -> None:
    """TRADIER.md §2: the sandbox has no market streaming."""
    response = await sim.raw.post(
        "/v1/markets/events/session", headers={**JSON, "Authorization": "Bearer sandbox-test-token"}
    )
    assert response.status_code == 401
