"""Wiring the conversations from the brain's parts: one place, for `brain run`, the demo,
the bench and the tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brain.conversations.budget import BudgetConfig
from brain.conversations.confirm import ConfirmConfig, Confirmer
from brain.conversations.context import BrainState
from brain.conversations.plans import EquitySource, RecommendationPlanner
from brain.conversations.prefix import conversation_prefix
from brain.conversations.service import ConversationService
from brain.conversations.speakers import Speaker
from brain.conversations.store import SessionStore
from brain.gate_client import GateClient
from brain.proposals import ChainSource, Planner
from brain.sizing import SizingPolicy
from gatekeeper.contract import Proposal
from tradier.clock import Clock


def build_service(
    *,
    store: SessionStore,
    speaker: Speaker,
    brain: BrainState,
    chains: ChainSource,
    gate: GateClient | None,
    clock: Clock,
    equity: EquitySource,
    sizing: SizingPolicy | None = None,
    budget: BudgetConfig | None = None,
    confirm: ConfirmConfig | None = None,
    on_approved: Callable[[Proposal], None] = lambda proposal: None,
    status_extra: Callable[[], dict[str, Any]] = dict,
) -> ConversationService:
    """The conversation service over the brain's state, chains, gate client and store."""
    planner = RecommendationPlanner(Planner(chains), brain, equity, clock, sizing)
    confirmer = Confirmer(store, planner, gate, clock, confirm, on_approved)
    return ConversationService(
        store=store,
        speaker=speaker,
        brain=brain,
        planner=planner,
        confirmer=confirmer,
        prefix=conversation_prefix(),
        clock=clock,
        budget=budget,
        status_extra=status_extra,
    )
