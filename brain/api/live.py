"""The brain's API inside a running brain: conversations over its real state.

The context reads the pipeline's symbol states, the monitor's positions and the gate's
status; recommendations are planned with the brain's market client and sizing; an
approved confirmation becomes a managed position (its exits are the monitor's). Claude
speaks through the same budgeted client as the signal review (one daily budget); without
a key the offline speaker answers. Sessions live in the sessions table when
`EDGEGATE_SESSIONS_TABLE` names one, else in memory (lost on restart: said in the log).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from brain.analyst.analysts import Analyst, ClaudeAnalyst
from brain.api.activity import Activity, BrainView, watch
from brain.api.auth import TOKEN_ENV, api_token
from brain.api.server import DEFAULT_HOST, DEFAULT_PORT, Api, serve
from brain.conversations.compose import build_service
from brain.conversations.context import LiveBrainState
from brain.conversations.insights import ClaudeLearner, Learner, OfflineLearner
from brain.conversations.prefix import conversation_prefix
from brain.conversations.service import ConversationService
from brain.conversations.speakers import ClaudeSpeaker, OfflineSpeaker, Speaker
from brain.conversations.store import MemorySessionStore, SessionStore
from brain.proposals import opened_position
from brain.runtime import Brain
from gatekeeper.contract import Proposal

log = logging.getLogger(__name__)


def sessions_store(table: str | None) -> SessionStore:
    """The sessions table when named, else memory."""
    if table:
        import boto3

        from brain.conversations.store_dynamo import DynamoSessionStore

        return DynamoSessionStore(boto3.client("dynamodb"), table)
    log.warning("no EDGEGATE_SESSIONS_TABLE: conversations are kept in memory only")
    return MemorySessionStore()


def insights_learner(analyst: Analyst | None) -> Learner:
    """The learner of the conversation's speaker: Claude (same budgeted client) or offline."""
    return ClaudeLearner(analyst.client) if isinstance(analyst, ClaudeAnalyst) else OfflineLearner()


def conversation_service(
    brain: Brain, analyst: Analyst | None, store: SessionStore, activity: Activity | None = None
) -> ConversationService:
    """The conversations over a wired brain."""
    speaker: Speaker = (
        ClaudeSpeaker(analyst.client, conversation_prefix())
        if isinstance(analyst, ClaudeAnalyst)
        else OfflineSpeaker()
    )
    clock = brain.clock

    def approved(proposal: Proposal) -> None:
        brain.monitor.add(opened_position(proposal, clock.now_ms()))
        if activity is not None:
            activity.chat_proposal(proposal, clock.now_ms())

    def extra() -> dict[str, Any]:
        return {"analyst_status": analyst.status()} if analyst is not None else {}

    return build_service(
        store=store,
        speaker=speaker,
        brain=LiveBrainState(
            brain.pipeline.states,
            brain.monitor.positions,
            brain.gate,
            clock,
            trading_state=lambda: brain.heartbeat.trading_state,
        ),
        chains=brain.market,
        gate=brain.gate,
        clock=clock,
        equity=brain.engine.equity,
        sizing=brain.engine.sizing,
        on_approved=approved,
        status_extra=extra,
    )


def dashboard_api(
    brain: Brain,
    analyst: Analyst | None,
    store: SessionStore,
    token: str,
    activity: Activity | None = None,
) -> Api:
    """The API with its dashboard over a wired brain; the engine's reports are watched
    from now on unless `activity` is given (already fed by the caller since the start)."""
    if activity is None:
        activity = Activity()
        watch(brain, activity)
    return Api(
        conversation_service(brain, analyst, store, activity),
        token,
        view=BrainView(brain, activity, analyst),
        activity=activity,
        now_ms=brain.clock.now_ms,
    )


async def start_api(
    brain: Brain,
    analyst: Analyst | None,
    env: Mapping[str, str],
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store: SessionStore | None = None,
) -> web.AppRunner | None:
    """Serve the API when `EDGEGATE_API_TOKEN` is set (TokenError when it is too short);
    None, with a log line, when it is not set. `store`: the sessions store to share (else
    the one `EDGEGATE_SESSIONS_TABLE` names)."""
    if not env.get(TOKEN_ENV):
        log.info("%s is not set: the brain's API (port %d) is not started", TOKEN_ENV, port)
        return None
    token = api_token(env)
    if store is None:
        store = sessions_store(env.get("EDGEGATE_SESSIONS_TABLE", "").strip() or None)
    runner, bound = await serve(dashboard_api(brain, analyst, store, token), host, port)
    log.info("the brain's API and dashboard listen on http://%s:%d/", host, bound)
    return runner
