"""`edgegate chat`: an interactive conversation with the brain's API in the terminal.

Each answer is shown with its recommendations — legs, price and maximum loss — and for
each one the trader is asked; only `y` or `yes` confirms (anything else places nothing and
tells the brain no). The gate's decision is printed as it comes back.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from brain.api.auth import TOKEN_ENV, TokenError, api_token
from brain.api.server import DEFAULT_HOST, DEFAULT_PORT

Read = Callable[[str], Awaitable[str]]
Write = Callable[[str], None]
YES = frozenset({"y", "yes"})


async def _stdin(prompt: str) -> str:
    return await asyncio.to_thread(input, prompt)


def describe(rec: dict[str, Any]) -> list[str]:
    """A recommendation as lines for the terminal."""
    lines = [
        f"  [{rec['id'][:8]}] {rec['strategy']} {rec.get('kind', '')} on {rec['symbol']} "
        f"x{rec['quantity']}: {rec['net_price']} {rec['net_kind']}, max loss ${rec['max_loss']}"
    ]
    for leg in rec.get("legs", []):
        lines.append(
            f"      {leg['side']:<4} {leg['ratio']} {leg['option_symbol']}"
            f"  bid {leg['bid']} ask {leg['ask']}"
        )
    if rec.get("side"):
        lines.append(f"      {rec['side']} shares, stop {rec.get('stop')}")
    if rec.get("rationale"):
        lines.append(f"      why: {rec['rationale']}")
    return lines


async def chat(
    http: httpx.AsyncClient,
    watchlist: list[str],
    read: Read = _stdin,
    write: Write = print,
) -> int:
    """Talk until an empty line or end of input; returns how many orders were confirmed."""
    session_id: str | None = None
    confirmed = 0
    while True:
        try:
            prompt = (await read("you> ")).strip()
        except EOFError:
            return confirmed
        if not prompt:
            return confirmed
        body: dict[str, Any] = {"prompt": prompt, "watchlist": watchlist}
        if session_id:
            body["session_id"] = session_id
        response = await http.post("/api/strategies/generate", json=body)
        if response.status_code != 200:
            write(f"refused ({response.status_code}): {response.json()['error']['message']}")
            continue
        out = response.json()
        if out["new_session"] and session_id is not None:
            write("(the earlier session expired: this is a new one)")
        session_id = out["session_id"]
        write(f"{out['analyst']}> {out['response']}")
        for rec in out["recommendations"]:
            write("\n".join(describe(rec)))
            answer = (await read(f"confirm {rec['id'][:8]}? [y/N] ")).strip().lower()
            yes = answer in YES
            result = await http.post(
                f"/api/strategies/{rec['id']}/confirm", json={"confirmed": yes}
            )
            data = result.json()
            if not yes:
                write("  not placed.")
            elif result.status_code == 200:
                confirmed += 1
                write(
                    f"  gate: {data.get('decision')} {data.get('reason_code') or ''}"
                    f" order {data.get('order_id')}"
                )
            else:
                write(f"  not placed ({result.status_code}): {data['error']['message']}")


def register(parser: argparse.ArgumentParser) -> None:
    """Options of `edgegate chat`."""
    parser.add_argument(
        "--url",
        default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}",
        help="the brain's API (default http://127.0.0.1:8702); the token is EDGEGATE_API_TOKEN",
    )
    parser.add_argument("--watchlist", default="SPY", help="comma-separated tickers")


def run(args: argparse.Namespace) -> int:
    """Run the chat against the API at `--url` with `EDGEGATE_API_TOKEN`."""
    try:
        token = api_token(os.environ)
    except TokenError as exc:
        print(f"edgegate chat: {exc} (the token the brain's API was started with)")
        return 2
    watchlist = [s.strip().upper() for s in args.watchlist.split(",") if s.strip()]

    async def main() -> int:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=args.url, headers=headers, timeout=90) as http:
            return await chat(http, watchlist)

    try:
        asyncio.run(main())
    except httpx.HTTPError as exc:
        print(f"edgegate chat: cannot reach {args.url} ({exc}); is the brain running?")
        return 1
    return 0


__all__ = ["TOKEN_ENV", "chat", "describe", "register", "run"]
