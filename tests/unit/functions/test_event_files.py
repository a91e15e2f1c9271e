"""The committed API Gateway v2 event files are signed v2, as the brain signs them."""

from __future__ import annotations

import pytest

from gatekeeper.signing import NONCE_HEADER, SignatureFailure, Verified, verify
from tests.support.events import (
    EVENTS,
    FILE_ADMIN_SECRET,
    FILE_SECRET,
    event_body,
    event_target,
    load_event,
)

SIGNED = sorted(path.stem for path in EVENTS.glob("*.json") if "headers" in load_event(path.stem))


def test_event_files_when_listed_then_every_http_route_has_one() -> None:
    assert {"proposals_post", "proposal_get", "status_get", "heartbeat_post"} <= set(SIGNED)
    assert {"admin_state_post", "admin_flatten_post"} <= set(SIGNED)


@pytest.mark.parametrize("name", SIGNED)
def test_event_file_when_verified_at_its_own_time_then_v2_signature_holds(name: str) -> None:
    event = load_event(name)
    headers = event["headers"]
    secret = FILE_ADMIN_SECRET if name.startswith("admin_") else FILE_SECRET
    at = int(headers["x-edgegate-timestamp"])
    result = verify(secret, headers, event_target(event), event_body(event), at)
    assert result == Verified(at, headers[NONCE_HEADER.lower()])
    assert headers["x-edgegate-signature"].startswith("v2=")


@pytest.mark.parametrize("name", SIGNED)
def test_event_file_when_verified_with_the_other_secret_then_refused(name: str) -> None:
    event = load_event(name)
    secret = FILE_SECRET if name.startswith("admin_") else FILE_ADMIN_SECRET
    at = int(event["headers"]["x-edgegate-timestamp"])
    result = verify(secret, event["headers"], event_target(event), event_body(event), at)
    assert isinstance(result, SignatureFailure)
