"""How the brain logs: timestamped lines, and the HTTP clients' per-request lines kept out.

httpx logs every request at INFO; a brain polling quotes and sending heartbeats would
print little else, hiding the lines an operator reads (connects, reconnects, decisions).
"""

from __future__ import annotations

import logging

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries whose INFO lines are per request, not per event worth reading.
_CHATTY = ("httpx", "httpcore", "werkzeug", "botocore", "urllib3")


def log_level(text: str) -> str:
    """An argparse type: a level name, case-insensitive; anything else is refused."""
    name = text.strip().upper()
    if name not in LEVELS:
        import argparse

        raise argparse.ArgumentTypeError(f"must be one of {', '.join(LEVELS)}, got {text!r}")
    return name


def configure_logging(level_name: str) -> None:
    """Log at `level_name` with timestamps; the chatty libraries at WARNING or above."""
    level = logging.getLevelNamesMapping()[log_level(level_name)]
    logging.basicConfig(level=level, format=FORMAT)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
