"""Shared pieces of the analyst tests: a review request, a client against the fake."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from brain.analyst.budget import Budget
from brain.analyst.calls import CallLog
from brain.analyst.claude import ClaudeClient
from brain.analyst.config import AnalystConfig
from brain.analyst.prices import load_prices
from brain.analyst.review_schema import Alternative, LegView, ReviewRequest
from brain.analyst.spend import MemorySpendStore, SpendStore
from tradier.clock import ManualClock

START_MS = 1_795_000_000_000  # 2026-11-18, a Wednesday


async def no_sleep(_s: float) -> None:
    """Retries wait in simulated time (the test records nothing of the wait)."""


def review_request(
    reason: str = "trending regime: entry conditions met", **kw: object
) -> ReviewRequest:
    """A bull put spread on SPY, two contracts planned."""
    leg = dict(option_type="put", expiration="2026-12-18", delta=-0.2, iv=0.18)
    base: dict[str, object] = dict(
        symbol="SPY",
        strategy="credit_spread",
        kind="bull_put",
        signal_reason=reason,
        strength=1.0,
        signal_at="2026-11-18T15:00:00+00:00",
        now="2026-11-18T15:00:01+00:00",
        regime="trending",
        indicators={"rsi": 55.0, "adx": 28.0, "atr": 1.2},
        quote={"bid": 600.0, "ask": 600.02, "spread": 0.02},
        alternatives=[
            Alternative(
                index=0,
                strategy="vertical",
                kind="bull_put",
                legs=[
                    LegView(
                        option_symbol="SPY261218P00580000",
                        side="sell",
                        ratio=1,
                        strike="580",
                        bid="2.10",
                        ask="2.14",
                        **leg,
                    ),
                    LegView(
                        option_symbol="SPY261218P00575000",
                        side="buy",
                        ratio=1,
                        strike="575",
                        bid="1.50",
                        ask="1.54",
                        **leg,
                    ),
                ],
                net_price="0.56",
                net_kind="credit",
                max_loss_each="444",
                quantity=2,
                take_profit_each="28",
                stop_loss_each="112",
            )
        ],
        open_positions=[],
        gate={"trading_state": "ACTIVE"},
    )
    base.update(kw)
    return ReviewRequest.model_validate(base)


def claude_client(
    base_url: str,
    *,
    spend: SpendStore | None = None,
    budget: Decimal = Decimal("5.00"),
    calls_per_hour: int = 120,
    clock: ManualClock | None = None,
    **config: object,
) -> ClaudeClient:
    """Claude's client pointed at the fake, with a memory spend store by default."""
    clock = clock or ManualClock(START_MS)
    settings = AnalystConfig(api_key="test-key", base_url=base_url, **config)  # type: ignore[arg-type]
    prices = load_prices(settings.prices_path)
    return ClaudeClient(
        settings,
        prices.price(settings.model),
        Budget(spend or MemorySpendStore(), clock, budget, calls_per_hour),
        clock,
        calls=CallLog(),
        sleep=no_sleep,
        price_effective=prices.effective if prices.effective else date(2026, 1, 1),
    )
