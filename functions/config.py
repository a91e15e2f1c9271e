"""The gate's configuration: read once from the environment, typed, frozen, fail-fast.

Each secret comes either as its value (`EDGEGATE_SIGNING_SECRET`, local runs) or as the name
of an SSM SecureString parameter (`EDGEGATE_SIGNING_SECRET_PARAM`, deployed: serverless.yml
passes parameter names so `osls package` works offline and no secret sits in the template).
Parameters are fetched in one `GetParameters` call per cold start. A function names the
secrets it needs; a missing one stops it with an error naming the variable. The signing and
admin secrets must be at least 32 bytes and differ from each other (checked where both are
configured: each deployed function holds only the one its routes verify).
`EDGEGATE_SECRETS_SOURCE=environment` (serverless.yml's `local` stage, run by
serverless-offline) ignores the `_PARAM` names: nothing reaches for SSM, and a missing value
stops the function at once naming the variable instead of timing out on AWS credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from functions.errors import ConfigError
from gatekeeper.signing import secret_problem

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# (ssm parameter names) -> {name: decrypted value}
ParameterFetcher = Callable[[list[str]], dict[str, str]]


class Secret:
    """A secret string that never shows itself in a repr, log line or traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value, for the one call that needs it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class Need(StrEnum):
    """A secret a function may need; the value is its environment variable."""

    SIGNING_SECRET = "EDGEGATE_SIGNING_SECRET"
    ADMIN_SECRET = "EDGEGATE_ADMIN_SECRET"
    TRADIER_TOKEN = "TRADIER_TRADE_TOKEN"
    TRADIER_ACCOUNT = "TRADIER_ACCOUNT_ID"


ALL_NEEDS = frozenset(Need)
# The HMAC secrets: the gate's authentication rests on their strength and their separation.
HMAC_NEEDS = (Need.SIGNING_SECRET, Need.ADMIN_SECRET)


@dataclass(frozen=True, slots=True)
class GateConfig:
    """Everything the gate's composition reads from its environment."""

    gate_table: str
    constitution_path: Path
    tradier_base_url: str
    region: str
    secrets: Mapping[Need, Secret]
    dynamodb_endpoint: str | None = None
    alerts_topic_arn: str | None = None
    webhook_url: str | None = field(default=None, repr=False)  # may carry its own token
    tradier_timeout_s: float = 5.0

    def secret(self, need: Need) -> str:
        """The value of a secret this function was configured with."""
        found = self.secrets.get(need)
        if found is None:
            raise ConfigError(need.value, f"is not set (nor {need.value}_PARAM)")
        return found.reveal()

    def has(self, need: Need) -> bool:
        """True when the secret was configured."""
        return need in self.secrets


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(name, "is not set")
    return value


