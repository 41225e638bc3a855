"""Execution, fallbacks, resume after lost answers, verification, worklist and undo (fake Xero)."""

from __future__ import annotations

import pytest

from merge.fake_xero import REPEATING, LostAnswer
from wxsync.config import XeroSettings
from wxsync.errors import DailyLimitReached, GuardError, TenantMismatchError
from wxsync.journal import Journal, JournaledWriter
from wxsync.merge import execute, plan_merges, resume, undo, verify, worklist

ORG = "Demo Training Pty Ltd"


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "journal.sqlite") as j:
        yield j


def _plan(org, pairs, **kw):
    return plan_merges(pairs, org.snapshot, workspace_tenant_id=org.tenant_id, **kw)


def _merge_in_xero_ui(org, old, into):
    """What Xero's own merge does: move every document, archive, set MergedToContactID."""
    for store in (org.invoices, org.credit_notes, org.overpayments, org.repeating):
        for d in store.values():
            if d["Contact"]["ContactID"] == old:
                d["Contact"] = {"ContactID": into}
    org.contacts[old].update(ContactStatus="ARCHIVED", MergedToContactID=into)


def test_execute_routes_fallbacks_and_verification(org, pairs, journal):
    plan = _plan(org, pairs)
    # after planning: O6's invoice gets paid, O7 gets a repeating invoice (Xero refuses both)
    org.invoices["i61"].update(Status="PAID", AmountPaid=60.0)
    org.repeating_invoice("r71", "O7")
    res = execute(plan, JournaledWriter(journal, org), ORG, progress=False).set_index("old_contact_id")

    assert res.loc["O1", "outcome"] == "merged through the API" and res.loc["O1", "archived_at"]
    assert res.loc["O2", "outcome"] == "merged through the API"
    assert res.loc["O2", "documents_moved"] == "INV-i21;INV-i22;CN-c21" or \
        set(res.loc["O2", "documents_moved"].split(";")) == {"INV-i21", "INV-i22", "CN-c21"}
    assert res.loc["O6", "route"] == "xero_ui" and res.loc["O6", "planned_route"] == "repoint"
    assert "payment or credit note allocated" in res.loc["O6", "message"]
    assert res.loc["O7", "route"] == "xero_ui" and REPEATING in res.loc["O7", "message"]
    assert res.loc["O3", "outcome"].startswith("to do in Xero")
    assert org.contacts["O2"]["ContactStatus"] == "ARCHIVED"
    assert org.contacts["O6"]["ContactStatus"] == "ACTIVE"       # never archived with a document left
    assert all(org.invoices[i]["Contact"]["ContactID"] == "W2" for i in ("i21", "i22"))
    assert any("merged Old Two" in t for t in org.history["W2"]) and org.history["O2"]
    assert max(org.applied.values()) == 1

    # verification from paged reloads; the xero_ui pairs are not done yet
    calls = org.calls
    ver = verify(res.reset_index(), org).set_index("old_contact_id")
    assert org.calls - calls == 6            # 1 contacts load + 5 document kinds, whatever the pair count
    assert ver.loc["O1", "verification"] == "verified" and ver.loc["O2", "verification"] == "verified"
    assert "MergedToContactID is empty" in ver.loc["O3", "verification"]
    assert "1 document left" in ver.loc["O3", "verification"]

    links = worklist(res.reset_index(), XeroSettings.live(), "!abc12", ver.reset_index()).set_index("old_contact_id")
    assert set(links.index) == {"O3", "O4", "O5", "O6", "O7"}
    assert links.loc["O3", "link"] == "https://go.xero.com/app/!abc12/contacts/contact/O3"
    assert links.loc["O3", "merge_into"] == "Learner 3 (L3)" and links.loc["O3", "documents_to_move"] == 1
    assert links.loc["O6", "documents_to_move"] == 1 and links.loc["O3", "status"].startswith("to do")

    for old in ("O3", "O4", "O5", "O6", "O7"):
        _merge_in_xero_ui(org, old, old.replace("O", "W"))
    ver = verify(res.reset_index(), org)
    assert (ver["verification"] == "verified").all(), ver[["old_contact_id", "verification"]]


def test_verification_catches_a_changed_contact_code_and_a_lost_document(org, pairs, journal):
    plan = _plan(org, pairs)
    res = execute(plan, JournaledWriter(journal, org), ORG, progress=False)
    org.contacts["W1"]["ContactNumber"] = "CHANGED"
    del org.invoices["i22"]
    ver = verify(res, org).set_index("old_contact_id")
    assert "Contact Code changed from L1 to CHANGED" in ver.loc["O1", "verification"]
    assert "no longer found" in ver.loc["O2", "verification"]


def test_org_name_must_be_typed_back_and_tenant_must_match(org, pairs, journal):
    plan = _plan(org, pairs)
    with pytest.raises(GuardError, match="exactly"):
        execute(plan, JournaledWriter(journal, org), "Demo Training", progress=False)
    org.tenant_id = "someone-else"
    with pytest.raises(TenantMismatchError):
        execute(plan, JournaledWriter(journal, org), ORG, progress=False)
    assert org.writes == 0


