"""An embedded moto DynamoDB that keeps DynamoDB's promises under concurrent requests.

moto's DynamoDB backend is not thread-safe, and its threaded server runs requests in
parallel: a condition is read and the item written without a lock (two writers can both
pass `attribute_not_exists`), a `TransactWriteItems` deep-copies each table as its backup
while other threads write to it ("dictionary changed size during iteration"), and a
cancelled transaction restores that whole-table copy, undoing other requests' writes. Real
DynamoDB is linearizable per item and transactions are isolated, so serving one request
at a time, the whole request including its response, makes moto a faithful stand-in for
every conditional write and transaction the gate makes; the gates' own concurrency (between
their calls) stays fully interleaved.

moto's backends are process-wide, so the lock is too: two embedded servers in one process
(tests, a demo next to a gate) share one backend and must share one lock.
"""

from __future__ import annotations

import copy
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

BACKEND_LOCK = threading.Lock()


class SerializedApp:
    """A WSGI app that runs one request at a time under `BACKEND_LOCK`."""

    def __init__(self, app: Any, lock: threading.Lock = BACKEND_LOCK) -> None:
        self._app = app
        self._lock = lock

    def __call__(self, environ: Any, start_response: Any) -> Iterable[bytes]:
        # The response is drawn out inside the lock: moto may build it lazily from the
        # backend's state, which must not change under it.
        with self._lock:
            return list(self._app(environ, start_response))


class _TransactionBackup:
    """Stands in for the `copy` module inside moto's DynamoDB backend.

    Before a transaction moto backs each table up with a `deepcopy` of the whole table
    (once per item of the transaction), to put back if the transaction is cancelled. That
    costs a copy of every item for every transaction: the gate's tables grow by two items
    per proposal, so a burst of proposals slowed down quadratically. A transaction can
    change only the items it names, so inside one this returns a backup that shares every
    other item and deep-copies only those; put back after a cancellation it is the same
    table as moto's own backup. Serialized requests make the sharing safe: nothing else
    writes while a transaction runs. Outside a transaction it is plain `copy.deepcopy`.
    """

    def __init__(self) -> None:
        # Per thread: in-process moto (`mock_aws`, no server, no lock) may run
        # transactions on several threads, and one's items must not shape another's backup.
        self._local = threading.local()

    def begin(self, transact_items: list[dict[str, Any]]) -> None:
        self._local.items, self._local.made = transact_items, {}

    def end(self) -> None:
        self._local.items, self._local.made = None, {}

    def deepcopy(self, obj: Any, memo: Any = None) -> Any:
        from moto.dynamodb.models.table import Table

        items = getattr(self._local, "items", None)
        # The backend deep-copies items too (an update's old image): those stay plain.
        if items is None or not isinstance(obj, Table):
            return copy.deepcopy(obj, memo)
        made: dict[int, Any] = self._local.made
        if id(obj) not in made:
            made[id(obj)] = self._backup(obj, items)
        return made[id(obj)]

    def _backup(self, table: Any, items: list[dict[str, Any]]) -> Any:
        from moto.dynamodb.models.dynamo_type import DynamoType

        if table.range_key_attr is None:
            return copy.deepcopy(table)  # not the gate's shape: moto's own way
        backup = copy.copy(table)
        backup.items = defaultdict(dict, {h: dict(by_range) for h, by_range in table.items.items()})
        for op in (next(iter(entry.values())) for entry in items):
            if op.get("TableName") not in (table.name, table.table_arn):
                continue
            attrs = op.get("Key") or op.get("Item") or {}
            try:
                hash_key = DynamoType(attrs[table.hash_key_attr])
                range_key = DynamoType(attrs[table.range_key_attr])
            except KeyError:
                return copy.deepcopy(table)  # a malformed item: moto will refuse it
            current = table.items.get(hash_key, {}).get(range_key)
            if current is not None:
                backup.items[hash_key][range_key] = copy.deepcopy(current)
        return backup


def backup_only_what_transactions_touch() -> None:
    """Make moto back up only a transaction's own items (idempotent; safe only serialized)."""
    from moto.dynamodb import models

    if isinstance(getattr(models, "copy", None), _TransactionBackup):
        return
    shim = _TransactionBackup()
    original = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: Any) -> Any:
        shim.begin(transact_items)
        try:
            return original(self, transact_items)
        finally:
            shim.end()

    models.copy = shim  # type: ignore[assignment]
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


class SerializedMotoServer(ThreadedMotoServer):
    """`ThreadedMotoServer` whose requests run one at a time (see the module docstring)."""

    def _server_entry(self) -> None:
        backup_only_what_transactions_touch()
        app = SerializedApp(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()
