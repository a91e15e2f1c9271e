"""OCC option symbols: root + YYMMDD + C/P + strike x 1000 as 8 digits, no padding.

Examples: `SPY140118C00195000` is the SPY call expiring 2014-01-18 with strike 195.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

# An underlying's symbol as the gate and the brain accept it: a ticker (letters, then
# letters, digits or dots), or a share class the way Tradier writes it (`BRK/B`,
# TRADIER.md §6.10). Anchored for msgspec's `Meta(pattern=...)`, which searches.
SYMBOL_PATTERN = r"^(?:[A-Z][A-Z0-9.]{0,9}|[A-Z]{1,4}/[A-Z])$"
_OCC = re.compile(r"^(?P<root>[A-Z][A-Z0-9.]{0,5})(?P<ymd>\d{6})(?P<cp>[CP])(?P<strike>\d{8})$")
_STRIKE_SCALE = Decimal(1000)
MAX_STRIKE = Decimal("99999.999")


class OptionType(StrEnum):
    """Call or put."""

    CALL = "call"
    PUT = "put"


class OccSymbolError(ValueError):
    """A string that is not a valid OCC option symbol."""


@dataclass(frozen=True, slots=True)
class OccSymbol:
    """A parsed OCC option symbol."""

    root: str
    expiration: date
    option_type: OptionType
    strike: Decimal

    def __str__(self) -> str:
        return build_occ(self.root, self.expiration, self.option_type, self.strike)


def build_occ(root: str, expiration: date, option_type: OptionType, strike: Decimal) -> str:
    """Build the OCC symbol; raises OccSymbolError for an impossible one."""
    if not re.fullmatch(r"[A-Z][A-Z0-9.]{0,5}", root):
        raise OccSymbolError(f"root: must be 1-6 upper-case characters, got {root!r}")
    if not 2000 <= expiration.year <= 2099:
        raise OccSymbolError(f"expiration: year must be 2000-2099, got {expiration.year}")
    if strike <= 0 or strike > MAX_STRIKE:
        raise OccSymbolError(f"strike: must be > 0 and <= {MAX_STRIKE}, got {strike}")
    scaled = strike * _STRIKE_SCALE
    if scaled != scaled.to_integral_value():
        raise OccSymbolError(f"strike: at most 3 decimal places, got {strike}")
    cp = "C" if option_type is OptionType.CALL else "P"
    return f"{root}{expiration:%y%m%d}{cp}{int(scaled):08d}"


def parse_occ(symbol: str) -> OccSymbol:
    """Parse an OCC symbol; raises OccSymbolError naming what is wrong."""
    match = _OCC.match(symbol)
    if match is None:
        raise OccSymbolError(
            f"not an OCC option symbol (root, YYMMDD, C/P, 8-digit strike x 1000): {symbol!r}"
        )
    ymd = match["ymd"]
    try:
        expiration = date(2000 + int(ymd[0:2]), int(ymd[2:4]), int(ymd[4:6]))
    except ValueError as exc:
        raise OccSymbolError(f"expiration: not a calendar date in {symbol!r}") from exc
    strike = Decimal(int(match["strike"])) / _STRIKE_SCALE
    if strike <= 0:
        raise OccSymbolError(f"strike: must be > 0 in {symbol!r}")
    option_type = OptionType.CALL if match["cp"] == "C" else OptionType.PUT
    return OccSymbol(match["root"], expiration, option_type, strike.normalize())


def is_occ(symbol: str) -> bool:
    """True when `symbol` parses as an OCC option symbol."""
    try:
        parse_occ(symbol)
    except OccSymbolError:
        return False
    return True


# Option roots that are not the underlying's symbol. Index weeklies/PM-settled series list
# under their own roots (TRADIER.md §5: includeAllRoots shows SPXW and RUTW); share classes
# drop the slash Tradier writes them with (`BRK/B`, TRADIER.md §6.10): OCC's root is BRKB.
INDEX_ROOTS: dict[str, str] = {
    "SPXW": "SPX",
    "NDXP": "NDX",
    "RUTW": "RUT",
    "VIXW": "VIX",
}
SHARE_CLASS_ROOTS: dict[str, str] = {
    "BRKB": "BRK/B",
    "BFB": "BF/B",
    "BFA": "BF/A",
    "LENB": "LEN/B",
    "HEIA": "HEI/A",
    "MOGA": "MOG/A",
}
_SHARE_CLASS = re.compile(r"^(?P<base>[A-Z]{1,4})[/.](?P<cls>[A-Z])$")


def occ_root(symbol: str) -> str:
    """The OCC root of an underlying's own series: `BRK/B` (or `BRK.B`) -> `BRKB`."""
    match = _SHARE_CLASS.match(symbol)
    return f"{match['base']}{match['cls']}" if match else symbol


def underlying_of(root: str) -> str:
    """The underlying symbol a root's options are on: SPXW -> SPX, BRKB -> BRK/B."""
    return INDEX_ROOTS.get(root) or SHARE_CLASS_ROOTS.get(root) or root
