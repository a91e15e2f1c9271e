"""OTO, OCO and OTOCO orders: indexed single orders validated one by one, then the
class rules (TRADIER.md §3 "Rules for the advanced classes")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from tradier.sim.validation import OrderRequest, check_tag, validate_order
from tradier.sim.venue import Venue

ADVANCED = ("oto", "oco", "otoco")
COUNTS = {"oto": 2, "oco": 2, "otoco": 3}
TRIGGER_TYPES = ("limit", "stop", "stop_limit")
_INDEXED = re.compile(r"^(?:symbol|side|quantity|type|option_symbol|price|stop|duration)\[(\d+)\]$")
_FIELDS = ("symbol", "side", "quantity", "type", "option_symbol", "price", "stop")


@dataclass(frozen=True, slots=True)
class AdvancedRequest:
    """A validated OTO/OCO/OTOCO order: its single-leg orders in index order."""

    klass: str
    children: tuple[OrderRequest, ...]
    tag: str | None


def _child_form(form: Mapping[str, str], i: int) -> dict[str, str]:
    child = {key: form[f"{key}[{i}]"] for key in _FIELDS if form.get(f"{key}[{i}]")}
    child["class"] = "option" if "option_symbol" in child else "equity"
    child["duration"] = form.get(f"duration[{i}]", form.get("duration", ""))
    return child


def _same_instrument(a: OrderRequest, b: OrderRequest) -> bool:
    return a.legs[0].symbol == b.legs[0].symbol


def _class_rules(klass: str, kids: list[OrderRequest], errors: list[str]) -> None:
    if klass == "oto" and kids[0].type not in TRIGGER_TYPES:
        errors.append(
            "Invalid parameter, type[0]: the first order of an oto is limit, stop or stop_limit."
        )
    pair = kids if klass == "oco" else kids[1:] if klass == "otoco" else []
    if klass == "otoco" and any(k.type not in TRIGGER_TYPES for k in kids):
        errors.append("Invalid parameter, type: every otoco order is limit, stop or stop_limit.")
    if pair:
        if pair[0].type == pair[1].type:
            errors.append(f"Invalid parameter, type: the {klass} pair must differ in type.")
        if not _same_instrument(pair[0], pair[1]):
            errors.append(f"Invalid parameter, symbol: the {klass} pair must share the symbol.")
        if pair[0].duration != pair[1].duration:
            errors.append(f"Invalid parameter, duration: the {klass} pair must share it.")


def validate_advanced(form: Mapping[str, str], venue: Venue) -> AdvancedRequest | list[str]:
    """Validate an oto/oco/otoco form; every problem found is reported at once."""
    klass = form.get("class", "")
    errors: list[str] = []
    tag = form.get("tag")
    tag_error = check_tag(tag)
    if tag_error:
        errors.append(tag_error)
    indices = sorted({int(m[1]) for key in form if (m := _INDEXED.match(key))})
    wanted = COUNTS[klass]
    if indices != list(range(wanted)):
        errors.append(
            f"Invalid parameter, orders: an {klass} order has exactly {wanted} orders "
            f"indexed 0-{wanted - 1}."
        )
        return errors
    kids: list[OrderRequest] = []
    for i in indices:
        result = validate_order({**_child_form(form, i), **({"tag": tag} if tag else {})}, venue)
        if isinstance(result, list):
            errors.extend(f"order {i}: {message}" for message in result if "tag:" not in message)
        else:
            kids.append(result)
    if errors:
        return errors
    _class_rules(klass, kids, errors)
    if errors:
        return errors
    return AdvancedRequest(klass, tuple(kids), tag)
