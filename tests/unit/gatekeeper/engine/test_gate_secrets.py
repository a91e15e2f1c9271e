"""The `Gate` itself refuses HMAC secrets that mean nothing, whoever composes it."""

from __future__ import annotations

import pytest

from gatekeeper.service import Gate
from gatekeeper.store import MemoryGateStore
from tests.support.gate_harness import ADMIN, SIGNING, constitution
from tradier.clock import ManualClock


def _gate(signing: bytes | None, admin: bytes | None) -> Gate:
    return Gate(
        store=MemoryGateStore(),
        tradier=None,
        constitution=constitution(),
        clock=ManualClock(0),
        signing_secret=signing,
        admin_secret=admin,
    )


@pytest.mark.parametrize(
    ("signing", "admin", "named"),
    [
        (b"x", ADMIN, "signing_secret"),
        (SIGNING, b"x" * 31, "admin_secret"),
        (SIGNING, SIGNING, "admin_secret: must differ"),
    ],
)
def test_gate_when_secret_short_or_shared_then_value_error_naming_it(
    signing: bytes, admin: bytes, named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        _gate(signing, admin)


def test_gate_when_a_route_has_no_secret_then_composed_and_that_route_refused() -> None:
    # A deployed admin function holds only the admin secret: proposals are then refused.
    gate = _gate(None, ADMIN)
    assert gate.submit_proposal({}, b"{}").status == 401
