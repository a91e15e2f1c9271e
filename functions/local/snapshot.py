"""The embedded DynamoDB's tables kept in a state directory, so that `gate serve` restarted
remembers what it had: the trading state, open structures, the ledger and today's baseline.

Without it a restarted local gate starts ACTIVE with no open structures while the
simulator still holds the positions: its limits would count from zero. The tables are
scanned into one JSON file, written atomically (temp file, fsync, rename), at stop and
every `interval_s` while serving; they are loaded back before the first request.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger("edgegate.functions")
FILE_NAME = "tables.json"
VERSION = 1


def _to_json(value: Any) -> Any:
    # DynamoDB's binary types are bytes in boto3; JSON needs text.
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b64__"}:
            return base64.b64decode(value["__b64__"])
        return {k: _from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


def save_tables(client: Any, tables: Sequence[str], state_dir: Path) -> int:
    """Write every item of `tables` to the state file; the number of items."""
    dump: dict[str, list[Any]] = {}
    for table in tables:
        items: list[Any] = []
        for page in client.get_paginator("scan").paginate(TableName=table):
            items.extend(page.get("Items", []))
        dump[table] = items
    state_dir.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"version": VERSION, "tables": _to_json(dump)}).encode()
    fd, tmp = tempfile.mkstemp(prefix=f".{FILE_NAME}.", suffix=".tmp", dir=state_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, state_dir / FILE_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sum(len(items) for items in dump.values())


def load_tables(client: Any, tables: Sequence[str], state_dir: Path) -> int:
    """Put the saved items of `tables` back; the number of items (0 with no file)."""
    path = state_dir / FILE_NAME
    if not path.is_file():
        return 0
    saved = json.loads(path.read_text(encoding="utf-8"))
    if saved.get("version") != VERSION:
        raise ValueError(f"{path}: unknown version {saved.get('version')!r}")
    count = 0
    for table, items in _from_json(saved["tables"]).items():
        if table not in tables:
            continue
        for item in items:
            client.put_item(TableName=table, Item=item)
            count += 1
    return count


@contextmanager
def kept_tables(
    client: Any, tables: Sequence[str], state_dir: Path, interval_s: float = 30.0
) -> Iterator[int]:
    """Load the tables, keep saving them while the block runs, save once more at its end;
    yields the number of items restored."""
    restored = load_tables(client, tables, state_dir)
    stop = threading.Event()

    def keep() -> None:
        while not stop.wait(interval_s):
            try:
                save_tables(client, tables, state_dir)
            except Exception as exc:  # the next save, or the one at stop, may succeed
                log.warning("gate state not saved to %s: %s", state_dir, exc)

    thread = threading.Thread(target=keep, name="gate-state", daemon=True)
    thread.start()
    try:
        yield restored
    finally:
        stop.set()
        thread.join(timeout=5)
        save_tables(client, tables, state_dir)
