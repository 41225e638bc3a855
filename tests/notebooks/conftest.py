"""Fixtures for the step tests: one sandbox client taken through steps 0-3, shared by a module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flow import merged_flow  # noqa: E402


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """A 200-learner sandbox whose high-band pairs are merged (API routes and Xero's merge) and verified."""
    from wxsync.sandbox.server import start_sandbox

    secrets = tmp_path_factory.mktemp("secrets")
    with pytest.MonkeyPatch.context() as mp, start_sandbox(seed=2, learners=200, minute_limit=100_000) as sb:
        mp.setenv("WXSYNC_SECRETS_DIR", str(secrets))
        yield merged_flow(sb, tmp_path_factory.mktemp("data"), secrets)


@pytest.fixture
def flow(merged, monkeypatch):
    """The merged client, with this test reading the client's own secret store (its sign-in)."""
    monkeypatch.setenv("WXSYNC_SECRETS_DIR", str(merged.secrets))
    return merged
