"""Random failures for robustness tests: 429s, 500/503s, slow answers and dropped connections."""

from __future__ import annotations

import random
import socket
import threading
from typing import Any

FAULT_KINDS = ("429", "500", "503", "slow", "drop")


class Faults:
    """Seeded random faults at ``rate`` (fraction of API requests)."""

    def __init__(self, rate: float = 0.0, seed: int = 0) -> None:
        self.rate = rate
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.injected: dict[str, int] = {k: 0 for k in (*FAULT_KINDS, "drop_after_write")}

    def reseed(self, seed: int) -> None:
        """Restart the random sequence."""
        with self._lock:
            self._rng = random.Random(seed)

    def draw(self) -> str | None:
        """The fault for this request, or None."""
        with self._lock:
            if self.rate <= 0 or self._rng.random() >= self.rate:
                return None
            kind = self._rng.choice(FAULT_KINDS)
            self.injected[kind] += 1
            return kind

    def slow_seconds(self) -> float:
        """How long a slow answer waits (1-2 s)."""
        with self._lock:
            return self._rng.uniform(1.0, 2.0)

    def drop_after_write(self) -> bool:
        """For a dropped write: True (half the time) when the write is applied before the drop."""
        with self._lock:
            after = self._rng.random() < 0.5
            if after:
                self.injected["drop_after_write"] += 1
            return after


def drop_connection(environ: dict[str, Any]) -> None:
    """Close the client's connection without sending a response (werkzeug exposes the socket)."""
    sock = environ.get("werkzeug.socket")
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
