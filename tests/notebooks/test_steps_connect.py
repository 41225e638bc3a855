"""Step 0 against the sandbox: sign-in without a click, confirmation by name, binding, expired sign-in."""

from __future__ import annotations

import pytest

from wxsync import steps
from wxsync.clients import new_client
from wxsync.errors import TenantMismatchError
from wxsync.secrets import SecretStore


def test_connect_confirms_by_name_then_binds(sandbox, tmp_path):
    ws = new_client("connect-test", tmp_path, sandbox_url=sandbox.url)
    org = sandbox.state.organisation["Name"]
    first = steps.connect(ws).iloc[0]
    assert first["organisation"] == org and first["workspace"] == "not confirmed"
    assert ws.tenant_id is None
    with pytest.raises(TenantMismatchError, match="You typed"):
        steps.connect(ws, confirm_org_name="Some Other Org")
    assert ws.tenant_id is None
    bound = steps.connect(ws, confirm_org_name=org.upper()).iloc[0]
    assert bound["workspace"] == "bound" and ws.tenant_id == sandbox.tenant_id
    assert ws.settings["xero"]["tenant_name"] == org
    # secrets stay out of the workspace
    assert "access_token" not in ws.client_toml.read_text()
    assert not any("token" in p.name for p in ws.root.rglob("*"))


def test_revoked_sign_in_signs_in_again(sandbox, tmp_path):
    ws = new_client("revoked", tmp_path, sandbox_url=sandbox.url)
    steps.connect(ws, confirm_org_name=sandbox.state.organisation["Name"])
    store = SecretStore(ws.name)
    token = store.get("xero_token")
    store.put("xero_token", {**token, "access_token": "revoked", "refresh_token": "revoked"})
    again = steps.connect(ws).iloc[0]
    assert again["workspace"] == "bound"
    assert store.get("xero_token")["access_token"] != "revoked"


def test_sandbox_shortcuts_refuse_a_live_client(tmp_path):
    from wxsync.errors import GuardError

    ws = new_client("live-client", tmp_path)  # no sandbox: bound to real Xero
    with pytest.raises(GuardError, match="in Xero"):
        steps.sandbox_merge_worklist(ws, None)
    with pytest.raises(GuardError, match="in Wisenet"):
        steps.sandbox_resync(ws, "2024-01-01")
    with pytest.raises(GuardError, match="in Wisenet"):
        steps.sandbox_learner_resync(ws)


def test_steps_explain_what_to_run_first(tmp_path):
    from wxsync.errors import InputError

    ws = new_client("early", tmp_path)
    with pytest.raises(InputError, match="00_connect"):
        steps.load(ws)
    ws.bind_tenant("t-1", "Org")
    with pytest.raises(InputError, match="02_review_duplicates"):
        steps.merge_plan(ws)
    with pytest.raises(InputError, match="03_merge"):
        steps.evidence_summary(ws)
    assert not steps.merge_execute(ws, _one_pair_plan(), confirm_org_name="")["executed"].iloc[0]


def _one_pair_plan():
    import pandas as pd

    return pd.DataFrame([{"old_contact_id": "a", "wisenet_contact_id": "b", "route": "archive"}])
