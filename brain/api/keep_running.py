"""`edgegate demo --keep-running`: after the replay, the system stays up with the dashboard.

The simulator, the gate and the brain are kept as the replay left them (simulated time
stops at the last step, so no more bars, exits or heartbeats), and the brain's API serves
the dashboard and the chat over them until Ctrl-C or SIGTERM; then the replay tears down
and the demo prints its summary as usual. The token is `EDGEGATE_API_TOKEN` when set, else
a fresh one printed for this run (the demo holds no account and no money).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import signal
from collections.abc import Awaitable, Callable, Mapping

from brain.api.activity import Activity
from brain.api.auth import TOKEN_ENV, api_token
from brain.api.live import dashboard_api
from brain.api.server import DEFAULT_HOST, DEFAULT_PORT, serve
from brain.conversations.store import MemorySessionStore
from brain.runtime import Brain


def keep_serving(
    env: Mapping[str, str],
    activity: Activity,
    port: int = DEFAULT_PORT,
    say: Callable[[str], None] = print,
    stopped: Callable[[], Awaitable[None]] | None = None,
) -> Callable[[Brain], Awaitable[None]]:
    """The replay's hold: serve the dashboard over the brain until `stopped` returns
    (default: Ctrl-C or SIGTERM); `activity` is what the replay's reports fed. TokenError
    when `EDGEGATE_API_TOKEN` is too short."""
    token = api_token(env) if env.get(TOKEN_ENV) else secrets.token_urlsafe(32)
    shown = f"the token in {TOKEN_ENV}" if env.get(TOKEN_ENV) else f"token {token}"

    async def hold(brain: Brain) -> None:
        api = dashboard_api(brain, brain.analyst, MemorySessionStore(), token, activity)
        runner, bound = await serve(api, DEFAULT_HOST, port)
        say(f"dashboard: http://{DEFAULT_HOST}:{bound}/ ({shown}); Ctrl-C stops the demo")
        try:
            await (stopped or _signalled)()
        finally:
            await runner.cleanup()

    return hold


async def _signalled() -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(sig)
