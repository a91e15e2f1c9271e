"""`SessionStore` on the brain's sessions table (DynamoDB; access patterns in
`infra/tables.yml`, beside the table).

Items (generic keys `pk`/`sk`, TTL attribute `ttl` in epoch seconds; TTL only tidies up,
days late, so every read checks times itself):
- `SESSION#<id>` / `META`: created_at_ms, last_at_ms, message_count, symbols (a set);
- `SESSION#<id>` / `MSG#<at_ms:013d>#<random>`: one item per message (never a growing
  item: 400 KB is DynamoDB's item limit), so concurrent turns each add their own;
- `SESSION#<id>` / `SUMMARY#<symbol>`, in `gsi1` as `SYMBOL#<symbol>` /
  `<at_ms:013d>#<id>`: one short summary per session and symbol, for warm memory;
- `INSIGHT#<symbol>` / `KEY#<key>`: a learned insight, put only if its key is new;
- `REC#<id>` / `REC`: a recommendation; its state moves by conditional updates only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from brain.conversations.errors import SessionExpired, StoreUnavailable
from brain.conversations.records import (
    SESSION_TTL_MS,
    Insight,
    Message,
    Recommendation,
    RecommendationState,
    Session,
    Summary,
)
from gatekeeper.tables import GSI1

T = TypeVar("T")
DAY_MS = 86_400_000
MESSAGE_KEEP_MS = DAY_MS  # transcripts outlive the session by a day, then TTL tidies up
SUMMARY_KEEP_MS = 8 * DAY_MS  # warm memory looks back 7 days
REC_KEEP_MS = 7 * DAY_MS
INSIGHTS_READ = 100  # an insight query reads at most this many items


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _ttl(at_ms: int) -> dict[str, str]:
    return _n(at_ms // 1000)


def _conditional(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class DynamoSessionStore:
    """`SessionStore` over a boto3 DynamoDB client (injected, never created here)."""

    def __init__(self, client: Any, table: str, ttl_ms: int = SESSION_TTL_MS) -> None:
        self._client = client
        self._table = table
        self._ttl_ms = ttl_ms

    def _call(self, fn: Callable[..., T], **kwargs: Any) -> T:
        try:
            return fn(TableName=self._table, **kwargs)
        except ClientError as exc:
            if _conditional(exc):
                raise
            raise StoreUnavailable(f"sessions table: {exc}") from exc
        except BotoCoreError as exc:
            raise StoreUnavailable(f"sessions table: {exc}") from exc

    # sessions and messages

    def create_session(self, session_id: str, now_ms: int) -> Session:
        """See `SessionStore.create_session`."""
        try:
            self._call(
                self._client.put_item,
                Item={
                    "pk": _s(f"SESSION#{session_id}"),
                    "sk": _s("META"),
                    "created_at_ms": _n(now_ms),
                    "last_at_ms": _n(now_ms),
                    "message_count": _n(0),
                    "ttl": _ttl(now_ms + self._ttl_ms + MESSAGE_KEEP_MS),
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            raise ValueError("session id already used") from exc
        return Session(session_id, now_ms, now_ms)

    def get_session(self, session_id: str, now_ms: int) -> Session | None:
        """See `SessionStore.get_session`."""
        got = self._call(
            self._client.get_item,
            Key={"pk": _s(f"SESSION#{session_id}"), "sk": _s("META")},
            ConsistentRead=True,
        )
        item = got.get("Item")
        if item is None:
            return None
        session = _session(session_id, item)
        return session if session.live(now_ms, self._ttl_ms) else None

    def append(self, message: Message) -> Session:
        """See `SessionStore.append`: one conditional update of the header (live at the
        message's time), then the message's own item."""
        at = message.at_ms
        values: dict[str, Any] = {
            ":one": _n(1),
            ":live_after": _n(at - self._ttl_ms),
        }
        adds = "ADD message_count :one"
        if message.symbols:
            values[":syms"] = {"SS": sorted(set(message.symbols))}
            adds += ", symbols :syms"
        key = {"pk": _s(f"SESSION#{message.session_id}"), "sk": _s("META")}
        try:
            # Usual case: this message is the newest, so it moves the expiry.
            got = self._call(
                self._client.update_item,
                Key=key,
                UpdateExpression=f"SET last_at_ms = :at, #ttl = :ttl {adds}",
                ConditionExpression="last_at_ms > :live_after AND last_at_ms <= :at",
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues={
                    **values,
                    ":at": _n(at),
                    ":ttl": _ttl(at + self._ttl_ms + MESSAGE_KEEP_MS),
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError:
            # A concurrent turn already wrote a later time (keep it), or the session is
            # gone: the second condition tells which. No max() in DynamoDB's updates.
            try:
                got = self._call(
                    self._client.update_item,
                    Key=key,
                    UpdateExpression=adds,
                    ConditionExpression="last_at_ms > :live_after",
                    ExpressionAttributeValues=values,
                    ReturnValues="ALL_NEW",
                )
            except ClientError as exc:
                raise SessionExpired(message.session_id) from exc
        item: dict[str, Any] = {
            "pk": _s(f"SESSION#{message.session_id}"),
            "sk": _s(f"MSG#{message.message_id}"),
            "role": _s(message.role),
            "text": _s(message.text),
            "at_ms": _n(at),
            "symbols": {"L": [_s(s) for s in message.symbols]},
            "recs": {"L": [_s(r) for r in message.recommendation_ids]},
            "ttl": _ttl(at + self._ttl_ms + MESSAGE_KEEP_MS),
        }
        self._call(self._client.put_item, Item=item)
        return _session(message.session_id, got["Attributes"])

    def messages(self, session_id: str, limit: int) -> list[Message]:
        """See `SessionStore.messages`: one bounded query, newest first, reversed."""
        if limit <= 0:
            return []
        got = self._call(
            self._client.query,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :msg)",
            ExpressionAttributeValues={":pk": _s(f"SESSION#{session_id}"), ":msg": _s("MSG#")},
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
        )
        return [_message(session_id, item) for item in reversed(got.get("Items", []))]

    # warm memory

    def put_summary(self, summary: Summary) -> None:
        """See `SessionStore.put_summary`."""
        self._call(
            self._client.put_item,
            Item={
                "pk": _s(f"SESSION#{summary.session_id}"),
                "sk": _s(f"SUMMARY#{summary.symbol}"),
                "gsi1pk": _s(f"SYMBOL#{summary.symbol}"),
                "gsi1sk": _s(f"{summary.at_ms:013d}#{summary.session_id}"),
                "symbol": _s(summary.symbol),
                "session_id": _s(summary.session_id),
                "text": _s(summary.text),
                "at_ms": _n(summary.at_ms),
                "ttl": _ttl(summary.at_ms + SUMMARY_KEEP_MS),
            },
        )

    def history(
        self, symbol: str, since_ms: int, limit: int, exclude_session: str | None = None
    ) -> list[Summary]:
        """See `SessionStore.history`: a bounded query on the per-symbol index."""
        if limit <= 0:
            return []
        got = self._call(
            self._client.query,
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :pk AND gsi1sk >= :since",
            ExpressionAttributeValues={
                ":pk": _s(f"SYMBOL#{symbol}"),
                ":since": _s(f"{since_ms:013d}"),
            },
            ScanIndexForward=False,
            Limit=limit + 1,  # one more, in case the current session is among them
        )
        found = [_summary(item) for item in got.get("Items", [])]
        return [s for s in found if s.session_id != exclude_session][:limit]

    # cold memory

    def put_insight(self, insight: Insight) -> bool:
        """See `SessionStore.put_insight`: a put conditioned on the key being new."""
        try:
            self._call(
                self._client.put_item,
                Item={
                    "pk": _s(f"INSIGHT#{insight.symbol}"),
                    "sk": _s(f"KEY#{insight.key}"),
                    "symbol": _s(insight.symbol),
                    "key": _s(insight.key),
                    "text": _s(insight.text),
                    "provenance": {"L": [_s(p) for p in insight.provenance]},
                    "created_at_ms": _n(insight.created_at_ms),
                    "expires_at_ms": _n(insight.expires_at_ms),
                    "ttl": _ttl(insight.expires_at_ms + DAY_MS),
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError:
            return False
        return True

    def insights(self, symbol: str, now_ms: int, limit: int) -> list[Insight]:
        """See `SessionStore.insights` (a symbol holds a few; the read is bounded)."""
        got = self._call(
            self._client.query,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(f"INSIGHT#{symbol}")},
            Limit=INSIGHTS_READ,
        )
        found = [_insight(item) for item in got.get("Items", [])]
        live = [i for i in found if i.expires_at_ms > now_ms]
        live.sort(key=lambda i: (i.created_at_ms, i.key), reverse=True)
        return live[:limit]

    # recommendations

    def put_recommendation(self, recommendation: Recommendation) -> None:
        """See `SessionStore.put_recommendation`."""
        r = recommendation
        item: dict[str, Any] = {
            "pk": _s(f"REC#{r.recommendation_id}"),
            "sk": _s("REC"),
            "session_id": _s(r.session_id),
            "symbol": _s(r.symbol),
            "strategy": _s(r.strategy),
            "structure": _s(r.structure),
            "created_at_ms": _n(r.created_at_ms),
            "expires_at_ms": _n(r.expires_at_ms),
            "state": _s(r.state.value),
            "version": _n(r.version),
            "meta": _s(json.dumps(r.meta, sort_keys=True)),
            "ttl": _ttl(r.expires_at_ms + REC_KEEP_MS),
        }
        try:
            self._call(
                self._client.put_item, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            raise ValueError("recommendation id already used") from exc

    def get_recommendation(self, recommendation_id: str) -> Recommendation | None:
        """See `SessionStore.get_recommendation`."""
        got = self._call(
            self._client.get_item,
            Key={"pk": _s(f"REC#{recommendation_id}"), "sk": _s("REC")},
            ConsistentRead=True,
        )
        item = got.get("Item")
        return None if item is None else _recommendation(recommendation_id, item)

    def reprice(
        self, recommendation_id: str, version: int, structure: str, expires_at_ms: int
    ) -> bool:
        """See `SessionStore.reprice`."""
        try:
            self._call(
                self._client.update_item,
                Key={"pk": _s(f"REC#{recommendation_id}"), "sk": _s("REC")},
                UpdateExpression="SET #st = :structure, expires_at_ms = :exp, version = :next",
                ConditionExpression="#state = :pending AND version = :version",
                ExpressionAttributeNames={"#st": "structure", "#state": "state"},
                ExpressionAttributeValues={
                    ":structure": _s(structure),
                    ":exp": _n(expires_at_ms),
                    ":next": _n(version + 1),
                    ":pending": _s(RecommendationState.PENDING.value),
                    ":version": _n(version),
                },
            )
        except ClientError:
            return False
        return True

    def claim(self, recommendation_id: str, version: int, now_ms: int) -> bool:
        """See `SessionStore.claim`: the one conditional write that makes a confirm once."""
        try:
            self._call(
                self._client.update_item,
                Key={"pk": _s(f"REC#{recommendation_id}"), "sk": _s("REC")},
                UpdateExpression="SET #state = :confirming, claimed_at_ms = :now",
                ConditionExpression=(
                    "#state = :pending AND version = :version AND expires_at_ms > :now"
                ),
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={
                    ":confirming": _s(RecommendationState.CONFIRMING.value),
                    ":pending": _s(RecommendationState.PENDING.value),
                    ":version": _n(version),
                    ":now": _n(now_ms),
                },
            )
        except ClientError:
            return False
        return True

    def decide(self, recommendation_id: str, decision: str) -> None:
        """See `SessionStore.decide`."""
        self._call(
            self._client.update_item,
            Key={"pk": _s(f"REC#{recommendation_id}"), "sk": _s("REC")},
            UpdateExpression="SET #state = :decided, decision = :decision",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={
                ":decided": _s(RecommendationState.DECIDED.value),
                ":decision": _s(decision),
            },
        )


def _strs(item: dict[str, Any], name: str) -> tuple[str, ...]:
    value = item.get(name)
    if value is None:
        return ()
    if "SS" in value:
        return tuple(sorted(value["SS"]))
    return tuple(v["S"] for v in value.get("L", []))


def _session(session_id: str, item: dict[str, Any]) -> Session:
    return Session(
        session_id=session_id,
        created_at_ms=int(item["created_at_ms"]["N"]),
        last_at_ms=int(item["last_at_ms"]["N"]),
        message_count=int(item.get("message_count", {"N": "0"})["N"]),
        symbols=_strs(item, "symbols"),
    )


def _message(session_id: str, item: dict[str, Any]) -> Message:
    role = item["role"]["S"]
    return Message(
        session_id=session_id,
        message_id=item["sk"]["S"].removeprefix("MSG#"),
        role="user" if role == "user" else "assistant",
        text=item["text"]["S"],
        at_ms=int(item["at_ms"]["N"]),
        symbols=_strs(item, "symbols"),
        recommendation_ids=_strs(item, "recs"),
    )


def _summary(item: dict[str, Any]) -> Summary:
    return Summary(
        symbol=item["symbol"]["S"],
        session_id=item["session_id"]["S"],
        at_ms=int(item["at_ms"]["N"]),
        text=item["text"]["S"],
    )


def _insight(item: dict[str, Any]) -> Insight:
    return Insight(
        symbol=item["symbol"]["S"],
        key=item["key"]["S"],
        text=item["text"]["S"],
        provenance=_strs(item, "provenance"),
        created_at_ms=int(item["created_at_ms"]["N"]),
        expires_at_ms=int(item["expires_at_ms"]["N"]),
    )


def _recommendation(recommendation_id: str, item: dict[str, Any]) -> Recommendation:
    decision = item.get("decision")
    claimed = item.get("claimed_at_ms")
    return Recommendation(
        recommendation_id=recommendation_id,
        session_id=item["session_id"]["S"],
        symbol=item["symbol"]["S"],
        strategy=item["strategy"]["S"],
        structure=item["structure"]["S"],
        created_at_ms=int(item["created_at_ms"]["N"]),
        expires_at_ms=int(item["expires_at_ms"]["N"]),
        state=RecommendationState(item["state"]["S"]),
        version=int(item["version"]["N"]),
        decision=None if decision is None else decision["S"],
        claimed_at_ms=None if claimed is None else int(claimed["N"]),
        meta=json.loads(item.get("meta", {"S": "{}"})["S"]),
    )
