"""functions.http: v2 events to requests and gate responses to v2 responses."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import pytest

from functions.errors import BadEvent
from functions.http import Headers, error_response, parse_event, to_response
from gatekeeper.signing import Target
from tests.support.events import event_body, load_event


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any


def test_parse_event_when_text_body_then_raw_bytes_and_route_kept() -> None:
    event = load_event("proposals_post")
    request = parse_event(event)
    assert request.method == "POST"
    assert request.path == "/v1/proposals"
    assert request.route_key == "POST /v1/proposals"
    assert request.body == event["body"].encode("utf-8")
    assert request.request_id == event["requestContext"]["requestId"]
    assert request.source_ip == "203.0.113.10"


def test_parse_event_when_base64_body_then_decoded_bytes() -> None:
    event = load_event("proposals_post_base64")
    request = parse_event(event)
    assert request.body == base64.b64decode(event["body"])
    assert json.loads(request.body)["symbol"] == "SPY"


def test_parse_event_when_base64_flag_and_junk_body_then_bad_event_names_body() -> None:
    event = load_event("proposals_post_base64")
    event["body"] = "not base64 !!"
    with pytest.raises(BadEvent) as caught:
        parse_event(event)
    assert caught.value.field == "body"


def test_parse_event_when_no_body_then_empty_bytes_and_path_parameters() -> None:
    request = parse_event(load_event("proposal_get"))
    assert request.body == b""
    assert request.path_parameters == {"id": "3f2b8c1e-7a4d-4e9b-9c2a-5d6e7f8a9b0c"}


def test_parse_event_when_not_http_api_event_then_bad_event() -> None:
    with pytest.raises(BadEvent) as caught:
        parse_event(load_event("schedule_reconcile"))
    assert caught.value.field == "requestContext.http"


def test_parse_event_when_headers_not_strings_then_bad_event_names_headers() -> None:
    event = load_event("status_get")
    event["headers"] = {"x-edgegate-timestamp": 5}
    with pytest.raises(BadEvent) as caught:
        parse_event(event)
    assert caught.value.field == "headers"


def test_headers_when_looked_up_in_any_case_then_found() -> None:
    headers = Headers({"X-Edgegate-Signature": "v2=ab", "x-other": "1"})
    assert headers["x-edgegate-signature"] == "v2=ab"
    assert headers.get("X-EDGEGATE-SIGNATURE") == "v2=ab"
    assert "X-Other" in headers
    assert sorted(headers) == ["x-edgegate-signature", "x-other"]


def test_headers_when_repeated_in_different_case_then_joined_with_comma() -> None:
    headers = Headers({"Accept": "a", "accept": "b"})
    assert headers["accept"] == "a,b"


def test_headers_repr_when_printed_then_values_hidden() -> None:
    assert "v2=secret" not in repr(Headers({"x-edgegate-signature": "v2=secret"}))


def test_to_response_when_dict_body_then_json_string_and_headers() -> None:
    response = to_response(Reply(200, {"decision": "APPROVED"}), {"x-request-id": "r1"})
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"decision": "APPROVED"}
    assert response["headers"]["content-type"] == "application/json"
    assert response["headers"]["x-request-id"] == "r1"
    assert response["isBase64Encoded"] is False


def test_to_response_when_bytes_body_then_passed_through() -> None:
    assert to_response(Reply(401, b'{"error":{}}'))["body"] == '{"error":{}}'


def test_error_response_when_built_then_design_error_shape() -> None:
    response = error_response(400, "INVALID_REQUEST", "bad", "body")
    assert json.loads(response["body"]) == {
        "error": {"code": "INVALID_REQUEST", "message": "bad", "field": "body"}
    }


def test_event_body_helper_when_text_event_then_same_as_parse() -> None:
    event = load_event("heartbeat_post")
    assert parse_event(event).body == event_body(event)


def test_parse_event_when_query_string_then_target_keeps_raw_path_and_raw_query() -> None:
    # The signature binds the query as sent (encoded, in order), not the parsed parameters.
    event = load_event("status_get")
    event["rawQueryString"] = "verbose=1&x=a%20b"
    event["queryStringParameters"] = {"verbose": "1", "x": "a b"}
    request = parse_event(event)
    assert request.target == Target("GET", "/v1/status", "verbose=1&x=a%20b")


def test_parse_event_when_no_query_then_target_query_empty() -> None:
    assert parse_event(load_event("proposals_post")).target == Target("POST", "/v1/proposals")


def test_parse_event_when_raw_query_not_a_string_then_bad_event() -> None:
    event = load_event("status_get")
    event["rawQueryString"] = 5
    with pytest.raises(BadEvent):
        parse_event(event)
