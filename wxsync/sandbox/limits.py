"""Xero's per-tenant rate limits (concurrent, minute, day, app-minute) and Wisenet's per-key limits."""

from __future__ import annotations

import hashlib
import math
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from wxsync.sandbox.clock import Clock
from wxsync.sandbox.store import Store


@dataclass
class Decision:
    """Outcome of admitting one request: ``problem`` is None when admitted."""

    headers: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    retry_after: int = 0


def _seconds_to_midnight(now: datetime) -> int:
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, math.ceil((tomorrow - now).total_seconds()))


class XeroLimiter:
    """Fixed windows per tenant: ``minute_limit`` per ``minute_window_s``, ``day_limit`` per UTC day
    (the day counter lives in the store, so it survives a restart), ``concurrent_limit`` in flight,
    and ``app_minute_limit`` per minute across tenants."""

    def __init__(self, store: Store, clock: Clock, *, minute_limit: int = 60, day_limit: int = 5000,
                 concurrent_limit: int = 5, minute_window_s: float = 60.0, app_minute_limit: int = 10000) -> None:
        self.store, self.clock = store, clock
        self.minute_limit, self.day_limit = minute_limit, day_limit
        self.concurrent_limit, self.minute_window_s = concurrent_limit, minute_window_s
        self.app_minute_limit = app_minute_limit
        self._lock = threading.Lock()
        self._minute: dict[str, tuple[float, int]] = {}
        self._app: tuple[float, int] = (0.0, 0)
        self._in_flight: dict[str, int] = {}

    def _window(self, start: float, count: int, now: float) -> tuple[float, int]:
        return (now, 0) if now >= start + self.minute_window_s else (start, count)

    def enter(self, tenant: str) -> Decision:
        """Admit (and count) a request, or say which limit it hit."""
        now = self.clock.time()
        day_key = f"day:{tenant}:{self.clock.now().date().isoformat()}"
        with self._lock:
            start, count = self._window(*self._minute.get(tenant, (now, 0)), now)
            app_start, app_count = self._window(*self._app, now) if self._app[0] else (now, 0)
            day_count = int(self.store.meta(day_key, 0))
            in_flight = self._in_flight.get(tenant, 0)
            decision = Decision()
            if day_count >= self.day_limit:
                decision.problem, decision.retry_after = "day", _seconds_to_midnight(self.clock.now())
            elif count >= self.minute_limit:
                decision.problem = "minute"
                decision.retry_after = max(1, math.ceil(start + self.minute_window_s - now))
            elif app_count >= self.app_minute_limit:
                decision.problem = "appminute"
                decision.retry_after = max(1, math.ceil(app_start + self.minute_window_s - now))
            elif in_flight >= self.concurrent_limit:
                decision.problem, decision.retry_after = "concurrent", 1
            else:
                count, app_count, day_count = count + 1, app_count + 1, day_count + 1
                self.store.set_meta(day_key, day_count)
                self._in_flight[tenant] = in_flight + 1
            self._minute[tenant] = (start, count)
            self._app = (app_start, app_count)
            decision.headers = {
                "X-MinLimit-Remaining": str(max(0, self.minute_limit - count)),
                "X-DayLimit-Remaining": str(max(0, self.day_limit - day_count)),
                "X-AppMinLimit-Remaining": str(max(0, self.app_minute_limit - app_count)),
            }
            if decision.problem:
                decision.headers["Retry-After"] = str(decision.retry_after)
                decision.headers["X-Rate-Limit-Problem"] = decision.problem
            return decision

    def exit(self, tenant: str) -> None:
        """A request admitted by :meth:`enter` finished."""
        with self._lock:
            self._in_flight[tenant] = max(0, self._in_flight.get(tenant, 0) - 1)


class WisenetLimiter:
    """Wisenet: ``per_second`` requests per rolling second and ``day_limit`` per UTC day, per API key.
    Keys are kept only as hashes."""

    def __init__(self, store: Store, clock: Clock, *, per_second: int = 10, day_limit: int = 10000) -> None:
        self.store, self.clock = store, clock
        self.per_second, self.day_limit = per_second, day_limit
        self._lock = threading.Lock()
        self._recent: dict[str, deque[float]] = {}

    def enter(self, api_key: str) -> Decision:
        """Admit (and count) a request, or say which limit it hit."""
        key = hashlib.sha256(api_key.encode()).hexdigest()[:16]
        now = self.clock.time()
        day_key = f"wday:{key}:{datetime.fromtimestamp(now, UTC).date().isoformat()}"
        with self._lock:
            recent = self._recent.setdefault(key, deque())
            while recent and recent[0] <= now - 1.0:
                recent.popleft()
            day_count = int(self.store.meta(day_key, 0))
            if day_count >= self.day_limit:
                return Decision(problem="day", retry_after=_seconds_to_midnight(self.clock.now()),
                                headers={"Retry-After": str(_seconds_to_midnight(self.clock.now()))})
            if len(recent) >= self.per_second:
                return Decision(problem="second", retry_after=1, headers={"Retry-After": "1"})
            recent.append(now)
            self.store.set_meta(day_key, day_count + 1)
            return Decision()
