"""Map a validated Proposal to the Tradier order request that executes it.

The order's `tag` is the proposal id (a lower-case UUID fits Tradier's tag rule), so an
order whose send outcome is unknown can be found by tag instead of being sent again.
Leg quantities are `proposal.quantity * leg.ratio`. Validation of the request itself lives
in `tradier.orders`; the contract has already made every field valid for it.
"""

from __future__ import annotations

from gatekeeper.contract import ContractError, Proposal, Strategy
from tradier.orders import (
    EquityOrder,
    MultilegOrder,
    OptionLeg,
    OptionOrder,
    OrderRequest,
    to_form,
)


def to_order_request(proposal: Proposal) -> OrderRequest:
    """The Tradier order (equity, option or multileg) for `proposal`, tagged with its id."""
    price = proposal.price_decimal
    if proposal.strategy is Strategy.EQUITY:
        if proposal.side is None:  # the contract guarantees it; never send a guess
            raise ContractError("side", "required", "required for equity proposals")
        return EquityOrder(
            symbol=proposal.symbol,
            side=proposal.side.value,
            quantity=proposal.quantity,
            type=proposal.order_type.value,
            duration=proposal.duration.value,
            price=price,
            tag=proposal.id,
        )
    legs = proposal.legs or ()
    if proposal.strategy is Strategy.SINGLE_OPTION:
        leg = legs[0]
        return OptionOrder(
            symbol=proposal.symbol,
            option_symbol=leg.option_symbol,
            side=leg.side.value,
            quantity=proposal.quantity * leg.ratio,
            type=proposal.order_type.value,
            duration=proposal.duration.value,
            price=price,
            tag=proposal.id,
        )
    return MultilegOrder(
        symbol=proposal.symbol,
        legs=tuple(
            OptionLeg(
                option_symbol=leg.option_symbol,
                side=leg.side.value,
                quantity=proposal.quantity * leg.ratio,
            )
            for leg in legs
        ),
        type=proposal.order_type.value,
        price=price,
        duration=proposal.duration.value,
        tag=proposal.id,
    )


def to_order_form(proposal: Proposal) -> dict[str, str]:
    """Tradier's form fields for `proposal` (class, symbol, side, quantity, legs, tag...)."""
    return to_form(to_order_request(proposal))
