"""Route each ticked pair (old contact -> Wisenet contact) and guard the plan.

Routes:

* ``archive``  the old contact has no documents: archive it.
* ``repoint``  every document is an invoice or credit note that Xero still lets us edit (draft, awaiting
  approval, approved with nothing paid or allocated), and there are no overpayments, prepayments or
  repeating invoices: move the documents to the Wisenet contact, then archive the old contact.
* ``xero_ui``  anything else: the consultant uses Xero's own merge (see :mod:`wxsync.merge.worklist`).
* ``blocked``  a guard refused the pair; nothing is written for it and the reason says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from wxsync.errors import InputError, TenantMismatchError

POLICIES = ("auto", "xero_ui_only")
EDITABLE_STATUSES = {"DRAFT", "SUBMITTED", "AUTHORISED"}
MOVABLE_KINDS = ("invoice", "credit_note")
STATUS_WORDS = {
    "DRAFT": "draft", "SUBMITTED": "awaiting approval", "AUTHORISED": "approved unpaid", "PAID": "paid",
    "VOIDED": "voided", "DELETED": "deleted",
}
KIND_WORDS = {"invoice": "invoice", "credit_note": "credit note", "overpayment": "overpayment",
              "prepayment": "prepayment", "repeating_invoice": "repeating invoice"}

PLAN_COLUMNS = [
    "old_contact_id", "wisenet_contact_id", "learner_number", "route", "reason",
    "old_name", "old_email", "old_phone", "old_contact_number", "old_status",
    "wisenet_name", "wisenet_email", "wisenet_phone", "wisenet_contact_number",
    "n_documents", "document_ids", "document_kinds", "document_numbers", "documents_total",
    "wisenet_document_ids", "wisenet_documents_total",
    "score", "band", "reasons", "ticked_by", "ticked_at", "history_notes", "tenant_id", "tenant_name",
]
SEP = ";"


def _doc_words(doc: pd.Series) -> str:
    label = doc["number"] or doc["document_id"][:8]
    return f"{KIND_WORDS.get(doc['kind'], doc['kind'])} {label}"


def _refusal(doc: pd.Series) -> str:
    """Why the API cannot move this document ('' when it can)."""
    kind, status = doc["kind"], str(doc["status"]).upper()
    if kind == "repeating_invoice":
        return f"has repeating invoice {doc['number'] or doc['document_id'][:8]} (Xero refuses to archive a contact with one)"
    if kind in ("overpayment", "prepayment"):
        return f"has {_doc_words(doc)} (the API cannot move {kind}s)"
    if kind not in MOVABLE_KINDS:
        return f"has {_doc_words(doc)} (not movable through the API)"
    if status not in EDITABLE_STATUSES:
        if kind == "credit_note" and status == "PAID":
            return f"{_doc_words(doc)} is fully allocated"
        return f"{_doc_words(doc)} is {STATUS_WORDS.get(status, status.lower())}"
    if bool(doc["has_payments"]):
        paid_fully = float(doc["amount_due"]) <= 0
        return f"{_doc_words(doc)} is {'paid' if paid_fully else 'part-paid'}"
    if bool(doc["has_allocations"]):
        return f"{_doc_words(doc)} has a credit or payment allocated"
    return ""


def route_for(docs: pd.DataFrame, policy: str = "auto") -> tuple[str, str]:
    """The route and its reason, in words, for one old contact's documents."""
    n = len(docs)
    if policy == "xero_ui_only":
        return "xero_ui", f"policy: Xero's own merge only ({n} document{'s' * (n != 1)} move with it)"
    if n == 0:
        return "archive", "no documents: archive it"
    refusals = [r for r in (_refusal(d) for _, d in docs.iterrows()) if r]
    if refusals:
        shown = "; ".join(refusals[:3]) + (f"; and {len(refusals) - 3} more" if len(refusals) > 3 else "")
        return "xero_ui", f"needs Xero's merge: {shown}"
    counts = docs["status"].map(lambda s: STATUS_WORDS.get(str(s).upper(), str(s).lower())).value_counts()
    detail = ", ".join(f"{c} {w}" for w, c in counts.items())
    return "repoint", (f"{n} document{'s' * (n != 1)}, all editable ({detail}): "
                       "move them to the Wisenet contact, then archive")


