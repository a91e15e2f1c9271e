"""The analyst: Claude (or the offline analyst) reviewing the brain's signals, with typed
answers, abstentions as values and a cost that cannot pass its cap.

Modules: `config` (settings), `prices` (the dated price table), `spend` / `spend_dynamo`
(where spend is kept) and `budget` (reserve, settle, the cap), `prefix` (the cacheable
static prompt), `claude` (the SDK client), `replies` (reading a reply), `calls` (records
and transcript), `review_schema` / `review_request` (what is asked and answered),
`analysts` (Claude and offline behind one interface), `review` (what a review may do to
a signal), `factory` (composition), `fake_claude` / `fake_model` (a local Messages API
for tests and trying it out), `bench`, `cli` (`edgegate fake-claude`).
"""

from brain.analyst.analysts import Analyst, ClaudeAnalyst, OfflineAnalyst
from brain.analyst.answers import Abstained, AbstainReason, Answered, Reply
from brain.analyst.config import AnalystConfig, Fallback, load_analyst_config
from brain.analyst.factory import build_analyst, check_analyst
from brain.analyst.review import ReviewOutcome, SignalReviewer

__all__ = [
    "AbstainReason",
    "Abstained",
    "Analyst",
    "AnalystConfig",
    "Answered",
    "ClaudeAnalyst",
    "Fallback",
    "OfflineAnalyst",
    "Reply",
    "ReviewOutcome",
    "SignalReviewer",
    "build_analyst",
    "check_analyst",
    "load_analyst_config",
]
