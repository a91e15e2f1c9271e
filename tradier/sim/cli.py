"""`edgegate sim serve` and `edgegate sim stream`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys

from tradier.sim.core import SimConfig
from tradier.sim.defaults import DEFAULT_ACCOUNT, DEFAULT_TOKEN
from tradier.sim.errors import SimError
from tradier.sim.server import SimServer


def register(parser: argparse.ArgumentParser) -> None:
    """Add the sim sub-commands."""
    sub = parser.add_subparsers(dest="sim_command", metavar="{serve,stream}")
    sub.required = True
    serve = sub.add_parser("serve", help="serve Tradier REST + WebSocket on one port")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8700, help="port (default: %(default)s)")
    serve.add_argument(
        "--token", default=DEFAULT_TOKEN, help="the accepted Bearer token (default: %(default)s)"
    )
    serve.add_argument(
        "--account", default=DEFAULT_ACCOUNT, help="the sandbox account id (default: %(default)s)"
    )
    source = serve.add_mutually_exclusive_group()
    source.add_argument(
        "--seed", type=int, default=1, help="generated market seed (default: %(default)s)"
    )
    source.add_argument(
        "--data", default=None, help="replay a file of newline-delimited stream frames"
    )
    serve.add_argument(
        "--speed", type=float, default=1.0, help="simulated seconds per second (default: 1)"
    )
    serve.add_argument(
        "--calendar",
        action="store_true",
        help="follow the exchange calendar (default: always open)",
    )
    serve.add_argument(
        "--start-ms", type=int, default=None, help="simulated start, UTC epoch ms (default: now)"
    )
    serve.add_argument(
        "--sandbox-token",
        action="append",
        default=[],
        help="a token treated as a sandbox token (401 on stream sessions)",
    )
    stream = sub.add_parser("stream", help="run a sim in-process and print its stream")
    stream.add_argument(
        "--seconds", type=float, default=60.0, help="how long to print (default: 60)"
    )
    stream.add_argument(
        "--seed", type=int, default=1, help="generated market seed (default: %(default)s)"
    )
    stream.add_argument(
        "--speed", type=float, default=1.0, help="simulated seconds per second (default: 1)"
    )
    stream.add_argument(
        "--symbols", default="SPY,QQQ,IWM,DIA,VIX", help="comma-separated (default: %(default)s)"
    )


def run(args: argparse.Namespace) -> int:
    """Run the chosen sub-command; a bad option, file or port is one line on stderr, exit 2."""
    try:
        return _run(args)
    except (SimError, OSError) as exc:
        print(f"edgegate sim {args.sim_command}: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.sim_command == "serve":
        config = SimConfig(
            host=args.host,
            port=args.port,
            token=args.token,
            account=args.account,
            seed=args.seed,
            data_file=args.data,
            speed=args.speed,
            follow_calendar=args.calendar,
            start_ms=args.start_ms,
            sandbox_tokens=tuple(args.sandbox_token),
        )
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(config))
        return 0
    symbols = [s for s in args.symbols.split(",") if s]
    config = SimConfig(seed=args.seed, speed=args.speed)
    try:
        return asyncio.run(_stream(config, symbols, args.seconds))
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as a filter should.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


async def _serve(config: SimConfig) -> None:
    server = SimServer(config)
    await server.start()
    print(f"Tradier simulator: REST {server.api_url}  WebSocket {server.ws_url}", flush=True)
    print(
        f"token {config.token}  account {config.account}  controls {server.base_url}/sim/",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


async def _stream(config: SimConfig, symbols: list[str], seconds: float) -> int:
    import aiohttp

    server = SimServer(config)
    await server.start()
    headers = {"Authorization": f"Bearer {config.token}", "Accept": "application/json"}
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(
                server.api_url + "/markets/events/session", headers=headers
            ) as resp:
                sid = (await resp.json())["stream"]["sessionid"]
            async with http.ws_connect(server.ws_url) as ws:
                await ws.send_str(json.dumps({"symbols": symbols, "sessionid": sid}))
                loop = asyncio.get_running_loop()
                deadline = loop.time() + seconds
                while (left := deadline - loop.time()) > 0:
                    try:
                        msg = await ws.receive(timeout=left)
                    except TimeoutError:
                        break
                    if msg.type != aiohttp.WSMsgType.TEXT:
                        break
                    print(msg.data, flush=True)
    finally:
        await server.stop()
    return 0