def _wisenet_flags(contacts: pd.DataFrame, learners: pd.DataFrame | None,
                   learner_numbers: Iterable[str]) -> pd.Series:
    """Which contacts are Wisenet-generated (Contact Code is a learner number)."""
    if "is_wisenet" in contacts.columns:
        return contacts["is_wisenet"].astype(bool)
    numbers = set(learner_numbers)
    if learners is not None and "learner_number" in learners.columns:
        numbers |= set(learners["learner_number"].astype(str))
    numbers.discard("")
    return contacts["contact_number"].astype(str).isin(numbers)


def _col(frame: pd.DataFrame, name: str, default: Any = "") -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series([default] * len(frame), index=frame.index)


def plan_merges(ticked_pairs: pd.DataFrame, snapshot: Any, policy: str = "auto", *,
                history_notes: bool = True, pairs: pd.DataFrame | None = None,
                workspace_tenant_id: str | None = None, signed_in_tenant_id: str | None = None,
                tenant_name: str = "") -> pd.DataFrame:
    """One plan row per ticked pair: route, reason, both contacts, documents and guards.

    ``snapshot`` needs ``.contacts`` and ``.documents`` frames (``.learners`` optional). ``pairs`` (the
    matcher's frame) supplies ``reasons`` when ``ticked_pairs`` lacks them. Raises
    :class:`TenantMismatchError` when the workspace is bound to another organisation than the signed-in one.
    """
    if policy not in POLICIES:
        raise InputError(f"Unknown merge policy {policy!r}.", f"Use one of: {', '.join(POLICIES)}.")
    if workspace_tenant_id and signed_in_tenant_id and workspace_tenant_id != signed_in_tenant_id:
        raise TenantMismatchError(
            f"This workspace belongs to Xero organisation {workspace_tenant_id}, but you are signed in to "
            f"{signed_in_tenant_id}.", "Sign in to the workspace's organisation, then plan again.")
    missing = [c for c in ("old_contact_id", "wisenet_contact_id") if c not in ticked_pairs.columns]
    if missing:
        raise InputError(f"The ticked pairs lack the column(s) {', '.join(missing)}.",
                         "Pass decisions.ticked_pairs(ws.decisions_csv).")
    ticked = ticked_pairs.copy()
    if "ticked" in ticked.columns:
        ticked = ticked[ticked["ticked"].astype(str).str.lower().isin(["true", "1"])]
    ticked = ticked.astype({"old_contact_id": str, "wisenet_contact_id": str}).reset_index(drop=True)
    if "reasons" not in ticked.columns and pairs is not None and "reasons" in pairs.columns:
        ticked = ticked.merge(pairs[["old_contact_id", "wisenet_contact_id", "reasons"]]
                              .drop_duplicates(["old_contact_id", "wisenet_contact_id"]),
                              on=["old_contact_id", "wisenet_contact_id"], how="left")

    contacts = snapshot.contacts.copy()
    contacts["_wisenet"] = _wisenet_flags(contacts, getattr(snapshot, "learners", None),
                                          _col(ticked, "learner_number").astype(str))
    by_id = contacts.drop_duplicates("contact_id").set_index("contact_id")
    docs = snapshot.documents
    docs_by_contact = {cid: g for cid, g in docs.groupby("contact_id")} if len(docs) else {}
    empty_docs = docs.iloc[0:0]
    old_counts = ticked["old_contact_id"].value_counts()
    tenant = workspace_tenant_id or signed_in_tenant_id or ""

    rows = []
    for _, pair in ticked.iterrows():
        old_id, new_id = pair["old_contact_id"], pair["wisenet_contact_id"]
        old = by_id.loc[old_id] if old_id in by_id.index else None
        new = by_id.loc[new_id] if new_id in by_id.index else None
        old_docs = docs_by_contact.get(old_id, empty_docs).sort_values(["kind", "document_id"])
        new_docs = docs_by_contact.get(new_id, empty_docs)
        movable = old_docs[old_docs["kind"] != "repeating_invoice"]
        row = {
            "old_contact_id": old_id, "wisenet_contact_id": new_id,
            "learner_number": str(pair.get("learner_number", "") or (new["contact_number"] if new is not None
                                                                     else "")),
            "n_documents": len(old_docs),
            "document_ids": SEP.join(old_docs["document_id"]),
            "document_kinds": SEP.join(old_docs["kind"]),
            "document_numbers": SEP.join(old_docs["number"]),
            "documents_total": round(float(movable["total"].sum()), 2),
            "wisenet_document_ids": SEP.join(new_docs.loc[new_docs["kind"] != "repeating_invoice",
                                                          "document_id"]),
            "wisenet_documents_total": round(float(
                new_docs.loc[new_docs["kind"] != "repeating_invoice", "total"].sum()), 2),
            "score": pair.get("score", float("nan")), "band": pair.get("band", ""),
            "reasons": pair.get("reasons", "") if isinstance(pair.get("reasons", ""), str) else "",
            "ticked_by": pair.get("ticked_by", ""), "ticked_at": pair.get("ticked_at", ""),
            "history_notes": bool(history_notes), "tenant_id": tenant, "tenant_name": tenant_name,
        }
        for prefix, c in (("old", old), ("wisenet", new)):
            for field in ("name", "email", "phone", "contact_number"):
                row[f"{prefix}_{field}"] = "" if c is None else str(c[field])
        row["old_status"] = "" if old is None else str(old["status"])
        blocked = _guard(old_id, new_id, old, new, int(old_counts[old_id]))
        if blocked:
            row["route"], row["reason"] = "blocked", blocked
        else:
            row["route"], row["reason"] = route_for(old_docs, policy)
        rows.append(row)
    plan = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    plan.attrs.update(policy=policy, history_notes=bool(history_notes), tenant_id=tenant,
                      tenant_name=tenant_name)
    return plan


