"""One conversation turn, end to end, and the other things the API asks for.

`generate`: open the session (an expired or unknown id starts a new one, and the answer
says so), store the user's message, gather hot, warm and cold memory with bounded reads,
build the market context from the brain's state, fit the prompt to the budgets, ask the
speaker, build every recommendation from the real chain (or say why not), store each as
pending with its expiry and structure, store the answer and a per-symbol summary for
later sessions' warm memory. Nothing here places an order: `confirm` does, once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from brain.analyst.answers import Abstained
from brain.analyst.prefix import StaticPrefix
from brain.conversations.budget import CONTEXT, USER, BudgetConfig, Fitted, Memory, fit
from brain.conversations.confirm import Confirmer, shown_view
from brain.conversations.context import BrainState, market_context
from brain.conversations.errors import SessionExpired
from brain.conversations.ids import RandomBytes, message_key, new_id
from brain.conversations.outcomes import ConfirmOutcome, Generated, Transcript
from brain.conversations.plans import Built, RecommendationPlanner
from brain.conversations.prefix import ASK, answer_schema_text
from brain.conversations.records import (
    HISTORY_WINDOW_MS,
    GenerateRequest,
    Message,
    Recommendation,
    Session,
    Summary,
)
from brain.conversations.speakers import Speaker
from brain.conversations.store import SessionStore
from brain.conversations.tokens import Estimate, Piece, Prompt
from brain.proposals import Skip
from tradier.clock import Clock

HOT_READ = 60  # messages read for hot memory (the budget keeps fewer)
WARM_PER_SYMBOL = 5
COLD_PER_SYMBOL = 5
SUMMARY_CHARS = 600


class ConversationService:
    """The conversations behind the brain's API."""

    def __init__(
        self,
        *,
        store: SessionStore,
        speaker: Speaker,
        brain: BrainState,
        planner: RecommendationPlanner,
        confirmer: Confirmer,
        prefix: StaticPrefix,
        clock: Clock,
        budget: BudgetConfig | None = None,
        estimate: Estimate | None = None,
        random_bytes: RandomBytes | None = None,
        status_extra: Callable[[], dict[str, Any]] = dict,
    ) -> None:
        self.store = store
        self.speaker = speaker
        self.brain = brain
        self.planner = planner
        self.confirmer = confirmer
        self.prefix = prefix
        self.clock = clock
        self.budget = budget or BudgetConfig()
        self.estimate = estimate or Estimate()
        self._random = random_bytes
        self._status_extra = status_extra
        self._schema = answer_schema_text()
        self.turns = 0
        self.last_fitted: Fitted | None = None

    def _id(self) -> str:
        return new_id(self._random) if self._random else new_id()

    def _key(self, at_ms: int) -> str:
        return message_key(at_ms, self._random) if self._random else message_key(at_ms)

    async def _open(self, session_id: str | None, now: int) -> tuple[Session, bool, str | None]:
        if session_id is not None:
            found = await asyncio.to_thread(self.store.get_session, session_id, now)
            if found is not None:
                return found, False, None
        created = await asyncio.to_thread(self.store.create_session, self._id(), now)
        return created, True, session_id

    async def generate(self, request: GenerateRequest) -> Generated:
        """One turn (see the module docstring); the request is already validated."""
        now = self.clock.now_ms()
        session, new, expired = await self._open(request.session_id, now)
        user = Message(
            session.session_id, self._key(now), "user", request.prompt, now, request.watchlist
        )
        try:
            await asyncio.to_thread(self.store.append, user)
        except SessionExpired:  # expired between the read and the write: start afresh
            session, new, expired = await self._open(None, now)
            user = Message(
                session.session_id, self._key(now), "user", request.prompt, now, request.watchlist
            )
            await asyncio.to_thread(self.store.append, user)
            expired = request.session_id
        memory = await self._memory(session.session_id, request.watchlist, user, now)
        context = await market_context(self.brain, request.watchlist, now)
        fixed = Prompt(
            self.prefix.text,
            (
                Piece(CONTEXT, json.dumps(context, separators=(",", ":"))),
                Piece(USER, request.prompt),
            ),
            ASK,
            self._schema,
        )
        fitted = await fit(fixed, memory, self.budget, self.speaker.counter, self.estimate)
        self.last_fitted = fitted
        reply = await self.speaker.answer(fitted.prompt)
        recommendations: list[dict[str, Any]] = []
        abstained: str | None = None
        if isinstance(reply, Abstained):
            abstained = reply.reason.value
            response = f"No answer this time ({reply.reason.value}); nothing is recommended."
        else:
            response = reply.answer.response
            notes: list[str] = []
            for idea in reply.answer.recommendations:
                built = await self.planner.build(idea)
                if isinstance(built, Skip):
                    notes.append(
                        f"Not built: {idea.strategy} {idea.direction} on {idea.symbol} "
                        f"({built.reason})."
                    )
                    continue
                recommendations.append(await self._pending(session.session_id, idea, built, now))
            if notes:
                response = response + "\n" + "\n".join(notes)
        # At least 1 ms after the question, so the transcript orders the pair even when
        # the clock has not moved (message keys sort by time first).
        answer_at = max(now + 1, self.clock.now_ms())
        await asyncio.to_thread(
            self.store.append,
            Message(
                session.session_id,
                self._key(answer_at),
                "assistant",
                response,
                answer_at,
                request.watchlist,
                tuple(r["id"] for r in recommendations),
            ),
        )
        await self._summarise(session.session_id, request, response, recommendations, answer_at)
        self.turns += 1
        return Generated(
            session_id=session.session_id,
            new_session=new,
            response=response,
            recommendations=recommendations,
            analyst=self.speaker.kind,
            context_stats={
                "messages_in_session": session.message_count + 2,
                "messages_included": len(fitted.hot),
                "relevant_history_loaded": len(fitted.warm),
                "insights_included": len(fitted.cold),
                "prompt_tokens": fitted.prompt_tokens,
                "memory_tokens": fitted.memory_tokens,
                "budget_tokens": self.budget.memory_tokens,
                "prompt_budget_tokens": self.budget.prompt_tokens,
            },
            abstained=abstained,
            expired_session=expired if new else None,
        )

    async def _memory(
        self, session_id: str, watchlist: tuple[str, ...], user: Message, now: int
    ) -> Memory:
        hot = await asyncio.to_thread(self.store.messages, session_id, HOT_READ)
        hot = [m for m in hot if m.message_id != user.message_id]
        warm: list[Summary] = []
        cold = []
        for symbol in watchlist:
            warm.extend(
                await asyncio.to_thread(
                    self.store.history,
                    symbol,
                    now - HISTORY_WINDOW_MS,
                    WARM_PER_SYMBOL,
                    session_id,
                )
            )
            cold.extend(await asyncio.to_thread(self.store.insights, symbol, now, COLD_PER_SYMBOL))
        # Most relevant first: the newest summaries; one per earlier session.
        warm.sort(key=lambda s: s.at_ms, reverse=True)
        unique = list({s.session_id: s for s in reversed(warm)}.values())
        unique.sort(key=lambda s: s.at_ms, reverse=True)
        cold.sort(key=lambda i: i.created_at_ms, reverse=True)
        return Memory(hot, unique, cold)

    async def _pending(self, session_id: str, idea: Any, built: Built, now: int) -> dict[str, Any]:
        rec = Recommendation(
            recommendation_id=self._id(),
            session_id=session_id,
            symbol=idea.symbol,
            strategy=idea.strategy,
            structure=built.structure(),
            created_at_ms=now,
            expires_at_ms=now + self.confirmer.config.ttl_ms,
            meta={"idea": idea.model_dump_json(), "rationale": idea.rationale},
        )
        await asyncio.to_thread(self.store.put_recommendation, rec)
        return shown_view(rec)

    async def _summarise(
        self,
        session_id: str,
        request: GenerateRequest,
        response: str,
        recommendations: list[dict[str, Any]],
        at_ms: int,
    ) -> None:
        recs = "; ".join(
            f"{r['strategy']} {r['kind']} x{r['quantity']} at {r['net_price']} {r['net_kind']}"
            for r in recommendations
        )
        text = f"Trader asked: {request.prompt[:200]} | Answer: {response[:250]}"
        if recs:
            text += f" | Recommended: {recs}"
        for symbol in request.watchlist:
            await asyncio.to_thread(
                self.store.put_summary,
                Summary(symbol, session_id, at_ms, text[:SUMMARY_CHARS]),
            )

    async def confirm(self, recommendation_id: str, confirmed: bool) -> ConfirmOutcome:
        """See `brain.conversations.confirm.Confirmer.confirm`."""
        return await self.confirmer.confirm(recommendation_id, confirmed)

    async def transcript(self, session_id: str) -> Transcript | None:
        """A live session's messages (expiry checked on this read too)."""
        now = self.clock.now_ms()
        session = await asyncio.to_thread(self.store.get_session, session_id, now)
        if session is None:
            return None
        messages = await asyncio.to_thread(self.store.messages, session_id, 1000)
        return Transcript(
            session_id,
            session.expires_at_ms(),
            [
                {
                    "role": m.role,
                    "text": m.text,
                    "at_ms": m.at_ms,
                    "symbols": list(m.symbols),
                    "recommendation_ids": list(m.recommendation_ids),
                }
                for m in messages
            ],
        )

    async def status(self) -> dict[str, Any]:
        """Health, analyst, spend today, trading state."""
        gate = await self.brain.gate_status()
        return {
            "health": "ok",
            "analyst": self.speaker.kind,
            "turns": self.turns,
            "proposals_sent": self.confirmer.proposals_sent,
            "trading_state": gate.state.value if gate is not None else None,
            "checked_at_ms": self.clock.now_ms(),
            **self._status_extra(),
        }
