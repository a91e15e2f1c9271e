"""Listed options: a volatility surface, Black-Scholes prices and greeks, and the listing
checks (the listing rules of each root are in `option_roots`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from tradier.occ import OccSymbol, OccSymbolError, OptionType, build_occ, parse_occ
from tradier.sim.option_roots import expirations, root_info, settlement_ms, strikes

__all__ = [
    "Greeks",
    "OptionMark",
    "black_scholes",
    "chain_symbols",
    "expiration_types",
    "expirations",
    "implied_vol",
    "is_listed",
    "mark",
    "parse_listed",
    "strikes",
]

RATE = 0.045
YEAR_MS = 365.0 * 86_400_000


@lru_cache(maxsize=256)
def expiration_types(root: str, today: date) -> Mapping[date, str]:
    """`expirations` as a read-only date -> expiration_type map, built once per root and day
    (every option quote and listing check looks its contract up in it)."""
    return MappingProxyType(dict(expirations(root, today)))


def _ncdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _npdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True, slots=True)
class Greeks:
    """Black-Scholes value and sensitivities (theta per day, vega/rho/phi per 1%)."""

    price: float
    delta: float
    gamma: float
    theta: float
    vega: float
    rho: float
    phi: float


def black_scholes(
    spot: float, strike: float, years: float, vol: float, is_call: bool, r: float, q: float
) -> Greeks:
    """European option value and greeks with continuous dividend yield."""
    years = max(years, 1e-6)
    vol = max(vol, 1e-4)
    sq = math.sqrt(years)
    d1 = (math.log(spot / strike) + (r - q + 0.5 * vol * vol) * years) / (vol * sq)
    d2 = d1 - vol * sq
    dq, dr = math.exp(-q * years), math.exp(-r * years)
    gamma = dq * _npdf(d1) / (spot * vol * sq)
    vega = spot * dq * _npdf(d1) * sq / 100
    decay = -spot * dq * _npdf(d1) * vol / (2 * sq)
    if is_call:
        price = spot * dq * _ncdf(d1) - strike * dr * _ncdf(d2)
        delta = dq * _ncdf(d1)
        theta = (decay - r * strike * dr * _ncdf(d2) + q * spot * dq * _ncdf(d1)) / 365
        rho = strike * years * dr * _ncdf(d2) / 100
        phi = -spot * years * dq * _ncdf(d1) / 100
    else:
        price = strike * dr * _ncdf(-d2) - spot * dq * _ncdf(-d1)
        delta = -dq * _ncdf(-d1)
        theta = (decay + r * strike * dr * _ncdf(-d2) - q * spot * dq * _ncdf(-d1)) / 365
        rho = -strike * years * dr * _ncdf(-d2) / 100
        phi = spot * years * dq * _ncdf(-d1) / 100
    return Greeks(max(price, 0.0), delta, gamma, theta, vega, rho, phi)


# Term structure: the at-the-money IV of a contract expiring now is SHORT_CALM x VIX when
# the VIX is calm (contango) and SHORT_STRESSED x VIX when it is stressed (backwardation),
# converging to 1 x VIX at TERM_YEARS. The two regimes are blended by a logistic weight
# centred on TERM_PIVOT: a hard switch there made VIX 19.99 -> 20.00 lift 47-day IVs by
# 2.7 points, and stops fired on the model rather than the market.
SHORT_CALM = 0.88
SHORT_STRESSED = 1.08
TERM_PIVOT = 20.0
TERM_SPREAD = 5.0  # VIX points from the pivot where the blend is 12 % or 88 % stressed
TERM_YEARS = 0.25
# The smile is a quadratic in standardised moneyness x = ln(K/S) / (atm sqrt(T)), read
# through a soft saturation L tanh(x / L): a hard clamp of x at +/-4 put a concave kink in
# the wings (negative butterflies); tanh is smooth and flattens the far wings, and a
# property test checks butterflies and calendars over the surface's inputs.
SMILE_SKEW = 0.1
SMILE_CURVE = 0.025
SMILE_SATURATION = 4.0


def term_factor(years: float, vix: float) -> float:
    """At-the-money IV over VIX for a contract `years` from expiry: continuous in both."""
    stressed = 0.5 * (1.0 + math.tanh((vix - TERM_PIVOT) / TERM_SPREAD))
    short = SHORT_CALM + (SHORT_STRESSED - SHORT_CALM) * stressed
    return short + (1.0 - short) * min(1.0, years / TERM_YEARS)


def implied_vol(root: str, spot: float, strike: float, years: float, vix: float) -> float:
    """The surface: ATM level tied to VIX with a term structure, plus put skew and smile."""
    years = max(years, 1.0 / (365 * 24))
    info = root_info(root)
    atm = vix / 100 * (info.vol_mult if info is not None else 1.0) * term_factor(years, vix)
    x = math.log(strike / spot) / (atm * math.sqrt(years))
    g = SMILE_SATURATION * math.tanh(x / SMILE_SATURATION)
    return max(0.05, min(2.5, atm * (1 - SMILE_SKEW * g + SMILE_CURVE * g * g)))


@dataclass(frozen=True, slots=True)
class OptionMark:
    """One contract's theoretical value, book and greeks at an instant."""

    occ: OccSymbol
    symbol: str
    theo: float
    bid: float
    ask: float
    iv: float
    bid_iv: float
    ask_iv: float
    greeks: Greeks


