"""Adopting positions found at the broker on start: grouped into structures, never ignored.

Option legs of one underlying are grouped, in this order, into: iron condors and iron
butterflies (a put credit spread and a call credit spread of one expiration and size),
verticals (one long and one short of one type, expiration and size), calendars (one
strike and type, two expirations), ratio spreads (one type and expiration, sizes 1:2);
whatever is left is managed as single options, and shares as equity positions.

The entry price per unit comes from the broker's cost basis: `-sum(cost_basis)` over the
legs divided by the cash value of one unit (positive: a credit was received). Exit targets
then follow the same rules as for positions the brain opened itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from brain.exits import ExitPolicy, Targets, equity_targets, option_targets
from brain.legs import HeldLeg, Side
from brain.monitor import OpenPosition
from brain.sizing import debit_max_loss, ratio_spread_max_loss, spread_max_loss
from gatekeeper.contract import EquitySide, Strategy
from tradier.money import EQUITY_MULTIPLIER, OPTION_MULTIPLIER, NetKind, cash_value, to_decimal
from tradier.occ import OccSymbol, OptionType, parse_occ, underlying_of

EQUITY_STOP_FRACTION = Decimal("0.05")


@dataclass(frozen=True, slots=True)
class _Lot:
    symbol: str
    occ: OccSymbol
    quantity: int  # signed: negative for short
    cost_basis: Decimal
    acquired_ms: int | None


def _lots(positions: Iterable[Any]) -> tuple[list[_Lot], list[Any]]:
    options: list[_Lot] = []
    shares: list[Any] = []
    for p in positions:
        if p.quantity == 0:
            continue
        try:
            occ = parse_occ(p.symbol)
        except ValueError:
            shares.append(p)
            continue
        options.append(
            _Lot(
                p.symbol,
                occ,
                int(p.quantity),
                to_decimal(p.cost_basis),
                getattr(p, "date_acquired_ms", None),
            )
        )
    options.sort(
        key=lambda lot: (lot.occ.root, lot.occ.expiration, lot.occ.option_type, lot.occ.strike)
    )
    return options, shares


def _pair_verticals(lots: list[_Lot]) -> tuple[list[tuple[_Lot, _Lot]], list[_Lot]]:
    """(short, long) pairs of one root, type, expiration and size; the rest unpaired."""
    pairs: list[tuple[_Lot, _Lot]] = []
    left = list(lots)
    for short in [lot for lot in lots if lot.quantity < 0]:
        if short not in left:
            continue
        mates = [
            lot
            for lot in left
            if lot.quantity == -short.quantity
            and lot.occ.root == short.occ.root
            and lot.occ.expiration == short.occ.expiration
            and lot.occ.option_type == short.occ.option_type
        ]
        if mates:
            long = min(
                mates, key=lambda lot: (abs(lot.occ.strike - short.occ.strike), lot.occ.strike)
            )
            pairs.append((short, long))
            left.remove(short)
            left.remove(long)
    return pairs, left


def _is_credit(short: _Lot, long: _Lot) -> bool:
    if short.occ.option_type is OptionType.PUT:
        return long.occ.strike < short.occ.strike
    return long.occ.strike > short.occ.strike


def _entry(lots: Iterable[_Lot], units: int) -> Decimal:
    total = sum((lot.cost_basis for lot in lots), Decimal(0))
    return -total / cash_value(Decimal(1), units, OPTION_MULTIPLIER)


def _kind(entry: Decimal) -> NetKind:
    return NetKind.CREDIT if entry > 0 else NetKind.DEBIT if entry < 0 else NetKind.EVEN


def _spread_max_profit(width: Decimal, entry: Decimal) -> Decimal:
    """Best case of a 1:1 spread opened at signed `entry`: the credit, or width less debit."""
    premium = cash_value(abs(entry), 1, OPTION_MULTIPLIER)
    if entry > 0:
        return premium
    return max(cash_value(width, 1, OPTION_MULTIPLIER) - premium, Decimal(0))


def _position(
    pid: str,
    strategy: Strategy,
    lots: list[_Lot],
    ratios: list[int],
    units: int,
    max_loss_each: Decimal,
    now_ms: int,
    policy: ExitPolicy,
    max_profit_each: Decimal | None = None,
) -> OpenPosition:
    entry = _entry(lots, units)
    acquired = [lot.acquired_ms for lot in lots if lot.acquired_ms is not None]
    return OpenPosition(
        id=pid,
        symbol=underlying_of(lots[0].occ.root),
        strategy=strategy,
        quantity=units,
        entry_signed=entry,
        targets=option_targets(entry, max_loss_each, policy, max_profit_each),
        opened_at_ms=min(acquired) if acquired else now_ms,
        legs=tuple(
            HeldLeg(lot.symbol, Side.SELL if lot.quantity < 0 else Side.BUY, ratio)
            for lot, ratio in zip(lots, ratios, strict=True)
        ),
        adopted=True,
    )


def adopt_positions(
    positions: Iterable[Any], now_ms: int, policy: ExitPolicy
) -> list[OpenPosition]:
    """Group broker positions (Position-like: symbol, quantity, cost_basis) into managed
    positions. Deterministic: the same positions give the same structures and ids."""
    lots, shares = _lots(positions)
    out: list[OpenPosition] = []

    def pid(kind: str, members: Iterable[_Lot]) -> str:
        return f"adopted:{kind}:" + "+".join(sorted(m.symbol for m in members))

    pairs, left = _pair_verticals(lots)
    # Condors and butterflies: a put credit spread and a call credit spread, same size.
    by_group: dict[tuple[str, object, int], list[tuple[_Lot, _Lot]]] = defaultdict(list)
    for pair in pairs:
        short, long = pair
        if _is_credit(short, long):
            by_group[(short.occ.root, short.occ.expiration, -short.quantity)].append(pair)
    used: set[int] = set()
    for group in by_group.values():
        puts = [p for p in group if p[0].occ.option_type is OptionType.PUT]
        calls = [p for p in group if p[0].occ.option_type is OptionType.CALL]
        for put_pair, call_pair in zip(puts, calls, strict=False):
            if put_pair[0].occ.strike > call_pair[0].occ.strike:
                continue
            members = [put_pair[1], put_pair[0], call_pair[0], call_pair[1]]
            strategy = (
                Strategy.IRON_BUTTERFLY
                if put_pair[0].occ.strike == call_pair[0].occ.strike
                else Strategy.IRON_CONDOR
            )
            units = -put_pair[0].quantity
            width = max(
                put_pair[0].occ.strike - put_pair[1].occ.strike,
                call_pair[1].occ.strike - call_pair[0].occ.strike,
            )
            entry = _entry(members, units)
            loss = spread_max_loss(width, abs(entry), _kind(entry))
            out.append(
                _position(
                    pid(strategy.value, members),
                    strategy,
                    members,
                    [1] * 4,
                    units,
                    loss,
                    now_ms,
                    policy,
                    _spread_max_profit(width, entry),
                )
            )
            used.update({id(put_pair), id(call_pair)})
    for pair in pairs:
        if id(pair) in used:
            continue
        short, long = pair
        units = -short.quantity
        entry = _entry(pair, units)
        width = abs(short.occ.strike - long.occ.strike)
        loss = spread_max_loss(width, abs(entry), _kind(entry))
        members = [short, long]
        out.append(
            _position(
                pid("vertical", members),
                Strategy.VERTICAL,
                members,
                [1, 1],
                units,
                loss,
                now_ms,
                policy,
                _spread_max_profit(width, entry),
            )
        )
    left = _calendars_and_ratios(left, out, now_ms, policy, pid)
    for lot in left:
        units = abs(lot.quantity)
        entry = _entry([lot], units)
        premium = cash_value(abs(entry), 1, OPTION_MULTIPLIER)
        # A naked short's loss is open-ended: its stop is tied to twice the premium.
        loss = debit_max_loss(abs(entry)) if lot.quantity > 0 else premium * 2
        out.append(
            _position(
                pid("single", [lot]),
                Strategy.SINGLE_OPTION,
                [lot],
                [1],
                units,
                loss,
                now_ms,
                policy,
                None if lot.quantity > 0 else premium,  # a short keeps its premium at best
            )
        )
    for share in shares:
        out.append(_equity(share, now_ms))
    return out


def _calendars_and_ratios(
    left: list[_Lot], out: list[OpenPosition], now_ms: int, policy: ExitPolicy, pid: Any
) -> list[_Lot]:
    remaining = list(left)
    for short in [lot for lot in left if lot.quantity < 0]:
        if short not in remaining:
            continue
        for other in remaining:
            if other.quantity <= 0 or other.occ.root != short.occ.root:
                continue
            if other.occ.option_type != short.occ.option_type:
                continue
            same_strike = other.occ.strike == short.occ.strike
            if (
                same_strike
                and other.occ.expiration != short.occ.expiration
                and other.quantity == -short.quantity
            ):
                units = other.quantity
                members = [short, other]
                entry = _entry(members, units)
                out.append(
                    _position(
                        pid("calendar", members),
                        Strategy.CALENDAR_SPREAD,
                        members,
                        [1, 1],
                        units,
                        debit_max_loss(abs(entry)),
                        now_ms,
                        policy,
                    )
                )
            elif (
                other.occ.expiration == short.occ.expiration
                and other.quantity == -2 * short.quantity
            ):
                units = -short.quantity
                members = [short, other]
                entry = _entry(members, units)
                width = abs(short.occ.strike - other.occ.strike)
                out.append(
                    _position(
                        pid("ratio", members),
                        Strategy.RATIO_SPREAD,
                        members,
                        [1, 2],
                        units,
                        ratio_spread_max_loss(width, abs(entry), _kind(entry)),
                        now_ms,
                        policy,
                    )
                )
            else:
                continue
            remaining.remove(short)
            remaining.remove(other)
            break
    return remaining


def _equity(share: Any, now_ms: int) -> OpenPosition:
    quantity = int(share.quantity)
    units = abs(quantity)
    basis = to_decimal(share.cost_basis)
    entry = -basis / cash_value(Decimal(1), quantity, EQUITY_MULTIPLIER)
    price = abs(entry)
    targets: Targets = equity_targets(price * EQUITY_STOP_FRACTION, Decimal(2))
    acquired = getattr(share, "date_acquired_ms", None)
    return OpenPosition(
        id=f"adopted:equity:{share.symbol}",
        symbol=share.symbol,
        strategy=Strategy.EQUITY,
        quantity=units,
        entry_signed=-price if quantity > 0 else price,
        targets=targets,
        opened_at_ms=acquired if acquired is not None else now_ms,
        equity_side=EquitySide.BUY if quantity > 0 else EquitySide.SELL_SHORT,
        adopted=True,
    )
