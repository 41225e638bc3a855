"""Step 4 (``04_resync``): confirm the first Xero connection date, the Wisenet checklist, the optional
learner resync, then the Xero-vs-Wisenet comparison from the Wisenet API or a report #0442 CSV."""

from __future__ import annotations

import csv
import html
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from wxsync.config import Workspace
from wxsync.csvfiles import read_excel_csv
from wxsync.errors import InputError
from wxsync.steps.workspace import (
    load_frame,
    require_bound,
    sandbox_url,
    wisenet_client,
    xero_client,
)
from wxsync.timestamps import utc_now

CONFIRM_LOG = "first_connection.csv"
LOG_COLUMNS = ["first_connection_date", "resync_from", "confirmed_by", "confirmed_at", "how",
               "suggested_date", "suggestion_reason"]
LEARNER_COLUMNS = ["learner_number", "first_name", "last_name", "wisenet_contact_id", "contact_name", "status",
                   "what blocks it"]


# ----- the first connection date ---------------------------------------------------------------------
def _as_date(value: Any, what: str = "first_connection_date") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"{what} {value!r} is not a date.", "Write it as YYYY-MM-DD, e.g. 2021-07-01.") from None


class FirstConnection:
    """The confirmed first Xero connection date (``None`` until confirmed) and the data's suggestion."""

    def __init__(self, confirmed: date | None, suggested: date | None, reason: str,
                 confirmed_by: str = "", confirmed_at: str = "") -> None:
        self.confirmed = confirmed
        self.suggested = suggested
        self.reason = reason
        self.confirmed_by = confirmed_by
        self.confirmed_at = confirmed_at


def suggested_first_connection(ws: Workspace) -> tuple[date | None, str]:
    """The suggestion from the step 1 snapshot and the reason for it."""
    from wxsync.resync import suggest_first_connection
    from wxsync.snapshot import Snapshot

    snap = Snapshot.load(ws)
    return suggest_first_connection(snap.contacts, snap.documents, snap.learners)


def first_connection(ws: Workspace) -> FirstConnection:
    """What client.toml says (a date written there by hand counts as confirmed) and the suggestion."""
    saved = ws.settings.get("resync", {})
    confirmed = _as_date(saved["first_connection_date"]) if saved.get("first_connection_date") else None
    suggested, reason = suggested_first_connection(ws)
    return FirstConnection(confirmed, suggested, reason, str(saved.get("confirmed_by", "")),
                           str(saved.get("confirmed_at", "")))


def confirm_first_connection(ws: Workspace, day: Any, how: str = "date picker") -> date:
    """Save the consultant's first connection date to client.toml (``[resync]``) with who and when, and
    append the confirmation to ``evidence/first_connection.csv``."""
    from wxsync.decisions import current_user
    from wxsync.resync import resync_start

    if day is None or str(day).strip() == "":
        raise InputError("No first connection date was picked.",
                         "Pick the date Wisenet was first connected to Xero, then press Confirm.")
    first = _as_date(day)
    if first > date.today():
        raise InputError(f"The first connection date {first.isoformat()} is in the future.",
                         "Pick the date Wisenet was first connected to Xero (Wisenet > Connected Apps).")
    who = current_user()
    when = utc_now()
    ws.update("resync", first_connection_date=first.isoformat(), confirmed_by=who, confirmed_at=when,
              confirmed_how=how)
    try:
        suggested, reason = suggested_first_connection(ws)
    except InputError:
        suggested, reason = None, ""
    log = ws.evidence_dir / CONFIRM_LOG
    log.parent.mkdir(parents=True, exist_ok=True)
    new = not log.exists()
    with log.open("a", newline="", encoding="utf-8-sig" if new else "utf-8") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(LOG_COLUMNS)
        writer.writerow([first.isoformat(), resync_start(first).isoformat(), who, when, how,
                         suggested.isoformat() if suggested else "", reason])
    return first


def apply_date_parameters(ws: Workspace, first_connection_date: str = "",
                          accept_suggested_date: bool = False) -> FirstConnection:
    """Headless runs: a ``first_connection_date`` parameter is confirmed as given; with none and nothing
    saved, ``accept_suggested_date`` confirms the suggestion explicitly. Otherwise nothing is saved."""
    if str(first_connection_date or "").strip():
        current = first_connection(ws)
        if current.confirmed != _as_date(first_connection_date):
            confirm_first_connection(ws, first_connection_date, how="parameter first_connection_date")
    else:
        current = first_connection(ws)
        if current.confirmed is None and accept_suggested_date:
            if current.suggested is None:
                raise InputError(current.reason, "Set first_connection_date = \"YYYY-MM-DD\" in the parameters.")
            confirm_first_connection(ws, current.suggested, how="parameter accept_suggested_date")
    return first_connection(ws)


