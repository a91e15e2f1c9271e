"""The gatekeeper's exception tree: faults are exceptions, rejections are values.

A rejected proposal is never an exception (see `gatekeeper.risk.Rejection`); these are for
bad input, configuration that must stop the function, conflicts and infrastructure faults.
Grouped by what the caller must do::

    GatekeeperError                      root of every gatekeeper fault
    ├── InvalidRequest                   the caller sent something wrong (HTTP 400): fix it
    │   ├── ContractError(field, rule)   the body breaks the proposal contract
    │   └── BodyTooLarge(size, limit)    over MAX_BODY_BYTES (HTTP 413)
    ├── NonceReused                      a signed request seen before (HTTP 401): a replay
    ├── ConflictError                    the id is busy or reused (HTTP 409): do not retry blindly
    │   ├── ProposalInProgress           same id, still being decided
    │   └── ProposalIdReused             same id, different body
    ├── FatalGateError                   stop: an operator must act
    │   ├── ConstitutionError(key, rule) the risk constitution is invalid
    │   └── LiveTradingRefused           a production trading host without live_trading = true
    ├── RetryableGateError               try again later (HTTP 503); nothing was sent
    │   └── StoreUnavailable             DynamoDB could not be reached or throttled us
    └── TransitionError                  a state change that the rules forbid
"""

from __future__ import annotations


class GatekeeperError(Exception):
    """Root of every exception raised by the gatekeeper package."""


class InvalidRequest(GatekeeperError):
    """The request is invalid; the caller must change it."""


class ContractError(InvalidRequest):
    """A body that breaks the contract: `field` is the JSON path (None for the whole body),
    `rule` a short machine-readable name of the rule that failed."""

    def __init__(self, field: str | None, rule: str, message: str) -> None:
        self.field = field
        self.rule = rule
        self.message = message
        where = field if field else "body"
        super().__init__(f"{where}: {message} [{rule}]")


class BodyTooLarge(InvalidRequest):
    """The body exceeds the size limit."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(f"body is {size} bytes, the limit is {limit}")


class NonceReused(GatekeeperError):
    """A request's nonce was accepted before: a replay, refused with no side effect."""


class ConflictError(GatekeeperError):
    """The proposal id conflicts with a stored one."""


class ProposalInProgress(ConflictError):
    """A proposal with this id is being decided right now."""


class ProposalIdReused(ConflictError):
    """A proposal id was reused with a different body."""


class FatalGateError(GatekeeperError):
    """A fault that retrying cannot fix; an operator must act."""


class ConstitutionError(FatalGateError):
    """An invalid risk constitution: names the key and the rule it breaks."""

    def __init__(self, key: str, rule: str, message: str) -> None:
        self.key = key
        self.rule = rule
        self.message = message
        super().__init__(f"constitution key {key!r}: {message} [{rule}]")


class LiveTradingRefused(FatalGateError):
    """A production trading host was configured while live trading is off."""


class RetryableGateError(GatekeeperError):
    """A transient fault; nothing was sent, the caller may retry."""


class StoreUnavailable(RetryableGateError):
    """The gate's store could not be reached or refused the call."""


class BrokerUnavailable(RetryableGateError):
    """Tradier could not give the gate its risk inputs (before anything was reserved)."""


class TransitionError(GatekeeperError):
    """A trading-state or order-state change that the rules forbid."""
