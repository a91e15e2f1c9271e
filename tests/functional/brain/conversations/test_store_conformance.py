"""One conformance suite for every sessions store: memory, DynamoDB on the moto server and
on DynamoDB Local. What the peers get wrong is tested here: a session is many items (no
400 KB item), concurrent turns lose nothing, expiry is checked on every read and write."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from brain.conversations.errors import SessionExpired
from brain.conversations.ids import message_key, new_id
from brain.conversations.records import (
    SESSION_TTL_MS,
    Insight,
    Message,
    Recommendation,
    RecommendationState,
    Summary,
    valid_id,
)
from brain.conversations.store import SessionStore

T0 = 1_795_000_000_000
MIN = 60_000
DAY = 86_400_000
_rng = random.Random(10)


def _bytes(n: int) -> bytes:
    return _rng.randbytes(n)


def _msg(sid: str, at: int, text: str = "hi", symbols: tuple[str, ...] = ()) -> Message:
    return Message(sid, message_key(at, _bytes), "user", text, at, symbols)


def test_new_id_when_drawn_then_192_random_bits_url_safe_and_distinct() -> None:
    ids = {new_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(valid_id(i) and len(i) == 32 for i in ids)
    assert new_id(lambda n: b"\x00" * n) == "A" * 32  # the randomness is the injected one


def test_session_when_created_and_messages_added_then_read_back_in_order(
    store: SessionStore,
) -> None:
    sid = new_id()
    store.create_session(sid, T0)
    for i in range(5):
        store.append(_msg(sid, T0 + i * MIN, f"turn {i}", ("SPY",)))
    session = store.get_session(sid, T0 + 5 * MIN)
    assert session is not None
    assert (session.message_count, session.last_at_ms, session.symbols) == (
        5,
        T0 + 4 * MIN,
        ("SPY",),
    )
    assert [m.text for m in store.messages(sid, 10)] == [f"turn {i}" for i in range(5)]
    assert [m.text for m in store.messages(sid, 2)] == ["turn 3", "turn 4"]


def test_session_when_unknown_then_none_and_append_refused(store: SessionStore) -> None:
    sid = new_id()
    assert store.get_session(sid, T0) is None
    with pytest.raises(SessionExpired):
        store.append(_msg(sid, T0))
    assert store.messages(sid, 10) == []


def test_session_when_messages_keep_coming_then_expiry_slides(store: SessionStore) -> None:
    sid = new_id()
    store.create_session(sid, T0)
    at = T0
    for _ in range(4):  # two hours of talk, each message inside the last one's window
        at += 29 * MIN
        store.append(_msg(sid, at))
        assert store.get_session(sid, at + SESSION_TTL_MS - 1) is not None
    assert store.get_session(sid, at + SESSION_TTL_MS) is None  # checked on read


def test_session_when_expired_then_append_refused_even_before_dynamodb_ttl(
    store: SessionStore,
) -> None:
    sid = new_id()
    store.create_session(sid, T0)
    store.append(_msg(sid, T0 + MIN))
    with pytest.raises(SessionExpired):
        store.append(_msg(sid, T0 + MIN + SESSION_TTL_MS))
    assert len(store.messages(sid, 10)) == 1


def test_append_when_twenty_turns_race_then_every_message_kept(store: SessionStore) -> None:
    sid = new_id()
    store.create_session(sid, T0)
    times = [T0 + (i % 4) * 1000 for i in range(20)]  # same milliseconds, out of order
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(lambda i: store.append(_msg(sid, times[i], f"m{i}")), range(20)))
    messages = store.messages(sid, 100)
    assert sorted(m.text for m in messages) == sorted(f"m{i}" for i in range(20))
    session = store.get_session(sid, T0 + 5000)
    assert session is not None
    assert (session.message_count, session.last_at_ms) == (20, max(times))


def test_session_when_transcript_passes_400_kb_then_still_stored(store: SessionStore) -> None:
    sid = new_id()
    store.create_session(sid, T0)
    big = "x" * 16_000
    for i in range(30):  # 480 KB in all: one item per message never meets the item limit
        store.append(_msg(sid, T0 + i, big + str(i)))
    assert len(store.messages(sid, 100)) == 30


def test_history_when_other_sessions_spoke_of_symbol_then_newest_within_7_days_bounded(
    store: SessionStore,
) -> None:
    sids = [new_id() for _ in range(6)]
    ages = [8 * DAY, 6 * DAY, 3 * DAY, 2 * DAY, DAY, MIN]
    now = T0 + 10 * DAY
    for sid, age in zip(sids, ages, strict=True):
        store.put_summary(Summary("SPY", sid, now - age, f"spoke {age}"))
    store.put_summary(Summary("QQQ", new_id(), now - MIN, "other symbol"))
    found = store.history("SPY", now - 7 * DAY, limit=3, exclude_session=sids[-1])
    assert [s.session_id for s in found] == [sids[4], sids[3], sids[2]]
    everything = store.history("SPY", now - 7 * DAY, limit=10)
    assert sids[0] not in {s.session_id for s in everything}  # older than the window
    assert len(everything) == 5


def test_summary_when_rewritten_then_one_per_session_and_symbol(store: SessionStore) -> None:
    sid = new_id()
    store.put_summary(Summary("SPY", sid, T0, "first"))
    store.put_summary(Summary("SPY", sid, T0 + MIN, "second"))
    assert [s.text for s in store.history("SPY", T0 - DAY, 10)] == ["second"]


def test_insight_when_key_repeats_then_stored_once_and_expired_ones_hidden(
    store: SessionStore,
) -> None:
    first = Insight("SPY", "k1", "lesson", ("p1", "p2"), T0, T0 + 5 * DAY)
    assert store.put_insight(first)
    assert not store.put_insight(Insight("SPY", "k1", "again", ("p3",), T0 + 1, T0 + 5 * DAY))
    assert store.put_insight(Insight("SPY", "k2", "short-lived", ("p4",), T0 + 2, T0 + DAY))
    assert [i.key for i in store.insights("SPY", T0 + 2 * DAY, 10)] == ["k1"]
    assert store.insights("SPY", T0, 10)[1] == first  # provenance survives the round trip
    assert store.insights("QQQ", T0, 10) == []


def _rec(now: int = T0) -> Recommendation:
    return Recommendation(
        new_id(), new_id(), "SPY", "credit_spread", '{"legs": []}', now, now + 10 * MIN
    )


def test_claim_when_twenty_confirms_race_then_exactly_one_wins(store: SessionStore) -> None:
    rec = _rec()
    store.put_recommendation(rec)
    with ThreadPoolExecutor(20) as pool:
        wins = list(pool.map(lambda _: store.claim(rec.recommendation_id, 1, T0 + 1), range(20)))
    assert wins.count(True) == 1
    got = store.get_recommendation(rec.recommendation_id)
    assert got is not None and got.state == RecommendationState.CONFIRMING


def test_claim_when_expired_or_stale_version_then_refused(store: SessionStore) -> None:
    rec = _rec()
    store.put_recommendation(rec)
    assert not store.claim(rec.recommendation_id, 1, rec.expires_at_ms)  # expired
    assert store.reprice(rec.recommendation_id, 1, '{"legs": [1]}', rec.expires_at_ms + MIN)
    assert not store.reprice(rec.recommendation_id, 1, "{}", rec.expires_at_ms)  # lost race
    assert not store.claim(rec.recommendation_id, 1, T0 + 1)  # the version moved
    assert store.claim(rec.recommendation_id, 2, rec.expires_at_ms)  # new window
    store.decide(rec.recommendation_id, '{"decision": "ACCEPTED"}')
    got = store.get_recommendation(rec.recommendation_id)
    assert got is not None
    assert (got.state, got.version, got.structure, got.decision) == (
        RecommendationState.DECIDED,
        2,
        '{"legs": [1]}',
        '{"decision": "ACCEPTED"}',
    )
    assert not store.claim(rec.recommendation_id, 2, T0 + 2)  # decided is final


def test_recommendation_when_unknown_then_none_and_claim_refused(store: SessionStore) -> None:
    assert store.get_recommendation(new_id()) is None
    assert not store.claim(new_id(), 1, T0)


def test_ids_when_reused_then_refused(store: SessionStore) -> None:
    sid = new_id()
    store.create_session(sid, T0)
    with pytest.raises(ValueError):
        store.create_session(sid, T0 + 1)
    rec = _rec()
    store.put_recommendation(rec)
    with pytest.raises(ValueError):
        store.put_recommendation(rec)
