"""The exact write requests a merge plan turns into (shared by the dry run, execution and undo)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from wxsync.merge.plan import MOVABLE_KINDS, split

BATCH_SIZE = 50
BATCH_PARAMS = {"summarizeErrors": "false"}
HISTORY_MAX = 2500

# document kind -> (resource path, envelope key, id field)
ENDPOINTS = {
    "invoice": ("/Invoices", "Invoices", "InvoiceID"),
    "credit_note": ("/CreditNotes", "CreditNotes", "CreditNoteID"),
}


@dataclass
class WriteRequest:
    """One HTTP write: what is sent, and which old contacts (pairs) it serves."""

    kind: str
    method: str
    path: str
    body: dict[str, Any]
    params: dict[str, str] = field(default_factory=dict)
    pairs: list[str] = field(default_factory=list)

    def render(self, api_base: str = "") -> str:
        query = f"?{urlencode(self.params)}" if self.params else ""
        return f"{self.method} {api_base}{self.path}{query}\n{json.dumps(self.body, indent=1)}"


def chunks(items: list[Any], size: int = BATCH_SIZE) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def document_moves(plan: pd.DataFrame, *, back: bool = False) -> list[tuple[str, str, str, str]]:
    """``(kind, document_id, old_contact_id, target_contact_id)`` for every movable document of the
    ``repoint`` rows, in plan order (``back=True``: towards the old contact, for undo)."""
    out = []
    for _, row in plan[plan["route"] == "repoint"].iterrows():
        for doc_id, kind in zip(split(row["document_ids"]), split(row["document_kinds"]), strict=False):
            if kind in MOVABLE_KINDS:
                target = row["old_contact_id"] if back else row["wisenet_contact_id"]
                out.append((kind, doc_id, row["old_contact_id"], target))
    return out


def move_requests(moves: list[tuple[str, str, str, str]], kind_name: str = "move") -> list[WriteRequest]:
    """Batches of up to 50 documents per request, one endpoint per document kind."""
    out = []
    for kind in MOVABLE_KINDS:
        path, key, id_field = ENDPOINTS[kind]
        mine = [m for m in moves if m[0] == kind]
        for batch in chunks(mine):
            body = {key: [{id_field: doc_id, "Contact": {"ContactID": target}}
                          for _, doc_id, _, target in batch]}
            pairs = list(dict.fromkeys(old for _, _, old, _ in batch))
            out.append(WriteRequest(f"{kind_name}_{kind}s", "POST", path, body, dict(BATCH_PARAMS), pairs))
    return out


def status_requests(contact_ids: list[str], status: str, kind: str) -> list[WriteRequest]:
    """Batches of up to 50 contacts set to ``status`` (ARCHIVED, or ACTIVE for undo)."""
    return [WriteRequest(kind, "POST", "/Contacts",
                         {"Contacts": [{"ContactID": cid, "ContactStatus": status} for cid in batch]},
                         dict(BATCH_PARAMS), list(batch))
            for batch in chunks(list(contact_ids))]


def note_texts(done: pd.DataFrame, run_id: str) -> dict[str, str]:
    """History note per contact (one per contact, even when several pairs touch it)."""
    notes: dict[str, list[str]] = {}
    for _, row in done.iterrows():
        moved = ", ".join(split(row["document_numbers"])) or "no documents"
        notes.setdefault(row["old_contact_id"], []).append(
            f"wxsync merge {run_id}: merged into {row['wisenet_name']} (Contact Code "
            f"{row['wisenet_contact_number']}); moved {moved}; contact archived.")
        notes.setdefault(row["wisenet_contact_id"], []).append(
            f"wxsync merge {run_id}: merged {row['old_name']} ({row['old_contact_id']}) into this contact; "
            f"moved {moved}.")
    return {cid: " ".join(texts)[:HISTORY_MAX] for cid, texts in notes.items()}


def note_requests(notes: dict[str, str]) -> list[WriteRequest]:
    return [WriteRequest("history_note", "PUT", f"/Contacts/{cid}/History",
                         {"HistoryRecords": [{"Details": text}]}, {}, [cid])
            for cid, text in notes.items()]
