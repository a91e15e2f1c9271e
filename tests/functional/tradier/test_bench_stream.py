"""The streaming half of `edgegate bench decode`: simulator in its own process, loopback."""

from __future__ import annotations

from tradier.bench import stream_throughput


def test_stream_throughput_when_blasting_briefly_then_nothing_lost() -> None:
    rate, sent, received = stream_throughput(0.3, seed=5, distinct_frames=2_000)
    assert sent > 0 and received == sent
    assert rate > 0
