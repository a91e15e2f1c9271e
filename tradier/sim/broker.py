"""The sandbox broker: accepts validated orders, fills them against the venue's book,
keeps the ledger, and answers balances."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from tradier.calendar import REGULAR_OPEN, next_trading_day, trading_day
from tradier.clock import NEW_YORK, from_datetime, to_new_york
from tradier.money import cash_value, to_decimal
from tradier.occ import OccSymbol, OptionType, parse_occ, underlying_of
from tradier.sim.advanced import HELD_LEGS, advance, place_advanced
from tradier.sim.ledger import Ledger, multiplier_for
from tradier.sim.margin import Book, account_summary, balances_body
from tradier.sim.option_roots import Settlement, root_info, settlement_ms
from tradier.sim.orders import Rejection, SimOrder
from tradier.sim.validation import LegRequest, OrderRequest
from tradier.sim.validation_advanced import AdvancedRequest
from tradier.sim.venue import Venue


def _d(x: float) -> Decimal:
    return to_decimal(round(x, 4))


class Broker:
    """Orders, fills and the account of one sandbox account."""

    def __init__(
        self,
        venue: Venue,
        account: str,
        starting_cash: Decimal,
        next_id: Callable[[], int],
        fill_cap: int = 0,
    ) -> None:
        self.venue = venue
        self.fill_cap = fill_cap
        self.account = account
        self.ledger = Ledger(starting_cash)
        self.orders: list[SimOrder] = []
        self.next_id = next_id

    def now_ms(self) -> int:
        """Simulated now (the venue's clock)."""
        return self.venue.now_ms()

    # ---- prices ------------------------------------------------------------------------
    def book(self, symbol: str, ms: int | None = None) -> Book | None:
        """The current book of an equity or option symbol."""
        if multiplier_for(symbol) == 1:
            state = self.venue.state(symbol, ms)
            if state is None:
                return None
            return Book(_d(state.bid), _d(state.ask), _d(state.last))
        # Held contracts are marked even when no longer in today's strike list; once the
        # settlement value is fixed they are worth their intrinsic value against it.
        occ = parse_occ(symbol)
        at = self.venue.now_ms() if ms is None else ms
        if at >= settlement_ms(occ.root, occ.expiration):
            value = self._intrinsic(occ)
            return Book(value, value, value)
        mark = self.venue.option_mark(occ, at)
        return Book(_d(mark.bid), _d(mark.ask), _d(mark.theo))

    def settlement_price(self, occ: OccSymbol) -> Decimal | None:
        """The underlying's settlement value: the 16:00 ET close (PM), or the opening value
        of expiration day (AM-settled index series, the special opening quotation)."""
        at = settlement_ms(occ.root, occ.expiration)
        under = self.venue.state(underlying_of(occ.root), at)
        if under is None:
            return None
        info = root_info(occ.root)
        if info is not None and info.settlement is Settlement.AM and under.open is not None:
            return Decimal(str(under.open))
        return Decimal(str(under.last))

    def _intrinsic(self, occ: OccSymbol) -> Decimal:
        settled = self.settlement_price(occ)
        spot = settled if settled is not None else occ.strike
        if occ.option_type is OptionType.CALL:
            return max(Decimal(0), spot - occ.strike)
        return max(Decimal(0), occ.strike - spot)

    # ---- sessions ----------------------------------------------------------------------
    def _can_trade(self, order: SimOrder, ms: int) -> bool:
        state = self.venue.market_state(ms).value
        if not self.venue.follow_calendar:
            return True  # always open: pre/post orders trade too
        if order.klass != "equity":
            return state == "open"
        if order.duration == "pre":
            return state == "premarket"
        if order.duration == "post":
            return state == "postmarket"
        return state == "open"

    def expiry(self, duration: str, ms: int) -> int | None:
        """When a day/pre/post order lapses: the end of the first session it can trade in."""
        if duration == "gtc":
            return None
        day = to_new_york(ms).date()
        if not self.venue.follow_calendar:
            nxt = datetime.combine(day + timedelta(days=1), time(0), tzinfo=NEW_YORK)
            return from_datetime(nxt)
        for candidate in (day, next_trading_day(day)):
            info = trading_day(candidate)
            if not info.is_open:
                continue
            end = {"pre": REGULAR_OPEN, "post": info.postmarket_end}.get(duration, info.close)
            end_ms = from_datetime(datetime.combine(candidate, end, tzinfo=NEW_YORK))
            if ms < end_ms:
                return end_ms
        return None

    # ---- placing -----------------------------------------------------------------------
    def check(self, req: OrderRequest) -> Rejection | None:
        """Downstream checks: position-side consistency and buying power."""
        for leg in req.legs:
            held = self.ledger.quantity(leg.symbol)
            problem = _side_conflict(leg, held)
            if problem:
                return Rejection(f"Backoffice rejected override of the order. | {problem}")
        if self.buying_power_after(req) < 0:
            return Rejection(
                "Backoffice rejected override of the order. | DayTradingBuyingPowerExceeded"
            )
        return None

    def estimated_cost(self, req: OrderRequest) -> Decimal:
        """Cash the order would pay (+) or receive (-) at the limit or the current book."""
        if req.is_single and req.price is not None and req.type in ("limit", "stop_limit"):
            leg = req.legs[0]
            return cash_value(req.price, leg.quantity * leg.sign, multiplier_for(leg.symbol))
        total = Decimal(0)
        for leg in req.legs:
            book = self.book(leg.symbol)
            if book is None:
                continue
            px = book.ask if leg.sign > 0 else book.bid
            total += cash_value(px, leg.quantity * leg.sign, multiplier_for(leg.symbol))
        return total

    def buying_power_after(self, req: OrderRequest) -> Decimal:
        """Option buying power if the order filled now at its estimated prices."""
        what_if = Ledger(self.ledger.starting_cash)
        what_if.cash = self.ledger.cash
        for sym, pos in self.ledger.positions.items():
            what_if.positions[sym] = type(pos)(
                pos.id, sym, pos.quantity, pos.cost_basis, pos.opened_ms
            )
        for leg in req.legs:
            book = self.book(leg.symbol)
            if book is None:
                continue
            px = book.ask if leg.sign > 0 else book.bid
            if req.is_single and req.price is not None and req.type in ("limit", "stop_limit"):
                px = req.price
            what_if.apply_fill(leg.symbol, leg.quantity * leg.sign, px, self.venue.now_ms())
        return self.summary(what_if)["option_buying_power"]

    def place(self, req: OrderRequest) -> tuple[SimOrder, Rejection | None]:
        """Record the order; fill it at once when it is marketable and the market is open."""
        now = self.venue.now_ms()
        order = self.build(req, now)
        self.orders.append(order)
        rejection = self.check(req)
        if rejection is not None:
            self.reject(order, rejection)
            return order, rejection
        self.try_fill(order, now)
        return order, None

    def reject(self, order: SimOrder, rejection: Rejection) -> None:
        """Record a back-office rejection on the order and its legs."""
        order.status = "rejected"
        order.reason_description = rejection.message
        for leg in order.legs:
            leg.status = "rejected"

    def place_advanced(self, adv: AdvancedRequest) -> tuple[SimOrder, Rejection | None]:
        """Record an OTO/OCO/OTOCO order: held legs wait for their trigger order to fill."""
        return place_advanced(self, adv)

    def build(self, req: OrderRequest, now: int) -> SimOrder:
        """The order record (with leg records for multileg and combo), not yet booked."""
        first = req.legs[0]
        expires = self.expiry(req.duration, now)
        if req.is_single:
            return SimOrder(
                id=self.next_id(),
                account=self.account,
                klass=req.klass,
                symbol=req.symbol,
                type=req.type,
                side=first.side,
                quantity=first.quantity,
                duration=req.duration,
                create_ms=now,
                price=req.price,
                stop=req.stop,
                option_symbol=first.symbol if first.is_option else None,
                tag=req.tag,
                expires_ms=expires,
                leg_requests=req.legs,
            )
        unit = math.gcd(*[leg.quantity for leg in req.legs])
        parent = SimOrder(
            id=self.next_id(),
            account=self.account,
            klass=req.klass,
            symbol=req.symbol,
            type=req.type,
            side="buy" if req.type != "credit" else "sell",
            quantity=unit,
            duration=req.duration,
            create_ms=now,
            price=req.price,
            tag=req.tag,
            expires_ms=expires,
            leg_requests=req.legs,
        )
        for leg in req.legs:
            parent.legs.append(
                SimOrder(
                    id=self.next_id(),
                    account=self.account,
                    klass="option" if leg.is_option else "equity",
                    symbol=req.symbol,
                    type=req.type,
                    side=leg.side,
                    quantity=leg.quantity,
                    duration=req.duration,
                    create_ms=now,
                    price=req.price,
                    option_symbol=leg.symbol if leg.is_option else None,
                    tag=req.tag,
                )
            )
        return parent

    # ---- filling -----------------------------------------------------------------------
    def on_tick(self, now: int) -> list[SimOrder]:
        """Expire day orders past their session, move pending to open, fill what is marketable."""
        changed: list[SimOrder] = []
        for order in self.orders:
            if not order.working:
                continue
            before = order.status
            if order.expires_ms is not None and now >= order.expires_ms:
                self.finish(order, "expired", now)
            else:
                self.try_fill(order, now)
            if order.status != before:
                changed.append(order)
        self.settle_expired(now)
        return changed

    def settle_expired(self, now: int) -> int:
        """Close option positions past 16:00 ET on expiration day at intrinsic value (cash
        settlement: no exercise into shares); returns how many were closed."""
        settled = 0
        for symbol, pos in list(self.ledger.positions.items()):
            if multiplier_for(symbol) == 1:
                continue
            occ = parse_occ(symbol)
            at = settlement_ms(occ.root, occ.expiration)
            if now < at:
                continue
            intrinsic = self._intrinsic(occ)
            self.ledger.apply_fill(symbol, -pos.quantity, intrinsic, at)
            settled += 1
        return settled

    def try_fill(self, order: SimOrder, now: int) -> None:
        """Fill the order when it is marketable in an open session (whole, or up to the
        fill cap for a single-leg order)."""
        if order.klass in HELD_LEGS:
            advance(self, order, now)
            return
        if not self._can_trade(order, now):
            if order.status != "pending":
                order.status = "pending"
            return
        order.status = "open" if order.exec_quantity == 0 else "partially_filled"
        for leg in order.legs:
            if leg.status == "pending":
                leg.status = "open"
        books = [self.book(leg.symbol, now) for leg in order.leg_requests]
        if any(b is None for b in books):
            return
        prices = [
            (b.ask if leg.sign > 0 else b.bid)
            for leg, b in zip(order.leg_requests, books, strict=True)
            if b is not None
        ]
        if order.legs:
            if self._net_marketable(order, prices):
                self._fill_all(order, prices, now)
            return
        if self._single_marketable(order, books[0], prices[0]):
            self._fill_single(order, order.leg_requests[0], prices[0], now)

    def _single_marketable(self, order: SimOrder, book: Book | None, px: Decimal) -> bool:
        buying = order.side.startswith("buy")
        kind = order.type
        if kind in ("stop", "stop_limit") and not order.triggered:
            assert order.stop is not None and book is not None
            trigger = book.ask >= order.stop if buying else book.bid <= order.stop
            if not trigger:
                return False
            order.triggered = True
        if kind in ("market", "stop"):
            return px > 0 or not buying
        assert order.price is not None
        return (px <= order.price and px > 0) if buying else px >= order.price

    def _net_marketable(self, order: SimOrder, prices: list[Decimal]) -> bool:
        net_debit = self._net_debit(order, prices)
        if order.type == "market":
            return True
        if order.type == "even":
            return net_debit <= 0
        assert order.price is not None
        if order.type == "debit":
            return net_debit <= order.price
        return -net_debit >= order.price

    def _net_debit(self, order: SimOrder, prices: list[Decimal]) -> Decimal:
        # Per spread unit; a combo's equity leg counts per share against 100-share contracts.
        unit = order.quantity
        total = Decimal(0)
        for leg, px in zip(order.leg_requests, prices, strict=True):
            scale = Decimal(1) if leg.is_option else Decimal(1) / 100
            total += px * leg.sign * leg.quantity * scale
        return total / unit

    def _fill_single(self, order: SimOrder, leg: LegRequest, px: Decimal, now: int) -> None:
        # With a fill cap a large order fills over several ticks (partially_filled between).
        qty = order.remaining if not self.fill_cap else min(order.remaining, self.fill_cap)
        self.ledger.apply_fill(leg.symbol, qty * leg.sign, px, now)
        done = order.exec_quantity
        order.avg_fill_price = (order.avg_fill_price * done + px * qty) / (done + qty)
        order.exec_quantity = done + qty
        order.last_fill_price, order.last_fill_quantity = px, qty
        order.transaction_ms = now
        if order.remaining == 0:
            self.finish(order, "filled", now)
        else:
            order.status = "partially_filled"

    def _fill_all(self, order: SimOrder, prices: list[Decimal], now: int) -> None:
        # Multileg and combo orders fill all-or-none.
        for leg_req, leg_order, px in zip(order.leg_requests, order.legs, prices, strict=True):
            self.ledger.apply_fill(leg_req.symbol, leg_req.quantity * leg_req.sign, px, now)
            leg_order.last_fill_price = px
            leg_order.avg_fill_price = px
            leg_order.last_fill_quantity = leg_order.quantity
            leg_order.exec_quantity = leg_order.quantity
            leg_order.status = "filled"
            leg_order.transaction_ms = now
        net = abs(self._net_debit(order, prices))
        order.avg_fill_price = net
        order.last_fill_price = net
        order.exec_quantity = order.quantity
        order.last_fill_quantity = order.quantity
        self.finish(order, "filled", now)

    def finish(self, order: SimOrder, status: str, now: int) -> None:
        """Give the order (and its still-working legs) a final status."""
        order.status = status
        order.transaction_ms = now
        for leg in order.legs:
            if leg.working:
                leg.status = status
                leg.transaction_ms = now

    def cancel(self, order: SimOrder) -> None:
        """Cancel a working order."""
        self.finish(order, "canceled", self.venue.now_ms())

    def find(self, order_id: int) -> SimOrder | None:
        """An order of this account by id."""
        return next((o for o in self.orders if o.id == order_id), None)

    # ---- account -----------------------------------------------------------------------
    def summary(self, ledger: Ledger | None = None) -> dict[str, Decimal]:
        """Market values, requirement and buying power of a ledger (default: the account's)."""
        return account_summary(ledger or self.ledger, self.book, self._spot)

    def _spot(self, root: str) -> Decimal | None:
        under = self.venue.state(underlying_of(root))
        return Decimal(str(under.last)) if under is not None else None

    def balances_json(self, close_pl: Decimal, account_type: str = "margin") -> dict[str, Any]:
        """The /balances body, with the sub-object of `account_type` (margin, cash, pdt)."""
        pending = sum(1 for o in self.orders if o.working)
        return balances_body(self.account, account_type, self.summary(), close_pl, pending)


def _side_conflict(leg: LegRequest, held: int) -> str | None:
    """The back office's complaint when a side does not fit the position, else None."""
    side = leg.side
    if side == "sell" and held < leg.quantity:
        return "UnexpectedSellOrder"
    if side == "sell_short" and held > 0:
        return "Unexpected SellShortOrder"
    if side == "buy" and held < 0:
        return "UnexpectedBuyOrder"
    if side == "buy_to_cover" and held >= 0:
        return "UnexpectedBuyToCoverOrder"
    if side == "sell_to_close" and held < leg.quantity:
        return "UnexpectedSellToCloseOrder"
    if side == "buy_to_close" and -held < leg.quantity:
        return "UnexpectedBuyToCloseOrder"
    return None
