"""The brain's configuration: read once from the environment, typed and frozen.

Required: `TRADIER_DATA_TOKEN` (a production market-data token), `EDGEGATE_GATE_URL`,
`EDGEGATE_SIGNING_SECRET`, `EDGEGATE_SYMBOLS` (comma-separated). The URLs of Tradier's
REST and stream hosts default to production. The signing secret must be at least 32 bytes
and must not be the gate's admin secret (refused when `EDGEGATE_ADMIN_SECRET` is present too;
the brain should never hold it). A missing or malformed variable stops the
brain with a `ConfigError` naming it; nothing falls back to a built-in token.

Optional: `TRADIER_ACCOUNT_TOKEN`, `TRADIER_ACCOUNT_ID`, `TRADIER_ACCOUNT_BASE_URL`
(default: the sandbox) let the brain read the account's positions and equity, so that
positions found at the broker on start are adopted and sizing uses the real equity;
`EDGEGATE_STATE_DIR` (default `./state`) is where state is written atomically;
`EDGEGATE_EQUITY` is the equity used for sizing when no account is configured.
The analyst's variables (`ANTHROPIC_API_KEY`, `EDGEGATE_ANALYST_*`, `EDGEGATE_REVIEW*`)
are read by `brain.analyst.config`; `EDGEGATE_SESSIONS_TABLE` names the brain's DynamoDB
sessions table, where the analyst's daily spend is kept (unset: a file in the state dir).
`EDGEGATE_WEBHOOK_URL` (a Discord or Slack webhook) is told of the analyst's notices and
bursts of rejections (`brain.alerts`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlparse

from gatekeeper.signing import secret_problem
from gatekeeper.webhook import WEBHOOK_ENV, webhook_setting
from tradier.occ import SYMBOL_PATTERN

if TYPE_CHECKING:
    from brain.analyst.config import AnalystConfig

DEFAULT_DATA_BASE_URL = "https://api.tradier.com/v1"
DEFAULT_STREAM_URL = "wss://ws.tradier.com/v1/markets/events"
DEFAULT_ACCOUNT_BASE_URL = "https://sandbox.tradier.com/v1"
DEFAULT_STATE_DIR = "state"
DEFAULT_EQUITY = Decimal("100000")
# The gate's own rule: a ticker or a share class (BRK/B); whether it is listed is asked of
# the market-data API at start (`brain.watchlist`).
_SYMBOL = re.compile(SYMBOL_PATTERN)
_MAX_SYMBOLS = 50
_T = TypeVar("_T")


class ConfigError(ValueError):
    """A missing or invalid configuration variable; `name` is the variable."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"{name}: {message}")


@dataclass(frozen=True, slots=True)
class BrainConfig:
    """Everything the live brain needs; secrets are never part of `repr`."""

    data_token: str = field(repr=False)
    data_base_url: str
    stream_url: str
    gate_url: str
    signing_secret: bytes = field(repr=False)
    symbols: tuple[str, ...]
    account_token: str | None = field(default=None, repr=False)
    account_id: str | None = None
    account_base_url: str = DEFAULT_ACCOUNT_BASE_URL
    state_dir: Path = Path(DEFAULT_STATE_DIR)
    equity: Decimal = DEFAULT_EQUITY
    analyst: AnalystConfig | None = None  # None: the analyst's defaults
    sessions_table: str | None = None
    webhook_url: str | None = field(default=None, repr=False)  # may carry its own token


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(name, "is required and not set")
    return value


