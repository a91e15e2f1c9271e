"""Headless Chromium driven over the DevTools protocol (a websocket, JSON commands).

Debian's chromium is started with every network feature off and a free debugging port
(read back from `DevToolsActivePort`); `Page` evaluates scripts in the one open tab and
waits for conditions in the page, the way a person waits for the screen to change.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.support.chromium import CHROMIUM_FLAGS, chromium


class Page:
    """One tab: commands by id, events ignored."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.next_id = 0

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """One command; its result (AssertionError on a protocol error)."""
        self.next_id += 1
        sent = self.next_id
        await self.ws.send(json.dumps({"id": sent, "method": method, "params": params}))
        while True:
            message = json.loads(await self.ws.recv())
            if message.get("id") == sent:
                assert "error" not in message, (method, message["error"])
                result: dict[str, Any] = message["result"]
                return result

    async def evaluate(self, expression: str) -> Any:
        """The value of `expression` in the page (promises awaited)."""
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout_s: float = 30.0) -> Any:
        """Poll `expression` until it is truthy; its value."""
        deadline = time.monotonic() + timeout_s
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                html = await self.evaluate("document.body ? document.body.innerText : ''")
                raise AssertionError(f"timed out waiting for {expression}; page: {html[:2000]}")
            await asyncio.sleep(0.2)


@asynccontextmanager
async def open_page(profile: Path, width: int = 1600, height: int = 1100) -> AsyncIterator[Page]:
    """A headless chromium with one blank tab, closed afterwards."""
    process = await asyncio.create_subprocess_exec(
        chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
        f"--window-size={width},{height}", "--hide-scrollbars", "about:blank",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert process.returncode is None, "chromium exited at start"
            assert time.monotonic() < deadline, "chromium opened no debugging port"
            await asyncio.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            tabs = (await http.get("/json/list")).json()
        [tab] = [t for t in tabs if t["type"] == "page"]
        async with connect(tab["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024) as ws:
            yield Page(ws)
    finally:
        process.terminate()
        try:
            async with asyncio.timeout(10):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()
