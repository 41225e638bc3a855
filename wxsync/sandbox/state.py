"""The running sandbox's shared state: store, limits, faults, clock and request statistics."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from wxsync.sandbox.clock import Clock
from wxsync.sandbox.faults import Faults
from wxsync.sandbox.limits import WisenetLimiter, XeroLimiter
from wxsync.sandbox.store import Store


@dataclass
class Stats:
    """Counters served by ``GET /sandbox/stats``."""

    routes: Counter = field(default_factory=Counter)
    rate_limited: Counter = field(default_factory=Counter)
    writes_applied: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, route: str) -> None:
        with self.lock:
            self.routes[route] += 1

    def limited(self, problem: str) -> None:
        with self.lock:
            self.rate_limited[problem] += 1

    def applied(self) -> None:
        with self.lock:
            self.writes_applied += 1


class SandboxState:
    """Everything the Flask views share."""

    def __init__(self, store: Store, *, clock: Clock | None = None, faults: float = 0.0, fault_seed: int = 0,
                 minute_limit: int = 60, day_limit: int = 5000, concurrent_limit: int = 5,
                 minute_window_s: float = 60.0, wisenet_per_second: int = 10,
                 wisenet_day_limit: int = 10000, latency_s: float = 0.0) -> None:
        self.store = store
        self.clock = clock or Clock()
        self.xero_limits = XeroLimiter(store, self.clock, minute_limit=minute_limit, day_limit=day_limit,
                                       concurrent_limit=concurrent_limit, minute_window_s=minute_window_s)
        self.wisenet_limits = WisenetLimiter(store, self.clock, per_second=wisenet_per_second,
                                             day_limit=wisenet_day_limit)
        self.faults = Faults(faults, fault_seed)
        self.latency_s = latency_s
        self.stats = Stats()
        self.write_lock = threading.RLock()

    # ---- the organisation ------------------------------------------------------------------------
    @property
    def organisation(self) -> dict:
        return self.store.meta("organisation") or {}

    @property
    def tenant_id(self) -> str:
        return str(self.organisation.get("OrganisationID", ""))

    @property
    def short_code(self) -> str:
        return str(self.organisation.get("ShortCode", ""))

    # ---- run-time configuration ------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        """The settings ``POST /sandbox/config`` can change."""
        x, w = self.xero_limits, self.wisenet_limits
        return {"minute_limit": x.minute_limit, "day_limit": x.day_limit, "concurrent_limit": x.concurrent_limit,
                "minute_window_s": x.minute_window_s, "app_minute_limit": x.app_minute_limit,
                "wisenet_per_second": w.per_second, "wisenet_day_limit": w.day_limit,
                "faults": self.faults.rate, "latency_s": self.latency_s}

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Apply changes (unknown names raise ``KeyError``); returns the new configuration."""
        targets = {"minute_limit": (self.xero_limits, int), "day_limit": (self.xero_limits, int),
                   "concurrent_limit": (self.xero_limits, int), "minute_window_s": (self.xero_limits, float),
                   "app_minute_limit": (self.xero_limits, int),
                   "wisenet_per_second": (self.wisenet_limits, int, "per_second"),
                   "wisenet_day_limit": (self.wisenet_limits, int, "day_limit"),
                   "faults": (self.faults, float, "rate"), "latency_s": (self, float)}
        for name, value in changes.items():
            if name == "fault_seed":
                self.faults.reseed(int(value))
                continue
            target = targets[name]
            setattr(target[0], target[2] if len(target) > 2 else name, target[1](value))
        return self.config()


def current_state() -> SandboxState:
    """The state of the app serving the current request."""
    return current_app.extensions["wxsync_sandbox"]
