"""Fixtures for the step tests: one sandbox client taken through steps 0-3, shared by a module."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flow import merged_flow  # noqa: E402


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """A 200-learner sandbox whose high-band pairs are merged (API routes and Xero's merge) and verified."""
    from wxsync.sandbox.server import start_sandbox

    saved = os.environ.get("WXSYNC_SECRETS_DIR")
    sb = start_sandbox(seed=2, learners=200, minute_limit=100_000)
    try:
        yield merged_flow(sb, tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("secrets"))
    finally:
        sb.stop()
        if saved is None:
            os.environ.pop("WXSYNC_SECRETS_DIR", None)
        else:
            os.environ["WXSYNC_SECRETS_DIR"] = saved


@pytest.fixture
def flow(merged, monkeypatch):
    """The merged client, with this test reading the client's own secret store (its sign-in)."""
    monkeypatch.setenv("WXSYNC_SECRETS_DIR", str(merged.secrets))
    return merged