# ----- the Wisenet checklist -------------------------------------------------------------------------
class ResyncPlan:
    """The resync date, why, and the Wisenet steps as text."""

    def __init__(self, from_date: date, first_connection: date, reason: str, steps: list[str]) -> None:
        self.from_date = from_date
        self.first_connection = first_connection
        self.reason = reason
        self.steps = steps
        numbered = "\n".join(f"[ ] {i}. {s}" for i, s in enumerate(steps, 1))
        self.text = (f"Resync invoices from {from_date.isoformat()} (one year before the first Xero connection, "
                     f"{first_connection.isoformat()}: {reason})\n\nIn Wisenet:\n{numbered}")

    def html(self) -> str:
        items = "".join(f"<li><label><input type='checkbox'> {html.escape(s)}</label></li>" for s in self.steps)
        return (f"<p><b>Resync invoices from {self.from_date.isoformat()}</b> (one year before the first Xero "
                f"connection, {self.first_connection.isoformat()}; {html.escape(self.reason)}).</p>"
                f"<p>In Wisenet:</p><ol class='wxsync-resync-checklist'>{items}</ol>")


def learners_without_contact(ws: Workspace) -> pd.DataFrame:
    """Learners that step 1 found with Sync to Xero ticked but no Wisenet-generated contact."""
    from wxsync.preflight import preflight
    from wxsync.snapshot import Snapshot

    snap = Snapshot.load(ws)
    issues = preflight(snap.learners, snap.contacts).issues
    return issues[issues["problem"] == "no_wisenet_contact"].reset_index(drop=True)


def resync_instructions(ws: Workspace, resync_learners: bool | None = None) -> ResyncPlan:
    """The confirmed first connection date, the resync start and the Wisenet checklist.

    The learner-resync line is included when ``resync_learners`` is True, or (``None``) when step 1 found
    learners with Sync to Xero ticked but no Wisenet contact.
    """
    from wxsync.resync import resync_start, wisenet_steps

    saved = ws.settings.get("resync", {})
    if not saved.get("first_connection_date"):
        raise InputError("The first Xero connection date is not confirmed yet.",
                         "Check the date in the picker above and press Confirm (headless: set "
                         "first_connection_date, or accept_suggested_date = True), then run this cell again.")
    first = _as_date(saved["first_connection_date"])
    who = saved.get("confirmed_by")
    reason = (f"confirmed by {who} at {saved.get('confirmed_at', '?')}" if who else "saved in client.toml")
    missing = 0
    if resync_learners is None:
        try:
            missing = len(learners_without_contact(ws))
        except InputError:
            missing = 0
        resync_learners = missing > 0
    steps = wisenet_steps(resync_start(first), resync_learners=bool(resync_learners))
    if missing:
        steps = [s + (f" ({missing:,} learner(s) with Sync to Xero ticked have no Wisenet contact in Xero yet.)"
                      if "resync missing Learners" in s else "") for s in steps]
    return ResyncPlan(resync_start(first), first, reason, steps)


