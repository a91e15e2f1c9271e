"""The analyst's configuration, its dated price table and the cost arithmetic."""

from __future__ import annotations

import typing
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from anthropic.types import Model
from hypothesis import given
from hypothesis import strategies as st

from brain.analyst.config import DEFAULT_MODEL, Fallback, load_analyst_config
from brain.analyst.errors import AnalystConfigError
from brain.analyst.prices import TokenUsage, load_prices
from brain.config import ConfigError, load_config

BRAIN_ENV = {
    "TRADIER_DATA_TOKEN": "t",
    "EDGEGATE_GATE_URL": "http://127.0.0.1:9",
    "EDGEGATE_SIGNING_SECRET": "s" * 32,
    "EDGEGATE_SYMBOLS": "SPY",
}


def test_config_when_empty_env_then_offline_with_one_trader_defaults():
    config = load_analyst_config({})
    assert not config.online and config.review and config.fallback is Fallback.PROCEED
    assert (config.model, config.daily_budget, config.calls_per_hour) == (
        DEFAULT_MODEL,
        Decimal("5.00"),
        120,
    )


def test_config_when_key_set_then_online_and_key_not_in_repr():
    config = load_analyst_config({"ANTHROPIC_API_KEY": "sk-secret-value"})
    assert config.online and "sk-secret-value" not in repr(config)


def test_default_model_when_checked_then_in_the_installed_sdk_model_list():
    listed = typing.get_args(typing.get_args(Model)[0])
    assert DEFAULT_MODEL in listed and DEFAULT_MODEL.startswith("claude-sonnet-")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EDGEGATE_ANALYST_DAILY_BUDGET", "lots"),
        ("EDGEGATE_ANALYST_CALLS_PER_HOUR", "-1"),
        ("EDGEGATE_REVIEW", "maybe"),
        ("EDGEGATE_REVIEW_FALLBACK", "guess"),
        ("ANTHROPIC_BASE_URL", "ftp://x"),
    ],
)
def test_config_when_bad_value_then_error_names_the_variable(name: str, value: str):
    with pytest.raises(AnalystConfigError) as err:
        load_analyst_config({name: value})
    assert err.value.name == name
    with pytest.raises(ConfigError) as brain_err:  # the brain's own config says the same
        load_config({**BRAIN_ENV, name: value})
    assert brain_err.value.name == name


def test_prices_when_bundled_then_dated_and_every_5_5_model_priced():
    table = load_prices()
    assert table.effective == date(2026, 11, 1)
    for model in ("claude-sonnet-5-5", "claude-haiku-5-5", "claude-opus-5-5"):
        assert table.price(model).output > table.price(model).input > 0


def test_prices_when_model_missing_then_config_error(tmp_path: Path):
    with pytest.raises(AnalystConfigError):
        load_prices().price("claude-unknown")
    (tmp_path / "p.toml").write_text('effective = "2026-01-01"\n[models.m]\ninput = 1\n')
    with pytest.raises(AnalystConfigError):
        load_prices(tmp_path / "p.toml")


def test_cost_when_million_tokens_of_each_then_the_listed_prices():
    price = load_prices().price("claude-sonnet-5-5")
    one_million = 1_000_000
    assert price.cost(TokenUsage(input_tokens=one_million)) == Decimal("3.00")
    assert price.cost(TokenUsage(output_tokens=one_million)) == Decimal("15.00")
    assert price.cost(TokenUsage(cache_write_tokens=one_million)) == Decimal("3.75")
    assert price.cost(TokenUsage(cache_read_tokens=one_million)) == Decimal("0.30")


@given(
    prompt=st.integers(0, 200_000),
    cached=st.floats(0, 1),
    written=st.floats(0, 1),
    max_tokens=st.integers(1, 8192),
    out=st.floats(0, 1),
)
def test_worst_case_when_any_split_of_the_prompt_then_never_below_the_cost(
    prompt: int, cached: float, written: float, max_tokens: int, out: float
):
    price = load_prices().price("claude-sonnet-5-5")
    read = int(prompt * cached)
    write = int((prompt - read) * written)
    usage = TokenUsage(prompt - read - write, int(max_tokens * out), write, read)
    assert price.cost(usage) <= price.worst_case(prompt, max_tokens)
