"""Client-side rate limiting and retries shared by the Xero and Wisenet clients.

- :class:`MinuteBudget` keeps calls under N per window (Xero: 60 per minute per tenant) and under the
  concurrency limit (Xero: 5), and records the ``X-*Limit-Remaining`` headers it sees.
- :func:`check_status` turns a response status into an exception: ``Throttled`` for minute, concurrent
  and app-minute 429s (waited out using ``Retry-After``), ``DailyLimitReached`` for the day limit (never
  retried), ``Transient`` for 5xx.
- :func:`with_retries` runs a call with tenacity: waits out throttles, backs off on 5xx and dropped
  connections, gives up with a clear :class:`~wxsync.errors.WxsyncError`.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from wxsync.errors import DailyLimitReached, WxsyncError

T = TypeVar("T")


class Throttled(Exception):
    """A minute/concurrent 429: wait ``retry_after`` seconds and try again."""

    def __init__(self, retry_after: float, problem: str = "minute") -> None:
        self.retry_after = retry_after
        self.problem = problem
        super().__init__(f"rate limited ({problem}); retry after {retry_after:g}s")


class Transient(Exception):
    """A 5xx answer, a slow answer or a dropped connection: back off and retry."""


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    if not headers:
        return None
    value = headers.get(name)
    if value is None:
        lower = name.lower()
        for k, v in headers.items():
            if k.lower() == lower:
                return str(v)
        return None
    return str(value)


def _int_header(headers: Mapping[str, Any] | None, name: str) -> int | None:
    raw = _header(headers, name)
    try:
        return int(float(raw)) if raw is not None else None
    except ValueError:
        return None


def retry_after_seconds(headers: Mapping[str, Any] | None, default: float = 1.0) -> float:
    raw = _header(headers, "Retry-After")
    try:
        return max(0.0, float(raw)) if raw is not None else default
    except ValueError:
        return default


LONG_WAIT_S = 600.0
"""A 429 asking to wait longer than this is treated like the daily limit (stop, resume later)."""


def check_status(status: int, headers: Mapping[str, Any] | None, service: str = "Xero") -> None:
    """Raise the right exception for a throttled or failed response; return for anything else."""
    if status == 429:
        problem = (_header(headers, "X-Rate-Limit-Problem") or "minute").strip().lower()
        wait = retry_after_seconds(headers)
        if problem.startswith("day") or wait > LONG_WAIT_S:
            resume = datetime.now(UTC) + timedelta(seconds=wait)
            raise DailyLimitReached(
                f"{service}'s daily API limit for this organisation is used up "
                f"(it resets in about {math.ceil(wait / 60)} minutes, at {resume:%Y-%m-%d %H:%M} UTC).",
                "Everything loaded so far is saved. Run the same cell again after that time; it continues "
                "where it stopped.",
                retry_after_s=wait, resume_at=resume,
            )
        raise Throttled(wait, problem)
    if status in (500, 502, 503, 504):
        raise Transient(f"{service} answered HTTP {status}")


class MinuteBudget:
    """At most ``limit`` calls per ``window_s`` seconds and ``concurrent`` at once (thread-safe)."""

    def __init__(self, limit: int = 60, window_s: float = 60.0, concurrent: int = 5,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.limit = max(1, int(limit))
        self.window_s = float(window_s)
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, concurrent))
        self.waited_s = 0.0
        self.last_limits: dict[str, int | None] = {"minute": None, "day": None, "app_minute": None}

    def _wait_for_slot(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                while self._sent and now - self._sent[0] >= self.window_s:
                    self._sent.popleft()
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    return
                pause = self.window_s - (now - self._sent[0]) + 0.01
            self.waited_s += pause
            self._sleep(pause)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one call slot for the duration of a request."""
        with self._slots:
            self._wait_for_slot()
            yield

    def observe(self, headers: Mapping[str, Any] | None) -> None:
        """Remember the remaining-calls headers of a response."""
        for key, name in (("minute", "X-MinLimit-Remaining"), ("day", "X-DayLimit-Remaining"),
                          ("app_minute", "X-AppMinLimit-Remaining")):
            value = _int_header(headers, name)
            if value is not None:
                self.last_limits[key] = value


def _wait(backoff_base: float, backoff_max: float) -> Callable[[RetryCallState], float]:
    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Throttled):
            return exc.retry_after + 0.05
        return min(backoff_max, backoff_base * (2 ** (state.attempt_number - 1)))
    return wait


def with_retries(fn: Callable[[], T], *, what: str, attempts: int = 8, backoff_base: float = 0.25,
                 backoff_max: float = 8.0, sleep: Callable[[float], None] = time.sleep,
                 on_retry: Callable[[BaseException], None] | None = None) -> T:
    """Run ``fn``; wait out ``Throttled``, back off on ``Transient``; clear error when it keeps failing."""

    def before_sleep(state: RetryCallState) -> None:
        if on_retry and state.outcome is not None and state.outcome.exception() is not None:
            on_retry(state.outcome.exception())

    retrying = Retrying(
        retry=retry_if_exception_type((Throttled, Transient)),
        wait=_wait(backoff_base, backoff_max),
        stop=stop_after_attempt(attempts),
        sleep=sleep,
        reraise=True,
        before_sleep=before_sleep,
    )
    try:
        return retrying(fn)
    except Throttled as exc:
        raise WxsyncError(f"{what}: still rate limited after {attempts} tries ({exc}).",
                          "Wait a minute and run the cell again; nothing was lost.") from exc
    except Transient as exc:
        raise WxsyncError(f"{what}: the service kept failing after {attempts} tries ({exc}).",
                          "Check the connection (and the sandbox, if you use it), then run the cell again; "
                          "work already saved is kept.") from exc
