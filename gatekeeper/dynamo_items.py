"""DynamoDB item codecs for the gate table: records to attribute maps and back.

Low-level attribute values (`{"S": ...}`, `{"N": ...}`) are built here only, so the store
module reads as the access patterns it implements. Key layout: `gatekeeper.tables`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gatekeeper.store import (
    STATUS_IN_PROGRESS,
    AuditEntry,
    IntentRecord,
    NonceUse,
    ProposalRecord,
    StateRecord,
    StructureRecord,
    proposal_ttl_s,
)

Item = dict[str, Any]

PENDING_INTENTS = "INTENT#PENDING"
# A proposal being decided is in gsi1 by the end of its lease, so reconcile can find the
# ones whose request died (`expired_leases`); the entry goes when the outcome is recorded.
LEASED_PROPOSALS = "PROPOSAL#IN_PROGRESS"


def str_attr(value: str) -> dict[str, str]:
    """A string attribute value."""
    return {"S": value}


def num_attr(value: int) -> dict[str, str]:
    """A number attribute value."""
    return {"N": str(value)}


def item_key(pk: str, sk: str) -> Item:
    """The `pk`/`sk` key of an item."""
    return {"pk": str_attr(pk), "sk": str_attr(sk)}


def ts(ms: int) -> str:
    """A sortable, zero-padded timestamp for sort keys."""
    return f"{ms:015d}"


def get_str(item: Mapping[str, Any], name: str) -> str | None:
    """A string attribute, None when absent or NULL."""
    value = item.get(name)
    return None if value is None or "NULL" in value else str(value["S"])


def get_num(item: Mapping[str, Any], name: str, default: int = 0) -> int:
    """A number attribute as int, `default` when absent or NULL."""
    value = item.get(name)
    return default if value is None or "NULL" in value else int(value["N"])


def opt_attr(value: str | None) -> dict[str, Any]:
    """A string attribute, or NULL for None."""
    return {"NULL": True} if value is None else str_attr(value)


def str_map(values: Mapping[str, str]) -> dict[str, Any]:
    """A map attribute of strings."""
    return {"M": {k: str_attr(v) for k, v in values.items()}}


def nonce_item(use: NonceUse) -> Item:
    """The item that marks a request's nonce as used until it expires."""
    return {
        **item_key(f"NONCE#{use.nonce}", "NONCE"),
        "used_at_ms": num_attr(use.used_at_ms),
        "expires_at_ms": num_attr(use.expires_at_ms),
        "ttl": num_attr(use.ttl_s),
    }


def proposal_item(r: ProposalRecord) -> Item:
    """The item of a proposal record."""
    return {
        **item_key(f"PROPOSAL#{r.proposal_id}", "PROPOSAL"),
        "proposal_id": str_attr(r.proposal_id),
        "body_hash": str_attr(r.body_hash),
        "symbol": str_attr(r.symbol),
        "intent": str_attr(r.intent),
        "status": str_attr(r.status),
        "created_at_ms": num_attr(r.created_at_ms),
        "updated_at_ms": num_attr(r.updated_at_ms),
        "decision": opt_attr(r.decision),
        "reason_code": opt_attr(r.reason_code),
        "reason": opt_attr(r.reason),
        "order_id": opt_attr(r.order_id),
        "order_state": opt_attr(r.order_state),
        "filled_quantity": num_attr(r.filled_quantity),
        "avg_fill_price": opt_attr(r.avg_fill_price),
        "lease_expires_ms": num_attr(r.lease_expires_ms),
        "ttl": num_attr(r.ttl_s or proposal_ttl_s(r.created_at_ms)),
        "body": str_attr(r.body),
        **(lease_index(r) if r.status == STATUS_IN_PROGRESS else {}),
    }


def lease_index(r: ProposalRecord) -> Item:
    """The sparse gsi1 entry of a proposal in progress, sorted by its lease's end."""
    return {
        "gsi1pk": str_attr(LEASED_PROPOSALS),
        "gsi1sk": str_attr(f"{ts(r.lease_expires_ms)}#{r.proposal_id}"),
    }


