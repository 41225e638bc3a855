"""WisenetClient against the sandbox: x-api-key, skip/take paging, 429 back-off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wxsync.config import WisenetSettings, Workspace
from wxsync.errors import AuthError
from wxsync.frames import learners_frame
from wxsync.wisenet import WisenetClient


def test_learners_full_and_basic(sandbox: Any, wisenet: WisenetClient) -> None:
    full = wisenet.learners()
    basic = wisenet.learners(basic=True)
    assert len(full) == len(basic) > 0
    assert {"Data", "Relationships"} <= set(full[0])
    df_full, df_basic = learners_frame(full), learners_frame(basic)
    assert df_full["learner_number"].tolist() == df_basic["learner_number"].tolist()
    assert df_full["learner_number"].is_unique
    assert (df_full["state"] != "").any() and (df_full["postcode"] != "").any()


def test_paging_and_429_backoff(sandbox_factory: Callable[..., Any], configure: Callable[..., Any]) -> None:
    sb = sandbox_factory(seed=2, learners=1100, wisenet_per_second=2)
    client = WisenetClient(WisenetSettings.for_sandbox(sb.url), "k", progress=False)
    full = client.learners(basic=True)
    assert len(full) == 1100 == len({r["LearnerNumber"] for r in full})
    assert client.calls - client.retries == 2  # skip 0, 1000
    for _ in range(3):
        client.states()
    assert client.retries >= 1  # 2 per second: some calls were throttled and retried
    configure(sb, wisenet_per_second=10)


def test_missing_key_is_clear(tmp_path: Any) -> None:
    with pytest.raises(AuthError, match="API key"):
        WisenetClient(WisenetSettings.live(), "")
    ws = Workspace.create("acme", tmp_path)
    with pytest.raises(AuthError, match="API key"):
        WisenetClient.for_workspace(ws)
    client = WisenetClient.for_workspace(ws, api_key="secret-key-123")
    assert "secret-key-123" not in repr(client)
    assert WisenetClient.for_workspace(ws)._session.headers["x-api-key"] == "secret-key-123"
    assert "secret-key-123" not in ws.client_toml.read_text()
