"""Evidence CSVs: columns, Excel-friendly encoding, ISO dates, resync column, no secrets."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from wxsync.config import Workspace
from wxsync.evidence import MERGES_COLUMNS, export
from wxsync.journal import Journal, JournaledWriter
from wxsync.merge import execute, plan_merges, verify

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\+00:00|Z)$")
SECRETS = ["eyJhbGciOi-access-token-value", "refresh-token-r0tating", "client-secret-s3cret", "wisenet-key-k3y"]


@pytest.fixture
def done(org, pairs, tmp_path):
    ws = Workspace.create("acme", tmp_path, settings={"xero": {"tenant_id": org.tenant_id,
                                                               "tenant_name": "Demo Training Pty Ltd"}})
    # secrets exist in the per-user store during the run; none may reach the evidence
    from wxsync.secrets import SecretStore
    store = SecretStore("acme")
    store.put("xero_token", {"access_token": SECRETS[0], "refresh_token": SECRETS[1]})
    store.put("xero_app", {"client_id": "cid", "client_secret": SECRETS[2]})
    with Journal(ws.journal_db) as j:
        plan = plan_merges(pairs, org.snapshot, workspace_tenant_id=org.tenant_id)
        res = execute(plan, JournaledWriter(j, org), "Demo Training Pty Ltd", progress=False)
    return ws, res, verify(res, org), org


def test_merges_csv_one_row_per_pair_with_the_contract_columns(done):
    ws, res, ver, org = done
    (ws.evidence_dir / "resync.csv").write_text("learner_number,status,detail\nL1,clean,3 of 3 invoices\nL2,missing,INV-i21\n",
                                               encoding="utf-8")
    paths = export(ws, res, ver, api_calls=12)
    raw = paths["merges"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    merges = pd.read_csv(paths["merges"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(merges.columns) == MERGES_COLUMNS and len(merges) == len(res)
    rows = merges.set_index("old_contact_id")
    assert rows.loc["O1", "verification"] == "verified" and rows.loc["O1", "outcome"] == "merged through the API"
    assert rows.loc["O3", "verification"] != "verified" and rows.loc["O3", "route"] == "xero_ui"
    assert rows.loc["O1", "resync_verification"] == "clean: 3 of 3 invoices"
    assert rows.loc["O2", "resync_verification"] == "missing: INV-i21"
    assert rows.loc["O3", "resync_verification"] == ""
    summary = pd.read_csv(paths["summary"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    counts = dict(zip(summary["metric"], summary["value"], strict=True))
    assert (counts["resync_clean"], counts["resync_not_clean"]) == ("1", "1")
    assert rows.loc["O2", "n_documents_moved"] == "3" and "INV-i21" in rows.loc["O2", "documents_moved"]
    assert rows.loc["O2", "client"] == "acme" and rows.loc["O2", "tenant_name"] == "Demo Training Pty Ltd"
    assert rows.loc["O2", "wisenet_contact_number"] == "L2" and rows.loc["O2", "ticked_by"] == "ana"
    for col in ("archived_at", "verified_at", "ticked_at"):
        assert ISO.match(rows.loc["O2", col]), (col, rows.loc["O2", col])

    # after Xero's own merge of O3, its evidence row says what moved and when it was archived
    org.contacts["O3"].update(ContactStatus="ARCHIVED", MergedToContactID="W3",
                              UpdatedDateUTC="/Date(1767225600000+0000)/")
    org.invoices["i31"]["Contact"] = {"ContactID": "W3"}
    paths = export(ws, res, verify(res, org))
    rows = pd.read_csv(paths["merges"], dtype=str, keep_default_na=False, encoding="utf-8-sig").set_index(
        "old_contact_id")
    assert rows.loc["O3", "verification"] == "verified" and rows.loc["O3", "outcome"] == "merged with Xero's merge"
    assert rows.loc["O3", "documents_moved"] == "INV-i31" and rows.loc["O3", "archived_at"].startswith("2026-01-01T")
    paths = export(ws, res, ver, api_calls=12)

    summary = dict(csv.reader(paths["summary"].read_text(encoding="utf-8-sig").splitlines()))
    assert summary["pairs"] == "7" and summary["verified"] == "4" and summary["api_calls"] == "12"
    assert summary["planned_repoint"] == "2" and summary["planned_archive"] == "2" and summary["fallbacks_to_xero_ui"] == "0"


def test_no_secret_reaches_the_evidence(done):
    ws, res, ver, _org = done
    paths = export(ws, res, ver)
    for path in paths.values():
        text = path.read_text(encoding="utf-8-sig")
        for secret in SECRETS:
            assert secret not in text
        header = text.splitlines()[0].lower()
        assert not re.search(r"token|secret|api_?key|password", header)


def test_leading_zero_learner_numbers_survive(done):
    ws, res, ver, _org = done
    res = res.assign(learner_number="000123")
    paths = export(ws, res, ver)
    merges = pd.read_csv(paths["merges"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert set(merges["learner_number"]) == {"000123"}