def test_lost_answers_are_checked_and_never_applied_twice(org, pairs, journal):
    plan = _plan(org, pairs)
    org.lose_answer_on = {1, 2, 4}
    for _ in range(4):
        try:
            res = execute(plan, JournaledWriter(journal, org), ORG, progress=False)
            break
        except LostAnswer:
            continue
    else:
        pytest.fail("never finished")
    assert max(org.applied.values()) == 1
    assert (res.set_index("old_contact_id").loc[["O1", "O2"], "outcome"] == "merged through the API").all()
    by = {s.kind: s.confirmed_by for s in journal.steps(res["run_id"].iloc[0])}
    assert "check" in by.values()
    assert len(journal.runs()) == 1
    # a finished plan executed again writes nothing and returns the same outcome
    writes = org.writes
    again = execute(plan, JournaledWriter(journal, org), ORG, progress=False)
    assert org.writes == writes and list(again["outcome"]) == list(res["outcome"])


def test_daily_limit_stops_cleanly_and_resumes(org, pairs, journal):
    plan = _plan(org, pairs)
    org.daily_limit_after = 1
    with pytest.raises(DailyLimitReached) as info:
        execute(plan, JournaledWriter(journal, org), ORG, progress=False)
    assert "Run the same merge cell again" in info.value.hint and "run merge-" in info.value.message
    org.daily_limit_after = None
    res = resume(JournaledWriter(journal, org), ORG, progress=False)
    assert (res.set_index("old_contact_id").loc[["O1", "O2"], "outcome"] == "merged through the API").all()
    assert max(org.applied.values()) == 1


def test_a_second_plan_for_the_same_old_contacts_is_refused(org, pairs, journal):
    plan = _plan(org, pairs)
    org.daily_limit_after = 1
    with pytest.raises(DailyLimitReached):
        execute(plan, JournaledWriter(journal, org), ORG, progress=False)
    org.daily_limit_after = None
    other = _plan(org, pairs, history_notes=False)        # a different plan over the same pairs
    with pytest.raises(GuardError, match="never two plans"):
        execute(other, JournaledWriter(journal, org), ORG, progress=False)


def test_undo_restores_api_routes_and_says_xero_merge_cannot_be_undone(org, pairs, journal):
    before = {i: d["Contact"]["ContactID"] for i, d in org.invoices.items()}
    plan = _plan(org, pairs)
    execute(plan, JournaledWriter(journal, org), ORG, progress=False)
    out = undo(journal, org, progress=False).set_index("old_contact_id")
    assert out.loc["O1", "undo"] == "undone" and out.loc["O2", "undo"] == "undone"
    assert out.loc["O3", "undo"] == "cannot be undone" and "cannot be undone" in out.attrs["note"]
    assert {i: d["Contact"]["ContactID"] for i, d in org.invoices.items()} == before
    assert org.credit_notes["c21"]["Contact"]["ContactID"] == "O2"
    assert org.contacts["O1"]["ContactStatus"] == org.contacts["O2"]["ContactStatus"] == "ACTIVE"
    assert max(org.applied.values()) == 1
    # the undone pairs may be planned and executed again
    execute(_plan(org, pairs, history_notes=False), JournaledWriter(journal, org), ORG, progress=False)
    assert org.contacts["O2"]["ContactStatus"] == "ARCHIVED"


def test_undo_reports_documents_no_longer_editable(org, pairs, journal):
    execute(_plan(org, pairs), JournaledWriter(journal, org), ORG, progress=False)
    org.invoices["i22"].update(Status="PAID", AmountPaid=220.0)
    out = undo(journal, org, progress=False).set_index("old_contact_id")
    assert out.loc["O2", "undo"] == "partly undone"
    assert "INV-i22 stays on the Wisenet contact" in out.loc["O2", "message"]


def test_dry_run_is_exactly_what_execution_sends(org, pairs, journal):
    from wxsync.merge import planned_requests

    plan = _plan(org, pairs.iloc[[0, 1, 5, 6]])          # API pairs only, Xero accepts everything
    result = execute(plan, JournaledWriter(journal, org), ORG, progress=False)
    run_id = result["run_id"].iloc[0]
    sent = [(s.method, s.path, s.params, s.body) for s in journal.steps(run_id)]
    dry = [(r.method, r.path, r.params, r.body) for r in planned_requests(plan, run_id)]
    assert sent == dry and len(sent) == org.writes
    kinds = [s.kind for s in journal.steps(run_id)]
    assert kinds == ["move_invoices", "move_credit_notes", "archive"] + ["history_note"] * 8


def test_an_empty_plan_writes_nothing(org, journal, tmp_path):
    import pandas as pd

    from wxsync.config import Workspace
    from wxsync.evidence import export

    plan = plan_merges(pd.DataFrame(columns=["old_contact_id", "wisenet_contact_id", "learner_number"]),
                       org.snapshot)
    result = execute(plan, JournaledWriter(journal, org), ORG, progress=False)
    assert result.empty and org.writes == 0
    assert verify(result, org).empty and worklist(result, XeroSettings.live(), "s").empty
    paths = export(Workspace.create("empty", tmp_path), result, verify(result, org))
    assert paths["merges"].read_text(encoding="utf-8-sig").startswith("client,tenant_name")
