"""The analyst's spend in the brain's sessions table (DynamoDB).

Items (generic keys `pk`/`sk`, TTL attribute `ttl`, 40 days):
- `pk=ANALYST#SPEND`, `sk=DAY#<yyyy-mm-dd>`: committed, spent, reserved (dollars as
  numbers), calls, settled, retries and token totals of a New York day;
- `pk=ANALYST#SPEND`, `sk=HOUR#<yyyy-mm-ddThh>`: calls in a UTC clock hour.

A reservation is one transaction of two conditional updates (DynamoDB cannot add in a
condition, so the day keeps `committed` = spent + reserved and the condition compares it
with `budget - amount`); many brains or many concurrent reviews never pass the cap. A
settlement is one update with ADD (ADD of a negative number takes the reservation out).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from brain.analyst.answers import AbstainReason
from brain.analyst.errors import RetryableAnalystError
from brain.analyst.prices import TokenUsage
from brain.analyst.spend import ZERO, DaySpend

PK = "ANALYST#SPEND"
TTL_S = 40 * 86_400
_TOKENS = ("input_tokens", "output_tokens", "cache_write_tokens", "cache_read_tokens")


def _n(value: Decimal | int) -> dict[str, str]:
    return {"N": str(value)}


class DynamoSpendStore:
    """`SpendStore` on the sessions table; `client` is a boto3 DynamoDB client."""

    def __init__(self, client: Any, table: str, now_s: Any) -> None:
        self._client = client
        self._table = table
        self._now_s = now_s  # () -> epoch seconds, for the TTL

    def _ttl(self) -> dict[str, str]:
        return _n(int(self._now_s()) + TTL_S)

    def reserve(
        self, day: str, hour: str, amount: Decimal, budget: Decimal, calls_per_hour: int
    ) -> AbstainReason | None:
        """See `brain.analyst.spend.SpendStore.reserve`."""
        if amount > budget:
            return AbstainReason.DAILY_BUDGET
        if calls_per_hour <= 0:
            return AbstainReason.CALLS_PER_HOUR
        day_update = {
            "Update": {
                "TableName": self._table,
                "Key": {"pk": {"S": PK}, "sk": {"S": f"DAY#{day}"}},
                "UpdateExpression": "SET #ttl = :ttl ADD committed :amt, reserved :amt, calls :one",
                "ConditionExpression": "attribute_not_exists(committed) OR committed <= :room",
                "ExpressionAttributeNames": {"#ttl": "ttl"},
                "ExpressionAttributeValues": {
                    ":amt": _n(amount),
                    ":one": _n(1),
                    ":room": _n(budget - amount),
                    ":ttl": self._ttl(),
                },
            }
        }
        hour_update = {
            "Update": {
                "TableName": self._table,
                "Key": {"pk": {"S": PK}, "sk": {"S": f"HOUR#{hour}"}},
                "UpdateExpression": "SET #ttl = :ttl ADD calls :one",
                "ConditionExpression": "attribute_not_exists(calls) OR calls < :cap",
                "ExpressionAttributeNames": {"#ttl": "ttl"},
                "ExpressionAttributeValues": {
                    ":one": _n(1),
                    ":cap": _n(calls_per_hour),
                    ":ttl": self._ttl(),
                },
            }
        }
        try:
            self._client.transact_write_items(TransactItems=[day_update, hour_update])
        except self._client.exceptions.TransactionCanceledException as exc:
            reasons = exc.response.get("CancellationReasons", [])
            codes = [r.get("Code") for r in reasons]
            if codes and codes[0] == "ConditionalCheckFailed":
                return AbstainReason.DAILY_BUDGET
            if len(codes) > 1 and codes[1] == "ConditionalCheckFailed":
                return AbstainReason.CALLS_PER_HOUR
            raise RetryableAnalystError(
                None, f"spend reservation conflicted: {codes}", None
            ) from exc
        return None

    def settle(
        self, day: str, reserved: Decimal, cost: Decimal, usage: TokenUsage, retry: bool
    ) -> None:
        """See `brain.analyst.spend.SpendStore.settle`."""
        values = {
            ":delta": _n(cost - reserved),
            ":unreserve": _n(-reserved),
            ":cost": _n(cost),
            ":one": _n(1),
            ":retry": _n(1 if retry else 0),
            ":ttl": self._ttl(),
            **{f":{name}": _n(getattr(usage, name)) for name in _TOKENS},
        }
        adds = ", ".join(f"{name} :{name}" for name in _TOKENS)
        self._client.update_item(
            TableName=self._table,
            Key={"pk": {"S": PK}, "sk": {"S": f"DAY#{day}"}},
            UpdateExpression=(
                "SET #ttl = :ttl ADD committed :delta, reserved :unreserve, spent :cost, "
                f"settled :one, retries :retry, {adds}"
            ),
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues=values,
        )

    def day(self, day: str) -> DaySpend:
        """See `brain.analyst.spend.SpendStore.day`."""
        item = self._client.get_item(
            TableName=self._table,
            Key={"pk": {"S": PK}, "sk": {"S": f"DAY#{day}"}},
            ConsistentRead=True,
        ).get("Item")
        if not item:
            return DaySpend(day)

        def dec(name: str) -> Decimal:
            return Decimal(item[name]["N"]) if name in item else ZERO

        def num(name: str) -> int:
            return int(item[name]["N"]) if name in item else 0

        return DaySpend(
            day=day,
            committed=dec("committed"),
            spent=dec("spent"),
            reserved=dec("reserved"),
            calls=num("calls"),
            settled=num("settled"),
            retries=num("retries"),
            **{name: num(name) for name in _TOKENS},
        )
