"""Helpers for the sandbox-backed merge tests: plan from ground truth, state snapshots, stats."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
import requests

from wxsync.merge import plan_merges
from wxsync.merge.truth import load_frames, sandbox_client, truth_ticks
from wxsync.sandbox.store import DOCUMENT_KINDS, ID_FIELD

BIG = 100_000


def planned(sb: Any, *, history_notes: bool = False, limit: int | None = None) -> tuple[Any, pd.DataFrame]:
    """A signed-in client and the plan for every true duplicate (as if all were ticked)."""
    xero = sandbox_client(sb.url, minute_limit=BIG)
    frames = load_frames(xero)
    ticks = truth_ticks(sb.url, frames.contacts, limit=limit)
    plan = plan_merges(ticks, frames, workspace_tenant_id=xero.tenant_id, history_notes=history_notes)
    return xero, plan


def merge_in_xero_ui(sb: Any, result: pd.DataFrame) -> int:
    """Do Xero's own merge (the sandbox's stand-in) for every xero_ui pair."""
    n = 0
    for _, r in result[result["route"] == "xero_ui"].iterrows():
        resp = requests.post(f"{sb.url}/sandbox/merge", json={"old_contact_id": r["old_contact_id"],
                                                               "into_contact_id": r["wisenet_contact_id"]},
                             timeout=30)
        resp.raise_for_status()
        n += 1
    return n


def stats(sb: Any) -> dict[str, Any]:
    return requests.get(f"{sb.url}/sandbox/stats", timeout=30).json()


def state(sb: Any) -> dict[str, Any]:
    """The sandbox's Xero state without timestamps: contacts, documents and history notes."""
    store = sb.store
    contacts = {c["ContactID"]: (c.get("ContactStatus"), c.get("MergedToContactID") or "",
                                 c.get("ContactNumber") or "", c.get("Name")) for c in store.query("contact")}
    documents = {(k, d[ID_FIELD[k]]): ((d.get("Contact") or {}).get("ContactID"), d.get("Status"),
                                       round(float(d.get("Total") or 0), 2))
                 for k in DOCUMENT_KINDS for d in store.query(k)}
    notes = Counter((h.get("ParentID"), h.get("Details")) for h in store.query("history"))
    return {"contacts": contacts, "documents": documents, "history": notes}


def assert_documents_kept(before: dict[str, Any], after: dict[str, Any], plan: pd.DataFrame) -> None:
    """Same documents (none lost, none duplicated, same totals), each old contact's now on its target."""
    assert set(after["documents"]) == set(before["documents"])
    for key, (_contact, status, total) in before["documents"].items():
        assert after["documents"][key][1:] == (status, total), key
    target = dict(zip(plan["old_contact_id"], plan["wisenet_contact_id"], strict=False))
    for key, (contact, _s, _t) in before["documents"].items():
        if contact in target and plan.set_index("old_contact_id").loc[contact, "route"] != "blocked":
            assert after["documents"][key][0] == target[contact], key