def _url(env: Mapping[str, str], name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = env.get(name, "").strip() or default
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise ConfigError(name, f"must be a {'/'.join(schemes)} URL, got {value!r}")
    return value.rstrip("/")


def parse_symbols(raw: str, name: str = "EDGEGATE_SYMBOLS") -> tuple[str, ...]:
    """Comma-separated symbols, upper-cased, de-duplicated in order."""
    symbols: list[str] = []
    for part in raw.split(","):
        symbol = part.strip().upper()
        if not symbol:
            continue
        if not _SYMBOL.match(symbol):
            raise ConfigError(name, f"{symbol!r} is not a valid equity symbol")
        if symbol not in symbols:
            symbols.append(symbol)
    if not symbols:
        raise ConfigError(name, "must name at least one symbol")
    if len(symbols) > _MAX_SYMBOLS:
        raise ConfigError(name, f"at most {_MAX_SYMBOLS} symbols")
    return tuple(symbols)


def signing_secret(env: Mapping[str, str]) -> bytes:
    """`EDGEGATE_SIGNING_SECRET` under the gate's rule: at least 32 bytes, not the admin's."""
    secret = _required(env, "EDGEGATE_SIGNING_SECRET").encode("utf-8")
    problem = secret_problem(secret)
    if problem is not None:
        raise ConfigError("EDGEGATE_SIGNING_SECRET", problem)
    if env.get("EDGEGATE_ADMIN_SECRET", "").strip().encode("utf-8") == secret:
        raise ConfigError("EDGEGATE_SIGNING_SECRET", "must differ from EDGEGATE_ADMIN_SECRET")
    return secret


class ConfigErrors(ConfigError):
    """Every problem found in one pass, so that a user fixes them all in one go."""

    def __init__(self, errors: list[ConfigError]) -> None:
        self.errors = errors
        ValueError.__init__(self, "\n".join(str(e) for e in errors))
        self.name = errors[0].name


def load_config(env: Mapping[str, str]) -> BrainConfig:
    """Build the configuration from `env` (pass `os.environ` at the edge); every missing or
    invalid variable is reported at once (`ConfigErrors`)."""
    errors: list[ConfigError] = []

    def checked(read: Callable[[], _T], fallback: _T) -> _T:
        try:
            return read()
        except ConfigError as exc:
            errors.append(exc)
            return fallback

    data_token = checked(lambda: _required(env, "TRADIER_DATA_TOKEN"), "")
    gate_url = checked(
        lambda: _url(env, "EDGEGATE_GATE_URL", _required(env, "EDGEGATE_GATE_URL"), _HTTP), ""
    )
    secret = checked(lambda: signing_secret(env), b"")
    no_symbols: tuple[str, ...] = ()
    symbols = checked(lambda: parse_symbols(_required(env, "EDGEGATE_SYMBOLS")), no_symbols)
    account_token = env.get("TRADIER_ACCOUNT_TOKEN", "").strip() or None
    account_id = env.get("TRADIER_ACCOUNT_ID", "").strip() or None
    if (account_token is None) != (account_id is None):
        missing, given = (
            ("TRADIER_ACCOUNT_ID", "TRADIER_ACCOUNT_TOKEN")
            if account_id is None
            else ("TRADIER_ACCOUNT_TOKEN", "TRADIER_ACCOUNT_ID")
        )
        errors.append(ConfigError(missing, f"is required when {given} is set"))
    equity = checked(lambda: _equity(env), DEFAULT_EQUITY)
    analyst = checked(lambda: _analyst(env), None)
    data_base_url = checked(
        lambda: _url(env, "TRADIER_DATA_BASE_URL", DEFAULT_DATA_BASE_URL, _HTTP), ""
    )
    stream_url = checked(
        lambda: _url(env, "TRADIER_STREAM_URL", DEFAULT_STREAM_URL, ("ws", "wss")), ""
    )
    account_base_url = checked(
        lambda: _url(env, "TRADIER_ACCOUNT_BASE_URL", DEFAULT_ACCOUNT_BASE_URL, _HTTP), ""
    )
    webhook_url = checked(lambda: _webhook(env), None)
    if errors:
        raise ConfigErrors(errors)
    return BrainConfig(
        data_token=data_token,
        data_base_url=data_base_url,
        stream_url=stream_url,
        gate_url=gate_url,
        signing_secret=secret,
        symbols=symbols,
        account_token=account_token,
        account_id=account_id,
        account_base_url=account_base_url,
        state_dir=Path(env.get("EDGEGATE_STATE_DIR", "").strip() or DEFAULT_STATE_DIR),
        equity=equity,
        analyst=analyst,
        sessions_table=env.get("EDGEGATE_SESSIONS_TABLE", "").strip() or None,
        webhook_url=webhook_url,
    )


def _webhook(env: Mapping[str, str]) -> str | None:
    try:
        return webhook_setting(env)
    except ValueError as exc:
        raise ConfigError(WEBHOOK_ENV, str(exc)) from exc


def _equity(env: Mapping[str, str]) -> Decimal:
    equity_raw = env.get("EDGEGATE_EQUITY", "").strip()
    try:
        equity = Decimal(equity_raw) if equity_raw else DEFAULT_EQUITY
    except InvalidOperation as exc:
        raise ConfigError("EDGEGATE_EQUITY", f"not a decimal number: {equity_raw!r}") from exc
    if not equity.is_finite() or equity <= 0:
        raise ConfigError("EDGEGATE_EQUITY", "must be a positive number")
    return equity


def _analyst(env: Mapping[str, str]) -> AnalystConfig:
    # Imported here: the analyst package imports the brain's market modules.
    from brain.analyst.config import load_analyst_config
    from brain.analyst.errors import AnalystConfigError

    try:
        return load_analyst_config(env)
    except AnalystConfigError as exc:
        raise ConfigError(exc.name, exc.detail) from exc


_HTTP = ("http", "https")
