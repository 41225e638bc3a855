"""Undo the API routes of a merge run from the journal: un-archive the old contacts, move documents back.

Only what wxsync itself did can be undone, and only while Xero still lets the documents be edited
(nothing paid or allocated since). Xero's own merge (the ``xero_ui`` pairs) cannot be undone: Xero
says so in its merge dialog, and neither the API nor wxsync can reverse it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from wxsync.errors import GuardError
from wxsync.journal import Journal, JournaledWriter
from wxsync.merge.execute import _send_all, move_results, status_results, stored_plan
from wxsync.merge.plan import split
from wxsync.merge.requests import move_requests, status_requests

XERO_MERGE_NOTE = ("Xero's own merge cannot be undone (Xero says so in its merge dialog; the API has no "
                   "way back). Only the pairs wxsync merged through the API can be undone.")
UNDO_COLUMNS = ["old_contact_id", "wisenet_contact_id", "learner_number", "route", "undo", "message"]


def _done_by_run(journal: Journal, run_id: str) -> tuple[set[str], dict[str, str]]:
    """Old contacts the run archived, and documents it moved (id -> kind)."""
    archived: set[str] = set()
    moved: dict[str, str] = {}
    for step in journal.steps(run_id):
        if step.state != "confirmed":
            continue
        if step.kind == "archive":
            archived |= {cid for cid, msg in status_results(step).items() if not msg}
        elif step.kind.startswith("move_"):
            kind = "invoice" if step.path == "/Invoices" else "credit_note"
            moved.update({i: kind for i, msg in move_results(step).items() if not msg})
    return archived, moved


def undo(journal: Journal, xero: Any, run_id: str | None = None, *, progress: bool = True) -> pd.DataFrame:
    """Undo a merge run's API writes (the latest finished or unfinished run by default).

    Returns one row per pair: ``undo`` is ``undone``, ``partly undone``, ``nothing to undo`` or
    ``cannot be undone``, with the reason in ``message``. ``.attrs['note']`` carries the plain statement
    that Xero's own merge cannot be undone.
    """
    runs = [r for r in journal.runs(kind="merge") if r["status"] in ("open", "done")]
    run = next((r for r in runs if r["run_id"] == run_id), None) if run_id else (runs[-1] if runs else None)
    if run is None:
        raise GuardError("There is no merge run to undo" + (f" with id {run_id!r}." if run_id else "."),
                         "Pick a run id from Journal.runs(); runs already undone are not listed.")
    run_id = run["run_id"]
    plan = stored_plan(journal, run_id)
    archived, moved = _done_by_run(journal, run_id)
    owner = {i: r["old_contact_id"] for _, r in plan.iterrows() for i in split(r["document_ids"])}
    back = [(kind, doc, owner[doc], owner[doc]) for doc, kind in sorted(moved.items()) if doc in owner]

    writer = JournaledWriter(journal, xero)
    undo_id = f"{run_id}.undo"
    journal.start_run(undo_id, run_id, info={"undoes": run_id}, kind="undo")
    unarch_reqs = status_requests(sorted(archived), "ACTIVE", "unarchive")
    back_reqs = move_requests(back, "undo_move")
    bar = tqdm(total=len(unarch_reqs) + len(back_reqs), desc="Undoing", unit=" request", disable=not progress)
    un_msg: dict[str, str] = {}
    back_msg: dict[str, str] = {}
    try:
        for step in _send_all(writer, undo_id, unarch_reqs, bar):
            un_msg.update(status_results(step))
        for step in _send_all(writer, undo_id, back_reqs, bar):
            back_msg.update(move_results(step))
    finally:
        bar.close()

    rows = []
    numbers = {i: n for _, r in plan.iterrows()
               for i, n in zip(split(r["document_ids"]), r["document_numbers"].split(";"), strict=False)}
    for _, r in plan.iterrows():
        old = r["old_contact_id"]
        docs = [i for i in split(r["document_ids"]) if i in moved]
        problems = [f"{numbers.get(i) or i} stays on the Wisenet contact: {back_msg[i]}"
                    for i in docs if back_msg.get(i)]
        if old in archived and un_msg.get(old):
            problems.insert(0, f"could not un-archive the old contact: {un_msg[old]}")
        if old not in archived and not docs:
            state = "cannot be undone" if r["route"] == "xero_ui" else "nothing to undo"
            message = XERO_MERGE_NOTE if r["route"] == "xero_ui" else "wxsync wrote nothing for this pair"
        elif problems:
            state, message = "partly undone", "; ".join(problems)
        else:
            state = "undone"
            message = (f"un-archived; moved back {len(docs)} document{'s' * (len(docs) != 1)}"
                       if old in archived else f"moved back {len(docs)} document(s)")
        rows.append({"old_contact_id": old, "wisenet_contact_id": r["wisenet_contact_id"],
                     "learner_number": r["learner_number"], "route": r["route"], "undo": state,
                     "message": message})
    journal.set_run_status(undo_id, "done")
    journal.set_run_status(run_id, "undone")
    out = pd.DataFrame(rows, columns=UNDO_COLUMNS)
    out.attrs["note"] = XERO_MERGE_NOTE
    return out
