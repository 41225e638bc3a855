"""Shared fixtures: a fresh sandbox on a free loopback port, and isolated secrets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _isolated_secrets(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's tokens and keys out of the real per-user store."""
    monkeypatch.setenv("WXSYNC_SECRETS_DIR", str(tmp_path_factory.mktemp("secrets")))


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., Any]]:
    """Start sandboxes with any options; all are stopped at the end of the test."""
    from wxsync.sandbox.server import start_sandbox

    started: list[Any] = []

    def start(**kwargs: Any) -> Any:
        kwargs.setdefault("learners", 200)
        sb = start_sandbox(**kwargs)
        started.append(sb)
        return sb

    yield start
    for sb in started:
        sb.stop()


@pytest.fixture
def sandbox(sandbox_factory: Callable[..., Any]) -> Any:
    """A fresh 200-learner sandbox (seed 1) with no faults."""
    return sandbox_factory(seed=1, learners=200)
