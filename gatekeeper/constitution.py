"""The risk constitution: hard limits read once from TOML, validated key by key, frozen.

Every key is required and every key is checked; an unknown key, a missing key or a bad value
raises `ConstitutionError` naming the key (`limits.max_notional`) and the rule it breaks, so
an invalid file stops the function before it handles anything. Numbers with a decimal point
are parsed as `Decimal`, never float.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

from gatekeeper.contract import Strategy
from gatekeeper.errors import ConstitutionError, LiveTradingRefused
from tradier.occ import SYMBOL_PATTERN

DEFAULT_PATH: Final = Path(__file__).resolve().parent.parent / "infra" / "constitution.toml"
# Tradier allows 60 trade calls a minute; the gate's budget must stay under it.
TRADIER_TRADE_CALLS_PER_MINUTE: Final = 60
_SYMBOL = re.compile(SYMBOL_PATTERN)
_SYMBOLS_WHAT = "upper-case tickers or share classes (BRK/B)"
_GROUP_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_HOST = re.compile(r"[A-Za-z0-9.:-]{1,253}")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CorrelationGroup:
    """Symbols that move together, with a cap on their open structures combined."""

    name: str
    symbols: frozenset[str]
    max_open_structures: int


@dataclass(frozen=True, slots=True)
class Constitution:
    """The validated limits; times in milliseconds, money in Decimal dollars."""

    live_trading: bool
    sandbox_hosts: frozenset[str]
    live_hosts: frozenset[str]
    symbols: frozenset[str]
    strategies: frozenset[Strategy]
    max_open_structures: int
    max_open_structures_per_symbol: int
    max_contracts_per_proposal: int
    max_shares_per_proposal: int
    max_notional: Decimal
    allow_naked_shorts: bool
    daily_loss_percent: Decimal
    min_days_to_expiry: int
    max_days_to_expiry: int
    staleness_ms: int
    heartbeat_timeout_ms: int
    symbol_open_window_ms: int
    global_trade_calls_per_minute: int
    correlation_groups: tuple[CorrelationGroup, ...]

    def groups_for(self, symbol: str) -> tuple[CorrelationGroup, ...]:
        """The correlation groups that hold `symbol`."""
        return tuple(g for g in self.correlation_groups if symbol in g.symbols)

    @property
    def group_caps(self) -> dict[str, int]:
        """Group name -> max open structures, for the store's reservation."""
        return {g.name: g.max_open_structures for g in self.correlation_groups}


class _Section:
    """A TOML table being read: tracks the keys consumed so leftovers are reported."""

    def __init__(self, prefix: str, data: object) -> None:
        if not isinstance(data, dict):
            raise ConstitutionError(prefix, "table", "must be a table")
        self.prefix = prefix
        self.data: dict[str, Any] = data
        self.seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def take(self, name: str, check: Callable[[str, Any], T]) -> T:
        self.seen.add(name)
        if name not in self.data:
            raise ConstitutionError(self.key(name), "required", "is missing")
        return check(self.key(name), self.data[name])

    def done(self) -> None:
        for extra in sorted(set(self.data) - self.seen):
            raise ConstitutionError(self.key(extra), "unknown_key", "is not a known key")


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConstitutionError(key, "type", "must be true or false")
    return value


