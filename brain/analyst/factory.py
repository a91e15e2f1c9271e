"""Composing the analyst from its configuration: Claude when a key is set, else offline.

`open_analyst` also checks, once at start, that Claude's static prefix is long enough to
be cached by the configured model (a warning when it is not: the API would say nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import httpx2

from brain.analyst.analysts import Analyst, ClaudeAnalyst, OfflineAnalyst
from brain.analyst.answers import AbstainReason
from brain.analyst.budget import Budget
from brain.analyst.calls import CallLog
from brain.analyst.claude import ClaudeClient, PrefixCheck
from brain.analyst.config import AnalystConfig
from brain.analyst.prefix import review_prefix
from brain.analyst.prices import load_prices
from brain.analyst.spend import MemorySpendStore, SpendStore
from tradier.clock import Clock

log = logging.getLogger(__name__)


def build_analyst(
    config: AnalystConfig,
    clock: Clock,
    *,
    spend: SpendStore | None = None,
    on_cap: Callable[[AbstainReason, str], None] = lambda reason, detail: None,
    http_client: httpx2.AsyncClient | None = None,
    transcript: Path | None = None,
) -> Analyst:
    """Claude (with a budget over `spend`) when `config` has a key, else the offline
    analyst. The price of the configured model must be in the price table."""
    if not config.online:
        return OfflineAnalyst()
    prices = load_prices(config.prices_path)
    price = prices.price(config.model)
    budget = Budget(
        spend if spend is not None else MemorySpendStore(),
        clock,
        config.daily_budget,
        config.calls_per_hour,
        on_cap=on_cap,
    )
    client = ClaudeClient(
        config,
        price,
        budget,
        clock,
        calls=CallLog(transcript=transcript),
        http_client=http_client,
        price_effective=prices.effective,
    )
    return ClaudeAnalyst(client, review_prefix())


async def check_analyst(analyst: Analyst) -> PrefixCheck | None:
    """Claude's prefix against the model's minimum cacheable length (None: offline, or
    the count could not be had: the calls still work, caching is then unverified)."""
    if not isinstance(analyst, ClaudeAnalyst):
        return None
    try:
        return await analyst.client.check_prefix(analyst.prefix)
    except Exception as exc:  # a start-up check must not stop the brain from trading
        log.warning("could not count the analyst's prefix tokens: %s", exc)
        return None
