"""The committed OpenAPI document matches the contract and is valid OpenAPI 3.1."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

from gatekeeper.openapi import build, render

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def test_openapi_when_generated_then_matches_committed_file() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/openapi.json drifted from the contract: run "
        "`.venv/bin/python -m gatekeeper.openapi > docs/openapi.json` and commit it"
    )


def test_openapi_when_validated_then_valid_3_1() -> None:
    document = build()
    assert document["openapi"] == "3.1.0"
    validate(json.loads(render()))


def test_openapi_when_read_then_every_route_and_status_present() -> None:
    paths = build()["paths"]
    routes = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert routes == {
        ("POST", "/v1/proposals"),
        ("GET", "/v1/proposals/{id}"),
        ("GET", "/v1/status"),
        ("POST", "/v1/heartbeat"),
        ("POST", "/v1/admin/state"),
        ("POST", "/v1/admin/flatten"),
    }
    assert set(paths["/v1/proposals"]["post"]["responses"]) == {
        "200",
        "400",
        "401",
        "409",
        "413",
        "503",
    }


def test_openapi_when_admin_route_then_admin_secret_required() -> None:
    paths = build()["paths"]
    assert paths["/v1/admin/state"]["post"]["security"] == [{"adminSignature": []}]
    assert paths["/v1/proposals"]["post"]["security"] == [{"gateSignature": []}]


def test_openapi_when_proposal_schema_then_unknown_fields_forbidden() -> None:
    schema = build()["components"]["schemas"]["Proposal"]
    assert schema["additionalProperties"] is False
    assert "id" in schema["required"]


def test_openapi_when_read_then_every_route_requires_v2_timestamp_and_nonce_headers() -> None:
    document = build()
    for ops in document["paths"].values():
        for operation in ops.values():
            refs = {p.get("$ref") for p in operation["parameters"]}
            assert {"#/components/parameters/Timestamp", "#/components/parameters/Nonce"} <= refs
            assert "NONCE_REUSED" in operation["responses"]["401"]["description"]
    nonce = document["components"]["parameters"]["Nonce"]
    assert (nonce["name"], nonce["in"], nonce["required"]) == ("X-Edgegate-Nonce", "header", True)
    assert nonce["schema"]["pattern"] == "^[A-Za-z0-9_-]{16,64}$"
    text = document["components"]["securitySchemes"]["gateSignature"]["description"]
    assert '"<timestamp>\\n<nonce>\\n<METHOD>\\n<path>\\n<query>\\n" + raw body' in text


def test_openapi_when_error_codes_listed_then_nonce_reused_among_them() -> None:
    schemas = build()["components"]["schemas"]
    assert schemas["ErrorDetail"]["properties"]["code"] == {
        "$ref": "#/components/schemas/ErrorCode"
    }
    assert "NONCE_REUSED" in schemas["ErrorCode"]["enum"]