def _int(low: int, high: int) -> Callable[[str, Any], int]:
    def check(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConstitutionError(key, "type", "must be a whole number")
        if not low <= value <= high:
            raise ConstitutionError(key, "range", f"must be between {low} and {high}")
        return value

    return check


def _decimal(low: Decimal, high: Decimal) -> Callable[[str, Any], Decimal]:
    def check(key: str, value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise ConstitutionError(key, "type", "must be a number")
        number = Decimal(value)
        if not number.is_finite() or not low < number <= high:
            raise ConstitutionError(key, "range", f"must be > {low} and <= {high}")
        return number

    return check


def _names(pattern: re.Pattern[str], what: str) -> Callable[[str, Any], frozenset[str]]:
    def check(key: str, value: Any) -> frozenset[str]:
        if not isinstance(value, list) or not value:
            raise ConstitutionError(key, "type", f"must be a non-empty list of {what}")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not pattern.fullmatch(item):
                raise ConstitutionError(f"{key}[{i}]", "pattern", f"must be {what}")
        if len(set(value)) != len(value):
            raise ConstitutionError(key, "duplicate", "lists an entry twice")
        return frozenset(value)

    return check


def _strategies(key: str, value: Any) -> frozenset[Strategy]:
    known = {s.value for s in Strategy}
    names = _names(re.compile(r"[a-z_]+"), "strategy names")(key, value)
    for i, item in enumerate(value):
        if item not in known:
            raise ConstitutionError(
                f"{key}[{i}]", "enum", f"{item!r} is not one of {', '.join(sorted(known))}"
            )
    return frozenset(Strategy(name) for name in names)


def _groups(key: str, value: Any, symbols: frozenset[str]) -> tuple[CorrelationGroup, ...]:
    if not isinstance(value, list):
        raise ConstitutionError(key, "type", "must be an array of tables [[correlation_groups]]")
    groups: list[CorrelationGroup] = []
    for i, raw in enumerate(value):
        table = _Section(f"{key}[{i}]", raw)
        name = table.take("name", _name_check)
        members = table.take("symbols", _names(_SYMBOL, _SYMBOLS_WHAT))
        cap = table.take("max_open_structures", _int(1, 10_000))
        table.done()
        if unknown := sorted(members - symbols):
            raise ConstitutionError(
                table.key("symbols"), "not_in_universe", f"{unknown} not in universe.symbols"
            )
        if any(g.name == name for g in groups):
            raise ConstitutionError(table.key("name"), "duplicate", f"group {name!r} twice")
        groups.append(CorrelationGroup(name, members, cap))
    return tuple(groups)


def _name_check(key: str, value: Any) -> str:
    if not isinstance(value, str) or not _GROUP_NAME.fullmatch(value):
        raise ConstitutionError(key, "pattern", "must be lower_snake_case, at most 40 chars")
    return value


def from_mapping(data: Mapping[str, Any]) -> Constitution:
    """Validate parsed TOML; raises ConstitutionError naming the first bad key."""
    root = _Section("", dict(data))
    trading = _Section("trading", root.take("trading", lambda _k, v: v))
    universe = _Section("universe", root.take("universe", lambda _k, v: v))
    limits = _Section("limits", root.take("limits", lambda _k, v: v))
    timing = _Section("timing", root.take("timing", lambda _k, v: v))
    rates = _Section("rate_limits", root.take("rate_limits", lambda _k, v: v))
    hosts = _names(_HOST, "host names")
    symbols = universe.take("symbols", _names(_SYMBOL, _SYMBOLS_WHAT))
    result = Constitution(
        live_trading=trading.take("live_trading", _bool),
        sandbox_hosts=trading.take("sandbox_hosts", hosts),
        live_hosts=trading.take("live_hosts", hosts),
        symbols=symbols,
        strategies=universe.take("strategies", _strategies),
        max_open_structures=limits.take("max_open_structures", _int(1, 10_000)),
        max_open_structures_per_symbol=limits.take(
            "max_open_structures_per_symbol", _int(1, 10_000)
        ),
        max_contracts_per_proposal=limits.take("max_contracts_per_proposal", _int(1, 100_000)),
        max_shares_per_proposal=limits.take("max_shares_per_proposal", _int(1, 10_000_000)),
        max_notional=limits.take("max_notional", _decimal(Decimal(0), Decimal(10**9))),
        allow_naked_shorts=limits.take("allow_naked_shorts", _bool),
        daily_loss_percent=limits.take("daily_loss_percent", _decimal(Decimal(0), Decimal(100))),
        min_days_to_expiry=limits.take("min_days_to_expiry", _int(0, 3650)),
        max_days_to_expiry=limits.take("max_days_to_expiry", _int(0, 3650)),
        staleness_ms=timing.take("staleness_seconds", _int(1, 300)) * 1000,
        heartbeat_timeout_ms=timing.take("heartbeat_timeout_minutes", _int(1, 1440)) * 60_000,
        symbol_open_window_ms=rates.take("symbol_open_window_seconds", _int(0, 86_400)) * 1000,
        global_trade_calls_per_minute=rates.take(
            "global_trade_calls_per_minute", _int(1, TRADIER_TRADE_CALLS_PER_MINUTE - 1)
        ),
        correlation_groups=root.take("correlation_groups", lambda k, v: _groups(k, v, symbols)),
    )
    for section in (trading, universe, limits, timing, rates, root):
        section.done()
    if result.min_days_to_expiry > result.max_days_to_expiry:
        raise ConstitutionError(
            "limits.min_days_to_expiry", "order", "must be <= limits.max_days_to_expiry"
        )
    if result.max_open_structures_per_symbol > result.max_open_structures:
        raise ConstitutionError(
            "limits.max_open_structures_per_symbol", "order", "must be <= max_open_structures"
        )
    if overlap := sorted(result.sandbox_hosts & result.live_hosts):
        raise ConstitutionError("trading.live_hosts", "overlap", f"{overlap} also sandbox")
    return result


def loads(text: str) -> Constitution:
    """Parse and validate constitution TOML text."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ConstitutionError("<file>", "toml", f"not valid TOML: {exc}") from exc
    return from_mapping(data)


def load(path: str | Path | None = None) -> Constitution:
    """Read and validate the constitution file (infra/constitution.toml by default)."""
    target = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConstitutionError("<file>", "unreadable", f"cannot read {target}: {exc}") from exc
    return loads(text)


def check_trading_host(constitution: Constitution, base_url: str) -> None:
    """Raise LiveTradingRefused unless `base_url`'s host is a sandbox host, or a live host
    with live trading switched on."""
    host = (urlsplit(base_url).hostname or "").lower()
    if host in constitution.sandbox_hosts:
        return
    if host in constitution.live_hosts and constitution.live_trading:
        return
    if host in constitution.live_hosts:
        raise LiveTradingRefused(
            f"trading host {host} is live; set trading.live_trading = true to allow it"
        )
    raise LiveTradingRefused(f"trading host {host!r} is in neither sandbox_hosts nor live_hosts")
