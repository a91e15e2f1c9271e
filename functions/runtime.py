"""The gate of this container: composed on the first invocation, then reused.

Nothing here runs at import time. `current_gate(needs)` reads the configuration once
(functions.config), loads and validates the constitution, and builds the DynamoDB store
and the Tradier client; the heavy imports (botocore, httpx, the gate) happen then, not
when a handler module is imported. An invalid configuration or constitution raises and stops the
function with a message naming the variable or key. Tests and the local adapter compose
their own gate with `compose(...)` and `install` it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from functions.config import ALL_NEEDS, GateConfig, Need, describe, load_config
from functions.errors import ConfigError

if TYPE_CHECKING:
    from gatekeeper.service import Gate
    from tradier.clock import Clock

log = logging.getLogger("edgegate.functions")

_lock = threading.Lock()
_gate: Gate | None = None


def dynamodb_client(
    config: GateConfig,
    max_pool_connections: int = 10,
    credentials: tuple[str, str] | None = None,
) -> Any:
    """A low-level DynamoDB client with short timeouts (a slow store must not hold a
    proposal past the signature's freshness); `credentials` only for local endpoints."""
    from botocore.config import Config

    from functions import aws

    return aws.client(
        "dynamodb",
        config.region,
        endpoint_url=config.dynamodb_endpoint,
        aws_access_key_id=credentials[0] if credentials else None,
        aws_secret_access_key=credentials[1] if credentials else None,
        config=Config(
            connect_timeout=2,
            read_timeout=5,
            retries={"max_attempts": 3, "mode": "standard"},
            max_pool_connections=max_pool_connections,
        ),
    )


def tradier_client(config: GateConfig, clock: Clock, transport: Any = None) -> Any:
    """The trading client for the configured account."""
    import httpx

    from tradier.client import TradierClient
    from tradier.rest import Backoff, RetryPolicy

    # A proposal must be decided well inside its staleness window (10 s) and the Lambda
    # timeout: reads get one quick retry, and a rate-limit window is never waited out
    # (the answer is a 503, nothing reserved or sent, and the brain may retry).
    retry = RetryPolicy(attempts=2, backoff=Backoff(initial_s=0.2, max_s=0.5), max_rate_wait_s=1.0)

    return TradierClient(
        config.tradier_base_url,
        config.secret(Need.TRADIER_TOKEN),
        config.secret(Need.TRADIER_ACCOUNT),
        transport=transport,
        timeout=httpx.Timeout(config.tradier_timeout_s, connect=2.0),
        clock=clock,
        retry=retry,
    )


def compose(
    config: GateConfig,
    *,
    clock: Clock | None = None,
    dynamodb: Any = None,
    tradier: Any = None,
    sns: Any = None,
) -> Gate:
    """Build the gate from a configuration; pass `dynamodb`/`tradier`/`sns` to reuse clients."""
    from gatekeeper.constitution import load as load_constitution
    from gatekeeper.dynamo_store import DynamoGateStore
    from gatekeeper.service import Gate
    from tradier.clock import SystemClock

    clock = clock or SystemClock()
    # Validated before any client is built: a bad file stops the function naming the key.
    constitution = load_constitution(config.constitution_path)
    store = DynamoGateStore(
        dynamodb if dynamodb is not None else dynamodb_client(config), config.gate_table, clock
    )
    if tradier is None and config.has(Need.TRADIER_TOKEN):
        tradier = tradier_client(config, clock)
    notifier = _notifier(config, store, clock, sns)
    return Gate(
        store=store,
        tradier=tradier,
        constitution=constitution,
        clock=clock,
        signing_secret=_secret_bytes(config, Need.SIGNING_SECRET),
        admin_secret=_secret_bytes(config, Need.ADMIN_SECRET),
        notifier=notifier,
    )


def _notifier(config: GateConfig, store: Any, clock: Clock, sns: Any) -> Any:
    """The audit trail and a log line always; a webhook and SNS when configured."""
    from gatekeeper.watchdog import AuditNotifier

    recorded: Any = AuditNotifier(store, clock)
    if config.webhook_url is not None:
        from gatekeeper.webhook import WebhookNotifier, WebhookPoster

        recorded = WebhookNotifier(recorded, WebhookPoster(config.webhook_url))
    topic = config.alerts_topic_arn
    if topic is None:
        return recorded  # local runs: nothing to reach, so nothing tried
    if not topic.startswith("arn:"):
        # serverless-offline passes an unresolved `Ref` here: no topic to publish to.
        log.warning("EDGEGATE_ALERTS_TOPIC_ARN is not an ARN; notifications are logged only")
        return recorded
    from functions import aws
    from functions.notify import SnsNotifier

    return SnsNotifier(
        recorded, topic, sns if sns is not None else aws.client("sns", config.region)
    )


def _secret_bytes(config: GateConfig, need: Need) -> bytes | None:
    # A function not granted a secret gets None: the gate then refuses that route.
    return config.secret(need).encode("utf-8") if config.has(need) else None


def _log_levels(name: str) -> None:
    # Lambda's root logger stays at WARNING; the gate's INFO lines (decisions, timings)
    # matter, so its own loggers are set explicitly.
    level = logging.getLevelName(name.upper())
    for logger in ("edgegate", "gatekeeper", "tradier"):
        logging.getLogger(logger).setLevel(level if isinstance(level, int) else logging.INFO)


def current_gate(needs: Iterable[Need] = ALL_NEEDS) -> Gate:
    """This container's gate, composed from the environment on first use."""
    global _gate
    gate = _gate
    if gate is not None:
        return gate
    with _lock:
        if _gate is None:
            _log_levels(os.environ.get("EDGEGATE_LOG_LEVEL", "INFO"))
            config = load_config(os.environ, needs)
            log.info("composing the gate %s", describe(config))
            _gate = compose(config)
        return _gate


def install(gate: Gate) -> None:
    """Use `gate` for every later invocation (the local adapter and tests)."""
    global _gate
    with _lock:
        _gate = gate


def reset() -> None:
    """Forget the composed gate, so the next invocation composes again."""
    global _gate
    with _lock:
        _gate = None


__all__ = ["ConfigError", "compose", "current_gate", "install", "reset"]
