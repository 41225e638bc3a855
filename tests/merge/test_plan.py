"""Routing, reasons, guards, cost estimate and dry run (pure: no writes)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from merge.conftest import ticked
from wxsync.errors import GuardError, TenantMismatchError
from wxsync.merge import api_cost, dry_run, plan_merges, planned_requests


def test_routes_and_reasons_follow_the_documents(org, pairs):
    plan = plan_merges(pairs, org.snapshot).set_index("old_contact_id")
    assert plan.loc["O1", "route"] == "archive"
    assert plan.loc["O2", "route"] == "repoint"
    assert "3 documents, all editable" in plan.loc["O2", "reason"]
    assert "draft" in plan.loc["O2", "reason"] and "approved unpaid" in plan.loc["O2", "reason"]
    assert plan.loc["O3", "route"] == "xero_ui" and "INV-i31 is paid" in plan.loc["O3", "reason"]
    assert plan.loc["O4", "route"] == "xero_ui" and "overpayment" in plan.loc["O4", "reason"]
    assert plan.loc["O5", "route"] == "xero_ui" and "repeating invoice" in plan.loc["O5", "reason"]
    assert plan.loc["O6", "route"] == "repoint"
    assert plan.loc["O2", "documents_total"] == pytest.approx(350.0)
    assert plan.loc["O2", "wisenet_documents_total"] == pytest.approx(5.0)
    assert plan.loc["O2", "wisenet_contact_number"] == "L2"


def test_part_paid_voided_and_allocated_need_xero_merge(org):
    org.contact("O8", "Old Eight")
    org.invoice("i81", "O8", status="AUTHORISED", total=100.0, paid=40.0)
    org.contact("O9", "Old Nine")
    org.invoice("i91", "O9", status="VOIDED")
    org.contact("O10", "Old Ten")
    org.credit_note("c101", "O10")
    org.credit_notes["c101"]["RemainingCredit"] = 5.0
    plan = plan_merges(ticked([("O8", "W1", "L1"), ("O9", "W2", "L2"), ("O10", "W3", "L3")]),
                       org.snapshot).set_index("old_contact_id")
    assert "part-paid" in plan.loc["O8", "reason"]
    assert "voided" in plan.loc["O9", "reason"]
    assert "allocated" in plan.loc["O10", "reason"]
    assert set(plan["route"]) == {"xero_ui"}


def test_policy_sends_every_pair_to_xero_ui(org, pairs):
    plan = plan_merges(pairs, org.snapshot, policy="xero_ui_only")
    assert set(plan["route"]) == {"xero_ui"}
    assert plan["reason"].str.startswith("policy").all()


def test_guards_block_bad_pairs(org):
    org.contact("WA", "Archived Learner (L9)", number="L9", status="ARCHIVED")
    org.contact("OX", "Old Archived", status="ARCHIVED")
    plan = plan_merges(ticked([
        ("W3", "W1", "L1"),      # a Wisenet contact merged away
        ("O1", "WA", "L9"),      # into an archived contact
        ("O2", "W2", "L2"), ("O2", "W3", "L3"),  # two plans for one old contact
        ("OX", "W4", "L4"),      # already archived
        ("O3", "O4", ""),        # target not Wisenet-generated
        ("NOPE", "W5", "L5"),    # not in the snapshot
    ]), org.snapshot)
    assert (plan["route"] == "blocked").all(), plan[["old_contact_id", "reason"]]
    reasons = " | ".join(plan["reason"])
    for text in ("never merge a Wisenet contact away", "never merge into an archived contact",
                 "ticked against 2 Wisenet contacts", "already ARCHIVED", "not a Wisenet-generated",
                 "not in the snapshot"):
        assert text in reasons


def test_tenant_mismatch_refused(org, pairs):
    with pytest.raises(TenantMismatchError):
        plan_merges(pairs, org.snapshot, workspace_tenant_id="t-A", signed_in_tenant_id="t-B")
    assert len(plan_merges(pairs, org.snapshot, workspace_tenant_id="t-A", signed_in_tenant_id="t-A")) == 7


def test_edited_plan_with_two_rows_for_one_old_contact_is_refused(org, pairs):
    plan = plan_merges(pairs, org.snapshot)
    doubled = pd.concat([plan, plan.iloc[[0]].assign(wisenet_contact_id="W7")], ignore_index=True)
    with pytest.raises(GuardError):
        dry_run(doubled)


def test_dry_run_lists_exactly_the_batched_requests(org):
    for i in range(120):
        org.contact(f"X{i}", f"Extra {i}")
    for i in range(60):
        org.invoice(f"xi{i}", f"X{i}", status="DRAFT")
    plan = plan_merges(ticked([(f"X{i}", f"W{1 + i % 7}", f"L{1 + i % 7}") for i in range(120)]),
                       org.snapshot, history_notes=False)
    assert plan["route"].value_counts().to_dict() == {"repoint": 60, "archive": 60}
    reqs = planned_requests(plan)
    kinds = [r.kind for r in reqs]
    assert kinds == ["move_invoices", "move_invoices", "archive", "archive", "archive"]
    assert [len(r.body.get("Invoices", r.body.get("Contacts"))) for r in reqs] == [50, 10, 50, 50, 20]
    assert all(r.params == {"summarizeErrors": "false"} for r in reqs)
    text = dry_run(plan, api_base="https://api.xero.com/api.xro/2.0")
    assert text[0].startswith("POST https://api.xero.com/api.xro/2.0/Invoices?summarizeErrors=false\n")
    body = json.loads(text[2].split("\n", 1)[1])
    assert body["Contacts"][0] == {"ContactID": plan["old_contact_id"].iloc[0], "ContactStatus": "ARCHIVED"}
    assert org.writes == 0
    assert api_cost(plan)["total"] == 6


def test_history_notes_cost_two_calls_per_contact_pair(org, pairs):
    with_notes = api_cost(plan_merges(pairs, org.snapshot, history_notes=True))
    without = api_cost(plan_merges(pairs, org.snapshot, history_notes=False))
    # API pairs: O1, O2, O6, O7 -> 4 old + 4 Wisenet contacts get a note
    assert with_notes["history_notes"] == 8 and without["history_notes"] == 0
    assert with_notes["total"] - without["total"] == 8
