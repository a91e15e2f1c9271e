"""AWS clients built on botocore directly: the gate uses low-level clients only, so
importing boto3 (and s3transfer through it, ~150 ms of a cold start) buys nothing."""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger("edgegate.functions")

_lock = threading.Lock()
_session: Any = None


def client(service: str, region: str, **options: Any) -> Any:
    """A low-level client from this container's one botocore session (what
    `boto3.client` returns, without importing boto3); `options` go to `create_client`."""
    global _session
    import botocore.session

    # Sessions are not thread-safe and each loads the endpoint data again: build one,
    # create clients under the lock (clients themselves are thread-safe).
    with _lock:
        if _session is None:
            _session = botocore.session.get_session()
            # The runtime brings its own botocore, not the locked one: say which it is.
            log.info("botocore %s", botocore.__version__)
        return _session.create_client(service, region_name=region, **options)
