"""XeroClient, auth and snapshot against a real sandbox (real SDK, real HTTP; nothing mocked)."""

from __future__ import annotations

import json
import math
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from wxsync.auth import sign_in_client_credentials, sign_in_workspace
from wxsync.config import WisenetSettings, Workspace, XeroSettings
from wxsync.errors import AuthError, DailyLimitReached, InputError, TenantMismatchError, XeroValidationError
from wxsync.frames import contacts_frame
from wxsync.secrets import SecretStore
from wxsync.snapshot import Snapshot
from wxsync.wisenet import WisenetClient
from wxsync.xero import XeroClient


def stats(sandbox: Any) -> dict[str, Any]:
    return requests.get(f"{sandbox.url}/sandbox/stats", timeout=10).json()


def test_pkce_sign_in_binds_tenant_and_refuses_another(sandbox: Any, make_xero: Callable[..., XeroClient],
                                                       tmp_path: Path, sign_in: Callable[..., Any]) -> None:
    tokens = sign_in(sandbox)
    stored = SecretStore("acme").get("xero_token")
    assert stored["refresh_token"] and isinstance(stored["scope"], list) and "offline_access" in stored["scope"]
    xero = make_xero(sandbox, tokens)
    org_name = xero.connections()[0]["tenantName"]
    ws = Workspace.create("acme", tmp_path)
    org = xero.connect(tenant_name=org_name.upper(), workspace=ws)
    assert ws.tenant_id == sandbox.store.meta("organisation")["OrganisationID"] == xero.tenant_id
    assert ws.settings["xero"]["short_code"] == org["ShortCode"]
    with pytest.raises(AuthError, match="no Xero organisation named 'Nope'"):
        xero.connect(tenant_name="Nope", workspace=ws)
    other = Workspace.create("other", tmp_path)
    other.bind_tenant(str(uuid.uuid4()), "Some Other Org")
    refused = make_xero(sandbox, tokens)
    with pytest.raises(TenantMismatchError, match="Some Other Org"):
        refused.connect(tenant_name=org_name, workspace=other)
    assert refused.tenant_id is None and other.tenant_id != xero.tenant_id  # nothing switched over
    with pytest.raises(TenantMismatchError):
        refused.connect(workspace=other)  # the bound organisation is not among this sign-in's connections


def test_paged_contacts_archived_and_merged(sandbox: Any, xero: XeroClient) -> None:
    total = sandbox.store.count("contact")
    active = sandbox.store.count("contact", "status=?", ["ACTIVE"])
    # merge one active contact into another (what Xero's own merge does)
    recs = [r for r in sandbox.store.query("contact") if r.get("ContactStatus") == "ACTIVE"][:2]
    resp = requests.post(f"{sandbox.url}/sandbox/merge", timeout=10,
                         json={"old_contact_id": recs[0]["ContactID"], "into_contact_id": recs[1]["ContactID"]})
    assert resp.status_code == 200, resp.text
    calls0 = xero.calls
    everything = xero.load_contacts()
    assert xero.calls - calls0 == math.ceil(total / 1000)
    ids = [c["ContactID"] for c in everything]
    assert len(ids) == len(set(ids)) == total
    df = contacts_frame(everything).set_index("contact_id")
    assert df.loc[recs[0]["ContactID"], "status"] == "ARCHIVED"
    assert df.loc[recs[0]["ContactID"], "merged_to_contact_id"] == recs[1]["ContactID"]
    only_active = xero.load_contacts(include_archived=False)
    assert len(only_active) == active - 1
    assert recs[0]["ContactID"] not in {c["ContactID"] for c in only_active}


def test_documents_loaded_all_and_by_contact(sandbox: Any, xero: XeroClient) -> None:
    docs = xero.load_documents()
    for kind, store_kind in (("invoices", "invoice"), ("credit_notes", "credit_note"),
                             ("overpayments", "overpayment"), ("prepayments", "prepayment")):
        assert len(docs[kind]) == sandbox.store.count(store_kind), kind
    some = {d["Contact"]["ContactID"] for d in docs["invoices"][:3]}
    mine = xero.load_documents(contact_ids=some)
    assert mine["invoices"] and {d["Contact"]["ContactID"] for d in mine["invoices"]} <= some
    expected = sum(1 for d in docs["invoices"] if d["Contact"]["ContactID"] in some)
    assert len(mine["invoices"]) == expected


