"""Property tests: valid proposals round-trip; any mutation fails only as ContractError."""

from __future__ import annotations

import copy
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.contract import ContractError, Proposal, decode_proposal, encode
from tests.unit.gatekeeper.builders import ALL_VALID

JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = sorted({k for v in ALL_VALID.values() for k in v} | {"context", "extra"})


@st.composite
def valid_proposals(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(ALL_VALID[draw(st.sampled_from(sorted(ALL_VALID)))])
    data["quantity"] = draw(st.integers(1, 1_000_000))
    data["created_at"] = draw(st.integers(0, 4_102_444_800_000))
    data["id"] = str(draw(st.uuids()))
    data["context"] = draw(st.dictionaries(st.text(max_size=10), JSON, max_size=5))
    if data.get("price") is not None:
        whole = draw(st.integers(0, 99_999_999))
        cents = draw(st.integers(1 if whole == 0 else 0, 9999))
        data["price"] = f"{whole}.{cents:04d}"
    return data


@settings(max_examples=300, deadline=None)
@given(valid_proposals())
def test_decode_when_valid_proposal_then_encode_decode_round_trips(data: dict[str, Any]) -> None:
    decoded = decode_proposal(msgspec.json.encode(data))
    assert isinstance(decoded, Proposal)
    assert decode_proposal(encode(decoded)) == decoded


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(valid_proposals())
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["drop", "set", "leg", "source"]))
        if action == "drop" and data:
            data.pop(draw(st.sampled_from(sorted(data))))
        elif action == "set":
            data[draw(st.sampled_from(KEYS))] = draw(JSON)
        elif action == "leg" and isinstance(data.get("legs"), list) and data["legs"]:
            target = data["legs"][draw(st.integers(0, len(data["legs"]) - 1))]
            if isinstance(target, dict):  # an earlier "set" may have replaced the legs
                key = draw(st.sampled_from(["option_symbol", "side", "ratio", "x"]))
                target[key] = draw(JSON)
        elif action == "source":
            data["source"] = draw(JSON)
    raw = msgspec.json.encode(data)
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=4)) + raw[cut:]
    return raw


@settings(max_examples=600, deadline=None)
@given(mutated())
def test_decode_when_body_mutated_then_only_contract_error(raw: bytes) -> None:
    try:
        decoded = decode_proposal(raw)
    except ContractError as error:
        assert error.rule
        assert error.field is None or isinstance(error.field, str)
    else:
        assert decode_proposal(encode(decoded)) == decoded


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=256))
def test_decode_when_random_bytes_then_only_contract_error(raw: bytes) -> None:
    try:
        decode_proposal(raw)
    except ContractError as error:
        assert error.rule
