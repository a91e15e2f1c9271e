"""An independent brute-force payoff scan for the exposure tests, in Fractions over a
half-dollar grid (strikes are whole dollars), written apart from `gatekeeper.exposure`.

A leg is (C/P, strike, expiry index, signed contracts, root index).
"""

from __future__ import annotations

from fractions import Fraction

BruteLeg = tuple[str, int, int, int, int]  # (C/P, strike, expiry index, contracts, root)


def _payoff(leg: BruteLeg, s: Fraction) -> Fraction:
    kind, strike, _expiry, qty, _root = leg
    unit = max(s - strike, Fraction(0)) if kind == "C" else max(strike - s, Fraction(0))
    return unit * qty * 100


def _grid_min(legs: list[BruteLeg], top: int) -> Fraction | None:
    """Min over every half-dollar from 0 past the top strike, or None if it falls forever."""
    if not legs:
        return Fraction(0)
    grid = [Fraction(i, 2) for i in range(0, 2 * top + 40)]
    far1, far2 = Fraction(10 * top + 1000), Fraction(10 * top + 2000)
    if sum(_payoff(leg, far2) for leg in legs) < sum(_payoff(leg, far1) for leg in legs):
        return None
    return min(sum((_payoff(leg, s) for leg in legs), Fraction(0)) for s in grid)


def _lent(later_long: list[BruteLeg], later_short: list[BruteLeg]) -> list[int]:
    """Contracts each later long lends to cover the later shorts: shorts latest expiry first
    (in order for a tie), each taking longs of its type in (expiry, strike) order."""
    order = sorted(range(len(later_long)), key=lambda i: (later_long[i][2], later_long[i][1]))
    left = [leg[3] for leg in later_long]
    lent = [0] * len(later_long)
    for short in sorted(later_short, key=lambda leg: leg[2], reverse=True):
        need = -short[3]
        for i in order:
            kind, _strike, expiry, _qty, _root = later_long[i]
            if need and kind == short[0] and expiry >= short[2] and left[i]:
                take = min(left[i], need)
                left[i] -= take
                lent[i] += take
                need -= take
    return lent


def _brute_least(legs: list[BruteLeg]) -> Fraction | None:
    """The rule in words: at the first expiry, cash some later longs at intrinsic and carry
    the rest on with the later shorts — all of them, none of them, or just those that cover
    the later shorts; take the best of the three."""
    legs = [leg for leg in legs if leg[3]]
    if not legs:
        return Fraction(0)
    top = max(leg[1] for leg in legs)
    first = min(leg[2] for leg in legs)
    near = [leg for leg in legs if leg[2] == first]
    later_long = [leg for leg in legs if leg[2] > first and leg[3] > 0]
    later_short = [leg for leg in legs if leg[2] > first and leg[3] < 0]
    lent = _lent(later_long, later_short)
    kept_cover = [(k, s, e, n, r) for (k, s, e, _q, r), n in zip(later_long, lent, strict=True)]
    cashed_cover = [
        (k, s, e, q - n, r) for (k, s, e, q, r), n in zip(later_long, lent, strict=True)
    ]
    options: list[Fraction] = []
    for cashed, kept in ((later_long, []), ([], later_long), (cashed_cover, kept_cover)):
        carried = _brute_least([*kept, *later_short])
        settled = _grid_min([leg for leg in near + cashed if leg[3]], top)
        if carried is not None and settled is not None:
            options.append(settled + carried)
    return max(options) if options else None


def brute_max_loss(legs: list[BruteLeg], premium: Fraction | int) -> Fraction | None:
    """The most the legs lose after `premium` dollars (+ received), or None: unbounded."""
    total = Fraction(0)
    for root in {leg[4] for leg in legs}:
        least = _brute_least([leg for leg in legs if leg[4] == root])
        if least is None:
            return None
        total += least
    return max(-(total + premium), Fraction(0))
