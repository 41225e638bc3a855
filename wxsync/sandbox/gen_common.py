"""Shared state of one generation run: the seeded RNG, ids, the world's dates, weighted pickers."""

from __future__ import annotations

import itertools
import random
from bisect import bisect
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

T = TypeVar("T")

# Version 4 and RFC 4122 variant bits of a UUID.
_UUID_CLEAR = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_UUID_V4 = (0x4 << 76) | (0x2 << 62)


class Picker:
    """Weighted choice from a fixed list, with cumulative weights computed once."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]
        self.last = len(self.items) - 1

    def __call__(self, rng: random.Random) -> T:
        return self.items[min(self.last, bisect(self.cum, rng.random() * self.total))]


def zipf_picker(items: Sequence[T], exponent: float = 0.9) -> Picker:
    """Rank-weighted picker: the first items are the most common (about 1/rank**exponent)."""
    return Picker(items, [1.0 / (rank + 1) ** exponent for rank in range(len(items))])


class Ctx:
    """Everything random in a run goes through ``rng`` so that a seed gives the same organisation."""

    def __init__(self, seed: int, noise: float) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.noise = noise
        rng = self.rng
        # The generated world's "now" and the Wisenet connection date are fixed per seed.
        self.now = date(2024, 3, 1) + timedelta(days=rng.randint(0, 600))
        self.first_connection = self.now - timedelta(days=rng.randint(60, 420))
        self.org_created = self.first_connection - timedelta(days=rng.randint(4 * 365, 9 * 365))

    def uuid(self) -> str:
        """A version-4 UUID drawn from the run's RNG (formatted by hand: this is a hot path)."""
        h = "%032x" % ((self.rng.getrandbits(128) & _UUID_CLEAR) | _UUID_V4)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def randint(self, a: int, b: int) -> int:
        """Like ``random.randint`` but cheaper (used in hot loops)."""
        return a + int(self.rng.random() * (b - a + 1))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def noisy(self, p: float) -> bool:
        """True with probability ``p`` scaled by the run's noise level (capped at 0.95)."""
        return self.rng.random() < min(0.95, p * self.noise)

    def day_between(self, start: date, end: date) -> date:
        """A uniformly random day in [start, end] (start if the range is empty)."""
        span = (end - start).days
        return start + timedelta(days=self.randint(0, span)) if span > 0 else start

    def stamp(self, day: date) -> str:
        """An ISO UTC timestamp at a random time of ``day`` (never after the world's now)."""
        day = min(day, self.now - timedelta(days=1))
        moment = datetime.combine(day, time(0, 0), tzinfo=UTC)
        return (moment + timedelta(seconds=self.randint(0, 86399))).isoformat()


def iso(day: date) -> str:
    return day.isoformat()
