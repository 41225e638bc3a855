"""The sandbox's clock: real time plus an offset that tests can advance (token expiry, grace periods)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from wxsync.sandbox.wire import iso_utc


class Clock:
    """Wall-clock time shifted by ``offset`` seconds."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time() + self.offset

    def now(self) -> datetime:
        """The current moment, aware UTC."""
        return datetime.fromtimestamp(self.time(), UTC)

    def iso_now(self) -> str:
        """The current moment in the store's timestamp form (ISO 8601 UTC, seconds)."""
        return iso_utc(self.now())

    def advance(self, seconds: float) -> None:
        """Move the sandbox's time forward."""
        self.offset += seconds