def test_raw_json_survives_values_the_sdk_rejects(sandbox: Any, xero: XeroClient) -> None:
    rec = next(r for r in sandbox.store.query("contact") if r.get("ContactStatus") == "ACTIVE")
    rec["Addresses"] = [{"AddressType": "DELIVERY", "AddressLine1": "9 Dock Rd", "City": "Fremantle"}]
    sandbox.store.put("contact", rec)
    contacts = xero.load_contacts()
    got = next(c for c in contacts if c["ContactID"] == rec["ContactID"])
    assert got["Addresses"][0]["AddressType"] == "DELIVERY"
    assert contacts_frame([got]).iloc[0]["address_line1"] == "9 Dock Rd"


def test_refresh_rotates_and_saves_before_use(sandbox: Any, xero: XeroClient) -> None:
    store = SecretStore("acme")
    before = store.get("xero_token")
    xero.tokens.expire_now()
    xero.organisation()
    after = store.get("xero_token")
    assert after["refresh_token"] != before["refresh_token"]
    assert after["access_token"] != before["access_token"] and after["expires_at"] > time.time() + 1000
    assert isinstance(after["scope"], list)
    # the rotated-away refresh token still works within Xero's 30-minute grace period
    grace = requests.post(f"{sandbox.url}/connect/token", timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": before["refresh_token"], "client_id": "test-client-id"})
    assert grace.status_code == 200
    # an access token the server no longer knows (401) is renewed once and the call succeeds
    sandbox.store.delete_token(after["access_token"])
    assert xero.organisation()["Name"]
    assert store.get("xero_token")["access_token"] != after["access_token"]
    after = store.get("xero_token")
    # a renewed token that cannot be saved is never used: the request is not sent
    sent = stats(sandbox)["requests"].get("GET /api.xro/2.0/Organisation", 0)
    xero.tokens.expire_now()
    real_put = xero.tokens.store.put

    def disk_full(item: str, value: Any) -> None:
        raise OSError(28, "No space left on device")

    xero.tokens.store.put = disk_full  # type: ignore[method-assign]
    with pytest.raises(AuthError, match="Could not save the renewed Xero sign-in"):
        xero.organisation()
    xero.tokens.store.put = real_put  # type: ignore[method-assign]
    assert stats(sandbox)["requests"].get("GET /api.xro/2.0/Organisation", 0) == sent
    after = store.get("xero_token")
    # a revoked / unknown refresh token is a clear AuthError, not a traceback from the SDK
    bad = dict(after, refresh_token="nope", expires_at=time.time() - 5)
    store.put("xero_token", bad)
    with pytest.raises(AuthError, match="sign in again"):
        xero.organisation()


def test_client_credentials_custom_connection(sandbox: Any, make_xero: Callable[..., XeroClient]) -> None:
    tokens = sign_in_client_credentials(XeroSettings.for_sandbox(sandbox.url), "cc-id", "cc-secret",
                                        store=SecretStore("cc"))
    xero = make_xero(sandbox, tokens)
    assert xero.connect()["Name"]
    first = tokens.get()["access_token"]
    tokens.expire_now()
    assert xero.organisation()["Name"]
    assert tokens.get()["access_token"] != first and tokens.get()["refresh_token"] is None


def test_minute_limit_429s_are_waited_out(sandbox: Any, make_xero: Callable[..., XeroClient],
                                          workspace: Workspace, configure: Callable[..., Any]) -> None:
    configure(sandbox, minute_limit=3, minute_window_s=1.0)
    xero = make_xero(sandbox, minute_limit=1000)  # no client-side budget: the server's 429s must be handled
    xero.connect(workspace=workspace)
    t0 = time.monotonic()
    for _ in range(7):
        xero.organisation()
    assert xero.retries >= 1 and time.monotonic() - t0 >= 1.0
    assert any("minute" in k for k in json.dumps(stats(sandbox)).split('"'))


def test_client_side_budget_avoids_429s(sandbox: Any, make_xero: Callable[..., XeroClient],
                                        workspace: Workspace, configure: Callable[..., Any]) -> None:
    configure(sandbox, minute_limit=3, minute_window_s=1.0)
    xero = make_xero(sandbox, minute_limit=3, window_s=1.1)
    xero.connect(workspace=workspace)
    for _ in range(7):
        xero.organisation()
    assert xero.retries == 0 and xero.budget.waited_s > 0.5
    assert xero.last_limits["minute"] is not None and xero.last_limits["day"] is not None


def test_faults_still_load_everything_exactly_once(sandbox_factory: Callable[..., Any],
                                                   make_xero: Callable[..., XeroClient], tmp_path: Path) -> None:
    sb = sandbox_factory(seed=3, learners=200, faults=0.3)
    ws = Workspace.create("acme", tmp_path, settings={"sandbox": {"url": sb.url}})
    xero = make_xero(sb)
    xero.connect(workspace=ws)
    truth = sorted(r["ContactID"] for r in sb.store.query("contact"))
    for _ in range(3):
        assert sorted(c["ContactID"] for c in xero.load_contacts()) == truth
    docs = xero.load_documents()
    inv_ids = [d["InvoiceID"] for d in docs["invoices"]]
    assert len(inv_ids) == len(set(inv_ids)) == sb.store.count("invoice")
    # a write whose answer may be lost is retried with the same Idempotency-Key and applied once
    key = f"test-{uuid.uuid4()}"
    for i in range(3):
        name = f"Fault Tolerant {i} Pty Ltd"
        resp = xero.write("PUT", "/Contacts", {"Contacts": [{"Name": name}]}, idempotency_key=f"{key}-{i}",
                          params={"summarizeErrors": False})
        assert resp.status == 200
        assert sb.store.count("contact", "lname=?", [name.lower()]) == 1
    applied = stats(sb)
    assert all(applied["idempotency"][f"{key}-{i}"] == 1 for i in range(3))
    assert sum(applied["faults"].values()) > 0 and xero.retries > 0  # faults really happened and were retried


def test_write_is_idempotent_and_reports_xero_messages(sandbox: Any, xero: XeroClient) -> None:
    key = f"test-{uuid.uuid4()}"
    body = {"Contacts": [{"Name": "Idempotent Pty Ltd", "EmailAddress": "ip@example.com"}]}
    r1 = xero.write("PUT", "/Contacts", body, idempotency_key=key, params={"summarizeErrors": False})
    r2 = xero.write("PUT", "/Contacts", body, idempotency_key=key, params={"summarizeErrors": False})
    assert r1.status == r2.status == 200
    assert r1.data["Contacts"][0]["ContactID"] == r2.data["Contacts"][0]["ContactID"]
    assert stats(sandbox)["idempotency"][key] == 1
    with pytest.raises(XeroValidationError) as err:
        xero.write("PUT", "/Contacts", body, idempotency_key=f"test-{uuid.uuid4()}")
    assert any("already assigned to another contact" in m for m in err.value.messages)


def test_snapshot_resumes_after_daily_limit_and_refreshes(sandbox_factory: Callable[..., Any],
                                                         make_xero: Callable[..., XeroClient], tmp_path: Path,
                                                         configure: Callable[..., Any]) -> None:
    sandbox = sandbox_factory(seed=1, learners=800)  # > 1000 contacts: two pages
    n_contacts = sandbox.store.count("contact")
    assert n_contacts > 1000
    workspace = Workspace.create("acme", tmp_path, settings={"sandbox": {"url": sandbox.url}})
    wisenet = WisenetClient(WisenetSettings.for_sandbox(sandbox.url), "k", progress=False)
    xero = make_xero(sandbox)
    xero.connect(workspace=workspace)
    day_used = 5000 - xero.last_limits["day"]  # accounting calls so far today (X-DayLimit-Remaining)
    configure(sandbox, day_limit=day_used + 1)  # contacts page 1, then the day is over
    with pytest.raises(DailyLimitReached) as err:
        Snapshot.take(workspace, xero, wisenet=wisenet)
    assert "daily API limit" in str(err.value) and err.value.retry_after_s > 0
    latest = workspace.snapshots_dir / "latest"
    manifest = json.loads((latest / "manifest.json").read_text())
    assert manifest["streams"]["contacts"] == {"next_page": 2, "done": False} and not manifest["complete"]
    assert len(json.loads((latest / "contacts" / "page-0001.json").read_text())["Contacts"]) == 1000
    with pytest.raises(InputError, match="unfinished"):
        Snapshot.load(workspace)

    configure(sandbox, day_limit=day_used + 4)  # page 2, invoices page 1, then stopped again
    with pytest.raises(DailyLimitReached):
        Snapshot.take(workspace, xero, wisenet=wisenet)
    configure(sandbox, day_limit=5000)
    snap = Snapshot.take(workspace, xero, wisenet=wisenet)
    contact_gets = stats(sandbox)["requests"]["GET /api.xro/2.0/Contacts"]
    assert contact_gets == 2 + 1  # two pages, once each, plus the one refused by the daily limit
    assert len(snap.contacts) == n_contacts and snap.contacts["contact_id"].is_unique
    assert len(snap.documents[snap.documents["kind"] == "invoice"]) == sandbox.store.count("invoice")
    assert len(snap.learners) == len(wisenet.learners()) > 0
    assert (snap.learners["state"] != "").mean() > 0.5
    assert snap.contacts["n_documents"].sum() == (snap.documents["kind"] != "repeating_invoice").sum()
    assert Snapshot.load(workspace).contacts.equals(snap.contacts)

    # incremental refresh: only what changed comes back
    target = snap.contacts[snap.contacts["status"] == "ACTIVE"].iloc[0]
    time.sleep(1.1)  # If-Modified-Since has one-second resolution
    xero.write("POST", f"/Contacts/{target['contact_id']}",
               {"Contacts": [{"ContactID": target["contact_id"], "EmailAddress": "changed@example.com"}]},
               idempotency_key=f"test-{uuid.uuid4()}")
    changed = snap.refresh(xero)
    assert 1 <= changed["contacts"] < len(snap.contacts)
    row = snap.contacts.set_index("contact_id").loc[target["contact_id"]]
    assert row["email"] == "changed@example.com"
    assert Snapshot.load(workspace).contacts.set_index("contact_id").loc[target["contact_id"], "email"] == \
        "changed@example.com"


def test_snapshot_with_learners_csv_and_a_second_take(sandbox: Any, xero: XeroClient, workspace: Workspace,
                                                     tmp_path: Path) -> None:
    csv_path = tmp_path / "learners.csv"
    csv_path.write_text("Learner Number,First Name,Surname,State,Postcode\n0007,Ann,Lee,VIC,3000\n", "utf-8")
    first = Snapshot.take(workspace, xero, learners_csv=csv_path)
    assert first.complete and first.learners["learner_number"].tolist() == ["0007"]
    assert first.learners.iloc[0]["state"] == "VIC"
    assert len(first.contacts) == sandbox.store.count("contact")
    assert len(first.raw["invoices"]) == sandbox.store.count("invoice")
    second = Snapshot.take(workspace, xero)  # a finished snapshot is kept aside, a new one is taken
    assert second.manifest["started_utc"] >= first.manifest["started_utc"]
    kept = [p for p in workspace.snapshots_dir.iterdir() if p.name != "latest"]
    assert len(kept) == 1 and (kept[0] / "manifest.json").exists()
    assert len(second.learners) == 0 and len(second.contacts) == len(first.contacts)


def test_workspace_sign_in_and_client_for_workspace(sandbox: Any, workspace: Workspace) -> None:
    sign_in_workspace(workspace, "ws-client", open_browser=lambda url: requests.get(url, timeout=30))
    xero = XeroClient.for_workspace(workspace, progress=False)
    org = xero.connect(workspace=workspace)
    assert workspace.tenant_id == xero.tenant_id and org["ShortCode"] == sandbox.short_code
    again = XeroClient.for_workspace(workspace, progress=False)  # a later session: saved sign-in and tenant
    assert again.tenant_id == xero.tenant_id and again.organisation()["Name"] == org["Name"]
    cc = sign_in_workspace(workspace, "cc-id", "cc-secret")
    assert cc.grant == "client_credentials" and "cc-secret" not in repr(cc)
    assert SecretStore(workspace.name).get("xero_app")["grant"] == "client_credentials"


class _FlakyWisenet(WisenetClient):
    """Records the ``skip`` of every learners call; fails (like a dropped network) on call ``fail_on``."""

    def __init__(self, *args: Any, fail_on: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skips: list[int] = []
        self.fail_on = fail_on

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        if path == "/learnersAU":
            if self.fail_on is not None and len(self.skips) + 1 == self.fail_on:
                raise requests.ConnectionError("network dropped")
            self.skips.append(int((params or {})["skip"]))
        return super().get(path, params)


def test_learner_load_resumes_at_the_page_where_it_stopped(sandbox_factory: Callable[..., Any],
                                                          make_xero: Callable[..., XeroClient],
                                                          tmp_path: Path) -> None:
    sandbox = sandbox_factory(seed=3, learners=2300)  # three pages of learners
    workspace = Workspace.create("acme", tmp_path, settings={"sandbox": {"url": sandbox.url}})
    xero = make_xero(sandbox)
    xero.connect(workspace=workspace)
    settings = WisenetSettings.for_sandbox(sandbox.url)
    broken = _FlakyWisenet(settings, "k", progress=False, fail_on=3)
    with pytest.raises(requests.ConnectionError):
        Snapshot.take(workspace, xero, wisenet=broken)
    assert broken.skips == [0, 1000]
    latest = workspace.snapshots_dir / "latest"
    assert json.loads((latest / "manifest.json").read_text())["learners"] == {"next_skip": 2000}
    assert len(list((latest / "learners").glob("page-*.json"))) == 2

    again = _FlakyWisenet(settings, "k", progress=False)
    snap = Snapshot.take(workspace, xero, wisenet=again)
    assert again.skips == [2000]  # only the missing page
    everyone = again.learners()
    assert len(snap.learners) == len(everyone) == 2300
    assert snap.learners["learner_id"].is_unique
    assert set(snap.learners["learner_number"]) == {x["Data"]["Personal"]["LearnerNumber"] for x in everyone}
