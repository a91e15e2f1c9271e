"""The simulator's exceptions: one root, `SimError`.

SimError
├── SimConfigError (also ValueError)  a SimConfig field out of range; names the field
└── ReplayError (also ValueError)     a data file that cannot be replayed; names the line

Bad requests from clients are never exceptions: they are Tradier's own error responses.
"""

from __future__ import annotations


class SimError(Exception):
    """Root of every error the simulator raises."""


class SimConfigError(SimError, ValueError):
    """A configuration value the simulator cannot run with."""


class ReplayError(SimError, ValueError):
    """A data file that cannot be replayed; names the line and the problem."""
