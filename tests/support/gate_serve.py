"""`edgegate gate serve` as a child process, the way an operator runs it, for tests.

The gate runs on wall time with its own embedded DynamoDB; the simulator it trades with
is the test's (on loopback). The constitution is a copy of `infra/constitution.toml` with
keys replaced, written to a temporary file.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from gatekeeper.constitution import DEFAULT_PATH
from tests.support import dynamo

REPO = Path(__file__).resolve().parents[2]
GATE_TABLE = "edgegate-serve-test-gate"
_SERVING = re.compile(r"serving on (\S+) \(dynamodb (\S+),")


def constitution_file(
    folder: Path, groups: Sequence[tuple[str, Sequence[str], int]] | None = None, **keys: Any
) -> Path:
    """The default constitution with `key = value` lines replaced (and, when given, its
    correlation groups as (name, symbols, cap)), written under `folder`."""
    text = DEFAULT_PATH.read_text()
    split = text.index("[[correlation_groups]]")
    text, default_groups = text[:split], text[split:]
    for key, value in keys.items():
        text, found = re.subn(rf"(?m)^{key} = \S+", f"{key} = {value}", text)
        assert found == 1, f"{key} is not a key of the constitution"
    if groups is None:
        text += default_groups
    elif not groups:
        text = "correlation_groups = []\n" + text  # a root key: before every table
    else:
        for name, symbols, cap in groups:
            listed = ", ".join(f'"{s}"' for s in symbols)
            text += (
                f'[[correlation_groups]]\nname = "{name}"\nsymbols = [{listed}]\n'
                f"max_open_structures = {cap}\n"
            )
    path = folder / "constitution.toml"
    path.write_text(text)
    return path


@dataclass(frozen=True)
class ServedGate:
    """A running `edgegate gate serve`: its URL and its embedded DynamoDB's endpoint."""

    url: str
    dynamodb_endpoint: str
    table: str = GATE_TABLE

    def items(self, pk_prefix: str) -> list[dict[str, Any]]:
        """Every item of the gate table whose pk starts with `pk_prefix` (consistent scan)."""
        client = dynamo.dynamodb_client(self.dynamodb_endpoint)
        pages = client.get_paginator("scan").paginate(TableName=self.table, ConsistentRead=True)
        return [
            item
            for page in pages
            for item in page["Items"]
            if item["pk"]["S"].startswith(pk_prefix)
        ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gate_serve(
    env: Mapping[str, str], *, start_timeout_s: float = 60, state_dir: Path | None = None
) -> Iterator[ServedGate]:
    """Run `python -m edgegate gate serve --no-schedules` on a free port until the block
    ends (then SIGINT, as Ctrl-C would); `env` adds to this process's environment. Its
    tables are kept in `state_dir` when given, else forgotten."""
    # PYTHONFAULTHANDLER: a gate that will not stop is aborted and shows where it hung.
    child_env = {**os.environ, "PYTHONFAULTHANDLER": "1", "EDGEGATE_GATE_TABLE": GATE_TABLE, **env}
    child_env.pop("EDGEGATE_DYNAMODB_ENDPOINT", None)  # its own embedded store
    keep = ["--state-dir", str(state_dir)] if state_dir is not None else ["--forget-state"]
    command = [sys.executable, "-m", "edgegate", "gate", "serve", *keep]
    command += ["--port", str(_free_port()), "--no-schedules", "--log-level", "WARNING"]
    # stderr goes to a file: a pipe nobody reads while the gate works could fill and
    # block it.
    with tempfile.TemporaryFile("w+") as stderr:
        proc = subprocess.Popen(
            command, cwd=REPO, env=child_env, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        try:
            yield _wait_until_serving(proc, stderr, time.monotonic() + start_timeout_s)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)  # a loaded machine tears down slowly
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGABRT)
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
            stderr.seek(0)
            errors = stderr.read()
    # A traceback in the gate's log (a handler fault, a store error) fails the test that
    # provoked it, rather than passing unseen behind a retry or a 200.
    assert proc.returncode == 0, errors
    assert "Traceback" not in errors, errors


def _wait_until_serving(
    proc: subprocess.Popen[str], stderr: IO[str], deadline: float
) -> ServedGate:
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        match = _SERVING.search(line)
        if match:
            return ServedGate(match.group(1), match.group(2))
        if proc.poll() is not None:
            break
    stderr.seek(0)
    raise AssertionError(f"edgegate gate serve did not start: {stderr.read()}")
