"""functions.config: typed, frozen configuration that fails fast naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from functions.config import ALL_NEEDS, Need, Secret, describe, load_config
from functions.errors import ConfigError


@pytest.fixture
def constitution(tmp_path: Path) -> Path:
    path = tmp_path / "constitution.toml"
    path.write_text("# any file; validated by gatekeeper.constitution at composition\n")
    return path


def env_with(constitution: Path, **extra: str) -> dict[str, str]:
    env = {
        "EDGEGATE_GATE_TABLE": "gate-test",
        "EDGEGATE_CONSTITUTION": str(constitution),
        "TRADIER_TRADE_BASE_URL": "http://127.0.0.1:8700/v1",
        "EDGEGATE_SIGNING_SECRET": "test-signing-secret-" + "x" * 20,
        "EDGEGATE_ADMIN_SECRET": "test-admin-secret-" + "x" * 20,
        "TRADIER_TRADE_TOKEN": "test-token",
        "TRADIER_ACCOUNT_ID": "VA00000000",
    }
    env.update(extra)
    return env


def test_load_config_when_complete_env_then_typed_values(constitution: Path) -> None:
    config = load_config(env_with(constitution))
    assert config.gate_table == "gate-test"
    assert config.constitution_path == constitution
    assert config.secret(Need.SIGNING_SECRET) == "test-signing-secret-" + "x" * 20
    assert config.dynamodb_endpoint is None


@pytest.mark.parametrize(
    "variable",
    ["EDGEGATE_GATE_TABLE", "EDGEGATE_CONSTITUTION", "TRADIER_TRADE_BASE_URL"]
    + [need.value for need in Need],
)
def test_load_config_when_variable_missing_then_error_names_it(
    constitution: Path, variable: str
) -> None:
    env = env_with(constitution)
    del env[variable]
    with pytest.raises(ConfigError) as caught:
        load_config(env, ALL_NEEDS)
    assert caught.value.variable == variable


def test_load_config_when_secret_not_needed_then_absent_not_required(constitution: Path) -> None:
    env = env_with(constitution)
    del env["EDGEGATE_ADMIN_SECRET"]
    config = load_config(env, {Need.SIGNING_SECRET})
    assert not config.has(Need.ADMIN_SECRET)
    with pytest.raises(ConfigError):
        config.secret(Need.ADMIN_SECRET)


def test_load_config_when_parameter_names_then_fetched_once_in_one_call(
    constitution: Path,
) -> None:
    env = env_with(constitution)
    for need in Need:
        del env[need.value]
        env[f"{need.value}_PARAM"] = f"/edgegate/ci/{need.name.lower()}"
    calls: list[list[str]] = []

    def fetch(names: list[str]) -> dict[str, str]:
        calls.append(names)
        return {name: f"value-of-{name}" for name in names}

    config = load_config(env, ALL_NEEDS, fetch)
    assert len(calls) == 1 and len(calls[0]) == len(Need)
    assert config.secret(Need.TRADIER_TOKEN) == "value-of-/edgegate/ci/tradier_token"


def test_load_config_when_parameter_missing_in_ssm_then_error_names_param(
    constitution: Path,
) -> None:
    env = env_with(constitution)
    del env["EDGEGATE_SIGNING_SECRET"]
    env["EDGEGATE_SIGNING_SECRET_PARAM"] = "/edgegate/ci/signing-secret"
    with pytest.raises(ConfigError) as caught:
        load_config(env, ALL_NEEDS, lambda names: {})
    assert caught.value.variable == "EDGEGATE_SIGNING_SECRET_PARAM"


def test_load_config_when_plain_http_to_remote_host_then_refused(constitution: Path) -> None:
    env = env_with(constitution, TRADIER_TRADE_BASE_URL="http://sandbox.tradier.com/v1")
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    assert caught.value.variable == "TRADIER_TRADE_BASE_URL"


def test_load_config_when_constitution_path_missing_then_error_names_it(tmp_path: Path) -> None:
    env = env_with(tmp_path / "nope.toml")
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    assert caught.value.variable == "EDGEGATE_CONSTITUTION"


def test_load_config_when_timeout_out_of_range_then_error_names_it(constitution: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(env_with(constitution, EDGEGATE_TRADIER_TIMEOUT_S="90"))
    assert caught.value.variable == "EDGEGATE_TRADIER_TIMEOUT_S"


def test_secret_and_describe_when_printed_then_values_never_shown(constitution: Path) -> None:
    config = load_config(env_with(constitution))
    shown = f"{config!r} {describe(config)} {Secret('abc')}"
    assert "test-signing-secret-" + "x" * 20 not in shown
    assert "test-token" not in shown
    assert "abc" not in shown


@pytest.mark.parametrize("variable", ["EDGEGATE_SIGNING_SECRET", "EDGEGATE_ADMIN_SECRET"])
@pytest.mark.parametrize("value", ["x", "test-short-secret-" + "x" * 13])
def test_load_config_when_hmac_secret_under_32_bytes_then_error_names_it(
    constitution: Path, variable: str, value: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(env_with(constitution, **{variable: value}))
    assert caught.value.variable == variable
    assert "at least 32 bytes" in str(caught.value)
    assert value not in str(caught.value)


def test_load_config_when_secret_32_bytes_in_utf8_then_accepted(constitution: Path) -> None:
    # 16 two-byte characters: the rule counts the bytes HMAC keys on, not characters.
    config = load_config(env_with(constitution, EDGEGATE_ADMIN_SECRET="é" * 16))
    assert config.secret(Need.ADMIN_SECRET) == "é" * 16


def test_load_config_when_admin_secret_equals_signing_secret_then_error_names_admin(
    constitution: Path,
) -> None:
    same = "test-same-secret-" + "x" * 20
    env = env_with(constitution, EDGEGATE_SIGNING_SECRET=same, EDGEGATE_ADMIN_SECRET=same)
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    assert caught.value.variable == "EDGEGATE_ADMIN_SECRET"
    assert "must differ from EDGEGATE_SIGNING_SECRET" in str(caught.value)


def test_load_config_when_short_secret_from_ssm_then_error_names_the_param(
    constitution: Path,
) -> None:
    env = env_with(constitution)
    del env["EDGEGATE_ADMIN_SECRET"]
    env["EDGEGATE_ADMIN_SECRET_PARAM"] = "/edgegate/ci/admin-secret"
    with pytest.raises(ConfigError) as caught:
        load_config(env, ALL_NEEDS, lambda names: dict.fromkeys(names, "short"))
    assert caught.value.variable == "EDGEGATE_ADMIN_SECRET_PARAM"


def test_load_config_when_only_admin_secret_held_then_length_still_checked(
    constitution: Path,
) -> None:
    # A deployed admin function holds only its own secret: the length rule still applies.
    env = env_with(constitution, EDGEGATE_ADMIN_SECRET="x")
    del env["EDGEGATE_SIGNING_SECRET"]
    with pytest.raises(ConfigError) as caught:
        load_config(env, {Need.ADMIN_SECRET})
    assert caught.value.variable == "EDGEGATE_ADMIN_SECRET"


def test_load_config_when_secrets_source_environment_then_parameter_names_never_fetched(
    constitution: Path,
) -> None:
    env = env_with(constitution, EDGEGATE_SECRETS_SOURCE="environment")
    del env["TRADIER_TRADE_TOKEN"]
    env["TRADIER_TRADE_TOKEN_PARAM"] = "/edgegate/local/tradier-token"
    fetched: list[list[str]] = []

    def fetch(names: list[str]) -> dict[str, str]:
        fetched.append(names)
        return {name: "from-ssm" for name in names}

    with pytest.raises(ConfigError) as caught:
        load_config(env, ALL_NEEDS, fetch)
    assert caught.value.variable == "TRADIER_TRADE_TOKEN"
    assert fetched == []


def test_load_config_when_secrets_source_environment_and_values_set_then_used(
    constitution: Path,
) -> None:
    env = env_with(constitution, EDGEGATE_SECRETS_SOURCE="environment")
    env["EDGEGATE_SIGNING_SECRET_PARAM"] = "/edgegate/local/signing-secret"
    config = load_config(env, ALL_NEEDS, lambda names: {})
    assert config.secret(Need.SIGNING_SECRET) == "test-signing-secret-" + "x" * 20


def test_load_config_when_secrets_source_unknown_then_error_names_it(constitution: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(env_with(constitution, EDGEGATE_SECRETS_SOURCE="vault"))
    assert caught.value.variable == "EDGEGATE_SECRETS_SOURCE"
