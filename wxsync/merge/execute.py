"""Execute the API routes of a merge plan through the journal.

Order: documents of ``repoint`` pairs move to the Wisenet contact first (batches of 50 per request,
``summarizeErrors=false``, every element's result read), then the old contacts of every API pair whose
documents all moved are archived (batches of 50), then (optionally) one history note per contact.
A pair whose document or archive Xero refuses falls back to ``xero_ui`` with Xero's message.
Re-running the same plan resumes the same run: the journal skips what is done and checks what was in
flight.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from wxsync.errors import AuthError, DailyLimitReached, GuardError, TenantMismatchError
from wxsync.journal import JournaledWriter, Step, canonical_json
from wxsync.merge.plan import PLAN_COLUMNS, split
from wxsync.merge.requests import (
    ENDPOINTS,
    WriteRequest,
    document_moves,
    move_requests,
    note_requests,
    note_texts,
    status_requests,
)
from wxsync.timestamps import utc_now

API_ROUTES = ("archive", "repoint")
RESULT_COLUMNS = PLAN_COLUMNS + [
    "planned_route", "message", "documents_moved", "n_documents_moved", "archived_at", "outcome", "run_id",
]
_HASH_COLUMNS = ["old_contact_id", "wisenet_contact_id", "route", "document_ids", "document_kinds",
                 "document_numbers", "history_notes", "old_name", "wisenet_name", "wisenet_contact_number"]


# --- guards -------------------------------------------------------------------------------------------
def plan_hash(plan: pd.DataFrame) -> str:
    """A fingerprint of everything in the plan that decides which writes are sent."""
    rows = plan[_HASH_COLUMNS].astype(str).to_dict("records")
    return hashlib.sha256(canonical_json(rows).encode()).hexdigest()[:24]


def check_plan(plan: pd.DataFrame) -> None:
    """Refuse a plan that breaks a guard (it may have been edited after planning)."""
    missing = [c for c in PLAN_COLUMNS if c not in plan.columns]
    if missing:
        raise GuardError(f"This is not a merge plan (missing {', '.join(missing)}).",
                         "Make the plan with wxsync.merge.plan_merges(...).")
    live = plan[plan["route"] != "blocked"]
    dup = live["old_contact_id"][live["old_contact_id"].duplicated()].unique()
    if len(dup):
        raise GuardError(f"The plan merges old contact(s) {', '.join(dup[:5])} more than once.",
                         "Keep one pair per old contact (untick the others) and plan again.")
    bad = live[(live["old_contact_id"] == live["wisenet_contact_id"])
               | (live["old_contact_id"].isin(set(live["wisenet_contact_id"])))]
    if len(bad):
        raise GuardError(f"The plan would merge away a contact that is also a merge target "
                         f"({', '.join(bad['old_contact_id'][:5])}).",
                         "Never merge a Wisenet-generated contact away: untick these pairs and plan again.")


def _check_org(xero: Any, plan: pd.DataFrame, confirm_org_name: str) -> dict[str, Any]:
    org = xero.organisation()
    name = str(org.get("Name", ""))
    if not confirm_org_name or confirm_org_name.strip().casefold() != name.strip().casefold():
        raise GuardError(f"The organisation name typed ({confirm_org_name!r}) is not the signed-in "
                         f"organisation's name.", f"Type the organisation's name exactly: {name!r}.")
    tenants = {t for t in plan["tenant_id"].astype(str) if t}
    current = getattr(xero, "tenant_id", None) or org.get("OrganisationID")
    if tenants and current and tenants != {current}:
        raise TenantMismatchError(f"This plan was made for Xero organisation {', '.join(tenants)}, but you "
                                  f"are signed in to {name!r} ({current}).",
                                  "Sign in to the workspace's organisation, or reload and plan again.")
    return org


def _check_other_runs(journal: Any, plan: pd.DataFrame, run_id: str) -> None:
    mine = set(plan.loc[plan["route"].isin(API_ROUTES), "old_contact_id"])
    for run in journal.runs(kind="merge"):
        if run["run_id"] == run_id or run["status"] not in ("open", "done"):
            continue
        info = run["info"]
        theirs = set(info.get("archived", [])) if run["status"] == "done" else {
            r["old_contact_id"] for r in info.get("plan", []) if r.get("route") in API_ROUTES}
        both = sorted(mine & theirs)
        if both:
            raise GuardError(
                f"Merge run {run['run_id']} ({run['status']}) already covers old contact(s) "
                f"{', '.join(both[:5])}{' ...' if len(both) > 5 else ''}: never two plans for one old contact.",
                "Resume that run by executing its plan again, or reload the snapshot and plan again.")


# --- reading answers ----------------------------------------------------------------------------------
def element_results(step: Step, key: str, id_field: str,
                    expect: dict[str, Any] | None = None) -> dict[str, str]:
    """``{id: ''}`` for each element Xero applied, ``{id: message}`` for each it refused."""
    sent = [e[id_field] for e in step.body.get(key, [])]
    if step.state == "failed":
        return {i: step.error or "Xero refused the request" for i in sent}
    data = step.response if isinstance(step.response, dict) else {}
    elements = data.get(key) or data.get("Elements") or []
    out: dict[str, str] = {}
    for pos, el in enumerate(elements):
        if not isinstance(el, dict):
            continue
        eid = el.get(id_field) or (sent[pos] if pos < len(sent) else None)
        msgs = [str(v.get("Message")) for v in el.get("ValidationErrors") or []
                if isinstance(v, dict) and v.get("Message")]
        if el.get("HasValidationErrors") or msgs or str(el.get("StatusAttributeString", "")).upper() == "ERROR":
            out[eid] = "; ".join(msgs) or "Xero refused it without a message"
        elif expect and eid in expect and not expect[eid](el):
            out[eid] = "Xero accepted the request but the change is not visible in its answer"
        else:
            out[eid] = ""
    for i in sent:
        out.setdefault(i, "Xero's answer did not mention it")
    return out


def move_results(step: Step) -> dict[str, str]:
    kind = "invoice" if step.path == "/Invoices" else "credit_note"
    _, key, id_field = ENDPOINTS[kind]
    want = {e[id_field]: e["Contact"]["ContactID"] for e in step.body.get(key, [])}
    expect = {i: (lambda el, t=t: (el.get("Contact") or {}).get("ContactID", t) == t) for i, t in want.items()}
    return element_results(step, key, id_field, expect)


def status_results(step: Step) -> dict[str, str]:
    want = {e["ContactID"]: e["ContactStatus"] for e in step.body.get("Contacts", [])}
    expect = {i: (lambda el, s=s: str(el.get("ContactStatus", s)).upper() == s) for i, s in want.items()}
    return element_results(step, "Contacts", "ContactID", expect)


# --- checks for steps left 'sent' by a crash ------------------------------------------------------------
def make_check(xero: Any):  # noqa: ANN201 - returns a journal Check
    """A GET that tells whether a step is already applied in Xero (answer shaped like Xero's, or None)."""

    def check(step: Step) -> Any:
        try:
            return _check(xero, step)
        except (DailyLimitReached, AuthError):
            raise
        except Exception:  # noqa: BLE001 - a failed check only means "send again with the same key"
            return None

    return check


def _check(xero: Any, step: Step) -> Any:
    body = step.body
    if step.path == "/Contacts":
        want = {e["ContactID"]: e["ContactStatus"] for e in body["Contacts"]}
        data = xero.get("/Contacts", params={"IDs": ",".join(want), "includeArchived": "true", "page": 1,
                                            "pageSize": 1000})
        seen = {c.get("ContactID"): str(c.get("ContactStatus", "")).upper() for c in data.get("Contacts") or []}
        if all(seen.get(i) == s for i, s in want.items()):
            return {"Contacts": [{"ContactID": i, "ContactStatus": s, "HasValidationErrors": False}
                                 for i, s in want.items()]}
        return None
    if step.path in ("/Invoices", "/CreditNotes"):
        kind = "invoice" if step.path == "/Invoices" else "credit_note"
        path, key, id_field = ENDPOINTS[kind]
        want = {e[id_field]: e["Contact"]["ContactID"] for e in body[key]}
        data = xero.get(path, params={"IDs": ",".join(want), "page": 1, "pageSize": 1000})
        seen = {d.get(id_field): (d.get("Contact") or {}).get("ContactID") for d in data.get(key) or []}
        if all(seen.get(i) == t for i, t in want.items()):
            return {key: [{id_field: i, "Contact": {"ContactID": t}, "HasValidationErrors": False}
                          for i, t in want.items()]}
        return None
    if step.path.endswith("/History"):
        text = body["HistoryRecords"][0]["Details"]
        data = xero.get(step.path)
        if any(r.get("Details") == text for r in data.get("HistoryRecords") or []):
            return {"HistoryRecords": [{"Details": text}]}
        return None
    return None


# --- execution ------------------------------------------------------------------------------------------
def new_run_id(plan_fingerprint: str) -> str:
    """A fresh run id: time, plan fingerprint and a random tail (so a re-planned run never reuses keys)."""
    return f"merge-{utc_now().replace(':', '').replace('-', '')[:15]}-{plan_fingerprint[:8]}-{secrets.token_hex(3)}"


def execute(plan: pd.DataFrame, writer: JournaledWriter, confirm_org_name: str, *,
            run_id: str | None = None, progress: bool = True) -> pd.DataFrame:
    """Execute the plan's API routes; return the plan with each pair's outcome.

    ``confirm_org_name`` must be the signed-in organisation's name, typed back by the consultant.
    Executing the same plan again resumes (or, when it finished, replays from the journal without
    writing). Raises :class:`DailyLimitReached` with the time to continue when Xero's daily limit hits.
    """
    check_plan(plan)
    org = _check_org(writer.xero, plan, confirm_org_name)
    journal = writer.journal
    fingerprint = plan_hash(plan)
    run_id = run_id or journal.open_run_for(fingerprint, statuses=("open", "done")) or new_run_id(fingerprint)
    _check_other_runs(journal, plan, run_id)
    journal.start_run(run_id, fingerprint, info={
        "organisation": org.get("Name", ""), "tenant_id": str(plan["tenant_id"].iloc[0]) if len(plan) else "",
        "plan": plan[PLAN_COLUMNS].astype(object).where(plan[PLAN_COLUMNS].notna(), None).to_dict("records")})
    result = _run(plan, writer, run_id, progress)
    journal.update_run_info(run_id, archived=sorted(
        result.loc[result["outcome"] == "merged through the API", "old_contact_id"]))
    journal.set_run_status(run_id, "done")
    return result


def resume(writer: JournaledWriter, confirm_org_name: str, run_id: str | None = None, *,
           progress: bool = True) -> pd.DataFrame:
    """Continue the latest unfinished run (or ``run_id``) from the plan stored in the journal."""
    runs = [r for r in writer.journal.runs(kind="merge") if r["status"] == "open"]
    run = next((r for r in runs if r["run_id"] == run_id), None) if run_id else (runs[-1] if runs else None)
    if run is None:
        raise GuardError("There is no unfinished merge run to resume.", "Execute a plan instead.")
    plan = stored_plan(writer.journal, run["run_id"])
    return execute(plan, writer, confirm_org_name, run_id=run["run_id"], progress=progress)


def stored_plan(journal: Any, run_id: str) -> pd.DataFrame:
    """The plan a run executed, as the journal recorded it."""
    run = journal.run(run_id)
    if run is None:
        raise GuardError(f"The journal has no run {run_id!r}.", "Pick a run id from Journal.runs().")
    plan = pd.DataFrame(run["info"].get("plan", []), columns=PLAN_COLUMNS)
    for col in PLAN_COLUMNS:
        if col not in ("score", "n_documents", "documents_total", "wisenet_documents_total", "history_notes"):
            plan[col] = plan[col].fillna("").astype(str)
    plan["history_notes"] = plan["history_notes"].astype(bool)
    return plan


def _send_all(writer: JournaledWriter, run_id: str, reqs: Iterable[WriteRequest], bar: Any) -> list[Step]:
    steps = []
    check = make_check(writer.xero)
    for req in reqs:
        steps.append(writer.send(run_id, req.kind, req.method, req.path, req.body, params=req.params or None,
                                 check=check))
        bar.update(1)
    return steps


def _run(plan: pd.DataFrame, writer: JournaledWriter, run_id: str, progress: bool) -> pd.DataFrame:
    api = plan[plan["route"].isin(API_ROUTES)]
    moves = document_moves(plan)
    move_reqs = move_requests(moves)
    numbers = {i: n for _, r in api.iterrows()
               for i, n in zip(split(r["document_ids"]), r["document_numbers"].split(";"), strict=False)}
    estimate = len(move_reqs) + math.ceil(len(api) / 50) + (
        api.loc[api["history_notes"].astype(bool), ["old_contact_id", "wisenet_contact_id"]].nunique().sum())
    doc_msg: dict[str, str] = {}
    arch_msg: dict[str, str] = {}
    archived_at: dict[str, str] = {}
    note_msg: dict[str, str] = {}
    bar = tqdm(total=int(estimate), desc="Merging in Xero", unit=" request", disable=not progress)
    done_steps = 0
    try:
        for step in _send_all(writer, run_id, move_reqs, bar):
            doc_msg.update(move_results(step))
            done_steps += 1
        refused: dict[str, list[str]] = {}
        for _, doc_id, old, _ in moves:
            if doc_msg.get(doc_id):
                refused.setdefault(old, []).append(f"{numbers.get(doc_id) or doc_id}: {doc_msg[doc_id]}")
        to_archive = [o for o in api["old_contact_id"] if o not in refused]
        for step in _send_all(writer, run_id, status_requests(to_archive, "ARCHIVED", "archive"), bar):
            for cid, msg in status_results(step).items():
                arch_msg[cid] = msg
                if not msg:
                    archived_at[cid] = step.updated_at
            done_steps += 1
        noted = api[api["old_contact_id"].isin(archived_at) & api["history_notes"].astype(bool)]
        for step in _send_all(writer, run_id, note_requests(note_texts(noted, run_id)), bar):
            if step.state == "failed":
                note_msg[step.path.split("/")[2]] = step.error
            done_steps += 1
    except DailyLimitReached as exc:
        when = f"{exc.resume_at:%Y-%m-%d %H:%M} UTC" if exc.resume_at else "the limit resets"
        raise DailyLimitReached(
            f"Xero's daily API limit stopped the merge after {done_steps} of about {int(estimate)} requests "
            f"(run {run_id}). Nothing is lost: every write is in the journal.",
            f"Run the same merge cell again after {when}; it continues where it stopped.",
            retry_after_s=exc.retry_after_s, resume_at=exc.resume_at) from exc
    finally:
        bar.close()
    return _results(plan, run_id, doc_msg, refused, arch_msg, archived_at, note_msg, numbers)


def _results(plan: pd.DataFrame, run_id: str, doc_msg: dict[str, str], refused: dict[str, list[str]],
             arch_msg: dict[str, str], archived_at: dict[str, str], note_msg: dict[str, str],
             numbers: dict[str, str]) -> pd.DataFrame:
    out = plan[PLAN_COLUMNS].copy()
    out["planned_route"] = out["route"]
    rows = []
    for _, r in out.iterrows():
        old = r["old_contact_id"]
        moved = [numbers.get(i) or i for i in split(r["document_ids"]) if i in doc_msg and not doc_msg[i]]
        res = {"message": "", "documents_moved": ";".join(moved), "n_documents_moved": len(moved),
               "archived_at": archived_at.get(old, ""), "route": r["route"]}
        if r["route"] == "blocked":
            res.update(outcome="blocked", message=r["reason"])
        elif r["route"] == "xero_ui":
            res.update(outcome="to do in Xero (worklist)")
        elif old in refused:
            res.update(route="xero_ui", outcome="fallback to Xero's merge",
                       message="Xero refused to move " + "; ".join(refused[old]))
        elif arch_msg.get(old):
            res.update(route="xero_ui", outcome="fallback to Xero's merge",
                       message=f"Xero refused to archive the old contact: {arch_msg[old]}")
        elif old in archived_at:
            notes = "; ".join(m for c, m in note_msg.items() if c in (old, r["wisenet_contact_id"]))
            res.update(outcome="merged through the API",
                       message=f"history note refused: {notes}" if notes else "")
        else:
            res.update(outcome="not executed")
        rows.append(res)
    extra = pd.DataFrame(rows, index=out.index, columns=["message", "documents_moved", "n_documents_moved",
                                                         "archived_at", "route", "outcome"])
    out["route"] = extra["route"]
    for col in ("message", "documents_moved", "n_documents_moved", "archived_at", "outcome"):
        out[col] = extra[col]
    out["run_id"] = run_id
    return out[RESULT_COLUMNS]