def _number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(name, f"must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(name, f"must be between {low:g} and {high:g}, got {raw}")
    return value


def _constitution(env: Mapping[str, str]) -> Path:
    raw = Path(_required(env, "EDGEGATE_CONSTITUTION"))
    # Relative paths are relative to the package root (/var/task on Lambda), not the cwd.
    path = raw if raw.is_absolute() else PROJECT_ROOT / raw
    if not path.is_file():
        raise ConfigError("EDGEGATE_CONSTITUTION", f"no such file: {path}")
    return path


def _base_url(env: Mapping[str, str]) -> str:
    url = _required(env, "TRADIER_TRADE_BASE_URL").rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("TRADIER_TRADE_BASE_URL", f"must be an http(s) URL, got {url!r}")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ConfigError("TRADIER_TRADE_BASE_URL", "plain http is allowed on loopback only")
    # Live versus sandbox hosts are the constitution's call (gatekeeper.constitution).
    return url


def ssm_fetcher(region: str) -> ParameterFetcher:
    """Fetch SecureString parameters with SSM (botocore imported only when called)."""

    def fetch(names: list[str]) -> dict[str, str]:
        from functions import aws

        client = aws.client("ssm", region)
        found: dict[str, str] = {}
        for start in range(0, len(names), 10):  # GetParameters takes at most 10 names
            reply = client.get_parameters(Names=names[start : start + 10], WithDecryption=True)
            found.update({p["Name"]: p["Value"] for p in reply.get("Parameters", [])})
        return found

    return fetch


class SecretsSource(StrEnum):
    """Where the secrets come from (`EDGEGATE_SECRETS_SOURCE`)."""

    # The value when it is set, else the SSM parameter its `_PARAM` names (deployed).
    SSM = "ssm"
    # The values only: the `_PARAM` names are ignored (the `local` stage).
    ENVIRONMENT = "environment"


def _secrets_source(env: Mapping[str, str]) -> SecretsSource:
    raw = env.get("EDGEGATE_SECRETS_SOURCE", "").strip() or SecretsSource.SSM.value
    try:
        return SecretsSource(raw)
    except ValueError:
        allowed = ", ".join(source.value for source in SecretsSource)
        raise ConfigError(
            "EDGEGATE_SECRETS_SOURCE", f"must be one of {allowed}, got {raw!r}"
        ) from None


def _secrets(
    env: Mapping[str, str], needs: Iterable[Need], fetch: ParameterFetcher | None, region: str
) -> dict[Need, Secret]:
    needed = frozenset(needs)
    from_ssm = _secrets_source(env) is SecretsSource.SSM
    found: dict[Need, Secret] = {}
    by_parameter: dict[str, Need] = {}
    for need in Need:
        value = env.get(need.value, "")
        parameter = env.get(f"{need.value}_PARAM", "").strip() if from_ssm else ""
        if value:
            found[need] = Secret(value)
        elif parameter:
            by_parameter[parameter] = need
        elif need in needed and not from_ssm:
            raise ConfigError(
                need.value, "is not set (EDGEGATE_SECRETS_SOURCE=environment: no SSM)"
            )
        elif need in needed:
            raise ConfigError(need.value, f"is not set (nor {need.value}_PARAM)")
    sources = {need: need.value for need in found}
    if by_parameter:
        values = (fetch or ssm_fetcher(region))(sorted(by_parameter))
        for parameter, need in by_parameter.items():
            if not values.get(parameter):
                raise ConfigError(
                    f"{need.value}_PARAM", f"SSM parameter {parameter} is missing or empty"
                )
            found[need] = Secret(values[parameter])
            sources[need] = f"{need.value}_PARAM"
    _check_hmac_secrets(found, sources)
    return found


def _check_hmac_secrets(found: Mapping[Need, Secret], sources: Mapping[Need, str]) -> None:
    """Refuse a weak HMAC secret, or one secret for both routes, naming the variable."""
    for need in HMAC_NEEDS:
        if need in found:
            problem = secret_problem(found[need].reveal().encode("utf-8"))
            if problem is not None:
                raise ConfigError(sources[need], problem)
    signing, admin = (found.get(need) for need in HMAC_NEEDS)
    if signing is not None and signing == admin:
        # Otherwise a request signed for proposals could HALT or resume trading.
        raise ConfigError(
            sources[Need.ADMIN_SECRET], f"must differ from {Need.SIGNING_SECRET.value}"
        )


def load_config(
    env: Mapping[str, str],
    needs: Iterable[Need] = ALL_NEEDS,
    fetch_parameters: ParameterFetcher | None = None,
) -> GateConfig:
    """Read and check the configuration once; `ConfigError` names the first bad variable."""
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
    return GateConfig(
        gate_table=_required(env, "EDGEGATE_GATE_TABLE"),
        constitution_path=_constitution(env),
        tradier_base_url=_base_url(env),
        region=region,
        secrets=_secrets(env, needs, fetch_parameters, region),
        dynamodb_endpoint=env.get("EDGEGATE_DYNAMODB_ENDPOINT") or None,
        alerts_topic_arn=env.get("EDGEGATE_ALERTS_TOPIC_ARN") or None,
        webhook_url=_webhook(env),
        tradier_timeout_s=_number(env, "EDGEGATE_TRADIER_TIMEOUT_S", 5.0, 0.5, 25.0),
    )


def _webhook(env: Mapping[str, str]) -> str | None:
    from gatekeeper.webhook import WEBHOOK_ENV, webhook_setting

    try:
        return webhook_setting(env)
    except ValueError as exc:
        raise ConfigError(WEBHOOK_ENV, str(exc)) from exc


def describe(config: GateConfig) -> dict[str, Any]:
    """A log-safe summary of the configuration (no secret values)."""
    return {
        "gate_table": config.gate_table,
        "constitution": str(config.constitution_path),
        "tradier_base_url": config.tradier_base_url,
        "region": config.region,
        "secrets": sorted(need.value for need in config.secrets),
        "dynamodb_endpoint": config.dynamodb_endpoint,
    }
