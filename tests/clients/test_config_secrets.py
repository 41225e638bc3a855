"""Workspace, client.toml, tenant binding and the per-user secret store."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from wxsync.auth import TokenSource, normalise_token
from wxsync.config import WisenetSettings, Workspace, XeroSettings
from wxsync.errors import AuthError, InputError, TenantMismatchError
from wxsync.secrets import SecretStore, secrets_dir


def test_settings_urls() -> None:
    live = XeroSettings.live()
    assert live.token_url == "https://identity.xero.com/connect/token"
    sb = XeroSettings.for_sandbox("http://127.0.0.1:9/")
    assert sb.api_base == "http://127.0.0.1:9/api.xro/2.0" and sb.connections_url == "http://127.0.0.1:9/connections"
    assert sb.contact_link("!abc", "id-1") == "http://127.0.0.1:9/app/!abc/contacts/contact/id-1"
    assert WisenetSettings.live().base_url == "https://api.wisenet.co/v1"
    assert WisenetSettings.for_sandbox("http://h:1").base_url == "http://h:1/v1"


def test_workspace_create_open_bind(tmp_path: Path) -> None:
    ws = Workspace.create("acme", tmp_path, settings={"sandbox": {"url": "http://127.0.0.1:5"}})
    for d in (ws.notebooks_dir, ws.snapshots_dir, ws.evidence_dir):
        assert d.is_dir()
    assert ws.settings["client"]["name"] == "acme"
    assert ws.xero_settings().api_base == "http://127.0.0.1:5/api.xro/2.0"
    assert ws.wisenet_settings().base_url == "http://127.0.0.1:5/v1"
    ws.bind_tenant("t-1", "Acme Training", "!xY1")
    ws.bind_tenant("t-1", "Acme Training", "!xY1")  # same tenant again is fine
    with pytest.raises(TenantMismatchError, match="Acme Training"):
        ws.bind_tenant("t-2", "Other Org")
    again = Workspace.open("acme", tmp_path)
    assert again.settings["xero"] == {"tenant_id": "t-1", "tenant_name": "Acme Training", "short_code": "!xY1"}
    assert "secret" not in ws.client_toml.read_text().lower()
    with pytest.raises(InputError, match="client new"):
        Workspace.open("missing", tmp_path)
    with pytest.raises(InputError):
        Workspace.create("../evil", tmp_path)


def test_secret_store_private_and_atomic(tmp_path: Path) -> None:
    assert secrets_dir() == Path(os.environ["WXSYNC_SECRETS_DIR"])  # conftest isolates the store
    store = SecretStore("acme")
    assert store.get("xero_token") is None
    store.put("xero_token", {"access_token": "a", "refresh_token": "r"})
    p = store.path("xero_token")
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    store.put("xero_token", {"access_token": "b"})
    assert store.get("xero_token") == {"access_token": "b"}
    assert [f.name for f in store.folder.iterdir()] == ["xero_token.json"]  # no temp files left
    assert "access" not in repr(store)
    with pytest.raises(InputError):
        store.path("../x")


def test_token_source_scope_list_and_persistence() -> None:
    store = SecretStore("acme")
    src = TokenSource(client_id="cid", store=store)
    with pytest.raises(AuthError, match="not signed in"):
        src.get()
    src.save({"access_token": "A", "refresh_token": "R", "scope": "offline_access accounting.contacts",
              "expires_in": 1800, "token_type": "Bearer", "extra": "dropped"})
    tok = store.get("xero_token")
    assert tok["scope"] == ["offline_access", "accounting.contacts"] and "extra" not in tok
    assert tok["expires_at"] > 0
    src.save_app()
    again = TokenSource.from_store(store)
    assert again.get()["refresh_token"] == "R" and again.client_id == "cid"
    assert normalise_token({"access_token": "x", "scope": None})["scope"] == []
