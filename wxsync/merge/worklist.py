"""The worklist for pairs that need Xero's own merge: a direct link, the name to pick, what must move."""

from __future__ import annotations

from typing import Any

import pandas as pd

from wxsync.merge.plan import split

WORKLIST_COLUMNS = ["old_contact_id", "old_name", "link", "merge_into", "wisenet_contact_number",
                    "learner_number", "documents_to_move", "document_numbers", "why", "status"]


def worklist(plan: pd.DataFrame, settings: Any, short_code: str,
             verification: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per ``xero_ui`` pair (planned, or fallen back during execution).

    ``link`` opens the old contact in Xero (``{web_base}/app/{ShortCode}/contacts/contact/{ContactID}``);
    there, Options > Merge, then pick exactly ``merge_into``. ``status`` comes from ``verification``
    (``done`` when verified, else what is still wrong), or ``to do``.
    """
    rows = plan[plan["route"] == "xero_ui"]
    status: dict[tuple[str, str], str] = {}
    if verification is not None and len(verification):
        for _, v in verification.iterrows():
            status[(v["old_contact_id"], v["wisenet_contact_id"])] = (
                "done" if v["verification"] == "verified" else f"to do: {v['verification']}")
    web_base = str(getattr(settings, "web_base", settings)).rstrip("/")
    out = []
    for _, r in rows.iterrows():
        kinds = split(r["document_kinds"])
        n_move = sum(1 for k in kinds if k != "repeating_invoice") - int(r.get("n_documents_moved", 0) or 0)
        moved = set(split(r.get("documents_moved", "")))
        why = r.get("message", "") or r["reason"]
        out.append({
            "old_contact_id": r["old_contact_id"], "old_name": r["old_name"],
            "link": f"{web_base}/app/{short_code}/contacts/contact/{r['old_contact_id']}",
            "merge_into": r["wisenet_name"], "wisenet_contact_number": r["wisenet_contact_number"],
            "learner_number": r["learner_number"], "documents_to_move": n_move,
            "document_numbers": ", ".join(n for n in split(r["document_numbers"]) if n not in moved),
            "why": why, "status": status.get((r["old_contact_id"], r["wisenet_contact_id"]), "to do"),
        })
    return pd.DataFrame(out, columns=WORKLIST_COLUMNS)