def _guard(old_id: str, new_id: str, old: pd.Series | None, new: pd.Series | None, n_plans: int) -> str:
    """Why this pair must not be merged ('' when it may)."""
    if old_id == new_id:
        return "old and Wisenet contact are the same contact"
    if n_plans > 1:
        return f"the old contact is ticked against {n_plans} Wisenet contacts: untick all but one"
    if old is None:
        return "the old contact is not in the snapshot: reload (01_load) and plan again"
    if new is None:
        return "the Wisenet contact is not in the snapshot: reload (01_load) and plan again"
    if bool(old["_wisenet"]):
        return (f"the old contact is Wisenet-generated (Contact Code {old['contact_number']}): "
                "never merge a Wisenet contact away")
    if str(new["status"]).upper() != "ACTIVE":
        return f"the Wisenet contact is {str(new['status']).upper()}: never merge into an archived contact"
    if not bool(new["_wisenet"]):
        return "the target is not a Wisenet-generated contact (its Contact Code is no learner number)"
    if str(old["status"]).upper() != "ACTIVE":
        merged = str(old.get("merged_to_contact_id", "") or "")
        return f"the old contact is already {str(old['status']).upper()}" + (
            f" (merged into {merged})" if merged else "")
    return ""


def split(value: str) -> list[str]:
    """The list stored in a ``;``-joined plan cell."""
    return [v for v in str(value or "").split(SEP) if v]


def api_cost(plan: pd.DataFrame, batch_size: int = 50) -> dict[str, int]:
    """Estimated API calls to execute ``plan`` (writes only; verification is extra)."""
    api = plan[plan["route"].isin(["archive", "repoint"])]
    rep = plan[plan["route"] == "repoint"]
    kinds: dict[str, int] = {}
    for value in rep["document_kinds"]:
        for k in split(value):
            kinds[k] = kinds.get(k, 0) + 1
    moves = sum(-(-n // batch_size) for n in kinds.values())
    archive = -(-len(api) // batch_size)
    notes = 0
    if len(api) and bool(api["history_notes"].any()):
        noted = api[api["history_notes"].astype(bool)]
        notes = noted["old_contact_id"].nunique() + noted["wisenet_contact_id"].nunique()
    return {"move_documents": moves, "archive": archive, "history_notes": notes, "organisation": 1,
            "total": moves + archive + notes + 1}
