"""Request signing v2: known-answer vectors, every refusal reason, binding, rotation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.signing import (
    MIN_SECRET_BYTES,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureFailure,
    SignatureFailureReason,
    Target,
    Verified,
    canonical,
    new_nonce,
    secret_problem,
    sign,
    signed_headers,
    verify,
)

SECRET = b"test-signing-secret-" + b"x" * 20
OTHER = b"other-signing-secret-" + b"x" * 20
NOW = 1_700_000_000_000
NONCE = "nonce-0123456789abcdef"
BODY = b'{"hello":"world"}'
POST = Target("POST", "/v1/proposals")
# printf '1700000000000\nnonce-0123456789abcdef\nPOST\n/v1/proposals\n\n{"hello":"world"}' \
#   | openssl dgst -sha256 -hmac test-signing-secret-xxxxxxxxxxxxxxxxxxxx
VECTOR = "v2=24f7ed4ac927f2e8df23079b3b65094372a0ad2f2d5396e53737de126bbd9454"
# printf '1700000000000\nnonce-0123456789abcdef\nGET\n/v1/status\nverbose=1&x=a%%20b\n' \
#   | openssl dgst -sha256 -hmac test-signing-secret-xxxxxxxxxxxxxxxxxxxx
GET_VECTOR = "v2=fd177de3a8894465d5a3dc7d9c1116914b98732095dcf77cb5a88be0d2358f3e"
GET_STATUS = Target("GET", "/v1/status", "verbose=1&x=a%20b")
# printf '1700000000000.{"hello":"world"}' | openssl dgst -sha256 -hmac <SECRET>: what v1 sent.
V1_VECTOR = "v1=480657cdc2ff70529cdb5fdfc203b2d0625bb5da80cc73fdb251c3d4b5cdaba0"


def headers(signature: str = VECTOR, **extra: str) -> dict[str, str]:
    values = {TIMESTAMP_HEADER: str(NOW), NONCE_HEADER: NONCE, SIGNATURE_HEADER: signature}
    values.update(extra)
    return values


def reason(
    sent: dict[str, str], body: bytes = BODY, now: int = NOW, target: Target = POST
) -> object:
    result = verify(SECRET, sent, target, body, now)
    return result.reason if isinstance(result, SignatureFailure) else None


def test_sign_when_known_vector_then_matches_openssl() -> None:
    assert sign(SECRET, NOW, NONCE, POST, BODY) == VECTOR


def test_sign_when_get_with_query_then_matches_openssl() -> None:
    assert sign(SECRET, NOW, NONCE, GET_STATUS, b"") == GET_VECTOR


def test_canonical_when_built_then_five_lines_then_the_raw_body() -> None:
    expected = b'1700000000000\nnonce-0123456789abcdef\nPOST\n/v1/proposals\n\n{"hello":"world"}'
    assert canonical(str(NOW), NONCE, Target("post", "/v1/proposals"), BODY) == expected


def test_signed_headers_when_built_then_verify_accepts_with_timestamp_and_nonce() -> None:
    sent = signed_headers(SECRET, POST, BODY, NOW, NONCE)
    assert sent == headers()
    assert verify(SECRET, sent, POST, BODY, NOW) == Verified(NOW, NONCE)


def test_signed_headers_when_no_nonce_given_then_fresh_one_each_time() -> None:
    first = signed_headers(SECRET, POST, BODY, NOW)
    second = signed_headers(SECRET, POST, BODY, NOW)
    assert first[NONCE_HEADER] != second[NONCE_HEADER]
    assert verify(SECRET, first, POST, BODY, NOW) == Verified(NOW, first[NONCE_HEADER])


def test_new_nonce_when_random_source_injected_then_32_url_safe_characters() -> None:
    assert new_nonce(lambda n: b"\xff" * n) == "_" * 32
    assert new_nonce(lambda n: bytes(range(n))) == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX"


def test_verify_when_headers_lower_case_then_accepted() -> None:
    assert reason({k.lower(): v for k, v in headers().items()}) is None


def test_verify_when_body_tampered_then_mismatch() -> None:
    assert reason(headers(), body=BODY + b" ") is SignatureFailureReason.MISMATCH


def test_verify_when_wrong_secret_then_mismatch() -> None:
    sent = signed_headers(OTHER, POST, BODY, NOW, NONCE)
    assert reason(sent) is SignatureFailureReason.MISMATCH


def test_verify_when_timestamp_changed_then_mismatch() -> None:
    assert reason(headers(**{TIMESTAMP_HEADER: str(NOW + 1)})) is SignatureFailureReason.MISMATCH


def test_verify_when_nonce_changed_then_mismatch() -> None:
    other = headers(**{NONCE_HEADER: "nonce-0123456789abcdeF"})
    assert reason(other) is SignatureFailureReason.MISMATCH


@pytest.mark.parametrize(
    "target",
    [
        Target("POST", "/v1/admin/state"),
        Target("POST", "/v1/admin/flatten"),
        Target("GET", "/v1/proposals"),
        Target("POST", "/v1/proposals", "x=1"),
        Target("POST", "/v1/proposals/"),
        Target("POST", "/prod/v1/proposals"),
    ],
)
def test_verify_when_sent_to_another_method_path_or_query_then_mismatch(target: Target) -> None:
    assert reason(headers(), target=target) is SignatureFailureReason.MISMATCH


def test_verify_when_query_reordered_then_mismatch() -> None:
    reordered = Target("GET", "/v1/status", "x=a%20b&verbose=1")
    assert reason(headers(GET_VECTOR), b"", target=GET_STATUS) is None
    assert reason(headers(GET_VECTOR), b"", target=reordered) is SignatureFailureReason.MISMATCH


def test_verify_when_method_lower_case_then_same_as_upper() -> None:
    assert reason(headers(), target=Target("post", "/v1/proposals")) is None


def test_verify_when_line_break_in_path_or_query_then_malformed_target() -> None:
    split = Target("POST", "/v1/proposals\n", "")
    assert reason(headers(), target=split) is SignatureFailureReason.MALFORMED_TARGET
    with pytest.raises(ValueError, match="target"):
        sign(SECRET, NOW, NONCE, Target("GET", "/v1/status", "a\nb"), b"")


def test_verify_when_v1_signature_then_retired_version_named_in_message() -> None:
    # The exact v1 signature the gate used to accept for this body and time.
    result = verify(SECRET, headers(V1_VECTOR), POST, BODY, NOW)
    assert isinstance(result, SignatureFailure)
    assert result.reason is SignatureFailureReason.RETIRED_VERSION
    assert "v1 is retired" in result.message and "v2" in result.message


def test_verify_when_v1_without_nonce_header_then_retired_version() -> None:
    sent = {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: V1_VECTOR}
    assert reason(sent) is SignatureFailureReason.RETIRED_VERSION


def test_verify_when_timestamp_missing_then_missing_timestamp() -> None:
    sent = headers()
    del sent[TIMESTAMP_HEADER]
    assert reason(sent) is SignatureFailureReason.MISSING_TIMESTAMP


def test_verify_when_signature_missing_then_missing_signature() -> None:
    sent = headers()
    del sent[SIGNATURE_HEADER]
    assert reason(sent) is SignatureFailureReason.MISSING_SIGNATURE


def test_verify_when_nonce_missing_then_missing_nonce() -> None:
    sent = headers()
    del sent[NONCE_HEADER]
    assert reason(sent) is SignatureFailureReason.MISSING_NONCE


@pytest.mark.parametrize(
    "nonce",
    ["", "short", "x" * 15, "x" * 65, "has space in it!!", "nonce.with.dots.12", "a,b" * 8],
)
def test_verify_when_nonce_malformed_then_malformed_nonce(nonce: str) -> None:
    assert reason(headers(**{NONCE_HEADER: nonce})) is SignatureFailureReason.MALFORMED_NONCE


@pytest.mark.parametrize("length", [16, 64])
def test_sign_when_nonce_at_length_bounds_then_verifies(length: int) -> None:
    nonce = "a" * length
    sent = signed_headers(SECRET, POST, BODY, NOW, nonce)
    assert verify(SECRET, sent, POST, BODY, NOW) == Verified(NOW, nonce)


def test_sign_when_nonce_malformed_then_value_error() -> None:
    with pytest.raises(ValueError, match="nonce"):
        sign(SECRET, NOW, "short", POST, BODY)


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "+1700000000000", " 1700000000000", "1e12", "1_0"]
)
def test_verify_when_timestamp_malformed_then_malformed(value: str) -> None:
    assert (
        reason(headers(**{TIMESTAMP_HEADER: value})) is SignatureFailureReason.MALFORMED_TIMESTAMP
    )


def test_verify_when_timestamp_older_than_tolerance_then_stale() -> None:
    sent = signed_headers(SECRET, POST, BODY, NOW - 30_001, NONCE)
    assert reason(sent) is SignatureFailureReason.STALE_TIMESTAMP


def test_verify_when_timestamp_ahead_of_tolerance_then_future() -> None:
    sent = signed_headers(SECRET, POST, BODY, NOW + 30_001, NONCE)
    assert reason(sent) is SignatureFailureReason.FUTURE_TIMESTAMP


def test_verify_when_timestamp_at_tolerance_edge_then_accepted() -> None:
    assert reason(signed_headers(SECRET, POST, BODY, NOW - 30_000, NONCE)) is None
    assert reason(signed_headers(SECRET, POST, BODY, NOW + 30_000, NONCE)) is None


def test_verify_when_only_unknown_version_then_unknown_version() -> None:
    assert reason(headers("v3=" + "0" * 64)) is SignatureFailureReason.UNKNOWN_VERSION


@pytest.mark.parametrize(
    "value", ["", "v2", "v2=", "=abc", "v2=XYZ", "v2=" + "A" * 64, VECTOR + "0"]
)
def test_verify_when_signature_malformed_then_malformed(value: str) -> None:
    assert reason(headers(value)) is SignatureFailureReason.MALFORMED_SIGNATURE


def test_sign_when_two_secrets_then_one_value_each_and_either_verifies() -> None:
    both = sign([OTHER, SECRET], NOW, NONCE, POST, BODY)
    old, new = both.split(",")
    assert new == VECTOR and old == sign(OTHER, NOW, NONCE, POST, BODY)
    assert reason(headers(both)) is None


def test_verify_when_signer_sends_old_and_new_signatures_then_accepted() -> None:
    old = sign(OTHER, NOW, NONCE, POST, BODY)
    assert reason(headers(f"{old}, {VECTOR}")) is None


def test_verify_when_v1_alongside_v2_then_v2_used() -> None:
    assert reason(headers(f"{V1_VECTOR},{VECTOR}")) is None


def test_verify_when_verifier_holds_two_secrets_then_either_accepted() -> None:
    sent = signed_headers(OTHER, POST, BODY, NOW, NONCE)
    assert verify([SECRET, OTHER], sent, POST, BODY, NOW) == Verified(NOW, NONCE)
    assert isinstance(verify([SECRET], sent, POST, BODY, NOW), SignatureFailure)


def test_verify_when_too_many_values_then_malformed() -> None:
    assert reason(headers(",".join([VECTOR] * 9))) is SignatureFailureReason.MALFORMED_SIGNATURE


def test_sign_when_secret_empty_then_value_error() -> None:
    with pytest.raises(ValueError, match="secret"):
        sign(b"", NOW, NONCE, POST, BODY)
    with pytest.raises(ValueError, match="secret"):
        verify(b"", {}, POST, BODY, NOW)


def test_verify_when_failure_message_then_names_no_secret() -> None:
    result = verify(SECRET, signed_headers(OTHER, POST, BODY, NOW), POST, BODY, NOW)
    assert isinstance(result, SignatureFailure)
    assert SECRET.decode() not in result.message


@pytest.mark.parametrize(
    ("secret", "refused"),
    [(b"x", True), (b"x" * (MIN_SECRET_BYTES - 1), True), (b"x" * MIN_SECRET_BYTES, False)],
)
def test_secret_problem_when_shorter_than_32_bytes_then_named(secret: bytes, refused: bool) -> None:
    problem = secret_problem(secret)
    assert (problem is not None) is refused
    if refused:
        assert problem == f"must be at least 32 bytes, got {len(secret)}"


@given(
    body=st.binary(max_size=512),
    ts=st.integers(0, 10**13),
    secret=st.binary(min_size=1),
    nonce=st.from_regex(r"\A[A-Za-z0-9_-]{16,64}\Z"),
    path=st.from_regex(r"\A/[a-z0-9/{}%-]{0,40}\Z"),
    query=st.from_regex(r"\A[a-z0-9=&%]{0,40}\Z"),
)
def test_verify_when_any_signed_request_then_accepted_and_any_change_refused(
    body: bytes, ts: int, secret: bytes, nonce: str, path: str, query: str
) -> None:
    target = Target("POST", path, query)
    sent = signed_headers(secret, target, body, ts, nonce)
    assert verify(secret, sent, target, body, ts) == Verified(ts, nonce)
    assert isinstance(verify(secret, sent, target, body + b"x", ts), SignatureFailure)
    moved = Target("POST", path + "x", query)
    assert isinstance(verify(secret, sent, moved, body, ts), SignatureFailure)
    queried = Target("POST", path, query + "x")
    assert isinstance(verify(secret, sent, queried, body, ts), SignatureFailure)
    as_get = Target("GET", path, query)
    assert isinstance(verify(secret, sent, as_get, body, ts), SignatureFailure)


@given(
    sent=st.dictionaries(
        st.sampled_from([TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER, "x-other"]),
        st.text(max_size=80),
    ),
    body=st.binary(max_size=64),
)
def test_verify_when_random_headers_then_refused_without_raising(
    sent: dict[str, str], body: bytes
) -> None:
    assert isinstance(verify(SECRET, sent, POST, body, NOW), SignatureFailure)
