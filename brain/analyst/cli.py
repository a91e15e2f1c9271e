"""`edgegate fake-claude`: the local fake of the Messages API, to try the review path
without a key (see `brain.analyst.fake_claude` for what it answers)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from brain.analyst.fake_claude import FakeClaude


def register(parser: argparse.ArgumentParser) -> None:
    """Add the fake's options."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8703, help="port (default 8703)")
    parser.add_argument(
        "--min-cacheable",
        type=int,
        default=1024,
        help="shortest prefix (fake tokens) it caches, as the model's minimum (default 1024)",
    )


async def _serve(fake: FakeClaude) -> None:
    await fake.start()
    print(
        f"fake Claude on {fake.url} (any key accepted). Use it with:\n"
        f"  ANTHROPIC_BASE_URL={fake.url} ANTHROPIC_API_KEY=fake edgegate brain replay "
        "--sim --review env\n"
        f'Script replies: curl -XPOST {fake.url}/fake/script -d \'[{{"kind": "refusal"}}]\'',
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    fake = FakeClaude(host=args.host, port=args.port, default_min_cacheable=args.min_cacheable)
    try:
        asyncio.run(_serve(fake))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(f"edgegate fake-claude: {exc}", file=sys.stderr)
        return 2
    return 0
