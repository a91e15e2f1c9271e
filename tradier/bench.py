"""`edgegate bench decode`: typed stream decoding against plain msgspec, then the stream
client's sustained throughput from the simulator over loopback.

1. Generates >= 1,000,000 mixed frames in Tradier's shapes (quotes, trades, timesales,
   summaries, tradex) for SPY, QQQ, IWM, DIA and an SPY option, and decodes the same bytes
   with `tradier.stream.decode_frame` (typed events) and with `msgspec.json.decode` (plain
   dicts). Best of a few rounds each, interleaved.
2. Starts the simulator (own process, clock standing still so its market is silent),
   connects a `MarketStream` and, once it is subscribed, blasts pre-encoded frames at it
   with `SimServer.blast` as fast as the server can send, then checks that every frame sent
   was received as an event.

The last line is exactly
`decode events_per_s=<n> ratio_to_untyped=<r> stream_events_per_s=<n>`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import random
import sys
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Final

import msgspec

from tradier.clock import ManualClock
from tradier.stream import StreamError, decode_frame

if TYPE_CHECKING:  # the simulator is imported only in the benchmark's server process
    from tradier.sim.server import SimServer

SYMBOLS: Final = ("SPY", "QQQ", "IWM", "DIA", "SPY261218C00600000")
BASE_PRICE: Final = {"SPY": 600.0, "QQQ": 520.0, "IWM": 225.0, "DIA": 440.0}
START_MS: Final = 1_795_014_000_000  # 2026-11-18 10:00 New York
START_SYMBOL: Final = "ZZSTART"
END_SYMBOL: Final = "ZZEND"
BENCH_TOKEN: Final = "bench-token-not-real"
BLAST_FRAMES: Final = 100_000
ROUNDS: Final = 1
CHUNK: Final = 50_000
BLAST_CHUNK: Final = 1024  # frames per SimServer.blast call


def generate_frames(count: int, seed: int = 7) -> list[bytes]:
    """`count` realistic frames: ~50% quotes, 20% trades, 20% timesales, 5% tradex, 5% summary."""
    rng = random.Random(seed)
    # Random draws are precomputed and cycled: generating a million frames stays cheap.
    pool = 8192
    moves = [rng.choice((-2, -1, 0, 0, 1, 2)) for _ in range(pool)]
    rolls = [rng.random() for _ in range(pool)]
    sizes = [rng.randint(1, 500) for _ in range(pool)]
    cents = {s: int(BASE_PRICE.get(s, 4.0) * 100) for s in SYMBOLS}
    cvol = dict.fromkeys(SYMBOLS, 1_000_000)
    frames: list[bytes] = []
    append = frames.append
    seq = 100_000
    for i in range(count):
        k = i % pool
        sym = SYMBOLS[i % len(SYMBOLS)]
        ts = START_MS + i * 3
        c = cents[sym] = max(5, cents[sym] + moves[k])
        px, roll, size = c / 100, rolls[k], sizes[k]
        if roll < 0.5:
            append(
                f'{{"type":"quote","symbol":"{sym}","bid":{px - 0.01:.2f},'
                f'"bidsz":{size % 90 + 1},"bidexch":"Q","biddate":"{ts}",'
                f'"ask":{px + 0.01:.2f},"asksz":{size % 37 + 1},"askexch":"Z",'
                f'"askdate":"{ts}"}}'.encode()
            )
        elif roll < 0.75:
            cvol[sym] += size
            kind = "trade" if roll < 0.7 else "tradex"
            append(
                f'{{"type":"{kind}","symbol":"{sym}","exch":"Q","price":"{px:.2f}",'
                f'"size":"{size}","cvol":"{cvol[sym]}","date":"{ts}","last":"{px:.2f}"}}'.encode()
            )
        elif roll < 0.95:
            seq += 1
            append(
                f'{{"type":"timesale","symbol":"{sym}","exch":"Q","bid":"{px - 0.01:.2f}",'
                f'"ask":"{px + 0.01:.2f}","last":"{px:.2f}","size":"{size}",'
                f'"date":"{ts}","seq":{seq},"flag":"","cancel":false,"correction":false,'
                f'"session":"normal"}}'.encode()
            )
        else:
            append(
                f'{{"type":"summary","symbol":"{sym}","open":"{px * 0.99:.2f}",'
                f'"high":"{px * 1.01:.2f}","low":"{px * 0.98:.2f}",'
                f'"prevClose":"{px:.2f}"}}'.encode()
            )
    return frames


def _seconds(decode: Callable[[bytes], Any], frames: Sequence[bytes]) -> float:
    start = time.perf_counter()
    for frame in frames:
        decode(frame)
    return time.perf_counter() - start


def measure_decode(
    frames: Sequence[bytes], rounds: int = ROUNDS, chunk: int = CHUNK
) -> tuple[float, float]:
    """Events/s of the typed decoder and of untyped msgspec over the same frames.

    The two run alternately on chunks of `chunk` frames (order flipped each time), so a
    shared, busy machine slows both alike instead of whichever ran during a busy spell.
    """
    spent = {"typed": 0.0, "untyped": 0.0}
    decoders: dict[str, Callable[[bytes], Any]] = {
        "typed": decode_frame,
        "untyped": msgspec.json.decode,
    }
    gc.collect()
    flip = False
    for _ in range(rounds):
        for start in range(0, len(frames), chunk):
            part = frames[start : start + chunk]
            for name in ("untyped", "typed") if flip else ("typed", "untyped"):
                spent[name] += _seconds(decoders[name], part)
            flip = not flip
    total = rounds * len(frames)
    return total / spent["typed"], total / spent["untyped"]


def check_frames(frames: Sequence[bytes]) -> int:
    """How many frames fail to decode into an event (must be 0)."""
    return sum(isinstance(decode_frame(f), StreamError) for f in frames)


async def _blast(server: SimServer, frames: Sequence[str], seconds: float) -> int:
    """START, frames as fast as the server can send them for `seconds`, END, to every
    subscribed connection. Returns how many frames were sent."""
    chunks = [frames[i : i + BLAST_CHUNK] for i in range(0, len(frames), BLAST_CHUNK)]
    await server.blast([f'{{"type":"summary","symbol":"{START_SYMBOL}"}}'])
    sent = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for chunk in chunks:
            sent += await server.blast(chunk)
            if time.perf_counter() >= deadline:
                break
    await server.blast([f'{{"type":"summary","symbol":"{END_SYMBOL}"}}'])
    return sent


async def _until_subscribed(server: SimServer, within_s: float) -> None:
    deadline = time.monotonic() + within_s
    while not server.stream_stats().subscribed:
        if time.monotonic() > deadline:
            raise RuntimeError("the stream client never subscribed")
        await asyncio.sleep(0.005)


async def _serve_and_blast(conn: Connection, seconds: float, seed: int, count: int) -> None:
    from tradier.sim.server import SimConfig, SimServer

    texts = [f.decode() for f in generate_frames(count, seed)]
    # A clock that stands still: the simulated market publishes nothing, only the blast.
    server = SimServer(SimConfig(start_ms=START_MS, token=BENCH_TOKEN), ManualClock(START_MS))
    await server.start()
    try:
        conn.send((server.api_url, server.ws_url))
        await _until_subscribed(server, 60.0)
        conn.send(await _blast(server, texts, seconds))
        await asyncio.to_thread(conn.recv)  # the client has read everything
    finally:
        await server.stop()


def _simulator_process(conn: Connection, seconds: float, seed: int, count: int) -> None:
    """The simulator in its own process, so sender and receiver each have a core."""
    asyncio.run(_serve_and_blast(conn, seconds, seed, count))


async def _receive(api_url: str, ws_url: str) -> tuple[int, float]:
    from tradier.stream_client import MarketStream

    stream = MarketStream(api_url, ws_url, BENCH_TOKEN, ["SPY", "QQQ", "IWM", "DIA"])
    iterator = aiter(stream)
    async for event in iterator:  # connects and subscribes; the blast starts after that
        if event.symbol == START_SYMBOL:
            break
    received = 0
    start = time.perf_counter()
    async for event in iterator:
        if event.symbol == END_SYMBOL:
            break
        received += 1
    elapsed = time.perf_counter() - start
    await stream.close()
    return received, elapsed


def _from_child(conn: Connection, process: Any, within_s: float) -> Any:
    """The simulator process's next message; fails instead of hanging if it died."""
    deadline = time.monotonic() + within_s
    while not conn.poll(0.1):
        if not process.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the simulator process ended or stalled; see its traceback")
    return conn.recv()


