"""The demo's and the replay's gate trade the watchlist they are given.

A deployed gate's universe is the operator's explicit list (`infra/constitution.toml`): a
risk decision, made where the brain cannot reach it. The demo and `brain replay --sim`
have no operator and no money: their in-process gate runs the chosen constitution with
`--symbols` added to `[universe].symbols`, every limit and correlation group as written.
The derived file keeps the original's text and comments; only the one list changes.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from gatekeeper.constitution import loads
from gatekeeper.errors import ConstitutionError
from tradier.clock import Clock

# `symbols = [...]` (one line or several) in the [universe] table, before the next table.
_UNIVERSE_SYMBOLS = re.compile(
    r"(?P<head>^\[universe\][^\[]*?^symbols\s*=\s*)\[(?P<items>[^\]]*)\]", re.MULTILINE
)


def with_symbols(text: str, symbols: Sequence[str]) -> str:
    """The constitution `text` with `symbols` added to its universe (order kept, no
    repeats); raises ConstitutionError when the result is not a valid constitution."""
    current = loads(text).symbols
    match = _UNIVERSE_SYMBOLS.search(text)
    if match is None:
        raise ConstitutionError("universe.symbols", "layout", "no symbols = [...] in [universe]")
    try:
        listed = json.loads(f"[{match['items'].strip().rstrip(',')}]")
    except ValueError as exc:
        raise ConstitutionError(
            "universe.symbols", "layout", 'write it as one list of "quoted" symbols'
        ) from exc
    merged = [*listed, *(s for s in dict.fromkeys(symbols) if s not in current)]
    derived = f"{text[: match.start()]}{match['head']}{json.dumps(merged)}{text[match.end() :]}"
    if loads(derived).symbols != current | set(symbols):
        raise ConstitutionError("universe.symbols", "layout", "could not add the symbols")
    return derived


def derived_constitution(path: Path, symbols: Sequence[str], directory: Path) -> Path:
    """Write `path` with `symbols` added to its universe into `directory`; its path."""
    out = directory / f"{path.stem}.watchlist.toml"
    out.write_text(with_symbols(path.read_text(encoding="utf-8"), symbols), encoding="utf-8")
    return out


@contextlib.contextmanager
def watchlist_gate(
    api_url: str, clock: Clock, secret: bytes, *, constitution: Path, symbols: Sequence[str]
) -> Iterator[str]:
    """`edgegate.compose.in_process_gate` on `constitution` widened to `symbols`."""
    from edgegate.compose import in_process_gate

    with tempfile.TemporaryDirectory(prefix="edgegate-universe-") as tmp:
        derived = derived_constitution(constitution, symbols, Path(tmp))
        with in_process_gate(api_url, clock, secret, constitution=derived) as url:
            yield url
