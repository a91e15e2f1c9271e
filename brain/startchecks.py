"""What `edgegate brain run` asks once at start, so a wrong setting stops it at once with
one line naming the variable, instead of a traceback or a silent day of refused requests.

Each check logs its verdict at ERROR and returns whether the brain may go on. A network
fault on the market-data side is not a verdict (streaming retries by itself); the gate is
different: a brain that cannot have its proposals signed and heard must not start.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from brain.gate_client import GateClient, GateRequestRefused, GateUnavailable
from tradier.client import AsyncTradierClient
from tradier.errors import StreamAuthError, TradierError, TradierFatal

log = logging.getLogger(__name__)


def state_dir_writable(state_dir: Path) -> bool:
    """Whether the state directory exists (or can be made) and takes a file."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-check.", dir=state_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        log.error("EDGEGATE_STATE_DIR: %s is not a writable directory: %s", state_dir, reason)
        return False
    return True


async def data_token_accepted(market: AsyncTradierClient) -> bool:
    """Whether the market-data token may stream, asked once at start (a session id that is
    never used simply expires). A refused session is told apart by asking a plain market
    endpoint with the same token: refused there too, the token is wrong; accepted there,
    it is a token that cannot stream (a sandbox one)."""
    try:
        await market.create_market_session()
    except StreamAuthError as exc:
        if await _token_refused_everywhere(market):
            log.error(
                "TRADIER_DATA_TOKEN: refused by %s (HTTP %s): the token is wrong or expired",
                market.base_url,
                exc.status,
            )
        else:
            log.error("TRADIER_DATA_TOKEN: %s", exc)
        return False
    except TradierError as exc:
        log.warning("could not check the market-data token yet: %s", exc)
    return True


async def _token_refused_everywhere(market: AsyncTradierClient) -> bool:
    try:
        await market.clock()
    except TradierFatal as exc:
        return exc.status in (401, 403)
    except TradierError:
        return False
    return False


async def gate_answers(gate: GateClient, url: str) -> bool:
    """One signed status call: the gate is reachable and takes this secret (and clock)."""
    try:
        status = await gate.status()
    except GateRequestRefused as exc:
        if exc.status == 401:
            log.error(
                "EDGEGATE_SIGNING_SECRET: the gate at %s refused the signature (%s): the "
                "secret is not the gate's, or this machine's clock is off",
                url,
                exc.code or "HTTP 401",
            )
        else:
            log.error("EDGEGATE_GATE_URL: the gate at %s refused its status call: %s", url, exc)
        return False
    except GateUnavailable as exc:
        log.error("EDGEGATE_GATE_URL: cannot reach the gate at %s: %s", url, exc)
        return False
    log.info("gate at %s answers: trading state %s", url, status.state)
    return True
