"""The dated price table: what a call costs, and the most it can cost.

Prices live in configuration (`prices.toml` beside this module, or the file named by
`EDGEGATE_ANALYST_PRICES`), never as constants in code. Every amount is a `Decimal`
(dollars); costs are rounded up to the micro-dollar, so a sum of settled costs is never
below what was really spent.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from brain.analyst.errors import AnalystConfigError

DEFAULT_PRICES = Path(__file__).with_name("prices.toml")
MICRO = Decimal("0.000001")
_PER_TOKEN = Decimal(1_000_000)
CacheTtl = Literal["5m", "1h"]


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """Tokens of one call, as the API reports them (`usage`)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0

    @property
    def prompt_tokens(self) -> int:
        """Every input token of the call: uncached, written to and read from the cache."""
        return self.input_tokens + self.cache_write_tokens + self.cache_read_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
        )


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """Dollars per million tokens of one model."""

    model: str
    input: Decimal
    output: Decimal
    cache_write_5m: Decimal
    cache_write_1h: Decimal
    cache_read: Decimal
    min_cacheable_tokens: int

    def cache_write(self, ttl: CacheTtl) -> Decimal:
        """The price of writing a token to the cache with `ttl`."""
        return self.cache_write_5m if ttl == "5m" else self.cache_write_1h

    def cost(self, usage: TokenUsage, ttl: CacheTtl = "5m") -> Decimal:
        """What `usage` costs, rounded up to the micro-dollar."""
        total = (
            usage.input_tokens * self.input
            + usage.output_tokens * self.output
            + usage.cache_write_tokens * self.cache_write(ttl)
            + usage.cache_read_tokens * self.cache_read
        ) / _PER_TOKEN
        return total.quantize(MICRO, rounding=ROUND_CEILING)

    def worst_case(self, prompt_tokens: int, max_tokens: int, ttl: CacheTtl = "5m") -> Decimal:
        """The most a call of `prompt_tokens` in and at most `max_tokens` out can cost:
        every input token at the dearest input rate, every allowed output token."""
        dearest = max(self.input, self.cache_write(ttl), self.cache_read)
        total = (prompt_tokens * dearest + max_tokens * self.output) / _PER_TOKEN
        return total.quantize(MICRO, rounding=ROUND_CEILING)


@dataclass(frozen=True, slots=True)
class PriceTable:
    """Prices of every model the analyst may use, effective from `effective`."""

    effective: date
    currency: str
    models: dict[str, ModelPrice]
    source: str = ""

    def price(self, model: str) -> ModelPrice:
        """The price of `model`; AnalystConfigError when it is not in the table."""
        found = self.models.get(model)
        if found is None:
            known = ", ".join(sorted(self.models))
            raise AnalystConfigError(
                "EDGEGATE_ANALYST_MODEL", f"{model!r} has no price in {self.source}; known: {known}"
            )
        return found


def _decimal(raw: Any, where: str) -> Decimal:
    if not isinstance(raw, str):
        raise AnalystConfigError("EDGEGATE_ANALYST_PRICES", f"{where}: write prices as strings")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise AnalystConfigError("EDGEGATE_ANALYST_PRICES", f"{where}: {raw!r}") from exc
    if not value.is_finite() or value < 0:
        raise AnalystConfigError("EDGEGATE_ANALYST_PRICES", f"{where}: must be >= 0")
    return value


def load_prices(path: Path = DEFAULT_PRICES) -> PriceTable:
    """Read and check a price table; AnalystConfigError naming the bad entry."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AnalystConfigError("EDGEGATE_ANALYST_PRICES", f"{path}: {exc}") from exc
    try:
        effective = date.fromisoformat(str(doc["effective"]))
    except (KeyError, ValueError) as exc:
        raise AnalystConfigError(
            "EDGEGATE_ANALYST_PRICES", f"{path}: `effective` must be a YYYY-MM-DD date"
        ) from exc
    models: dict[str, ModelPrice] = {}
    for name, entry in dict(doc.get("models", {})).items():
        where = f"{path.name} models.{name}"
        try:
            min_cacheable = int(entry["min_cacheable_tokens"])
            fields = {
                key: _decimal(entry[key], f"{where}.{key}")
                for key in ("input", "output", "cache_write_5m", "cache_write_1h", "cache_read")
            }
        except KeyError as exc:
            raise AnalystConfigError("EDGEGATE_ANALYST_PRICES", f"{where}: {exc} missing") from exc
        models[name] = ModelPrice(model=name, min_cacheable_tokens=min_cacheable, **fields)
    if not models:
        raise AnalystConfigError("EDGEGATE_ANALYST_PRICES", f"{path}: no [models.*] entries")
    return PriceTable(effective, str(doc.get("currency", "USD")), models, str(path))
