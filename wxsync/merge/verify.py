"""Verify every pair through the API, from paged reloads (never one GET per pair).

A pair is ``verified`` when: the old contact is ARCHIVED (and, for Xero's own merge, its
``MergedToContactID`` is the Wisenet contact); no document is left on it; every document it had is now
on the Wisenet contact; the Wisenet contact is ACTIVE with its Contact Code intact; and the learner's
document totals (the Wisenet contact's plus its old contacts') are unchanged.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wxsync.frames import contacts_frame, documents_frame
from wxsync.merge.plan import split
from wxsync.timestamps import utc_now

VERIFY_COLUMNS = ["old_contact_id", "wisenet_contact_id", "learner_number", "route", "verification",
                  "verified", "verified_at", "archived_at", "old_status", "merged_to_contact_id", "documents_left",
                  "wisenet_status", "wisenet_contact_number"]


def load_state(xero: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Contacts (archived too) and documents of the whole organisation, at 1000 per page."""
    contacts = contacts_frame(xero.load_contacts(include_archived=True))
    docs = xero.load_documents()
    documents = documents_frame(docs.get("invoices", ()), docs.get("credit_notes", ()),
                                docs.get("overpayments", ()), docs.get("prepayments", ()),
                                docs.get("repeating_invoices", ()))
    return contacts, documents


def verify(plan: pd.DataFrame, xero: Any = None, *, contacts: pd.DataFrame | None = None,
           documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per pair with ``verification`` = ``"verified"`` or the reasons it is not.

    Pass ``xero`` to reload the organisation (a few paged calls for any number of pairs), or already
    loaded ``contacts``/``documents`` frames.
    """
    if contacts is None or documents is None:
        contacts, documents = load_state(xero)
    now = utc_now()
    by_id = contacts.drop_duplicates("contact_id").set_index("contact_id")
    docs = documents[documents["kind"] != "repeating_invoice"]
    doc_contact = dict(zip(docs["document_id"], docs["contact_id"], strict=False))
    doc_total = dict(zip(docs["document_id"], docs["total"], strict=False))
    left_by_contact = documents.groupby("contact_id").size().to_dict()

    # per learner: totals before (from the plan) vs the same documents now
    before: dict[str, float] = {}
    ids_of: dict[str, set[str]] = {}
    for _, r in plan.iterrows():
        key = r["wisenet_contact_id"]
        if key not in ids_of:
            ids_of[key] = set(split(r.get("wisenet_document_ids", "")))
            before[key] = float(r.get("wisenet_documents_total", 0) or 0)
        movable = [i for i, k in zip(split(r["document_ids"]), split(r["document_kinds"]), strict=False)
                   if k != "repeating_invoice"]
        ids_of[key] |= set(movable)
        before[key] += float(r.get("documents_total", 0) or 0)

    rows = []
    for _, r in plan.iterrows():
        old_id, new_id = r["old_contact_id"], r["wisenet_contact_id"]
        route = r.get("route", "")
        old = by_id.loc[old_id] if old_id in by_id.index else None
        new = by_id.loc[new_id] if new_id in by_id.index else None
        problems: list[str] = []
        if route == "blocked":
            problems.append(f"blocked: {r.get('reason', '')}")
        if old is None:
            problems.append("old contact not found in Xero")
        else:
            if str(old["status"]).upper() != "ARCHIVED":
                problems.append(f"old contact is {old['status'] or 'not archived'}")
            merged = str(old["merged_to_contact_id"] or "")
            if route == "xero_ui" and merged != new_id:
                problems.append("Xero's merge not done (MergedToContactID is "
                                f"{'empty' if not merged else merged})")
        left = int(left_by_contact.get(old_id, 0))
        if left:
            problems.append(f"{left} document{'s' * (left != 1)} left on the old contact")
        movable = [(i, k) for i, k in zip(split(r["document_ids"]), split(r["document_kinds"]), strict=False)
                   if k != "repeating_invoice"]
        elsewhere = [i for i, _ in movable if doc_contact.get(i) not in (new_id, old_id)]
        if elsewhere:
            problems.append(f"{len(elsewhere)} document(s) neither on the old nor the Wisenet contact")
        if new is None:
            problems.append("Wisenet contact not found in Xero")
        else:
            if str(new["status"]).upper() != "ACTIVE":
                problems.append(f"Wisenet contact is {new['status']}")
            want_code = str(r.get("wisenet_contact_number", "") or "")
            if want_code and str(new["contact_number"]) != want_code:
                problems.append(f"Wisenet Contact Code changed from {want_code} to "
                                f"{new['contact_number'] or 'empty'}")
        ids = ids_of.get(new_id, set())
        missing = [i for i in ids if i not in doc_total]
        now_total = round(sum(doc_total.get(i, 0.0) for i in ids), 2)
        if missing:
            problems.append(f"{len(missing)} of the learner's documents no longer found")
        elif abs(now_total - round(before.get(new_id, 0.0), 2)) > 0.005:
            problems.append(f"learner's document total changed from {before[new_id]:.2f} to {now_total:.2f}")
        rows.append({
            "old_contact_id": old_id, "wisenet_contact_id": new_id,
            "learner_number": r.get("learner_number", ""), "route": route,
            "verification": "verified" if not problems else "; ".join(problems),
            "verified": not problems, "verified_at": now if not problems else "",
            "archived_at": old["updated_utc"] if old is not None and str(old["status"]).upper() == "ARCHIVED"
            else "",
            "old_status": "" if old is None else old["status"],
            "merged_to_contact_id": "" if old is None else old["merged_to_contact_id"],
            "documents_left": left, "wisenet_status": "" if new is None else new["status"],
            "wisenet_contact_number": "" if new is None else new["contact_number"],
        })
    return pd.DataFrame(rows, columns=VERIFY_COLUMNS)
