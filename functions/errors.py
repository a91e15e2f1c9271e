"""The functions package's exceptions::

FunctionsError           root of every fault raised by the delivery layer
├── BadEvent(field, rule)  an event that is not a usable HTTP API v2 request (HTTP 400)
└── ConfigError(variable)  configuration missing or invalid: the function must stop
"""

from __future__ import annotations


class FunctionsError(Exception):
    """Root of every exception raised by `functions`."""


class BadEvent(FunctionsError, ValueError):
    """An event that cannot be turned into a request: `field` names the part, `rule` why."""

    def __init__(self, field: str, rule: str) -> None:
        self.field = field
        self.rule = rule
        super().__init__(f"{field}: {rule}")


class ConfigError(FunctionsError):
    """Missing or invalid configuration; `variable` names the environment variable or key."""

    def __init__(self, variable: str, rule: str) -> None:
        self.variable = variable
        self.rule = rule
        super().__init__(f"{variable}: {rule}")
