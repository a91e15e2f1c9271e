"""Incremental indicators: O(1) per update, `initialized`, `reset()`, a thin `on_bar`.

A missing input means "not ready": `value` is None and `initialized` is False, never 0.
"""

from brain.indicators.averages import EMA, SMA
from brain.indicators.base import Indicator, RollingStats
from brain.indicators.momentum import RSI
from brain.indicators.options import IvRank, Vix
from brain.indicators.session import OpeningRange, SessionVwap
from brain.indicators.time_of_day import TimeOfDayBaseline
from brain.indicators.trend import ADX
from brain.indicators.volatility import ATR, BollingerBands, RealizedVolatility
from brain.indicators.volume import VolumeProfile, VolumeVelocity

__all__ = [
    "ADX",
    "ATR",
    "EMA",
    "RSI",
    "SMA",
    "BollingerBands",
    "Indicator",
    "IvRank",
    "OpeningRange",
    "RealizedVolatility",
    "RollingStats",
    "SessionVwap",
    "TimeOfDayBaseline",
    "Vix",
    "VolumeProfile",
    "VolumeVelocity",
]
