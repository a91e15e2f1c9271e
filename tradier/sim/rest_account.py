"""REST handlers under /v1/accounts/{id} and /v1/user: balances, positions, orders, gainloss."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from aiohttp import web

from tradier.clock import to_new_york
from tradier.sim.core import SimCore
from tradier.sim.orders import Rejection, SimOrder, iso_ms
from tradier.sim.rest_common import core_of
from tradier.sim.validation import (
    NET_TYPES,
    SINGLE_TYPES,
    check_prices,
    positive_decimal,
    validate_order,
)
from tradier.sim.validation_advanced import ADVANCED, validate_advanced
from tradier.sim.wire import errors_body, respond, wrapped

MONTH_MS = 31 * 86_400_000


def unauthorized_account(account: str) -> web.Response:
    """401 plain text, as Tradier answers a wrong account or an unknown order id."""
    return web.Response(
        status=401, text=f"Unauthorized Account: {account}", content_type="text/plain"
    )


def _account_ok(request: web.Request) -> bool:
    return request.match_info["account"] == core_of(request).config.account


def _closed_pl_today(core: SimCore) -> Decimal:
    today = core.venue.today()
    return sum(
        (
            lot.gain
            for lot in core.broker.ledger.closed
            if to_new_york(lot.close_ms).date() == today
        ),
        Decimal(0),
    )


async def balances(request: web.Request) -> web.Response:
    """GET /v1/accounts/{id}/balances."""
    if not _account_ok(request):
        return unauthorized_account(request.match_info["account"])
    core = core_of(request)
    body = core.broker.balances_json(_closed_pl_today(core), core.config.account_type)
    return respond(request, body)


async def positions(request: web.Request) -> web.Response:
    """GET /v1/accounts/{id}/positions."""
    if not _account_ok(request):
        return unauthorized_account(request.match_info["account"])
    core = core_of(request)
    items = [
        {
            "cost_basis": float(round(p.cost_basis, 2)),
            "date_acquired": iso_ms(p.opened_ms),
            "id": p.id,
            "quantity": float(p.quantity),
            "symbol": p.symbol,
        }
        for p in sorted(core.broker.ledger.positions.values(), key=lambda p: p.id)
    ]
    return respond(request, wrapped("positions", "position", items))


async def gainloss(request: web.Request) -> web.Response:
    """GET /v1/accounts/{id}/gainloss: realised closes (after the nightly batch)."""
    if not _account_ok(request):
        return unauthorized_account(request.match_info["account"])
    core = core_of(request)
    today = core.venue.today()
    symbol = request.query.get("symbol")
    try:
        start = date.fromisoformat(request.query.get("start", "2000-01-01"))
        end = date.fromisoformat(request.query.get("end", "2099-12-31"))
    except ValueError:
        return respond(
            request, errors_body(["Invalid parameter, start/end: must be YYYY-MM-DD."]), 400
        )
    lots = [
        lot
        for lot in core.broker.ledger.closed
        if (core.config.gainloss_immediate or to_new_york(lot.close_ms).date() < today)
        and (symbol is None or lot.symbol == symbol)
        and start <= to_new_york(lot.close_ms).date() <= end
    ]
    descending = request.query.get("sort", "desc") == "desc"
    key = "open_ms" if request.query.get("sortBy") == "openDate" else "close_ms"
    lots.sort(key=lambda lot: getattr(lot, key), reverse=descending)
    items = [
        {
            "close_date": iso_ms(lot.close_ms),
            "cost": float(round(lot.cost, 2)),
            "gain_loss": float(round(lot.gain, 2)),
            "gain_loss_percent": float(round(lot.gain / abs(lot.cost) * 100, 2))
            if lot.cost
            else 0.0,
            "open_date": iso_ms(lot.open_ms),
            "proceeds": float(round(lot.proceeds, 2)),
            "quantity": float(lot.quantity),
            "symbol": lot.symbol,
            "term": max(0, (lot.close_ms - lot.open_ms) // 86_400_000),
        }
        for lot in lots
    ]
    return respond(request, wrapped("gainloss", "closed_position", _page(request, items)))


def _page(request: web.Request, items: list[Any]) -> list[Any]:
    if "page" not in request.query and "limit" not in request.query:
        return items
    try:
        page = max(1, int(request.query.get("page", "1")))
        limit = max(1, int(request.query.get("limit", "25")))
    except ValueError:
        return items
    return items[(page - 1) * limit : page * limit]


async def list_orders(request: web.Request) -> web.Response:
    """GET /v1/accounts/{id}/orders: today's (ET) orders unless filter=all."""
    if not _account_ok(request):
        return unauthorized_account(request.match_info["account"])
    core = core_of(request)
    now = core.clock.now_ms()
    today = core.venue.today(now)
    include_tags = request.query.get("includeTags", "false").lower() == "true"
    if request.query.get("filter") == "all":
        chosen = [o for o in core.broker.orders if now - o.create_ms <= MONTH_MS]
    else:
        chosen = [o for o in core.broker.orders if to_new_york(o.create_ms).date() == today]
    items = [_order_json(core, o, include_tags) for o in _page(request, chosen)]
    return respond(request, wrapped("orders", "order", items))


