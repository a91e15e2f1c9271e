"""The analyst's settings: read once from the environment, typed and frozen.

`ANTHROPIC_API_KEY` set: Claude reviews (through `ANTHROPIC_BASE_URL` when set, e.g. the
local fake `edgegate fake-claude`); unset: the offline analyst answers. Every other
setting has a default that suits one trader:

| variable                          | default             | what                          |
|-----------------------------------|---------------------|-------------------------------|
| `EDGEGATE_ANALYST_MODEL`          | `claude-sonnet-5-5` | a model of the price table    |
| `EDGEGATE_ANALYST_MAX_TOKENS`     | 800                 | output tokens per call        |
| `EDGEGATE_ANALYST_TIMEOUT_S`      | 20                  | one attempt, then abstain     |
| `EDGEGATE_ANALYST_DEADLINE_S`     | 45                  | a whole review, retries incl. |
| `EDGEGATE_ANALYST_MAX_RETRIES`    | 2                   | retries of 429/529/5xx        |
| `EDGEGATE_ANALYST_DAILY_BUDGET`   | 5.00                | dollars per New York day      |
| `EDGEGATE_ANALYST_CALLS_PER_HOUR` | 120                 | attempts per clock hour (UTC) |
| `EDGEGATE_ANALYST_PRICES`         | bundled prices.toml | the dated price table         |
| `EDGEGATE_REVIEW`                 | `on`                | review signals before sending |
| `EDGEGATE_REVIEW_FALLBACK`        | `proceed`           | on abstention: proceed        |
|                                   |                     | (marked unreviewed) or `hold` |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlparse

from brain.analyst.errors import AnalystConfigError
from brain.analyst.prices import DEFAULT_PRICES, CacheTtl

# The current Sonnet of the installed SDK's model list (anthropic.types.Model).
DEFAULT_MODEL = "claude-sonnet-5-5"


class Fallback(StrEnum):
    """What a signal does when its review cannot be had (abstention, timeout, cap)."""

    PROCEED = "proceed"  # on the brain's own rules, marked `unreviewed`
    HOLD = "hold"  # not sent


@dataclass(frozen=True, slots=True)
class AnalystConfig:
    """Everything the analyst needs; the key is never part of `repr`."""

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    max_tokens: int = 800
    timeout_s: float = 20.0
    deadline_s: float = 45.0
    max_retries: int = 2
    max_retry_wait_s: float = 10.0
    daily_budget: Decimal = Decimal("5.00")
    calls_per_hour: int = 120
    prices_path: Path = DEFAULT_PRICES
    cache_ttl: CacheTtl = "5m"
    review: bool = True
    fallback: Fallback = Fallback.PROCEED

    @property
    def online(self) -> bool:
        """True when Claude answers (a key is set); else the offline analyst does."""
        return self.api_key is not None


def _number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise AnalystConfigError(name, f"not a number: {raw!r}") from exc
    if not low <= value <= high:
        raise AnalystConfigError(name, f"must be from {low:g} to {high:g}, got {raw}")
    return value


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "on", "true", "yes"):
        return True
    if raw in ("0", "off", "false", "no"):
        return False
    raise AnalystConfigError(name, f"must be on or off, got {raw!r}")


def load_analyst_config(env: Mapping[str, str]) -> AnalystConfig:
    """Build the analyst's configuration from `env` (pass `os.environ` at the edge)."""
    api_key = env.get("ANTHROPIC_API_KEY", "").strip() or None
    base_url = env.get("ANTHROPIC_BASE_URL", "").strip() or None
    if base_url is not None:
        parsed = urlparse(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise AnalystConfigError("ANTHROPIC_BASE_URL", f"must be an http(s) URL: {base_url!r}")
    raw_budget = env.get("EDGEGATE_ANALYST_DAILY_BUDGET", "").strip()
    try:
        budget = Decimal(raw_budget) if raw_budget else Decimal("5.00")
    except InvalidOperation as exc:
        raise AnalystConfigError("EDGEGATE_ANALYST_DAILY_BUDGET", f"{raw_budget!r}") from exc
    if not budget.is_finite() or budget < 0:
        raise AnalystConfigError("EDGEGATE_ANALYST_DAILY_BUDGET", "must be a number >= 0")
    fallback_raw = env.get("EDGEGATE_REVIEW_FALLBACK", "").strip().lower() or "proceed"
    try:
        fallback = Fallback(fallback_raw)
    except ValueError as exc:
        raise AnalystConfigError("EDGEGATE_REVIEW_FALLBACK", "must be proceed or hold") from exc
    prices = env.get("EDGEGATE_ANALYST_PRICES", "").strip()
    return AnalystConfig(
        api_key=api_key,
        base_url=base_url,
        model=env.get("EDGEGATE_ANALYST_MODEL", "").strip() or DEFAULT_MODEL,
        max_tokens=int(_number(env, "EDGEGATE_ANALYST_MAX_TOKENS", 800, 64, 8192)),
        timeout_s=_number(env, "EDGEGATE_ANALYST_TIMEOUT_S", 20.0, 0.1, 600),
        deadline_s=_number(env, "EDGEGATE_ANALYST_DEADLINE_S", 45.0, 0.1, 1800),
        max_retries=int(_number(env, "EDGEGATE_ANALYST_MAX_RETRIES", 2, 0, 5)),
        daily_budget=budget,
        calls_per_hour=int(_number(env, "EDGEGATE_ANALYST_CALLS_PER_HOUR", 120, 0, 100_000)),
        prices_path=Path(prices) if prices else DEFAULT_PRICES,
        review=_switch(env, "EDGEGATE_REVIEW", True),
        fallback=fallback,
    )
