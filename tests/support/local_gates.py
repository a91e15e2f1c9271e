"""`local_gate` for tests that must leave nothing behind: the embedded DynamoDB is moto,
whose tables live in the test process, so a gate table left over would show up in (and
carry its HALTED state into) a later test's gate."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from functions.local.embedded import LocalGate, local_gate


@contextmanager
def scratch_local_gate(env: Mapping[str, str], **options: Any) -> Iterator[LocalGate]:
    """A local gate whose gate table is deleted when the block ends."""
    with local_gate(env, **options) as running:
        try:
            yield running
        finally:
            running.dynamodb.delete_table(TableName=running.config.gate_table)
