"""The DynamoDB table definitions as Python (for tests and local creation).

One shape, kept in step with `infra/tables.yml` (serverless): keys `pk`/`sk` (strings),
TTL attribute `ttl` (epoch seconds), one GSI `gsi1` on `gsi1pk`/`gsi1sk`. The gate table's
access patterns (see `gatekeeper.dynamo_store`):

- `STATE`/`STATE`: trading state; `HEARTBEAT`/`HEARTBEAT`; `BASELINE#<day>`/`BASELINE`
- `PROPOSAL#<id>`/`PROPOSAL`: idempotency record, decision, order state (TTL 90 days);
  while IN_PROGRESS also in `gsi1` under `PROPOSAL#IN_PROGRESS`/`<lease end>#<id>`
- `INTENT#<id>`/`INTENT`: order-intent ledger; pending ones are in `gsi1` under
  `INTENT#PENDING` (a sparse index entry removed when settled)
- `RATE#SYMBOL#<symbol>`/`RATE` and `RATE#GLOBAL#<minute>`/`RATE`: rate limits (TTL)
- `OPEN#TOTAL`, `OPEN#SYMBOL#<symbol>`, `OPEN#GROUP#<g>` / `OPEN`: open-structure counters
  (the `SYMBOL#` infix keeps a ticker such as TOTAL or GLOBAL from meeting another key)
- `NONCE#<nonce>`/`NONCE`: a signed request's nonce, accepted once (TTL; `expires_at_ms`
  is checked in the write's condition, since TTL deletes late)
- `DOC#<key>`/`DOC`: small string maps (reconcile's daily order book, end-of-day reports)
- `STRUCTURE`/`<id>`: the open structures behind the counters
- `CLOSING#<symbol>`/`CLOSING`: a symbol's close fence (`gatekeeper.records.CloseFence`)
- `DAY#<yyyy-mm-dd>`/`<ts>#<ref>`: audit trail; `gsi1` `SYMBOL#<symbol>`/`<ts>#<ref>`
"""

from __future__ import annotations

from typing import Any

TTL_ATTRIBUTE = "ttl"
GSI1 = "gsi1"


def table_definition(table_name: str) -> dict[str, Any]:
    """`CreateTable` arguments for the gate or sessions table (same key shape)."""
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"}
            for name in ("pk", "sk", "gsi1pk", "gsi1sk")
        ],
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": GSI1,
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    }


def create_table(client: Any, table_name: str) -> None:
    """Create a table with the shared shape, wait until it is active and turn TTL on."""
    client.create_table(**table_definition(table_name))
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100}
    )
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )


def create_tables(client: Any, gate_table: str, sessions_table: str) -> None:
    """Create the gate and sessions tables (local runs and tests)."""
    create_table(client, gate_table)
    create_table(client, sessions_table)
