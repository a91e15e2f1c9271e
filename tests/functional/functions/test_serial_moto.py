"""The embedded moto DynamoDB under concurrent requests: conditions and transactions hold,
and a cancelled transaction puts back exactly what it changed (and nothing else)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

CAP = 10
# Plain moto breaks once a table is big enough that copying it (its transaction backup)
# overlaps other requests: 300 items make it fail every time (limits exceeded, a
# "dictionary changed size during iteration"), so every case here starts with them.
FILLER = 300


def _fill(client: Any, table: str) -> None:
    item = {f"a{j}": {"S": "x" * 30} for j in range(15)}
    for start in range(0, FILLER, 25):
        puts = [
            {"PutRequest": {"Item": {"pk": {"S": "FILL"}, "sk": {"S": str(i)}, **item}}}
            for i in range(start, start + 25)
        ]
        client.batch_write_item(RequestItems={table: puts})


def _add_one_capped(client: Any, table: str, marker: int) -> bool:
    """One transaction: counter +1 below CAP and a marker item; True when committed."""
    try:
        client.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": {"pk": {"S": "COUNTER"}, "sk": {"S": "N"}},
                        "UpdateExpression": "ADD n :one",
                        "ConditionExpression": "attribute_not_exists(n) OR n < :cap",
                        "ExpressionAttributeValues": {
                            ":one": {"N": "1"},
                            ":cap": {"N": str(CAP)},
                        },
                    }
                },
                {
                    "Put": {
                        "TableName": table,
                        "Item": {"pk": {"S": "MARKER"}, "sk": {"S": str(marker)}},
                    }
                },
            ]
        )
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "TransactionCanceledException"
        return False
    return True


def _count(client: Any, table: str) -> tuple[int, int]:
    counter = client.get_item(
        TableName=table, Key={"pk": {"S": "COUNTER"}, "sk": {"S": "N"}}, ConsistentRead=True
    )
    markers = client.query(
        TableName=table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "MARKER"}},
        ConsistentRead=True,
    )
    return int(counter["Item"]["n"]["N"]), markers["Count"]


def test_embedded_moto_when_200_concurrent_capped_transactions_then_exactly_cap_commit(
    moto_table: tuple[Any, str],
) -> None:
    client, table = moto_table
    _fill(client, table)
    with ThreadPoolExecutor(max_workers=50) as pool:
        committed = list(pool.map(lambda i: _add_one_capped(client, table, i), range(200)))
    assert committed.count(True) == CAP
    assert _count(client, table) == (CAP, CAP)  # no rollback undid another's write
    filler = client.query(
        TableName=table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "FILL"}},
        Select="COUNT",
        ConsistentRead=True,
    )
    assert filler["Count"] == FILLER


def test_embedded_moto_when_transaction_cancelled_after_an_update_then_item_as_before(
    moto_table: tuple[Any, str],
) -> None:
    client, table = moto_table
    _fill(client, table)
    for marker in range(CAP):
        assert _add_one_capped(client, table, marker)
    # Its counter update fails; a marker already there must survive the rollback.
    assert not _add_one_capped(client, table, 0)
    assert _count(client, table) == (CAP, CAP)
    try:
        client.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": {"pk": {"S": "MARKER"}, "sk": {"S": "1"}},
                        "UpdateExpression": "SET touched = :t",
                        "ExpressionAttributeValues": {":t": {"S": "yes"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": table,
                        "Key": {"pk": {"S": "COUNTER"}, "sk": {"S": "N"}},
                        "ConditionExpression": "n < :zero",
                        "ExpressionAttributeValues": {":zero": {"N": "0"}},
                    }
                },
            ]
        )
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "TransactionCanceledException"
    else:
        raise AssertionError("the condition check should have cancelled the transaction")
    marker = client.get_item(
        TableName=table, Key={"pk": {"S": "MARKER"}, "sk": {"S": "1"}}, ConsistentRead=True
    )
    assert "touched" not in marker["Item"]  # updated in place, then put back
