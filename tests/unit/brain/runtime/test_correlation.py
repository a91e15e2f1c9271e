from brain.correlation import US_INDEX, GroupLimits
from brain.market import Signal


def sig(symbol: str, strength: float, minute: int = 0, strategy: str = "bs") -> Signal:
    return Signal(symbol, strategy, "bs", 1_000_000 * 60_000 + minute * 60_000, strength)


def test_group_limits_when_same_strategy_open_on_another_index_etf_then_capped():
    limits = GroupLimits()
    assert limits.group_of("QQQ") == limits.group_of("IWM") == US_INDEX
    assert limits.check("QQQ", "bs", [("SPY", "bs")]) == "group_strategy_cap"
    assert limits.check("QQQ", "condor", [("SPY", "bs")]) is None


def test_group_limits_when_group_full_then_capped_and_other_groups_free():
    limits = GroupLimits(per_strategy=1, per_group=2)
    held = [("SPY", "a"), ("DIA", "b")]
    assert limits.check("IWM", "c", held) == "group_cap"
    assert limits.check("AAPL", "a", held) is None  # its own group


def test_group_limits_when_batch_in_one_minute_then_strongest_of_a_group_first():
    limits = GroupLimits()
    batch = [sig("IWM", 0.4), sig("SPY", 0.9), sig("DIA", 0.9), sig("QQQ", 0.6, minute=1)]
    assert [s.symbol for s in limits.rank(batch)] == ["DIA", "SPY", "IWM", "QQQ"]