def proposal_from(item: Mapping[str, Any]) -> ProposalRecord:
    """A proposal record from its item."""
    return ProposalRecord(
        proposal_id=get_str(item, "proposal_id") or "",
        body_hash=get_str(item, "body_hash") or "",
        symbol=get_str(item, "symbol") or "",
        intent=get_str(item, "intent") or "",
        status=get_str(item, "status") or "",
        created_at_ms=get_num(item, "created_at_ms"),
        updated_at_ms=get_num(item, "updated_at_ms"),
        decision=get_str(item, "decision"),
        reason_code=get_str(item, "reason_code"),
        reason=get_str(item, "reason"),
        order_id=get_str(item, "order_id"),
        order_state=get_str(item, "order_state"),
        filled_quantity=get_num(item, "filled_quantity"),
        avg_fill_price=get_str(item, "avg_fill_price"),
        lease_expires_ms=get_num(item, "lease_expires_ms"),
        ttl_s=get_num(item, "ttl"),
        body=get_str(item, "body") or "",
    )


def audit_item(a: AuditEntry) -> Item:
    """The item of an audit line (indexed by symbol in gsi1)."""
    item: Item = {
        **item_key(f"DAY#{a.day}", f"{ts(a.ts_ms)}#{a.ref}"),
        "day": str_attr(a.day),
        "ts_ms": num_attr(a.ts_ms),
        "ref": str_attr(a.ref),
        "kind": str_attr(a.kind),
        "symbol": str_attr(a.symbol),
        "decision": str_attr(a.decision),
        "reason_code": str_attr(a.reason_code),
        "detail": str_map(a.detail),
    }
    if a.symbol:
        item["gsi1pk"] = str_attr(f"SYMBOL#{a.symbol}")
        item["gsi1sk"] = str_attr(f"{ts(a.ts_ms)}#{a.ref}")
    return item


def audit_from(item: Mapping[str, Any]) -> AuditEntry:
    """An audit line from its item."""
    detail = {k: str(v.get("S", "")) for k, v in item.get("detail", {}).get("M", {}).items()}
    return AuditEntry(
        day=get_str(item, "day") or "",
        ts_ms=get_num(item, "ts_ms"),
        ref=get_str(item, "ref") or "",
        kind=get_str(item, "kind") or "",
        symbol=get_str(item, "symbol") or "",
        decision=get_str(item, "decision") or "",
        reason_code=get_str(item, "reason_code") or "",
        detail=detail,
    )


def structure_from(item: Mapping[str, Any]) -> StructureRecord:
    """An open structure from its item."""
    return StructureRecord(
        proposal_id=get_str(item, "proposal_id") or "",
        symbol=get_str(item, "symbol") or "",
        groups=tuple(v["S"] for v in item.get("groups", {}).get("L", [])),
        instruments=tuple(v["S"] for v in item.get("instruments", {}).get("L", [])),
        opened_at_ms=get_num(item, "opened_at_ms"),
    )


def counter_keys(structure: StructureRecord) -> list[str]:
    """The counter items a structure counts against."""
    return [
        "OPEN#TOTAL",
        f"OPEN#SYMBOL#{structure.symbol}",
        *(f"OPEN#GROUP#{g}" for g in structure.groups),
    ]


class Cancelled(Exception):
    """A cancelled transaction: one reason code (and old item) per transaction item."""

    def __init__(self, codes: list[str], items: list[Item | None]) -> None:
        super().__init__(codes)
        self.codes = codes
        self.items = items


def intent_item(i: IntentRecord) -> Item:
    """The item of an order intent (in the sparse pending index while pending)."""
    item: Item = {
        **item_key(f"INTENT#{i.proposal_id}", "INTENT"),
        "proposal_id": str_attr(i.proposal_id),
        "symbol": str_attr(i.symbol),
        "created_at_ms": num_attr(i.created_at_ms),
        "order_id": opt_attr(i.order_id),
        "order_state": str_attr(i.order_state),
        "ttl": num_attr(proposal_ttl_s(i.created_at_ms)),
    }
    if i.pending:
        item["gsi1pk"] = str_attr(PENDING_INTENTS)
        item["gsi1sk"] = str_attr(f"{ts(i.created_at_ms)}#{i.proposal_id}")
    return item


def structure_item(s: StructureRecord) -> Item:
    """The item of an open structure."""
    return {
        **item_key("STRUCTURE", s.proposal_id),
        "proposal_id": str_attr(s.proposal_id),
        "symbol": str_attr(s.symbol),
        "groups": {"L": [str_attr(g) for g in s.groups]},
        "instruments": {"L": [str_attr(x) for x in s.instruments]},
        "opened_at_ms": num_attr(s.opened_at_ms),
    }


def state_from(item: Mapping[str, Any]) -> StateRecord:
    """The trading state from its item."""
    return StateRecord(
        state=get_str(item, "state") or "ACTIVE",
        reason=get_str(item, "reason") or "",
        actor=get_str(item, "actor") or "",
        updated_at_ms=get_num(item, "updated_at_ms"),
    )
