"""Step 3 (``03_merge``): plan, dry run, execute, worklist with Verify, undo of the API routes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from wxsync.config import Workspace
from wxsync.errors import InputError
from wxsync.steps.workspace import (
    load_frame,
    load_review_inputs,
    merge_dir,
    require_bound,
    sandbox_url,
    save_frame,
    xero_client,
)

API_ROUTES = ("archive", "repoint")
RUN_COLUMNS = ["run_id", "status", "started", "pairs", "merged through the API"]


def _same_pairs(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    key = ["old_contact_id", "wisenet_contact_id"]
    return set(map(tuple, a[key].astype(str).to_numpy())) == set(map(tuple, b[key].astype(str).to_numpy()))


def merge_plan(ws: Workspace, policy: str = "auto", history_notes: bool = True) -> pd.DataFrame:
    """The plan for the ticked pairs (from ``decisions.csv``) over the snapshot taken in step 1."""
    from wxsync import decisions
    from wxsync.merge import plan_merges
    from wxsync.snapshot import Snapshot

    require_bound(ws)
    ticked = decisions.ticked_pairs(ws.decisions_csv)
    if ticked.empty:
        raise InputError("No pair is ticked yet.", "Tick the pairs to merge in notebook 02_review_duplicates.")
    pairs, _contacts, _docs = load_review_inputs(ws)
    xero = ws.settings.get("xero", {})
    return plan_merges(ticked, Snapshot.load(ws), policy, history_notes=history_notes, pairs=pairs,
                       workspace_tenant_id=ws.tenant_id, tenant_name=str(xero.get("tenant_name", "")))


def plan_table(plan: pd.DataFrame) -> pd.DataFrame:
    """The plan as the consultant reads it: one row per pair, route and why."""
    cols = ["route", "reason", "old_name", "wisenet_name", "learner_number", "n_documents", "score", "band"]
    return plan[[c for c in cols if c in plan.columns]]


def merge_dry_run(plan: pd.DataFrame) -> str:
    """The routes counted, then every write the execution would send."""
    from wxsync.merge import api_cost, dry_run

    counts = plan["route"].value_counts().to_dict()
    head = ", ".join(f"{n} {route}" for route, n in sorted(counts.items()))
    cost = api_cost(plan)
    lines = dry_run(plan)
    shown = lines[:40] + ([f"... and {len(lines) - 40} more"] if len(lines) > 40 else [])
    return "\n".join([f"{len(plan)} pairs: {head}.", f"API cost: {cost}.", *shown])


def current_results(ws: Workspace, plan: pd.DataFrame) -> pd.DataFrame:
    """The execution result for this plan when there is one (routes after fallbacks), else the plan."""
    result = load_frame(ws, "result")
    return result if result is not None and _same_pairs(result, plan) else plan


def merge_execute(ws: Workspace, plan: pd.DataFrame, confirm_org_name: str = "") -> pd.DataFrame:
    """Execute the API routes through the journal (resumes after any interruption); outcome counts.

    Nothing is written unless ``confirm_org_name`` is the organisation's name.
    """
    from wxsync.journal import Journal, JournaledWriter
    from wxsync.merge import execute

    n_api = int(plan["route"].isin(API_ROUTES).sum())
    if n_api == 0:
        return pd.DataFrame([{"executed": False, "API pairs": 0,
                              "what to do": "nothing to do through the API: use the worklist below"}])
    if not confirm_org_name.strip():
        name = ws.settings.get("xero", {}).get("tenant_name", "")
        return pd.DataFrame([{"executed": False, "API pairs": n_api,
                              "what to do": f"type {name!r} into confirm_org_name and run again"}])
    xero = xero_client(ws, progress=False)
    with Journal(ws.journal_db) as journal:
        result = execute(plan, JournaledWriter(journal, xero), confirm_org_name, progress=False)
    save_frame(ws, "result", result)
    out = result.groupby(["route", "outcome"]).size().reset_index(name="pairs") if len(result) else result
    out.attrs["api_calls"] = xero.calls
    return out


def worklist_frame(ws: Workspace, plan: pd.DataFrame) -> pd.DataFrame:
    """The ``xero_ui`` pairs with their link, the contact to pick, and a status from the last verification."""
    from wxsync.merge import worklist

    short_code = str(ws.settings.get("xero", {}).get("short_code", ""))
    verification = load_frame(ws, "verification")
    return worklist(current_results(ws, plan), ws.xero_settings(), short_code, verification)


def sandbox_merge_worklist(ws: Workspace, plan: pd.DataFrame) -> pd.DataFrame:
    """Demo and tests only: do each worklist merge on the sandbox, as the consultant would in Xero."""
    import requests

    from wxsync.errors import GuardError, SandboxError

    url = sandbox_url(ws)
    if not url:
        raise GuardError("This client is bound to real Xero: merges there are done by you, in Xero.",
                         "Use the worklist links; perform_sandbox_merges is for the sandbox only.")
    rows = []
    for _, r in worklist_frame(ws, plan).iterrows():
        if r["status"] == "done":
            continue
        pair = plan[plan["old_contact_id"] == r["old_contact_id"]].iloc[0]
        resp = requests.post(f"{url}/sandbox/merge", json={"old_contact_id": r["old_contact_id"],
                                                            "into_contact_id": pair["wisenet_contact_id"]},
                             timeout=30)
        body = resp.json() if resp.headers.get("content-type", "").startswith("application/json") else {}
        if resp.status_code >= 400 and "already archived" not in str(body.get("error", "")):
            raise SandboxError(f"The sandbox refused to merge {r['old_name']}: {body.get('error', resp.text)}",
                               "Check the sandbox is running and the worklist is current.")
        rows.append({"old_contact_id": r["old_contact_id"], "merged_into": pair["wisenet_contact_id"],
                     "answer": "merged" if resp.ok else body.get("error", "")})
    return pd.DataFrame(rows, columns=["old_contact_id", "merged_into", "answer"])


def merge_verify(ws: Workspace, plan: pd.DataFrame) -> pd.DataFrame:
    """Verify every pair through the API (a few paged reads) and write the evidence files."""
    from wxsync import evidence
    from wxsync.merge import verify

    xero = xero_client(ws, progress=False)
    results = current_results(ws, plan)
    verification = verify(results, xero)
    save_frame(ws, "verification", verification)
    evidence.export(ws, results, verification)
    return verification


def worklist_panel(ws: Workspace, plan: pd.DataFrame, verify_now: bool = False) -> Any:
    """The worklist as clickable links with a status column, and a Verify button."""
    import html

    import ipywidgets as W

    table = W.HTML()
    table.add_class("wxsync-worklist")
    status = W.Label()
    status.add_class("wxsync-verify-status")
    button = W.Button(description="Verify", button_style="primary", icon="check")
    button.add_class("wxsync-verify")

    def render() -> None:
        wl = worklist_frame(ws, plan)
        if wl.empty:
            table.value = "<p>No pair needs Xero's own merge.</p>"
            return
        into_id = dict(zip(plan["old_contact_id"], plan["wisenet_contact_id"], strict=False))
        head = ("<tr><th>status</th><th>old contact (open in Xero)</th><th>merge into (pick exactly)</th>"
                "<th>learner</th><th>documents to move</th><th>why</th></tr>")
        body = "".join(
            f"<tr data-old-contact-id='{html.escape(r['old_contact_id'])}' "
            f"data-wisenet-contact-id='{html.escape(into_id.get(r['old_contact_id'], ''))}'>"
            f"<td class='wxsync-worklist-status'>{html.escape(r['status'])}</td>"
            f"<td><a class='wxsync-worklist-link' href='{html.escape(r['link'])}' target='_blank' "
            f"rel='noopener'>{html.escape(r['old_name'])}</a></td><td>{html.escape(r['merge_into'])}</td>"
            f"<td>{html.escape(r['learner_number'])}</td><td>{int(r['documents_to_move'])}</td>"
            f"<td>{html.escape(str(r['why']))}</td></tr>" for _, r in wl.iterrows())
        table.value = (f"<p><b>{len(wl)} pair(s) need Xero's own merge</b> (it cannot be undone): open the "
                       "link, choose Options &gt; Merge, pick the contact named here, then press Verify.</p>"
                       f"<table>{head}{body}</table>")

    def run_verify(_b: Any = None) -> None:
        status.value = "Verifying through the API…"
        try:
            ver = merge_verify(ws, plan)
        except Exception as exc:  # noqa: BLE001 - shown to the consultant, who can press again
            status.value = f"Verify failed: {exc}"
            return
        ok = int((ver["verification"] == "verified").sum())
        status.value = (f"{ok} of {len(ver)} pairs verified; evidence written to "
                        f"{ws.evidence_dir / 'merges.csv'}")
        render()

    button.on_click(run_verify)
    render()
    if verify_now:
        run_verify()
    else:
        status.value = "Press Verify after merging the worklist pairs in Xero."
    return W.VBox([table, W.HBox([button, status])])


# ----- undo ------------------------------------------------------------------------------------------
def merge_runs(ws: Workspace) -> pd.DataFrame:
    """The merge runs in this client's journal, newest last, with their status (``undone`` when undone)."""
    from wxsync.journal import Journal

    if not ws.journal_db.exists():
        return pd.DataFrame(columns=RUN_COLUMNS)
    with Journal(ws.journal_db) as journal:
        runs = journal.runs(kind="merge")
    rows = [{"run_id": r["run_id"], "status": r["status"], "started": r.get("created_at", ""),
             "pairs": len(r["info"].get("plan") or []), "merged through the API": len(r["info"].get("archived") or [])}
            for r in runs]
    return pd.DataFrame(rows, columns=RUN_COLUMNS)


