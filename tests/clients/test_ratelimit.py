"""Client-side budget and 429/5xx classification (no network)."""

from __future__ import annotations

import pytest

from wxsync.errors import DailyLimitReached, WxsyncError
from wxsync.ratelimit import MinuteBudget, Throttled, Transient, check_status, with_retries


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.t += s


def test_budget_waits_for_window() -> None:
    clock = FakeClock()
    budget = MinuteBudget(limit=3, window_s=10, clock=clock.time, sleep=clock.sleep)
    for _ in range(3):
        with budget.slot():
            pass
    assert clock.slept == []
    with budget.slot():
        pass
    assert clock.t == pytest.approx(10.01)
    budget.observe({"x-minlimit-remaining": "7", "X-DayLimit-Remaining": "4990"})
    assert budget.last_limits["minute"] == 7 and budget.last_limits["day"] == 4990


def test_check_status_classifies() -> None:
    check_status(200, {})
    with pytest.raises(Throttled) as t:
        check_status(429, {"Retry-After": "3", "X-Rate-Limit-Problem": "minute"})
    assert t.value.retry_after == 3 and t.value.problem == "minute"
    with pytest.raises(Throttled):
        check_status(429, {"Retry-After": "1", "X-Rate-Limit-Problem": "concurrent"})
    with pytest.raises(DailyLimitReached) as d:
        check_status(429, {"Retry-After": "3600", "X-Rate-Limit-Problem": "day"})
    assert d.value.retry_after_s == 3600 and d.value.resume_at is not None
    assert "daily API limit" in str(d.value) and "continues where it stopped" in str(d.value)
    with pytest.raises(Transient):
        check_status(503, {})


def test_with_retries_waits_retry_after_then_gives_up_clearly() -> None:
    clock = FakeClock()
    outcomes = [Throttled(2.0), Transient("500"), "ok"]

    def call() -> str:
        o = outcomes.pop(0)
        if isinstance(o, Exception):
            raise o
        return o

    assert with_retries(call, what="x", sleep=clock.sleep) == "ok"
    assert clock.slept[0] == pytest.approx(2.05) and len(clock.slept) == 2

    def always() -> None:
        raise Transient("HTTP 503")

    with pytest.raises(WxsyncError, match="kept failing after 3 tries"):
        with_retries(always, what="x", attempts=3, sleep=clock.sleep)
