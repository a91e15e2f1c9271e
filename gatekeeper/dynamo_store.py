"""`GateStore` on DynamoDB (one table, layout in `gatekeeper.tables`).

Every limit is a condition inside one `TransactWriteItems`; a cancelled transaction's
reasons are mapped back to the condition that failed. Transaction conflicts between
concurrent writers are retried a few times; any other store failure becomes
`StoreUnavailable` at this boundary.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from gatekeeper.store import (
    STATUS_DECIDED,
    AuditEntry,
    Conflict,
    ConflictKind,
    Heartbeat,
    IntentRecord,
    Outcome,
    ProposalRecord,
    Reservation,
    Snapshot,
    StateRecord,
    StoreUnavailable,
    StructureRecord,
    proposal_ttl_s,
    rate_ttl_s,
)
from gatekeeper.tables import GSI1
from tradier.clock import Clock

Item = dict[str, Any]
PENDING_INTENTS = "INTENT#PENDING"
_CONFLICT_RETRIES = 12


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _key(pk: str, sk: str) -> Item:
    return {"pk": _s(pk), "sk": _s(sk)}


def _ts(ms: int) -> str:
    return f"{ms:015d}"


def _get_s(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    return None if value is None or "NULL" in value else str(value["S"])


def _get_n(item: Mapping[str, Any], name: str, default: int = 0) -> int:
    value = item.get(name)
    return default if value is None or "NULL" in value else int(value["N"])


def _opt(value: str | None) -> dict[str, Any]:
    return {"NULL": True} if value is None else _s(value)


def _str_map(values: Mapping[str, str]) -> dict[str, Any]:
    return {"M": {k: _s(v) for k, v in values.items()}}


def _proposal_item(r: ProposalRecord) -> Item:
    return {
        **_key(f"PROPOSAL#{r.proposal_id}", "PROPOSAL"),
        "proposal_id": _s(r.proposal_id),
        "body_hash": _s(r.body_hash),
        "symbol": _s(r.symbol),
        "intent": _s(r.intent),
        "status": _s(r.status),
        "created_at_ms": _n(r.created_at_ms),
        "updated_at_ms": _n(r.updated_at_ms),
        "decision": _opt(r.decision),
        "reason_code": _opt(r.reason_code),
        "reason": _opt(r.reason),
        "order_id": _opt(r.order_id),
        "order_state": _opt(r.order_state),
        "filled_quantity": _n(r.filled_quantity),
        "avg_fill_price": _opt(r.avg_fill_price),
        "lease_expires_ms": _n(r.lease_expires_ms),
        "ttl": _n(r.ttl_s or proposal_ttl_s(r.created_at_ms)),
        "body": _s(r.body),
    }


def _proposal_from(item: Mapping[str, Any]) -> ProposalRecord:
    return ProposalRecord(
        proposal_id=_get_s(item, "proposal_id") or "",
        body_hash=_get_s(item, "body_hash") or "",
        symbol=_get_s(item, "symbol") or "",
        intent=_get_s(item, "intent") or "",
        status=_get_s(item, "status") or "",
        created_at_ms=_get_n(item, "created_at_ms"),
        updated_at_ms=_get_n(item, "updated_at_ms"),
        decision=_get_s(item, "decision"),
        reason_code=_get_s(item, "reason_code"),
        reason=_get_s(item, "reason"),
        order_id=_get_s(item, "order_id"),
        order_state=_get_s(item, "order_state"),
        filled_quantity=_get_n(item, "filled_quantity"),
        avg_fill_price=_get_s(item, "avg_fill_price"),
        lease_expires_ms=_get_n(item, "lease_expires_ms"),
        ttl_s=_get_n(item, "ttl"),
        body=_get_s(item, "body") or "",
    )


def _audit_item(a: AuditEntry) -> Item:
    item: Item = {
        **_key(f"DAY#{a.day}", f"{_ts(a.ts_ms)}#{a.ref}"),
        "day": _s(a.day),
        "ts_ms": _n(a.ts_ms),
        "ref": _s(a.ref),
        "kind": _s(a.kind),
        "symbol": _s(a.symbol),
        "decision": _s(a.decision),
        "reason_code": _s(a.reason_code),
        "detail": _str_map(a.detail),
    }
    if a.symbol:
        item["gsi1pk"] = _s(f"SYMBOL#{a.symbol}")
        item["gsi1sk"] = _s(f"{_ts(a.ts_ms)}#{a.ref}")
    return item


def _audit_from(item: Mapping[str, Any]) -> AuditEntry:
    detail = {k: str(v.get("S", "")) for k, v in item.get("detail", {}).get("M", {}).items()}
    return AuditEntry(
        day=_get_s(item, "day") or "",
        ts_ms=_get_n(item, "ts_ms"),
        ref=_get_s(item, "ref") or "",
        kind=_get_s(item, "kind") or "",
        symbol=_get_s(item, "symbol") or "",
        decision=_get_s(item, "decision") or "",
        reason_code=_get_s(item, "reason_code") or "",
        detail=detail,
    )


def _structure_from(item: Mapping[str, Any]) -> StructureRecord:
    return StructureRecord(
        proposal_id=_get_s(item, "proposal_id") or "",
        symbol=_get_s(item, "symbol") or "",
        groups=tuple(v["S"] for v in item.get("groups", {}).get("L", [])),
        instruments=tuple(v["S"] for v in item.get("instruments", {}).get("L", [])),
        opened_at_ms=_get_n(item, "opened_at_ms"),
    )


def _counter_keys(structure: StructureRecord) -> list[str]:
    return [
        "OPEN#TOTAL",
        f"OPEN#SYMBOL#{structure.symbol}",
        *(f"OPEN#GROUP#{g}" for g in structure.groups),
    ]


class _Cancelled(Exception):
    def __init__(self, codes: list[str], items: list[Item | None]) -> None:
        super().__init__(codes)
        self.codes = codes
        self.items = items


class DynamoGateStore:
    """`GateStore` on one DynamoDB table through an injected low-level boto3 client."""

    def __init__(
        self,
        client: Any,
        table_name: str,
        clock: Clock,
        *,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._table = table_name
        self._clock = clock
        self._rng = rng or random.Random()
        self._sleep = sleep
        self.calls = 0

    # -- plumbing ---------------------------------------------------------------------

    def _call(self, op: str, **kwargs: Any) -> Any:
        self.calls += 1
        try:
            return getattr(self._client, op)(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code == "TransactionCanceledException":
                reasons = exc.response.get("CancellationReasons") or []
                raise _Cancelled(
                    [str(r.get("Code", "None")) for r in reasons],
                    [dict(r["Item"]) if r.get("Item") else None for r in reasons],
                ) from exc
            if code == "ConditionalCheckFailedException":
                raise
            raise StoreUnavailable(f"dynamodb {op} failed: {code}") from exc
        except BotoCoreError as exc:
            raise StoreUnavailable(f"dynamodb {op} failed: {type(exc).__name__}") from exc

    def _transact(self, items: list[Item]) -> None:
        """One transaction, retried on conflicts with concurrent writers only."""
        for attempt in range(_CONFLICT_RETRIES):
            try:
                self._call("transact_write_items", TransactItems=items)
                return
            except _Cancelled as cancelled:
                if "ConditionalCheckFailed" in cancelled.codes:
                    raise
                retryable = {"TransactionConflict", "ThrottlingError", "None"}
                if not set(cancelled.codes) <= retryable or attempt == _CONFLICT_RETRIES - 1:
                    raise StoreUnavailable(f"transaction cancelled: {cancelled.codes}") from None
                self._sleep(self._rng.uniform(0.0, 0.005 * (2 ** min(attempt, 5))))

    def _update(self, pk: str, sk: str, expr: str, **kwargs: Any) -> Item:
        return {
            "Update": {
                "TableName": self._table,
                "Key": _key(pk, sk),
                "UpdateExpression": expr,
                **kwargs,
            }
        }

    def _put(self, item: Item, condition: str | None = None, **kwargs: Any) -> Item:
        put: Item = {"TableName": self._table, "Item": item, **kwargs}
        if condition:
            put["ConditionExpression"] = condition
        return {"Put": put}

    def _counter(self, pk: str, delta: int, cap: int | None) -> Item:
        extra: dict[str, Any] = {
            "ExpressionAttributeNames": {"#n": "n"},
            "ExpressionAttributeValues": {":d": _n(delta)},
        }
        if cap is not None:
            extra["ConditionExpression"] = "attribute_not_exists(#n) OR #n < :cap"
            extra["ExpressionAttributeValues"][":cap"] = _n(cap)
        return self._update(pk, "OPEN", "ADD #n :d", **extra)

    def _query(self, **kwargs: Any) -> Iterator[Item]:
        limit = kwargs.pop("max_items", None)
        seen = 0
        while True:
            page = self._call("query", TableName=self._table, **kwargs)
            for item in page.get("Items", []):
                yield item
                seen += 1
                if limit is not None and seen >= limit:
                    return
            last = page.get("LastEvaluatedKey")
            if not last:
                return
            kwargs["ExclusiveStartKey"] = last

    # -- reads ------------------------------------------------------------------------

    def snapshot(
        self,
        proposal_id: str | None,
        day: str,
        symbols: Sequence[str] = (),
        groups: Sequence[str] = (),
    ) -> Snapshot:
        """State, proposal, baseline and counters in one `BatchGetItem`."""
        keys = [("STATE", "STATE"), (f"BASELINE#{day}", "BASELINE"), ("OPEN#TOTAL", "OPEN")]
        if proposal_id:
            keys.append((f"PROPOSAL#{proposal_id}", "PROPOSAL"))
        keys += [(f"OPEN#SYMBOL#{s}", "OPEN") for s in dict.fromkeys(symbols)]
        keys += [(f"OPEN#GROUP#{g}", "OPEN") for g in dict.fromkeys(groups)]
        found: dict[str, Item] = {}
        request = {self._table: {"Keys": [_key(pk, sk) for pk, sk in keys], "ConsistentRead": True}}
        while request:
            page = self._call("batch_get_item", RequestItems=request)
            for item in page.get("Responses", {}).get(self._table, []):
                found[item["pk"]["S"]] = item
            request = page.get("UnprocessedKeys") or {}
        state = found.get("STATE")
        baseline = found.get(f"BASELINE#{day}")
        proposal = found.get(f"PROPOSAL#{proposal_id}") if proposal_id else None
        return Snapshot(
            state=self._state_from(state) if state else StateRecord(),
            proposal=_proposal_from(proposal) if proposal else None,
            baseline=Decimal(baseline["equity"]["S"]) if baseline else None,
            open_total=_get_n(found.get("OPEN#TOTAL", {}), "n"),
            open_by_symbol={s: _get_n(found.get(f"OPEN#SYMBOL#{s}", {}), "n") for s in symbols},
            open_by_group={g: _get_n(found.get(f"OPEN#GROUP#{g}", {}), "n") for g in groups},
        )

    def _get(self, pk: str, sk: str) -> Item | None:
        page = self._call("get_item", TableName=self._table, Key=_key(pk, sk), ConsistentRead=True)
        item: Item | None = page.get("Item")
        return item

    def get_proposal(self, proposal_id: str) -> ProposalRecord | None:
        """One proposal record, strongly consistent."""
        item = self._get(f"PROPOSAL#{proposal_id}", "PROPOSAL")
        return _proposal_from(item) if item else None

    # -- the decision writes ----------------------------------------------------------

    def reserve(self, reservation: Reservation) -> Conflict | None:
        """Record + intent + rate items + counters + structure in one transaction."""
        r = reservation
        rec, lim = r.record, r.limits
        kinds: list[tuple[ConflictKind, str]] = [(ConflictKind.DUPLICATE, "")] * 2
        items = [
            self._put(
                _proposal_item(rec),
                "attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            ),
            self._put(self._intent_item(r.intent), "attribute_not_exists(pk)"),
        ]
        minute_pk = f"RATE#GLOBAL#{r.now_ms // 60_000}"
        rate_values = {":one": _n(1), ":ttl": _n(rate_ttl_s(r.now_ms))}
        names = {"#n": "n", "#ttl": "ttl"}
        if r.opening:
            items.append(
                self._update(
                    f"RATE#SYMBOL#{rec.symbol}",
                    "RATE",
                    "SET last_open_ms = :now, #ttl = :ttl",
                    ConditionExpression="attribute_not_exists(last_open_ms) "
                    "OR last_open_ms <= :cutoff",
                    ExpressionAttributeNames={"#ttl": "ttl"},
                    ExpressionAttributeValues={
                        ":now": _n(r.now_ms),
                        ":cutoff": _n(r.now_ms - lim.symbol_window_ms),
                        ":ttl": _n(rate_ttl_s(r.now_ms)),
                    },
                )
            )
            kinds.append((ConflictKind.SYMBOL_RATE, rec.symbol))
            items.append(
                self._update(
                    minute_pk,
                    "RATE",
                    "ADD #n :one SET #ttl = :ttl",
                    ConditionExpression="attribute_not_exists(#n) OR #n < :budget",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues={
                        **rate_values,
                        ":budget": _n(lim.global_budget_per_minute),
                    },
                )
            )
            kinds.append((ConflictKind.GLOBAL_RATE, ""))
            structure = r.structure
            if structure is not None:
                caps = [
                    (ConflictKind.OPEN_TOTAL, "", lim.max_open_total),
                    (ConflictKind.OPEN_SYMBOL, structure.symbol, lim.max_open_per_symbol),
                    *(
                        (ConflictKind.OPEN_GROUP, g, lim.group_caps.get(g, 1 << 30))
                        for g in structure.groups
                    ),
                ]
                for pk, (kind, detail, cap) in zip(_counter_keys(structure), caps, strict=True):
                    items.append(self._counter(pk, 1, cap))
                    kinds.append((kind, detail))
                items.append(self._put(self._structure_item(structure)))
                kinds.append((ConflictKind.DUPLICATE, ""))
        else:
            # Exits count against the minute budget but are never refused by it.
            items.append(
                self._update(
                    minute_pk,
                    "RATE",
                    "ADD #n :one SET #ttl = :ttl",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=rate_values,
                )
            )
            kinds.append((ConflictKind.GLOBAL_RATE, ""))
        try:
            self._transact(items)
        except _Cancelled as cancelled:
            return self._conflict(cancelled, kinds, rec.proposal_id)
        return None

    def _conflict(
        self, cancelled: _Cancelled, kinds: list[tuple[ConflictKind, str]], proposal_id: str
    ) -> Conflict:
        if cancelled.codes and cancelled.codes[0] == "ConditionalCheckFailed":
            old = cancelled.items[0] if cancelled.items else None
            existing = _proposal_from(old) if old else self.get_proposal(proposal_id)
            return Conflict(ConflictKind.DUPLICATE, existing)
        for code, (kind, detail) in zip(cancelled.codes, kinds, strict=False):
            if code == "ConditionalCheckFailed":
                if kind is ConflictKind.DUPLICATE:
                    return Conflict(kind, self.get_proposal(proposal_id))
                return Conflict(kind, detail=detail)
        raise StoreUnavailable(f"transaction cancelled without a reason: {cancelled.codes}")

    def record_rejection(self, record: ProposalRecord, audit: AuditEntry) -> Conflict | None:
        """The rejected proposal (conditioned on its id) and its audit line, atomically."""
        items = [
            self._put(
                _proposal_item(record),
                "attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            ),
            self._put(_audit_item(audit)),
        ]
        try:
            self._transact(items)
        except _Cancelled as cancelled:
            return self._conflict(cancelled, [(ConflictKind.DUPLICATE, "")] * 2, record.proposal_id)
        return None

    def record_outcome(self, outcome: Outcome, expect_status: str | None) -> bool:
        """Proposal + intent (+ release of counters) + audit line in one transaction."""
        o = outcome
        values: Item = {
            ":status": _s(STATUS_DECIDED),
            ":decision": _s(o.decision),
            ":code": _opt(o.reason_code),
            ":reason": _opt(o.reason),
            ":oid": _opt(o.order_id),
            ":ostate": _s(o.order_state),
            ":now": _n(o.now_ms),
        }
        proposal_update: dict[str, Any] = {
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": values,
        }
        if expect_status:
            proposal_update["ConditionExpression"] = "#status = :expect"
            values[":expect"] = _s(expect_status)
        else:
            proposal_update["ConditionExpression"] = "attribute_exists(pk)"
        intent_expr = "SET order_id = :oid, order_state = :ostate"
        if o.settled:
            intent_expr += " REMOVE gsi1pk, gsi1sk"
        base = [
            self._update(
                f"PROPOSAL#{o.proposal_id}",
                "PROPOSAL",
                "SET #status = :status, decision = :decision, reason_code = :code, "
                "reason = :reason, order_id = :oid, order_state = :ostate, updated_at_ms = :now",
                **proposal_update,
            ),
            self._update(
                f"INTENT#{o.proposal_id}",
                "INTENT",
                intent_expr,
                ExpressionAttributeValues={":oid": _opt(o.order_id), ":ostate": _s(o.order_state)},
            ),
            self._put(_audit_item(o.audit)),
        ]
        release = self._release_items(o.release) if o.release is not None else []
        try:
            self._transact(base + release)
        except _Cancelled as cancelled:
            if cancelled.codes and cancelled.codes[0] == "ConditionalCheckFailed":
                return False
            if not release:
                raise StoreUnavailable(f"outcome refused: {cancelled.codes}") from None
            try:  # the structure was released concurrently (reconcile): record without it
                self._transact(base)
            except _Cancelled:
                return False
        return True

    def _release_items(self, structure: StructureRecord) -> list[Item]:
        return [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": _key("STRUCTURE", structure.proposal_id),
                    "ConditionExpression": "attribute_exists(pk)",
                }
            },
            *(self._counter(pk, -1, None) for pk in _counter_keys(structure)),
        ]

    def update_order(
        self,
        proposal_id: str,
        order_state: str,
        filled_quantity: int,
        avg_fill_price: str | None,
        now_ms: int,
    ) -> None:
        """Refresh a submitted order's state and fills."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=_key(f"PROPOSAL#{proposal_id}", "PROPOSAL"),
            UpdateExpression="SET order_state = :s, filled_quantity = :q, "
            "avg_fill_price = :p, updated_at_ms = :now",
            ExpressionAttributeValues={
                ":s": _s(order_state),
                ":q": _n(filled_quantity),
                ":p": _opt(avg_fill_price),
                ":now": _n(now_ms),
            },
        )

    # -- intents and structures -------------------------------------------------------

    def _intent_item(self, i: IntentRecord) -> Item:
        item: Item = {
            **_key(f"INTENT#{i.proposal_id}", "INTENT"),
            "proposal_id": _s(i.proposal_id),
            "symbol": _s(i.symbol),
            "created_at_ms": _n(i.created_at_ms),
            "order_id": _opt(i.order_id),
            "order_state": _s(i.order_state),
            "ttl": _n(proposal_ttl_s(i.created_at_ms)),
        }
        if i.pending:
            item["gsi1pk"] = _s(PENDING_INTENTS)
            item["gsi1sk"] = _s(f"{_ts(i.created_at_ms)}#{i.proposal_id}")
        return item

    def _structure_item(self, s: StructureRecord) -> Item:
        return {
            **_key("STRUCTURE", s.proposal_id),
            "proposal_id": _s(s.proposal_id),
            "symbol": _s(s.symbol),
            "groups": {"L": [_s(g) for g in s.groups]},
            "instruments": {"L": [_s(x) for x in s.instruments]},
            "opened_at_ms": _n(s.opened_at_ms),
        }

    def pending_intents(self) -> list[IntentRecord]:
        """Intents not yet settled, oldest first (sparse index)."""
        return [
            IntentRecord(
                proposal_id=_get_s(item, "proposal_id") or "",
                symbol=_get_s(item, "symbol") or "",
                created_at_ms=_get_n(item, "created_at_ms"),
                pending=True,
                order_id=_get_s(item, "order_id"),
                order_state=_get_s(item, "order_state") or "INTENT",
            )
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :p",
                ExpressionAttributeValues={":p": _s(PENDING_INTENTS)},
            )
        ]

    def open_structures(self) -> list[StructureRecord]:
        """Every structure still counted against the caps."""
        return [
            _structure_from(item)
            for item in self._query(
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": _s("STRUCTURE")},
                ConsistentRead=True,
            )
        ]

    def release_structure(self, structure: StructureRecord) -> bool:
        """Delete the structure and decrement its counters, once."""
        try:
            self._transact(self._release_items(structure))
        except _Cancelled:
            return False
        return True

    # -- state, heartbeat, baseline, audit --------------------------------------------

    @staticmethod
    def _state_from(item: Mapping[str, Any]) -> StateRecord:
        return StateRecord(
            state=_get_s(item, "state") or "ACTIVE",
            reason=_get_s(item, "reason") or "",
            actor=_get_s(item, "actor") or "",
            updated_at_ms=_get_n(item, "updated_at_ms"),
        )

    def get_state(self) -> StateRecord:
        """The trading state (ACTIVE when never set)."""
        item = self._get("STATE", "STATE")
        return self._state_from(item) if item else StateRecord()

    def set_state(self, record: StateRecord, only_from: Sequence[str] = ()) -> bool:
        """Put the state, conditionally on the current one when `only_from` is given."""
        kwargs: dict[str, Any] = {}
        if only_from:
            placeholders = [f":f{i}" for i in range(len(only_from))]
            kwargs["ConditionExpression"] = (
                f"attribute_not_exists(#st) OR #st IN ({', '.join(placeholders)})"
                if "ACTIVE" in only_from
                else f"#st IN ({', '.join(placeholders)})"
            )
            kwargs["ExpressionAttributeNames"] = {"#st": "state"}
            kwargs["ExpressionAttributeValues"] = {
                p: _s(v) for p, v in zip(placeholders, only_from, strict=True)
            }
        item = {
            **_key("STATE", "STATE"),
            "state": _s(record.state),
            "reason": _s(record.reason),
            "actor": _s(record.actor),
            "updated_at_ms": _n(record.updated_at_ms),
        }
        try:
            self._call("put_item", TableName=self._table, Item=item, **kwargs)
        except ClientError:
            return False
        return True

    def put_heartbeat(self, heartbeat: Heartbeat) -> None:
        """Record the brain's heartbeat."""
        item = {
            **_key("HEARTBEAT", "HEARTBEAT"),
            "at_ms": _n(heartbeat.at_ms),
            "summary": _str_map(heartbeat.summary),
        }
        self._call("put_item", TableName=self._table, Item=item)

    def get_heartbeat(self) -> Heartbeat | None:
        """The last heartbeat, if any."""
        item = self._get("HEARTBEAT", "HEARTBEAT")
        if item is None:
            return None
        summary = {k: str(v.get("S", "")) for k, v in item.get("summary", {}).get("M", {}).items()}
        return Heartbeat(at_ms=_get_n(item, "at_ms"), summary=summary)

    def put_baseline_if_absent(self, day: str, equity: Decimal, now_ms: int) -> Decimal:
        """Record the day's baseline once (conditional put); returns the stored value."""
        item = {
            **_key(f"BASELINE#{day}", "BASELINE"),
            "equity": _s(format(equity, "f")),
            "recorded_at_ms": _n(now_ms),
        }
        try:
            self._call(
                "put_item",
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError:
            stored = self._get(f"BASELINE#{day}", "BASELINE")
            return Decimal(stored["equity"]["S"]) if stored else equity
        return equity

    def append_audit(self, entry: AuditEntry) -> None:
        """Append an audit line."""
        self._call("put_item", TableName=self._table, Item=_audit_item(entry))

    def audit_for_day(self, day: str, limit: int = 1000) -> list[AuditEntry]:
        """The day's audit lines, oldest first."""
        return [
            _audit_from(item)
            for item in self._query(
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": _s(f"DAY#{day}")},
                max_items=limit,
            )
        ]

    def audit_for_symbol(self, symbol: str, limit: int = 100) -> list[AuditEntry]:
        """A symbol's audit lines, newest first."""
        return [
            _audit_from(item)
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :p",
                ExpressionAttributeValues={":p": _s(f"SYMBOL#{symbol}")},
                ScanIndexForward=False,
                max_items=limit,
            )
        ]

    def get_doc(self, key: str) -> dict[str, str] | None:
        """A small string map kept under `DOC#<key>`."""
        item = self._get(f"DOC#{key}", "DOC")
        if item is None:
            return None
        return {k: str(v.get("S", "")) for k, v in item.get("doc", {}).get("M", {}).items()}

    def put_doc(self, key: str, doc: Mapping[str, str], ttl_s: int = 0) -> None:
        """Replace the string map under `DOC#<key>`."""
        item: Item = {**_key(f"DOC#{key}", "DOC"), "doc": _str_map(doc)}
        if ttl_s:
            item["ttl"] = _n(ttl_s)
        self._call("put_item", TableName=self._table, Item=item)
