"""Built-in strategies behind the `brain.market.Strategy` protocol (bars in, signals out)."""

from brain.strategies.base import ChainView, DteWindow, EquityPlan, OptionPlan, OptionStrategy
from brain.strategies.registry import BUILT_INS, build_strategies

__all__ = [
    "BUILT_INS",
    "ChainView",
    "DteWindow",
    "EquityPlan",
    "OptionPlan",
    "OptionStrategy",
    "build_strategies",
]
