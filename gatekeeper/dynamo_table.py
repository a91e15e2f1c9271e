"""One DynamoDB table behind a low-level boto3 client: the store's plumbing.

Faults are translated here, at the boundary: a cancelled transaction becomes `Cancelled`
(its reason codes, for the caller to map), a failed condition stays a `ClientError` for
the caller, and everything else becomes `StoreUnavailable` (HTTP 503, nothing sent).
Transactions are retried only when DynamoDB cancels them for a conflict with a concurrent
writer; conditions are re-evaluated on every attempt.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from gatekeeper.dynamo_items import Cancelled, Item, item_key, num_attr
from gatekeeper.store import StoreUnavailable
from tradier.clock import Clock

_CONFLICT_RETRIES = 12


class DynamoTable:
    """Calls on one table: errors translated, transactions retried on conflicts only."""

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

    def _call(self, op: str, **kwargs: Any) -> Any:
        self.calls += 1
        try:
            return getattr(self._client, op)(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code == "TransactionCanceledException":
                reasons = exc.response.get("CancellationReasons") or []
                raise Cancelled(
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
            except Cancelled as cancelled:
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
                "Key": item_key(pk, sk),
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
            "ExpressionAttributeValues": {":d": num_attr(delta)},
        }
        if cap is not None:
            extra["ConditionExpression"] = "attribute_not_exists(#n) OR #n < :cap"
            extra["ExpressionAttributeValues"][":cap"] = num_attr(cap)
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

    def _get(self, pk: str, sk: str) -> Item | None:
        page = self._call(
            "get_item", TableName=self._table, Key=item_key(pk, sk), ConsistentRead=True
        )
        item: Item | None = page.get("Item")
        return item
