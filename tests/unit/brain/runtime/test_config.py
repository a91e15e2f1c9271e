from decimal import Decimal
from pathlib import Path

import pytest

from brain.config import DEFAULT_DATA_BASE_URL, DEFAULT_STREAM_URL, ConfigError, load_config

BASE = {
    "TRADIER_DATA_TOKEN": "test-token",
    "EDGEGATE_GATE_URL": "https://gate.example.test",
    "EDGEGATE_SIGNING_SECRET": "test-signing-secret-" + "x" * 20,
    "EDGEGATE_SYMBOLS": "spy, qqq,SPY",
}


def test_config_when_minimal_env_then_production_url_defaults():
    config = load_config(BASE)
    assert config.data_base_url == DEFAULT_DATA_BASE_URL == "https://api.tradier.com/v1"
    assert config.stream_url == DEFAULT_STREAM_URL == "wss://ws.tradier.com/v1/markets/events"
    assert config.symbols == ("SPY", "QQQ")
    assert config.signing_secret == b"test-signing-secret-" + b"x" * 20
    assert config.state_dir == Path("state")
    assert config.account_id is None


@pytest.mark.parametrize(
    "name",
    ["TRADIER_DATA_TOKEN", "EDGEGATE_GATE_URL", "EDGEGATE_SIGNING_SECRET", "EDGEGATE_SYMBOLS"],
)
def test_config_when_required_variable_missing_then_error_names_it(name):
    env = {k: v for k, v in BASE.items() if k != name}
    with pytest.raises(ConfigError) as info:
        load_config(env)
    assert info.value.name == name


def test_config_when_blank_token_then_refused_not_defaulted():
    with pytest.raises(ConfigError) as info:
        load_config({**BASE, "TRADIER_DATA_TOKEN": "  "})
    assert info.value.name == "TRADIER_DATA_TOKEN"


def test_config_when_stream_url_not_websocket_then_error_names_it():
    with pytest.raises(ConfigError) as info:
        load_config({**BASE, "TRADIER_STREAM_URL": "https://ws.tradier.com"})
    assert info.value.name == "TRADIER_STREAM_URL"


def test_config_when_bad_symbol_then_error_names_variable():
    with pytest.raises(ConfigError) as info:
        load_config({**BASE, "EDGEGATE_SYMBOLS": "SPY,$BAD"})
    assert info.value.name == "EDGEGATE_SYMBOLS"


def test_config_when_share_class_listed_then_kept_as_tradier_writes_it():
    config = load_config({**BASE, "EDGEGATE_SYMBOLS": "brk/b,AAPL"})
    assert config.symbols == ("BRK/B", "AAPL")


@pytest.mark.parametrize("junk", ["BRK//B", "BRK/BB", "/B", "ABCDE/F"])
def test_config_when_share_class_malformed_then_error_names_variable(junk):
    with pytest.raises(ConfigError) as info:
        load_config({**BASE, "EDGEGATE_SYMBOLS": f"SPY,{junk}"})
    assert info.value.name == "EDGEGATE_SYMBOLS"
    assert junk in str(info.value)


def test_config_when_account_token_without_id_then_error_names_missing_id():
    with pytest.raises(ConfigError) as info:
        load_config({**BASE, "TRADIER_ACCOUNT_TOKEN": "test-token"})
    assert info.value.name == "TRADIER_ACCOUNT_ID"


def test_config_when_overrides_given_then_used_and_secrets_not_in_repr():
    config = load_config(
        {
            **BASE,
            "TRADIER_DATA_BASE_URL": "http://127.0.0.1:8700/v1/",
            "TRADIER_STREAM_URL": "ws://127.0.0.1:8700/v1/markets/events",
            "EDGEGATE_EQUITY": "25000",
        }
    )
    assert config.data_base_url == "http://127.0.0.1:8700/v1"
    assert config.equity == Decimal("25000")
    assert "test-token" not in repr(config)
    assert "test-signing-secret-" + "x" * 20 not in repr(config)


@pytest.mark.parametrize("secret", ["x", "short", "test-signing-secret-" + "x" * 11])
def test_config_when_secret_under_32_bytes_then_refused_naming_it(secret):
    with pytest.raises(ConfigError) as info:
        load_config({**BASE, "EDGEGATE_SIGNING_SECRET": secret})
    assert info.value.name == "EDGEGATE_SIGNING_SECRET"
    assert "at least 32 bytes" in str(info.value)


def test_config_when_admin_secret_in_env_equals_signing_secret_then_refused():
    same = BASE["EDGEGATE_SIGNING_SECRET"]
    with pytest.raises(ConfigError) as info:
        load_config({**BASE, "EDGEGATE_ADMIN_SECRET": same})
    assert info.value.name == "EDGEGATE_SIGNING_SECRET"
    assert "must differ from EDGEGATE_ADMIN_SECRET" in str(info.value)
