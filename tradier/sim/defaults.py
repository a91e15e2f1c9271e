"""The simulator's default credentials: obviously not real, accepted only by the simulator."""

from typing import Final

DEFAULT_TOKEN: Final = "sim-token"
DEFAULT_ACCOUNT: Final = "VA00000000"