def merge_undo(ws: Workspace, run_id: str = "") -> pd.DataFrame:
    """Undo the API routes of merge run ``run_id`` from the journal (while its documents are editable).

    With no ``run_id`` nothing is written: the runs that could be undone are listed. Always says plainly
    that Xero's own merge (the worklist pairs) cannot be undone. After an undo, the saved execution result
    and verification are dropped, so the plan can be executed (or verified) again.
    """
    from wxsync.journal import Journal
    from wxsync.merge import XERO_MERGE_NOTE, undo

    run_id = str(run_id or "").strip()
    print(XERO_MERGE_NOTE)
    if not run_id:
        runs = merge_runs(ws)
        can = runs[runs["status"].isin(["open", "done"])]
        print("Nothing undone. To undo the API merges of a run, put its run_id into undo_run_id and run "
              "this cell again." if len(can) else "Nothing undone: there is no merge run to undo.")
        return can.reset_index(drop=True)
    require_bound(ws)
    xero = xero_client(ws, progress=False)
    with Journal(ws.journal_db) as journal:
        rows = undo(journal, xero, run_id, progress=False)
    for name in ("result", "verification"):
        (merge_dir(ws) / f"{name}.pkl").unlink(missing_ok=True)
    counts = rows["undo"].value_counts()
    print(f"Run {run_id}: " + ", ".join(f"{n} {state}" for state, n in counts.items()) + f" ({xero.calls} API calls).")
    return rows
