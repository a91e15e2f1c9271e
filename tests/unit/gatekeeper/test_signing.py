"""Request signing: a known-answer vector, every refusal reason, rotation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureFailureReason,
    sign,
    signed_headers,
    verify,
)

SECRET = b"test-secret-not-real"
OTHER = b"other-secret-not-real"
NOW = 1_700_000_000_000
BODY = b'{"hello":"world"}'
# printf '1700000000000.{"hello":"world"}' | openssl dgst -sha256 -hmac test-secret-not-real
VECTOR = "v1=bb66753c1df62d87ac308f4da13a442e9afdcdc2794646908c454d4c465fb15a"


def reason(headers: dict[str, str], body: bytes = BODY, now: int = NOW) -> object:
    failure = verify(SECRET, headers, body, now)
    return None if failure is None else failure.reason


def test_sign_when_known_vector_then_matches_openssl() -> None:
    assert sign(SECRET, NOW, BODY) == VECTOR


def test_signed_headers_when_built_then_verify_accepts() -> None:
    headers = signed_headers(SECRET, BODY, NOW)
    assert headers == {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: VECTOR}
    assert verify(SECRET, headers, BODY, NOW) is None


def test_verify_when_headers_lower_case_then_accepted() -> None:
    headers = {k.lower(): v for k, v in signed_headers(SECRET, BODY, NOW).items()}
    assert verify(SECRET, headers, BODY, NOW) is None


def test_verify_when_body_tampered_then_mismatch() -> None:
    headers = signed_headers(SECRET, BODY, NOW)
    assert reason(headers, body=BODY + b" ") is SignatureFailureReason.MISMATCH


def test_verify_when_wrong_secret_then_mismatch() -> None:
    headers = signed_headers(OTHER, BODY, NOW)
    assert reason(headers) is SignatureFailureReason.MISMATCH


def test_verify_when_timestamp_changed_then_mismatch() -> None:
    headers = signed_headers(SECRET, BODY, NOW)
    headers[TIMESTAMP_HEADER] = str(NOW + 1)
    assert reason(headers) is SignatureFailureReason.MISMATCH


def test_verify_when_timestamp_missing_then_missing_timestamp() -> None:
    assert reason({SIGNATURE_HEADER: VECTOR}) is SignatureFailureReason.MISSING_TIMESTAMP


def test_verify_when_signature_missing_then_missing_signature() -> None:
    assert reason({TIMESTAMP_HEADER: str(NOW)}) is SignatureFailureReason.MISSING_SIGNATURE


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "+1700000000000", " 1700000000000", "1e12", "1_0"]
)
def test_verify_when_timestamp_malformed_then_malformed(value: str) -> None:
    headers = {TIMESTAMP_HEADER: value, SIGNATURE_HEADER: VECTOR}
    assert reason(headers) is SignatureFailureReason.MALFORMED_TIMESTAMP


def test_verify_when_timestamp_older_than_tolerance_then_stale() -> None:
    headers = signed_headers(SECRET, BODY, NOW - 30_001)
    assert reason(headers) is SignatureFailureReason.STALE_TIMESTAMP


def test_verify_when_timestamp_ahead_of_tolerance_then_future() -> None:
    headers = signed_headers(SECRET, BODY, NOW + 30_001)
    assert reason(headers) is SignatureFailureReason.FUTURE_TIMESTAMP


def test_verify_when_timestamp_at_tolerance_edge_then_accepted() -> None:
    assert reason(signed_headers(SECRET, BODY, NOW - 30_000)) is None
    assert reason(signed_headers(SECRET, BODY, NOW + 30_000)) is None


def test_verify_when_only_unknown_version_then_unknown_version() -> None:
    headers = {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: "v2=" + "0" * 64}
    assert reason(headers) is SignatureFailureReason.UNKNOWN_VERSION


@pytest.mark.parametrize(
    "value", ["", "v1", "v1=", "=abc", "v1=XYZ", "v1=" + "A" * 64, VECTOR + "0"]
)
def test_verify_when_signature_malformed_then_malformed(value: str) -> None:
    headers = {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: value}
    assert reason(headers) is SignatureFailureReason.MALFORMED_SIGNATURE


def test_verify_when_signer_sends_old_and_new_signatures_then_accepted() -> None:
    old = sign(OTHER, NOW, BODY)
    headers = {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: f"{old}, {VECTOR}"}
    assert reason(headers) is None


def test_verify_when_unknown_version_alongside_v1_then_v1_used() -> None:
    headers = {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: f"v2=abc,{VECTOR}"}
    assert reason(headers) is None


def test_verify_when_verifier_holds_two_secrets_then_either_accepted() -> None:
    headers = signed_headers(OTHER, BODY, NOW)
    assert verify([SECRET, OTHER], headers, BODY, NOW) is None
    assert verify([SECRET], headers, BODY, NOW) is not None


def test_verify_when_too_many_values_then_malformed() -> None:
    headers = {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: ",".join([VECTOR] * 9)}
    assert reason(headers) is SignatureFailureReason.MALFORMED_SIGNATURE


def test_sign_when_secret_empty_then_value_error() -> None:
    with pytest.raises(ValueError, match="secret"):
        sign(b"", NOW, BODY)
    with pytest.raises(ValueError, match="secret"):
        verify(b"", {}, BODY, NOW)


def test_verify_when_failure_message_then_names_no_secret() -> None:
    failure = verify(SECRET, signed_headers(OTHER, BODY, NOW), BODY, NOW)
    assert failure is not None
    assert SECRET.decode() not in failure.message


@given(body=st.binary(max_size=512), ts=st.integers(0, 10**13), secret=st.binary(min_size=1))
def test_verify_when_any_signed_body_then_accepted_and_any_flip_refused(
    body: bytes, ts: int, secret: bytes
) -> None:
    headers = signed_headers(secret, body, ts)
    assert verify(secret, headers, body, ts) is None
    assert verify(secret, headers, body + b"x", ts) is not None


@given(
    headers=st.dictionaries(
        st.sampled_from([TIMESTAMP_HEADER, SIGNATURE_HEADER, "x-other"]), st.text(max_size=80)
    ),
    body=st.binary(max_size=64),
)
def test_verify_when_random_headers_then_refused_without_raising(
    headers: dict[str, str], body: bytes
) -> None:
    assert verify(SECRET, headers, body, NOW) is not None