def stream_throughput(
    seconds: float, seed: int = 7, distinct_frames: int = BLAST_FRAMES
) -> tuple[float, int, int]:
    """Events/s a MarketStream sustains from the simulator; (rate, sent, received)."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_simulator_process, args=(child, seconds, seed, distinct_frames), daemon=True
    )
    process.start()
    try:
        api_url, ws_url = _from_child(parent, process, 60.0)
        received, elapsed = asyncio.run(asyncio.wait_for(_receive(api_url, ws_url), seconds + 60.0))
        sent = _from_child(parent, process, 30.0)
        parent.send("done")
    finally:
        process.join(10)
        if process.is_alive():
            process.terminate()
    return received / elapsed, sent, received


def register(parser: argparse.ArgumentParser) -> None:
    """Options of `edgegate bench decode`."""
    parser.add_argument("--frames", type=int, default=1_000_000, help="frames to decode")
    parser.add_argument(
        "--stream-seconds", type=float, default=3.0, help="seconds to blast frames (0 skips)"
    )
    parser.add_argument("--seed", type=int, default=7, help="generator seed")


def main(args: argparse.Namespace | Sequence[str] | None = None) -> int:
    """Run the decode and streaming benchmark; 0 when typed >= untyped and nothing was lost."""
    if not isinstance(args, argparse.Namespace):
        parser = argparse.ArgumentParser(prog="edgegate bench decode")
        register(parser)
        args = parser.parse_args(sys.argv[1:] if args is None else list(args))
    started = time.perf_counter()
    frames = generate_frames(args.frames, args.seed)
    bad = check_frames(frames[:50_000])
    print(f"frames: {len(frames)} generated for {', '.join(SYMBOLS)}; undecodable: {bad}")
    typed, untyped = measure_decode(frames)
    ratio = typed / untyped
    print(f"typed decode_frame: {typed:,.0f} events/s (frozen Structs, one lax tagged-union)")
    print(f"untyped msgspec.json.decode: {untyped:,.0f} events/s (dicts, strings left as-is)")
    stream_rate, sent, received = 0.0, 0, 0
    if args.stream_seconds > 0:
        stream_rate, sent, received = stream_throughput(args.stream_seconds, args.seed)
        print(
            f"stream from simulator over loopback: sent {sent}, received {received}, "
            f"lost {sent - received}: {stream_rate:,.0f} events/s"
        )
    print(f"elapsed: {time.perf_counter() - started:.1f} s")
    print(
        f"decode events_per_s={typed:.0f} ratio_to_untyped={ratio:.2f} "
        f"stream_events_per_s={stream_rate:.0f}"
    )
    return 0 if ratio >= 1.0 and bad == 0 and sent == received else 1
