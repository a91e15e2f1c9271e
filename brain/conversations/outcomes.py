"""What the conversations answer, as values the API maps to HTTP in one place.

A turn is `Generated`; a confirm is one of `Confirmed` (200: the gate decided),
`AlreadyConfirmed` (409, with the first decision), `PriceMoved` (409: re-priced, confirm
again), `Declined` (200: nothing placed), `Expired` (410), `Unknown` (404) or
`GateUnreachable` (503: the outcome is unknown; the proposal id is fixed, so asking again
cannot trade twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Generated:
    """One conversation turn's answer."""

    session_id: str
    new_session: bool
    response: str
    recommendations: list[dict[str, Any]]
    analyst: str
    context_stats: dict[str, int]
    abstained: str | None = None  # the analyst's reason when it gave no answer
    expired_session: str | None = None  # the id asked for, when it had expired

    def body(self) -> dict[str, Any]:
        """The JSON body of `POST /api/strategies/generate`."""
        out: dict[str, Any] = {
            "session_id": self.session_id,
            "new_session": self.new_session,
            "response": self.response,
            "recommendations": self.recommendations,
            "requires_confirmation": True,
            "analyst": self.analyst,
            "context_stats": self.context_stats,
        }
        if self.abstained is not None:
            out["abstained"] = self.abstained
        if self.expired_session is not None:
            out["previous_session"] = {"id": self.expired_session, "status": "expired_or_unknown"}
        return out


@dataclass(frozen=True, slots=True)
class Confirmed:
    """The gate's decision on the one proposal this confirmation made."""

    decision: dict[str, Any]
    status: int = 200


@dataclass(frozen=True, slots=True)
class AlreadyConfirmed:
    """A second confirm: the first one's decision (None while it is still being sent)."""

    decision: dict[str, Any] | None
    status: int = 409


@dataclass(frozen=True, slots=True)
class PriceMoved:
    """The structure re-priced beyond tolerance: shown again, to be confirmed again."""

    recommendation: dict[str, Any]
    moved: str  # the change of the net price, per unit
    status: int = 409


@dataclass(frozen=True, slots=True)
class Declined:
    """The trader said no (or the recommendation can no longer be built)."""

    reason: str
    status: int = 200


@dataclass(frozen=True, slots=True)
class Expired:
    """Past its confirmation window."""

    expired_at_ms: int
    status: int = 410


@dataclass(frozen=True, slots=True)
class Unknown:
    """No such recommendation."""

    status: int = 404


@dataclass(frozen=True, slots=True)
class GateUnreachable:
    """Sent, but the gate's answer never came: the outcome is unknown."""

    proposal_id: str
    detail: str = ""
    status: int = 503


ConfirmOutcome = (
    Confirmed | AlreadyConfirmed | PriceMoved | Declined | Expired | Unknown | GateUnreachable
)


@dataclass(frozen=True, slots=True)
class Transcript:
    """A session's messages, for `GET /api/sessions/{id}`."""

    session_id: str
    expires_at_ms: int
    messages: list[dict[str, Any]] = field(default_factory=list)