class DateConfirmation:
    """The date picker (prefilled), the reason for the suggestion, a Confirm button, and the checklist
    that appears once the date is confirmed. ``confirm()`` presses the button."""

    def __init__(self, ws: Workspace) -> None:
        import ipywidgets as W

        self.ws = ws
        info = first_connection(ws)
        self.picker = W.DatePicker(description="First Xero connection", value=info.confirmed or info.suggested,
                                   style={"description_width": "initial"})
        self.picker.add_class("wxsync-first-connection")
        suggestion = (f"Suggested: <b>{info.suggested.isoformat()}</b>. {html.escape(info.reason)}"
                      if info.suggested else html.escape(info.reason))
        self.reason = W.HTML(f"<p>{suggestion}</p>")
        self.button = W.Button(description="Confirm", button_style="primary", icon="check")
        self.button.add_class("wxsync-confirm-date")
        self.status = W.Label()
        self.checklist = W.HTML()
        self.checklist.add_class("wxsync-resync-plan")
        self.plan: ResyncPlan | None = None
        self.button.on_click(self.confirm)
        if info.confirmed:
            self.status.value = (f"Confirmed {info.confirmed.isoformat()}"
                                 + (f" by {info.confirmed_by} at {info.confirmed_at}" if info.confirmed_by else "")
                                 + ". Change it and press Confirm again if it is wrong.")
            self._show_plan()
        else:
            self.status.value = "Check the date against Wisenet's Connected Apps page, then press Confirm."
        self.box = W.VBox([self.reason, W.HBox([self.picker, self.button]), self.status, self.checklist])

    def _show_plan(self) -> None:
        self.plan = resync_instructions(self.ws)
        self.checklist.value = self.plan.html()

    def confirm(self, _b: Any = None) -> ResyncPlan | None:
        try:
            first = confirm_first_connection(self.ws, self.picker.value)
        except InputError as exc:
            self.status.value = str(exc.args[0] if exc.args else exc)
            return None
        self.status.value = f"Confirmed {first.isoformat()}; saved to {self.ws.client_toml.name}."
        self._show_plan()
        return self.plan

    def text(self) -> str:
        """The same as plain text: what a headless run's record shows."""
        reason = html.unescape(self.reason.value.replace("<b>", "").replace("</b>", "")
                               .replace("<p>", "").replace("</p>", ""))
        return "\n".join(part for part in (reason, self.status.value, self.plan.text if self.plan else "") if part)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = dict(self.box._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.text()
        return bundle


def first_connection_picker(ws: Workspace, first_connection_date: str = "",
                            accept_suggested_date: bool = False) -> DateConfirmation:
    """Apply the headless parameters (if any), then the date picker with its Confirm button."""
    apply_date_parameters(ws, first_connection_date, accept_suggested_date)
    return DateConfirmation(ws)


# ----- sandbox stand-ins (demo and tests) ------------------------------------------------------------
def _sandbox_post(ws: Workspace, path: str, body: dict, what: str) -> dict[str, Any]:
    import requests

    from wxsync.errors import GuardError, SandboxError

    url = sandbox_url(ws)
    if not url:
        raise GuardError(f"This client is bound to real Wisenet: the {what} is done by you, in Wisenet.",
                         "Follow the steps above; the perform_sandbox_* parameters are for the sandbox only.")
    resp = requests.post(f"{url}{path}", json=body, timeout=60)
    if not resp.ok:
        raise SandboxError(f"The sandbox {what} failed (HTTP {resp.status_code}).", "Check the sandbox is running.")
    return resp.json()


def sandbox_resync(ws: Workspace, from_date: Any) -> dict[str, Any]:
    """Demo and tests only: press the sandbox's Wisenet resync button for invoices from ``from_date``."""
    return _sandbox_post(ws, "/sandbox/wisenet/resync-invoices", {"from_date": str(from_date)}, "resync")


def sandbox_learner_resync(ws: Workspace) -> dict[str, Any]:
    """Demo and tests only: press the sandbox's 'resync missing Learners' button."""
    return _sandbox_post(ws, "/sandbox/wisenet/resync-learners", {}, "learner resync")


def learner_contacts(ws: Workspace, learners: pd.DataFrame | None = None) -> pd.DataFrame:
    """After a learner resync: which of ``learners`` (default: those step 1 found without a Wisenet contact)
    now have their Wisenet contact in Xero, and which still lack it (with what blocks them).

    Reloads the active contacts only: one call per 1,000 contacts.
    """
    from wxsync.preflight import preflight
    from wxsync.snapshot import Snapshot

    require_bound(ws)
    wanted = learners_without_contact(ws) if learners is None else learners
    if wanted.empty:
        return pd.DataFrame(columns=LEARNER_COLUMNS)
    xero = xero_client(ws, progress=False)
    contacts = xero.load_contacts(include_archived=False)
    by_code = {str(c.get("ContactNumber") or "").strip(): c for c in contacts if c.get("ContactNumber")}
    snap = Snapshot.load(ws)
    issues = preflight(snap.learners, snap.contacts).issues
    blocks = (issues[issues["problem"] != "no_wisenet_contact"].groupby("learner_number")["label"]
              .agg("; ".join).to_dict())
    rows = []
    for _, r in wanted.iterrows():
        number = str(r["learner_number"])
        contact = by_code.get(number)
        rows.append({"learner_number": number, "first_name": r.get("first_name", ""),
                     "last_name": r.get("last_name", ""),
                     "wisenet_contact_id": (contact or {}).get("ContactID", ""),
                     "contact_name": (contact or {}).get("Name", ""),
                     "status": "has its Wisenet contact" if contact else "still missing",
                     "what blocks it": "" if contact else blocks.get(number, "not resynced yet")})
    out = pd.DataFrame(rows, columns=LEARNER_COLUMNS)
    out.attrs["api_calls"] = xero.calls
    print(f"{(out['status'] == 'has its Wisenet contact').sum():,} of {len(out):,} learner(s) now have their "
          f"Wisenet contact ({xero.calls} Xero API call(s)).")
    return out


# ----- the comparison --------------------------------------------------------------------------------
def report_source(ws: Workspace, report_0442_csv: str = "") -> str:
    """``"csv"`` when a report #0442 file is given or ``[wisenet] source = "csv"``, else ``"api"``."""
    if str(report_0442_csv or "").strip():
        return "csv"
    return "csv" if str(ws.settings.get("wisenet", {}).get("source", "")).lower() == "csv" else "api"


def wisenet_invoices_from_csv(ws: Workspace, report_0442_csv: str = "",
                              report_0442_mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Wisenet's invoices from a report #0442 CSV (path and mapping from the parameters, else client.toml)."""
    from wxsync.resync import read_report_0442

    saved = ws.settings.get("wisenet", {})
    path = str(report_0442_csv or "").strip() or str(saved.get("report_0442_csv", "")).strip()
    if not path:
        raise InputError("This client has no Wisenet API licence ([wisenet] source = \"csv\"), but no report "
                         "#0442 file was given.",
                         "Export report #0442 (synced invoices) from Wisenet as CSV and put its path into "
                         "report_0442_csv.")
    mapping = dict(report_0442_mapping or saved.get("report_0442_mapping") or {})
    return read_report_0442(Path(path).expanduser(), mapping or None)


def xero_documents(xero: Any) -> pd.DataFrame:
    """Every Xero document now (paged: a few calls per 1,000 documents)."""
    from wxsync.frames import documents_frame

    docs = xero.load_documents()
    return documents_frame(docs.get("invoices", ()), docs.get("credit_notes", ()), docs.get("overpayments", ()),
                           docs.get("prepayments", ()), docs.get("repeating_invoices", ()))


def wisenet_invoices_from_api(ws: Workspace, learners: pd.DataFrame, merged: pd.DataFrame) -> pd.DataFrame:
    """Wisenet's invoices through its API; says how many calls that costs before making them."""
    from wxsync.resync import (
        calls_message,
        estimate_calls,
        fetch_all_wisenet_invoices,
        fetch_wisenet_invoices,
    )

    wisenet = wisenet_client(ws)
    if sandbox_url(ws):  # the sandbox pages all invoices without a learner filter
        n_invoices = len(learners)  # a rough guide: about one invoice per learner
        print(calls_message(estimate_calls(0, unfiltered=True, expected_invoices=n_invoices)))
        return fetch_all_wisenet_invoices(wisenet)
    ids = learners.loc[learners["learner_number"].isin(set(merged["learner_number"])), "learner_id"]
    print(calls_message(estimate_calls(len(ids))))
    return fetch_wisenet_invoices(wisenet, ids)


def resync_compare(ws: Workspace, report_0442_csv: str = "",
                   report_0442_mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Per merged learner: Xero documents vs Wisenet invoices (from the Wisenet API, or from a report #0442
    CSV when one is given or ``[wisenet] source = "csv"``); writes ``evidence/resync.csv`` and refreshes
    ``evidence/merges.csv``."""
    from wxsync import evidence
    from wxsync.resync import compare, write_resync_evidence
    from wxsync.snapshot import Snapshot

    verification = load_frame(ws, "verification")
    if verification is None:
        raise InputError("The merges have not been verified yet.", "Press Verify in notebook 03_merge first.")
    plan_info = resync_instructions(ws, resync_learners=False)
    merged = verification[verification["verification"] == "verified"]
    result = load_frame(ws, "result")
    results = result if result is not None else verification
    learners = Snapshot.load(ws).learners
    source = report_source(ws, report_0442_csv)
    if source == "csv":
        invoices = wisenet_invoices_from_csv(ws, report_0442_csv, report_0442_mapping)
    else:
        invoices = wisenet_invoices_from_api(ws, learners, merged)
    docs = xero_documents(xero_client(ws, progress=False))
    comparison = compare(merged, docs, invoices, learners, start=plan_info.from_date)
    write_resync_evidence(ws.evidence_dir, comparison, source=source)
    evidence.export(ws, results, verification)
    comparison.attrs["source"] = source
    return comparison


def evidence_summary(ws: Workspace) -> pd.DataFrame:
    """The run summary (``evidence/summary.csv``) and where the evidence files are."""
    path = ws.evidence_dir / "summary.csv"
    if not path.exists():
        raise InputError("No evidence has been written yet.", "Verify the merges in notebook 03_merge first.")
    summary = read_excel_csv(path)
    files = pd.DataFrame([{"metric": f"file: {p.name}", "value": str(p)}
                          for p in sorted(ws.evidence_dir.glob("*.csv"))])
    return pd.concat([summary, files], ignore_index=True)