def mark(occ: OccSymbol, spot: float, now_ms: int, vix: float) -> OptionMark:
    """Price one contract from the underlying's spot and the VIX level (once its settlement
    is fixed, pass the settlement value as `spot`: it is worth its intrinsic value)."""
    remaining = settlement_ms(occ.root, occ.expiration) - now_ms
    strike = float(occ.strike)
    is_call = occ.option_type is OptionType.CALL
    if remaining <= 0:
        return _settled(occ, spot, strike, is_call)
    years = max(remaining, 60_000) / YEAR_MS
    iv = implied_vol(occ.root, spot, strike, years, vix)
    info = root_info(occ.root)
    g = black_scholes(spot, strike, years, iv, is_call, RATE, info.dividend if info else 0.0)
    theo = g.price
    half = max(0.005, min(0.25, theo * 0.015 + 0.01))
    bid = max(0.0, math.floor((theo - half) * 100 + 1e-9) / 100)
    ask = max(bid + 0.01, math.ceil((theo + half) * 100 - 1e-9) / 100)
    vega_pts = max(g.vega * 100, 1e-6)
    bid_iv = max(0.0, iv - (theo - bid) / vega_pts) if bid > 0 else 0.0
    ask_iv = iv + (ask - theo) / vega_pts
    return OptionMark(occ, str(occ), theo, round(bid, 2), round(ask, 2), iv, bid_iv, ask_iv, g)


def _settled(occ: OccSymbol, spot: float, strike: float, is_call: bool) -> OptionMark:
    # no time value is left to quote: intrinsic, delta 1 in the money, no other greeks
    value = round(max(0.0, spot - strike) if is_call else max(0.0, strike - spot), 2)
    itm = value > 0
    delta = (1.0 if is_call else -1.0) if itm else 0.0
    g = Greeks(value, delta, 0.0, 0.0, 0.0, 0.0, 0.0)
    return OptionMark(occ, str(occ), value, value, value, 0.0, 0.0, 0.0, g)


def parse_listed(symbol: str) -> OccSymbol | None:
    """The OCC symbol when it parses and its root is optionable, else None."""
    try:
        occ = parse_occ(symbol)
    except OccSymbolError:
        return None
    return occ if root_info(occ.root) is not None else None


def is_listed(occ: OccSymbol, today: date, reference: float) -> bool:
    """True when the contract is listed today (its expiration and strike exist)."""
    if occ.expiration not in expiration_types(occ.root, today):
        return False
    return occ.strike in strikes(occ.root, occ.expiration, today, reference)


def chain_symbols(root: str, expiration: date, today: date, reference: float) -> list[str]:
    """Every OCC symbol of one expiration, calls and puts by strike."""
    out = []
    for k in strikes(root, expiration, today, reference):
        out.append(build_occ(root, expiration, OptionType.CALL, k))
        out.append(build_occ(root, expiration, OptionType.PUT, k))
    return out
