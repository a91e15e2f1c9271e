"""Account valuation: market values, a simplified Reg-T requirement, buying power, and the
/balances body with its account-type sub-object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tradier.money import OPTION_MULTIPLIER, cash_value
from tradier.occ import OptionType, parse_occ
from tradier.sim.ledger import Ledger, multiplier_for

ACCOUNT_TYPES = ("margin", "cash", "pdt")
NAKED_RATE = Decimal("0.2")  # of the underlying, plus the premium, per uncovered short


@dataclass(frozen=True, slots=True)
class Book:
    """Bid, ask and last of one instrument, as Decimals."""

    bid: Decimal
    ask: Decimal
    last: Decimal

    @property
    def mid(self) -> Decimal:
        """Midpoint (last when there is no ask)."""
        return (self.bid + self.ask) / 2 if self.ask > 0 else self.last


BookFn = Callable[[str], Book | None]
SpotFn = Callable[[str], Decimal | None]


def account_summary(ledger: Ledger, book: BookFn, spot: SpotFn) -> dict[str, Decimal]:
    """Values at mid (options x 100 via cash_value), requirement and buying power."""
    stock_long = stock_short = opt_long = opt_short = open_pl = Decimal(0)
    requirement = Decimal(0)
    for sym, pos in ledger.positions.items():
        found = book(sym)
        mark = found.mid if found is not None else Decimal(0)
        mult = multiplier_for(sym)
        value = cash_value(mark, pos.quantity, mult)
        open_pl += value - pos.cost_basis
        if mult == 1:
            requirement += abs(value) / 2
            if pos.quantity > 0:
                stock_long += value
            else:
                stock_short += value
        elif pos.quantity > 0:
            opt_long += value
        else:
            opt_short += value
    option_req = option_requirement(ledger, book, spot)
    requirement += option_req
    equity = ledger.cash + stock_long + stock_short + opt_long + opt_short
    # Long options are paid in full: they add nothing to buying power.
    option_bp = equity - requirement - opt_long
    return {
        "total_cash": ledger.cash,
        "stock_long_value": stock_long,
        "short_market_value": stock_short + opt_short,
        "long_market_value": stock_long + opt_long,
        "stock_short_value": stock_short,
        "option_long_value": opt_long,
        "option_short_value": opt_short,
        "market_value": stock_long + stock_short + opt_long + opt_short,
        "total_equity": equity,
        "open_pl": open_pl,
        "current_requirement": requirement,
        "option_requirement": option_req,
        "option_buying_power": option_bp,
        "stock_buying_power": option_bp * 2,
    }


def option_requirement(ledger: Ledger, book: BookFn, spot: SpotFn) -> Decimal:
    """Shorts paired with longs of the same root and type expiring no earlier need the
    spread width; the rest are naked (20% of the underlying plus the premium)."""
    req = Decimal(0)
    longs = {
        s: p.quantity
        for s, p in ledger.positions.items()
        if p.quantity > 0 and multiplier_for(s) == OPTION_MULTIPLIER
    }
    for sym, pos in sorted(ledger.positions.items()):
        if pos.quantity >= 0 or multiplier_for(sym) == 1:
            continue
        short = parse_occ(sym)
        need = -pos.quantity
        for lsym in sorted(longs, key=lambda s: abs(parse_occ(s).strike - short.strike)):
            long = parse_occ(lsym)
            if need == 0 or longs[lsym] == 0 or long.expiration < short.expiration:
                continue
            if (long.root, long.option_type) != (short.root, short.option_type):
                continue
            use = min(need, longs[lsym])
            longs[lsym] -= use
            need -= use
            if short.option_type is OptionType.PUT:
                width = short.strike - long.strike
            else:
                width = long.strike - short.strike
            req += cash_value(max(width, Decimal(0)), use, OPTION_MULTIPLIER)
        if need:
            underlying = spot(short.root) or short.strike
            found = book(sym)
            premium = found.mid if found is not None else Decimal(0)
            req += cash_value(premium + underlying * NAKED_RATE, need, OPTION_MULTIPLIER)
    return req


def _f(x: Decimal) -> float:
    return float(round(x, 2))


def balances_body(
    account: str, account_type: str, s: dict[str, Decimal], close_pl: Decimal, pending: int
) -> dict[str, Any]:
    """`{"balances": {...}}` with the one sub-object that matches the account type."""
    body: dict[str, Any] = {
        "option_short_value": _f(s["option_short_value"]),
        "total_equity": _f(s["total_equity"]),
        "account_number": account,
        "account_type": account_type,
        "close_pl": _f(close_pl),
        "current_requirement": _f(s["current_requirement"]),
        "equity": 0,
        "long_market_value": _f(s["long_market_value"]),
        "market_value": _f(s["market_value"]),
        "open_pl": _f(s["open_pl"]),
        "option_long_value": _f(s["option_long_value"]),
        "option_requirement": _f(s["option_requirement"]),
        "pending_orders_count": pending,
        "short_market_value": _f(s["short_market_value"]),
        "stock_long_value": _f(s["stock_long_value"]),
        "total_cash": _f(s["total_cash"]),
        "uncleared_funds": 0,
        "pending_cash": 0,
    }
    margin = {
        "fed_call": 0,
        "maintenance_call": 0,
        "option_buying_power": _f(s["option_buying_power"]),
        "stock_buying_power": _f(s["stock_buying_power"]),
        "stock_short_value": _f(s["stock_short_value"]),
        "sweep": 0,
    }
    if account_type == "cash":
        body["cash"] = {
            "cash_available": _f(s["option_buying_power"]),
            "sweep": 0,
            "unsettled_funds": 0,
        }
    elif account_type == "pdt":
        body["pdt"] = {k: v for k, v in margin.items() if k != "sweep"}
    else:
        body["margin"] = margin
    return {"balances": body}
