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


class _OneBackupPerTable:
    """Stands in for the `copy` module inside moto's DynamoDB backend.

    Before a transaction moto backs a table up with one `deepcopy` per item of the
    transaction, all taken before anything is written, so all identical. Inside a
    transaction this returns the first copy again: one copy instead of one per item, the
    same result. Outside a transaction it is plain `copy.deepcopy`.
    """

    def __init__(self) -> None:
        self.active: dict[int, Any] | None = None

    def deepcopy(self, obj: Any, memo: Any = None) -> Any:
        if self.active is None:
            return copy.deepcopy(obj, memo)
        if id(obj) not in self.active:
            self.active[id(obj)] = copy.deepcopy(obj, memo)
        return self.active[id(obj)]


def backup_each_table_once() -> None:
    """Make moto copy a table once per transaction (idempotent; safe only serialized)."""
    from moto.dynamodb import models

    if isinstance(getattr(models, "copy", None), _OneBackupPerTable):
        return
    shim = _OneBackupPerTable()
    original = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: Any) -> Any:
        shim.active = {}
        try:
            return original(self, transact_items)
        finally:
            shim.active = None

    models.copy = shim  # type: ignore[assignment]
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


class SerializedMotoServer(ThreadedMotoServer):
    """`ThreadedMotoServer` whose requests run one at a time (see the module docstring)."""

    def _server_entry(self) -> None:
        backup_each_table_once()
        app = SerializedApp(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()
