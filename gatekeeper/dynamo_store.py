"""`GateStore` on DynamoDB (one table, layout in `gatekeeper.tables`).

Every limit is a condition inside one `TransactWriteItems`; a cancelled transaction's
reasons are mapped back to the condition that failed. Transaction conflicts between
concurrent writers are retried a few times; any other store failure becomes
`StoreUnavailable` at this boundary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from gatekeeper.dynamo_items import (
    LEASED_PROPOSALS,
    PENDING_INTENTS,
    Cancelled,
    Item,
    audit_from,
    audit_item,
    counter_keys,
    get_num,
    get_str,
    intent_item,
    item_key,
    nonce_item,
    num_attr,
    opt_attr,
    proposal_from,
    proposal_item,
    state_from,
    str_attr,
    str_map,
    structure_from,
    structure_item,
    ts,
)
from gatekeeper.dynamo_table import DynamoTable
from gatekeeper.store import (
    STATUS_DECIDED,
    AuditEntry,
    CloseFence,
    Conflict,
    ConflictKind,
    Heartbeat,
    IntentRecord,
    NonceUse,
    Outcome,
    ProposalRecord,
    Reservation,
    Snapshot,
    StateRecord,
    StoreUnavailable,
    StructureRecord,
    rate_ttl_s,
)
from gatekeeper.tables import GSI1

_FENCE_SK = "CLOSING"


def _fence_pk(symbol: str) -> str:
    return f"CLOSING#{symbol}"


def _fence_from(symbol: str, found: dict[str, Item]) -> CloseFence:
    item = found.get(_fence_pk(symbol))
    if item is None:
        return CloseFence(symbol)
    holder = item.get("holder")
    return CloseFence(
        symbol,
        version=get_num(item, "version"),
        holder=None if holder is None or "S" not in holder else holder["S"],
        lease_expires_ms=get_num(item, "lease_ms"),
    )


class DynamoGateStore(DynamoTable):
    """`GateStore` on one DynamoDB table through an injected low-level boto3 client."""

    # -- reads ------------------------------------------------------------------------

    def snapshot(
        self,
        proposal_id: str | None,
        day: str,
        symbols: Sequence[str] = (),
        groups: Sequence[str] = (),
        closing: str | None = None,
    ) -> Snapshot:
        """State, proposal, baseline, counters and a close's fence in one `BatchGetItem`."""
        keys = [("STATE", "STATE"), (f"BASELINE#{day}", "BASELINE"), ("OPEN#TOTAL", "OPEN")]
        if proposal_id:
            keys.append((f"PROPOSAL#{proposal_id}", "PROPOSAL"))
        keys += [(f"OPEN#SYMBOL#{s}", "OPEN") for s in dict.fromkeys(symbols)]
        keys += [(f"OPEN#GROUP#{g}", "OPEN") for g in dict.fromkeys(groups)]
        if closing is not None:
            keys.append((_fence_pk(closing), _FENCE_SK))
        found: dict[str, Item] = {}
        request = {
            self._table: {"Keys": [item_key(pk, sk) for pk, sk in keys], "ConsistentRead": True}
        }
        while request:
            page = self._call("batch_get_item", RequestItems=request)
            for item in page.get("Responses", {}).get(self._table, []):
                found[item["pk"]["S"]] = item
            request = page.get("UnprocessedKeys") or {}
        state = found.get("STATE")
        baseline = found.get(f"BASELINE#{day}")
        proposal = found.get(f"PROPOSAL#{proposal_id}") if proposal_id else None
        return Snapshot(
            state=state_from(state) if state else StateRecord(),
            proposal=proposal_from(proposal) if proposal else None,
            baseline=Decimal(baseline["equity"]["S"]) if baseline else None,
            open_total=get_num(found.get("OPEN#TOTAL", {}), "n"),
            open_by_symbol={s: get_num(found.get(f"OPEN#SYMBOL#{s}", {}), "n") for s in symbols},
            open_by_group={g: get_num(found.get(f"OPEN#GROUP#{g}", {}), "n") for g in groups},
            close_fence=None if closing is None else _fence_from(closing, found),
        )

    def get_proposal(self, proposal_id: str) -> ProposalRecord | None:
        """One proposal record, strongly consistent."""
        item = self._get(f"PROPOSAL#{proposal_id}", "PROPOSAL")
        return proposal_from(item) if item else None

    # -- the decision writes ----------------------------------------------------------

    def reserve(self, reservation: Reservation) -> Conflict | None:
        """Record + intent + rate items + counters + structure in one transaction."""
        r = reservation
        rec, lim = r.record, r.limits
        kinds: list[tuple[ConflictKind, str]] = [(ConflictKind.DUPLICATE, "")] * 2
        items = [
            self._put(
                proposal_item(rec),
                "attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            ),
            self._put(intent_item(r.intent), "attribute_not_exists(pk)"),
        ]
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
                        ":now": num_attr(r.now_ms),
                        ":cutoff": num_attr(r.now_ms - lim.symbol_window_ms),
                        ":ttl": num_attr(rate_ttl_s(r.now_ms)),
                    },
                )
            )
            kinds.append((ConflictKind.SYMBOL_RATE, rec.symbol))
            items.append(self._minute_budget(r.now_ms, lim.global_budget_per_minute))
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
                for pk, (kind, detail, cap) in zip(counter_keys(structure), caps, strict=True):
                    items.append(self._counter(pk, 1, cap))
                    kinds.append((kind, detail))
                items.append(self._put(structure_item(structure)))
                kinds.append((ConflictKind.DUPLICATE, ""))
        else:
            # Exits count against the minute budget but are never refused by it.
            items.append(self._minute_budget(r.now_ms, None))
            kinds.append((ConflictKind.GLOBAL_RATE, ""))
        if r.nonce is not None:
            items.append(self._nonce_put(r.nonce))
            kinds.append((ConflictKind.NONCE_REUSED, ""))
        if r.close_fence is not None:
            items.append(self._take_fence(r.close_fence, rec.proposal_id, r.now_ms, rec))
            kinds.append((ConflictKind.CLOSE_IN_FLIGHT, r.close_fence.symbol))
        try:
            self._transact(items)
        except Cancelled as cancelled:
            return self._conflict(cancelled, kinds, rec.proposal_id)
        return None

    def _take_fence(
        self, seen: CloseFence, proposal_id: str, now_ms: int, record: ProposalRecord
    ) -> Item:
        """Hold a close fence, only as the snapshot saw it: same version, no live holder."""
        condition = "attribute_not_exists(pk)"
        values = {
            ":id": str_attr(proposal_id),
            ":lease": num_attr(record.lease_expires_ms or now_ms),
        }
        if seen.version:
            condition = "version = :v AND (attribute_not_exists(holder) OR lease_ms < :now)"
            values[":v"] = num_attr(seen.version)
            values[":now"] = num_attr(now_ms)
        elif seen.holder is not None:
            # Never released yet (version 0) but held: only a lapsed lease may be taken over.
            condition = "attribute_not_exists(version) AND lease_ms < :now"
            values[":now"] = num_attr(now_ms)
        return self._update(
            _fence_pk(seen.symbol),
            _FENCE_SK,
            "SET holder = :id, lease_ms = :lease",
            ConditionExpression=condition,
            ExpressionAttributeValues=values,
        )

    def _release_fence(self, symbol: str) -> Item:
        """Let a close fence go and bump its version (a later close must read after this)."""
        return self._update(
            _fence_pk(symbol),
            _FENCE_SK,
            "ADD version :one REMOVE holder, lease_ms",
            ExpressionAttributeValues={":one": num_attr(1)},
        )

    def _minute_budget(self, now_ms: int, budget: int | None) -> Item:
        """One more trade call in this minute's global counter, refused at `budget`
        (None: counted, never refused)."""
        values = {":one": num_attr(1), ":ttl": num_attr(rate_ttl_s(now_ms))}
        condition: dict[str, str] = {}
        if budget is not None:
            values[":budget"] = num_attr(budget)
            condition["ConditionExpression"] = "attribute_not_exists(#n) OR #n < :budget"
        return self._update(
            f"RATE#GLOBAL#{now_ms // 60_000}",
            "RATE",
            "ADD #n :one SET #ttl = :ttl",
            ExpressionAttributeNames={"#n": "n", "#ttl": "ttl"},
            ExpressionAttributeValues=values,
            **condition,
        )

    def _nonce_put(self, use: NonceUse) -> Item:
        """Put the nonce unless an unexpired use of it exists (TTL deletes late)."""
        return self._put(
            nonce_item(use),
            "attribute_not_exists(pk) OR expires_at_ms < :now",
            ExpressionAttributeValues={":now": num_attr(use.used_at_ms)},
        )

    def claim_nonce(self, use: NonceUse) -> bool:
        """One conditional put of the nonce; False when an unexpired use of it exists."""
        try:
            self._call("put_item", **self._nonce_put(use)["Put"])
        except ClientError:
            return False
        return True

    def _conflict(
        self, cancelled: Cancelled, kinds: list[tuple[ConflictKind, str]], proposal_id: str
    ) -> Conflict:
        # A replayed request is refused as such even when its proposal exists too.
        for code, (kind, _) in zip(cancelled.codes, kinds, strict=False):
            if code == "ConditionalCheckFailed" and kind is ConflictKind.NONCE_REUSED:
                return Conflict(kind)
        if cancelled.codes and cancelled.codes[0] == "ConditionalCheckFailed":
            old = cancelled.items[0] if cancelled.items else None
            existing = proposal_from(old) if old else self.get_proposal(proposal_id)
            return Conflict(ConflictKind.DUPLICATE, existing)
        for code, (kind, detail) in zip(cancelled.codes, kinds, strict=False):
            if code == "ConditionalCheckFailed":
                if kind is ConflictKind.DUPLICATE:
                    return Conflict(kind, self.get_proposal(proposal_id))
                return Conflict(kind, detail=detail)
        raise StoreUnavailable(f"transaction cancelled without a reason: {cancelled.codes}")

    def record_rejection(
        self, record: ProposalRecord, audit: AuditEntry, nonce: NonceUse | None = None
    ) -> Conflict | None:
        """The rejected proposal (conditioned on its id), its audit line and the request's
        nonce (conditioned on being unused), atomically."""
        items = [
            self._put(
                proposal_item(record),
                "attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            ),
            self._put(audit_item(audit)),
        ]
        kinds = [(ConflictKind.DUPLICATE, "")] * 2
        if nonce is not None:
            items.append(self._nonce_put(nonce))
            kinds.append((ConflictKind.NONCE_REUSED, ""))
        try:
            self._transact(items)
        except Cancelled as cancelled:
            return self._conflict(cancelled, kinds, record.proposal_id)
        return None

    def record_outcome(self, outcome: Outcome, expect_status: str | None) -> bool:
        """Proposal + intent (+ release of counters) + audit line in one transaction."""
        o = outcome
        values: Item = {
            ":status": str_attr(STATUS_DECIDED),
            ":decision": str_attr(o.decision),
            ":code": opt_attr(o.reason_code),
            ":reason": opt_attr(o.reason),
            ":oid": opt_attr(o.order_id),
            ":ostate": str_attr(o.order_state),
            ":now": num_attr(o.now_ms),
        }
        proposal_update: dict[str, Any] = {
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": values,
        }
        if expect_status:
            proposal_update["ConditionExpression"] = "#status = :expect"
            values[":expect"] = str_attr(expect_status)
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
                "reason = :reason, order_id = :oid, order_state = :ostate, updated_at_ms = :now "
                "REMOVE gsi1pk, gsi1sk",  # decided: out of the lease index
                **proposal_update,
            ),
            self._update(
                f"INTENT#{o.proposal_id}",
                "INTENT",
                intent_expr,
                ExpressionAttributeValues={
                    ":oid": opt_attr(o.order_id),
                    ":ostate": str_attr(o.order_state),
                },
            ),
            self._put(audit_item(o.audit)),
        ]
        release = self._release_items(o.release) if o.release is not None else []
        if o.close_symbol is not None and o.settled:
            release.append(self._release_fence(o.close_symbol))
        try:
            self._transact(base + release)
        except Cancelled as cancelled:
            if cancelled.codes and cancelled.codes[0] == "ConditionalCheckFailed":
                return False
            if not release:
                raise StoreUnavailable(f"outcome refused: {cancelled.codes}") from None
            try:  # the structure was released concurrently (reconcile): record without it
                self._transact(base)
            except Cancelled:
                return False
        return True

    def _release_items(self, structure: StructureRecord) -> list[Item]:
        return [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": item_key("STRUCTURE", structure.proposal_id),
                    "ConditionExpression": "attribute_exists(pk)",
                }
            },
            *(self._counter(pk, -1, None) for pk in counter_keys(structure)),
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
            Key=item_key(f"PROPOSAL#{proposal_id}", "PROPOSAL"),
            UpdateExpression="SET order_state = :s, filled_quantity = :q, "
            "avg_fill_price = :p, updated_at_ms = :now",
            ExpressionAttributeValues={
                ":s": str_attr(order_state),
                ":q": num_attr(filled_quantity),
                ":p": opt_attr(avg_fill_price),
                ":now": num_attr(now_ms),
            },
        )

    # -- intents and structures -------------------------------------------------------

    def pending_intents(self) -> list[IntentRecord]:
        """Intents not yet settled, oldest first (sparse index)."""
        return [
            IntentRecord(
                proposal_id=get_str(item, "proposal_id") or "",
                symbol=get_str(item, "symbol") or "",
                created_at_ms=get_num(item, "created_at_ms"),
                pending=True,
                order_id=get_str(item, "order_id"),
                order_state=get_str(item, "order_state") or "INTENT",
            )
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :p",
                ExpressionAttributeValues={":p": str_attr(PENDING_INTENTS)},
            )
        ]

    def expired_leases(self, now_ms: int) -> list[ProposalRecord]:
        """Proposals still IN_PROGRESS whose lease ended before `now_ms` (sparse index)."""
        return [
            proposal_from(item)
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :p AND gsi1sk < :end",
                ExpressionAttributeValues={
                    ":p": str_attr(LEASED_PROPOSALS),
                    ":end": str_attr(ts(now_ms)),
                },
            )
        ]

    def open_structures(self) -> list[StructureRecord]:
        """Every structure still counted against the caps."""
        return [
            structure_from(item)
            for item in self._query(
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": str_attr("STRUCTURE")},
                ConsistentRead=True,
            )
        ]

    def release_structure(self, structure: StructureRecord) -> bool:
        """Delete the structure and decrement its counters, once."""
        try:
            self._transact(self._release_items(structure))
        except Cancelled:
            return False
        return True

    # -- state, heartbeat, baseline, audit --------------------------------------------

    def get_state(self) -> StateRecord:
        """The trading state (ACTIVE when never set)."""
        item = self._get("STATE", "STATE")
        return state_from(item) if item else StateRecord()

    def set_state(
        self, record: StateRecord, only_from: Sequence[str] = (), audit: AuditEntry | None = None
    ) -> bool:
        """Put the state, conditionally on the current one when `only_from` is given; with
        `audit`, the state and its audit line in one transaction."""
        condition: dict[str, Any] = {}
        if only_from:
            placeholders = [f":f{i}" for i in range(len(only_from))]
            condition["ConditionExpression"] = (
                f"attribute_not_exists(#st) OR #st IN ({', '.join(placeholders)})"
                if "ACTIVE" in only_from
                else f"#st IN ({', '.join(placeholders)})"
            )
            condition["ExpressionAttributeNames"] = {"#st": "state"}
            condition["ExpressionAttributeValues"] = {
                p: str_attr(v) for p, v in zip(placeholders, only_from, strict=True)
            }
        item = {
            **item_key("STATE", "STATE"),
            "state": str_attr(record.state),
            "reason": str_attr(record.reason),
            "actor": str_attr(record.actor),
            "updated_at_ms": num_attr(record.updated_at_ms),
        }
        if audit is not None:
            try:
                self._transact([self._put(item, **condition), self._put(audit_item(audit))])
            except Cancelled as cancelled:
                if "ConditionalCheckFailed" in cancelled.codes:
                    return False
                raise StoreUnavailable(f"state change refused: {cancelled.codes}") from None
            return True
        try:
            self._call("put_item", TableName=self._table, Item=item, **condition)
        except ClientError:
            return False
        return True

    def put_heartbeat(self, heartbeat: Heartbeat) -> None:
        """Record the brain's heartbeat."""
        item = {
            **item_key("HEARTBEAT", "HEARTBEAT"),
            "at_ms": num_attr(heartbeat.at_ms),
            "summary": str_map(heartbeat.summary),
        }
        self._call("put_item", TableName=self._table, Item=item)

    def get_heartbeat(self) -> Heartbeat | None:
        """The last heartbeat, if any."""
        item = self._get("HEARTBEAT", "HEARTBEAT")
        if item is None:
            return None
        summary = {k: str(v.get("S", "")) for k, v in item.get("summary", {}).get("M", {}).items()}
        return Heartbeat(at_ms=get_num(item, "at_ms"), summary=summary)

    def put_baseline_if_absent(self, day: str, equity: Decimal, now_ms: int) -> Decimal:
        """Record the day's baseline once (conditional put); returns the stored value."""
        item = {
            **item_key(f"BASELINE#{day}", "BASELINE"),
            "equity": str_attr(format(equity, "f")),
            "recorded_at_ms": num_attr(now_ms),
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
        self._call("put_item", TableName=self._table, Item=audit_item(entry))

    def audit_for_day(self, day: str, limit: int = 1000) -> list[AuditEntry]:
        """The day's audit lines, oldest first."""
        return [
            audit_from(item)
            for item in self._query(
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": str_attr(f"DAY#{day}")},
                max_items=limit,
            )
        ]

    def audit_for_symbol(self, symbol: str, limit: int = 100) -> list[AuditEntry]:
        """A symbol's audit lines, newest first."""
        return [
            audit_from(item)
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :p",
                ExpressionAttributeValues={":p": str_attr(f"SYMBOL#{symbol}")},
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
        item: Item = {**item_key(f"DOC#{key}", "DOC"), "doc": str_map(doc)}
        if ttl_s:
            item["ttl"] = num_attr(ttl_s)
        self._call("put_item", TableName=self._table, Item=item)
