"""What must survive a restart, written atomically.

A write goes to a temporary file in the same directory, is flushed and fsync'ed, then
`os.replace`d over the target, and the directory is fsync'ed so the rename itself is
durable. A reader therefore sees the old state or the new one, never half of either.
State is JSON (msgspec), with a version number so an old file is recognised.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any, Final

import msgspec

STATE_VERSION: Final = 1
_ENCODER = msgspec.json.Encoder(decimal_format="string")


class StateFileError(Exception):
    """A state file that exists but cannot be read back; `name` is its document."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(message)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically and durably."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    # Not every platform lets a directory be opened; the rename is atomic regardless.
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


class StateStore:
    """Named JSON documents under one directory, each written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, name: str) -> Path:
        """The file that holds document `name`."""
        if not name or "/" in name or name.startswith("."):
            raise ValueError(f"name: must be a plain file name, got {name!r}")
        return self.directory / f"{name}.json"

    def save(self, name: str, document: dict[str, Any]) -> None:
        """Write `document` under `name`, with the state version."""
        body = {"version": STATE_VERSION, "data": document}
        write_atomic(self.path(name), _ENCODER.encode(body))

    def load(self, name: str) -> dict[str, Any] | None:
        """The document saved under `name`, or None when there is none."""
        path = self.path(name)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            body = msgspec.json.decode(raw)
        except msgspec.DecodeError as exc:
            raise StateFileError(name, f"{path}: not valid JSON") from exc
        if not isinstance(body, dict) or body.get("version") != STATE_VERSION:
            raise StateFileError(name, f"{path}: unknown state version")
        data = body.get("data")
        if not isinstance(data, dict):
            raise StateFileError(name, f"{path}: data must be an object")
        return data

    def quarantine(self, name: str) -> Path | None:
        """Move an unreadable document aside (never overwritten by the next save); returns
        where it went, or None when there was no such file."""
        path = self.path(name)
        for n in range(1, 10_000):
            target = path.with_name(f"{name}.unreadable-{n}.json")
            if not target.exists():
                break
        try:
            os.replace(path, target)
        except FileNotFoundError:
            return None
        _fsync_dir(path.parent)
        return target