def _order_json(core: SimCore, order: SimOrder, include_tags: bool) -> dict[str, Any]:
    # The fill-data race (TRADIER.md §6.7): `filled` can show before avg_fill_price does.
    lag = core.config.fill_data_lag_ms
    fresh = order.status == "filled" and core.clock.now_ms() - order.transaction_ms < lag
    return order.to_json(include_tags, hide_fill=bool(lag) and fresh)


def _order_id(request: web.Request) -> int | None:
    try:
        return int(request.match_info["order_id"])
    except ValueError:
        return None


async def get_order(request: web.Request) -> web.Response:
    """GET /v1/accounts/{id}/orders/{order_id}."""
    core = core_of(request)
    oid = _order_id(request)
    order = core.broker.find(oid) if oid is not None and _account_ok(request) else None
    if order is None:
        return unauthorized_account(request.match_info["account"])
    include_tags = request.query.get("includeTags", "false").lower() == "true"
    return respond(request, {"order": _order_json(core, order, include_tags)})


def _preview(
    core: SimCore,
    form: dict[str, str],
    cost: Decimal,
    margin_change: Decimal,
    klass: str,
    strategy: str,
) -> dict[str, Any]:
    now = core.clock.now_ms()
    stamp = datetime.fromtimestamp(now / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
    body: dict[str, Any] = {
        "status": "ok",
        "commission": 0.0,
        "cost": float(round(cost, 4)),
        "fees": 0.0,
        "symbol": form.get("symbol", "").upper(),
        "type": form.get("type"),
        "duration": form.get("duration"),
        "result": True,
        "order_cost": float(round(cost, 4)),
        "margin_change": float(round(margin_change, 4)),
        "request_date": f"{stamp}.{now % 1000:03d}",
        "extended_hours": form.get("duration") in ("pre", "post"),
        "class": klass,
        "strategy": strategy,
        "day_trades": 0,
    }
    if klass in ("equity", "option"):
        body["quantity"] = float(form.get("quantity", "0"))
        body["side"] = form.get("side")
    if klass == "option":
        body["option_symbol"] = form.get("option_symbol")
    if form.get("price"):
        body["price"] = float(form["price"])
    return body


async def place_order(request: web.Request) -> web.Response:
    """POST /v1/accounts/{id}/orders (and preview=true)."""
    if not _account_ok(request):
        return unauthorized_account(request.match_info["account"])
    core = core_of(request)
    raw = await request.post()
    form = {k: str(v) for k, v in raw.items()}
    if form.get("class") in ADVANCED:
        return _place_advanced(request, core, form)
    result = validate_order(form, core.venue)
    if isinstance(result, list):
        return respond(request, errors_body(result), status=400)
    if form.get("preview", "").lower() == "true":
        rejection = core.broker.check(result)
        if rejection is not None:
            return respond(request, errors_body([rejection.message]))
        before = core.broker.summary()["option_buying_power"]
        after = core.broker.buying_power_after(result)
        strategy = result.klass if result.is_single else "spread"
        return respond(
            request,
            {
                "order": _preview(
                    core,
                    form,
                    core.broker.estimated_cost(result),
                    before - after,
                    result.klass,
                    strategy,
                )
            },
        )
    order, rejection = core.broker.place(result)
    if isinstance(rejection, Rejection):
        # A downstream rejection: HTTP 200 with errors; the order exists as rejected.
        return respond(request, errors_body([rejection.message]))
    return _ack(request, core, order)


def _ack(request: web.Request, core: SimCore, order: SimOrder) -> web.Response:
    partner = core.new_uuid()
    core.partner_ids[order.id] = partner
    return respond(request, {"order": {"id": order.id, "status": "ok", "partner_id": partner}})


def _place_advanced(request: web.Request, core: SimCore, form: dict[str, str]) -> web.Response:
    result = validate_advanced(form, core.venue)
    if isinstance(result, list):
        return respond(request, errors_body(result), status=400)
    if form.get("preview", "").lower() == "true":
        first = result.children[0]
        rejection = core.broker.check(first)
        if rejection is not None:
            return respond(request, errors_body([rejection.message]))
        cost = core.broker.estimated_cost(first)
        return respond(
            request, {"order": _preview(core, form, cost, cost, result.klass, result.klass)}
        )
    order, rejection = core.broker.place_advanced(result)
    if rejection is not None:
        return respond(request, errors_body([rejection.message]))
    return _ack(request, core, order)


def _working_order(request: web.Request) -> SimOrder | web.Response:
    """The addressed working order, or Tradier's answer: 401 unknown, 400 finalized."""
    core = core_of(request)
    oid = _order_id(request)
    order = core.broker.find(oid) if oid is not None and _account_ok(request) else None
    if order is None:
        return unauthorized_account(request.match_info["account"])
    if not order.working:
        return web.Response(
            status=400,
            text=f"order already in finalized state: {order.status}",
            content_type="text/plain",
        )
    return order


async def modify_order(request: web.Request) -> web.Response:
    """PUT /v1/accounts/{id}/orders/{order_id}: type, duration, price, stop."""
    core = core_of(request)
    order = _working_order(request)
    if isinstance(order, web.Response):
        return order
    if order.klass in ADVANCED:
        message = f"Invalid parameter, class: {order.klass} orders cannot be changed here."
        return respond(request, errors_body([message]), status=400)
    raw = await request.post()
    form = {k: str(v) for k, v in raw.items()}
    errors: list[str] = []
    if "quantity" in form:
        errors.append("Invalid parameter, quantity: cannot be changed.")
    allowed = SINGLE_TYPES if not order.legs else NET_TYPES
    new_type = form.get("type", order.type)
    if new_type not in allowed:
        errors.append(f"type is invalid for class {order.klass}")
    new_duration = form.get("duration", order.duration)
    if new_duration not in ("day", "gtc", "pre", "post"):
        errors.append("Invalid parameter, duration: must be one of day, gtc, pre, post.")
    elif {new_duration, order.duration} & {"pre", "post"} and new_duration != order.duration:
        errors.append("Invalid parameter, duration: a pre/post order cannot change session.")
    if new_duration == "gtc" and any(leg.side == "sell_short" for leg in order.leg_requests):
        errors.append("Invalid parameter, duration: gtc is not allowed for sell_short orders.")
    price = positive_decimal(form, "price", errors)
    stop = positive_decimal(form, "stop", errors)
    new_price = price if price is not None else order.price
    new_stop = stop if stop is not None else order.stop
    check_prices(new_type, new_price, new_stop, errors)
    if errors:
        return respond(request, errors_body(errors), status=400)
    order.type, order.duration, order.price, order.stop = (
        new_type,
        new_duration,
        new_price,
        new_stop,
    )
    for leg in order.legs:
        leg.type, leg.price = new_type, new_price
    order.transaction_ms = core.clock.now_ms()
    core.broker.try_fill(order, order.transaction_ms)
    return respond(request, {"order": {"id": order.id, "status": "ok"}})


async def cancel_order(request: web.Request) -> web.Response:
    """DELETE /v1/accounts/{id}/orders/{order_id}: 200 ok, 400 finalized, 401 unknown."""
    core = core_of(request)
    order = _working_order(request)
    if isinstance(order, web.Response):
        return order
    core.broker.cancel(order)
    return respond(request, {"order": {"id": order.id, "status": "ok"}})


async def profile(request: web.Request) -> web.Response:
    """GET /v1/user/profile: the one sandbox account."""
    core = core_of(request)
    created = date(2024, 1, 2).isoformat() + "T00:00:00.000Z"
    return respond(
        request,
        {
            "profile": {
                "account": {
                    "account_number": core.config.account,
                    "classification": "individual",
                    "date_created": created,
                    "day_trader": False,
                    "option_level": 6,
                    "status": "active",
                    "type": core.config.account_type,
                    "last_update_date": created,
                },
                "id": "id-sim-user",
                "name": "Simulated Trader",
            }
        },
    )


async def create_account_session(request: web.Request) -> web.Response:
    """POST /v1/accounts/events/session: a session for the account-events WebSocket."""
    core = core_of(request)
    sid = core.accounts.create_session()
    url = f"ws://{request.host}/v1/accounts/events"
    return respond(request, {"stream": {"url": url, "sessionid": sid}})
