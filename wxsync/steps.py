"""The steps behind the notebooks: each notebook cell is one call into here, so tests reach every step.

Step 0 ``connect``: sign in, confirm the organisation, bind the workspace to it.
Step 1 ``load``: snapshot Xero and Wisenet, preflight, classify contacts, find duplicate pairs.
Step 2 ``review_table``: the review widget over the saved pairs.
Step 3 ``merge_*``: plan, dry run, execute, worklist, verify, evidence.
Step 4 ``resync_*``: the resync date and steps, then the Xero-vs-Wisenet comparison.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from wxsync.config import Workspace, default_data_dir
from wxsync.errors import InputError

REVIEW_DIR = "review"
REVIEW_FILES = ("pairs", "contacts", "documents")


# ----- workspace --------------------------------------------------------------------------------
def open_workspace(client: str, data_dir: str | os.PathLike[str] | None = None) -> Workspace:
    """The client's workspace. With no ``data_dir``: the workspace this notebook sits in, else ``./data``."""
    if data_dir:
        return Workspace.open(client, data_dir)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if folder.name == client and (folder / "client.toml").exists():
            return Workspace(folder)
        if (folder / "data" / client / "client.toml").exists():
            return Workspace(folder / "data" / client)
    return Workspace.open(client, default_data_dir())


# ----- review inputs (written by step 1, read by steps 2 and 3) ---------------------------------
def review_dir(ws: Workspace) -> Path:
    return ws.root / REVIEW_DIR


def save_review_inputs(ws: Workspace, pairs: pd.DataFrame, contacts: pd.DataFrame,
                       documents: pd.DataFrame | None = None) -> Path:
    """Keep the pairs, classified contacts and documents for the review and merge steps."""
    folder = review_dir(ws)
    folder.mkdir(parents=True, exist_ok=True)
    frames = {"pairs": pairs, "contacts": contacts,
              "documents": documents if documents is not None else pd.DataFrame()}
    for name, frame in frames.items():
        tmp = folder / f".{name}.pkl.tmp"
        frame.reset_index(drop=True).to_pickle(tmp)
        os.replace(tmp, folder / f"{name}.pkl")
    pairs.to_csv(folder / "pairs.csv", index=False, encoding="utf-8-sig")  # readable copy for the record
    return folder


def load_review_inputs(ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(pairs, contacts, documents)`` saved by step 1."""
    folder = review_dir(ws)
    if not (folder / "pairs.pkl").exists():
        raise InputError(f"No duplicate pairs found in {folder} yet.",
                         "Run notebook 01_load for this client first.")
    out = []
    for name in REVIEW_FILES:
        path = folder / f"{name}.pkl"
        out.append(pd.read_pickle(path) if path.exists() else pd.DataFrame())
    return out[0], out[1], out[2]


# ----- step 2: review ---------------------------------------------------------------------------
def review_table(ws: Workspace, by: str | None = None, auto_tick_high: bool = False) -> Any:
    """The review widget over the saved pairs; ticks restored from and saved to ``decisions.csv``."""
    from wxsync.review import ReviewTable

    pairs, contacts, documents = load_review_inputs(ws)
    table = ReviewTable(pairs, ws.decisions_csv, contacts=contacts, documents=documents, by=by)
    if auto_tick_high:
        table.tick_high_without_conflict()
    return table


def review_summary(ws: Workspace) -> pd.DataFrame:
    """How many pairs are ticked, per band (from ``decisions.csv``)."""
    from wxsync import decisions

    ticked = decisions.ticked_pairs(ws.decisions_csv)
    counts = ticked.groupby("band").size() if not ticked.empty else pd.Series(dtype=int)
    return pd.DataFrame({"band": ["high", "review", "low"],
                         "ticked": [int(counts.get(b, 0)) for b in ("high", "review", "low")]})


# ----- shared: clients for this workspace -------------------------------------------------------
SANDBOX_WISENET_KEY = "sandbox-any-key"
WISENET_KEY_ITEM = "wisenet_api_key"


def sandbox_url(ws: Workspace) -> str:
    """The sandbox this client is bound to, or "" for the real Xero and Wisenet."""
    return str(ws.settings.get("sandbox", {}).get("url", "") or "").rstrip("/")


def use_sandbox(ws: Workspace, url: str | None) -> None:
    """Bind the client to a running sandbox (``wxsync demo`` passes its URL); "" keeps what is saved."""
    if url:
        ws.update("sandbox", url=url.rstrip("/"))


def _store(ws: Workspace) -> Any:
    from wxsync.secrets import SecretStore

    return SecretStore(ws.name)


def xero_client(ws: Workspace, **kwargs: Any) -> Any:
    """A Xero client with this workspace's URLs, bound tenant and saved sign-in."""
    from wxsync.xero import XeroClient

    return XeroClient.for_workspace(ws, **kwargs)


def wisenet_client(ws: Workspace) -> Any:
    """A Wisenet client with the saved API key (the sandbox accepts any key)."""
    from wxsync.wisenet import WisenetClient

    key = _store(ws).get(WISENET_KEY_ITEM) or (SANDBOX_WISENET_KEY if sandbox_url(ws) else "")
    return WisenetClient(ws.wisenet_settings(), str(key))


def _show_link(url: str) -> None:
    """Open the Xero sign-in page: a clickable link in the notebook, and the default browser if any."""
    import html
    import webbrowser

    try:
        from IPython.display import HTML, display

        link = html.escape(url, quote=True)
        display(HTML(f'<p>Sign in to Xero in the tab that opened, or <a href="{link}" target="_blank">'
                     "click here to sign in</a>. This cell waits until you are back.</p>"))
    except ImportError:
        print(f"Sign in to Xero: {url}")
    webbrowser.open(url)


# ----- step 0: connect --------------------------------------------------------------------------
def connect(ws: Workspace, client_id: str = "", confirm_org_name: str = "", tenant_name: str = "",
            wisenet_api_key: str = "", open_browser: Any = None) -> pd.DataFrame:
    """Sign in (or reuse the saved sign-in), show the organisation, bind the workspace once confirmed.

    On the sandbox the consent page answers at once, so the sign-in needs no click.
    """
    import requests

    from wxsync.auth import TokenSource, sign_in_pkce
    from wxsync.errors import AuthError, TenantMismatchError
    from wxsync.xero import XeroClient

    store = _store(ws)
    on_sandbox = bool(sandbox_url(ws))
    if wisenet_api_key:
        store.put(WISENET_KEY_ITEM, wisenet_api_key)

    def sign_in() -> Any:
        app = store.get("xero_app") or {}
        cid = client_id or app.get("client_id", "") or ("wxsync-sandbox" if on_sandbox else "")
        if not cid:
            raise InputError("No Xero app client id is known for this client.",
                             "Put your Xero app's client id in xero_client_id and run again.")
        opener = open_browser or ((lambda url: requests.get(url, timeout=30)) if on_sandbox else _show_link)
        return sign_in_pkce(ws.xero_settings(), cid, store=store, open_browser=opener)

    try:
        tokens = TokenSource.from_store(store)
        saved = tokens.has_token()
    except AuthError:
        saved = False
    if not saved:
        tokens = sign_in()
    xero = XeroClient(ws.xero_settings(), tokens, tenant_id=ws.tenant_id, progress=False)
    if saved:
        try:
            xero.connections()
        except AuthError:  # the saved sign-in expired or was revoked: sign in again, once
            store.delete("xero_token")
            xero = XeroClient(ws.xero_settings(), sign_in(), tenant_id=ws.tenant_id, progress=False)
    if ws.tenant_id:
        org = xero.connect(workspace=ws)
        state = "bound"
    else:
        org = xero.connect(tenant_name=tenant_name or None)
        name = str(org.get("Name", ""))
        typed = confirm_org_name.strip()
        if typed and typed.casefold() != name.strip().casefold():
            raise TenantMismatchError(f"You typed {typed!r}, but you are signed in to {name!r}.",
                                      "Type the organisation name exactly as shown, or sign in to the right one.")
        if typed:
            ws.bind_tenant(xero.tenant_id, name, str(org.get("ShortCode", "")))
            state = "bound"
        else:
            state = "not confirmed"
            print(f"Signed in to {name!r}. If this is the client's organisation, type {name!r} into "
                  "confirm_org_name in the parameters cell and run this notebook again.")
    return pd.DataFrame([{"organisation": org.get("Name", ""), "short code": org.get("ShortCode", ""),
                          "tenant id": xero.tenant_id, "workspace": state,
                          "Xero": "sandbox " + sandbox_url(ws) if on_sandbox else "live",
                          "API calls": xero.calls}])


# ----- step 1: load -----------------------------------------------------------------------------
class Loaded:
    """What step 1 shows: counts, the preflight summary and the pairs per band."""

    def __init__(self, counts: pd.DataFrame, preflight: pd.DataFrame, pairs: pd.DataFrame) -> None:
        self.counts = counts
        self.preflight = preflight
        self.pairs = pairs
        bands = pairs.groupby("band").size() if len(pairs) else pd.Series(dtype=int)
        conflicts = (pairs.assign(c=pairs["conflict"].astype(str).str.strip() != "").groupby("band")["c"].sum()
                     if len(pairs) else pd.Series(dtype=int))
        self.pairs_by_band = pd.DataFrame({"band": ["high", "review", "low"],
                                           "pairs": [int(bands.get(b, 0)) for b in ("high", "review", "low")],
                                           "with conflict": [int(conflicts.get(b, 0))
                                                             for b in ("high", "review", "low")]})


def require_bound(ws: Workspace) -> None:
    if not ws.tenant_id:
        raise InputError(f"Client {ws.name!r} is not bound to a Xero organisation yet.",
                         "Run notebook 00_connect and confirm the organisation name first.")


def load(ws: Workspace, fresh: bool = False, learners_csv: str = "") -> Loaded:
    """Snapshot Xero and Wisenet (continuing an interrupted load), preflight, classify, find pairs.

    A finished snapshot is reused (no API calls) unless ``fresh``.
    """
    from wxsync.match import classify_contacts, find_duplicates
    from wxsync.preflight import preflight
    from wxsync.snapshot import Snapshot

    require_bound(ws)
    try:
        snap = None if fresh else Snapshot.load(ws)
    except InputError:
        snap = None
    calls = 0
    if snap is None:
        xero = xero_client(ws)
        wisenet = None if learners_csv else wisenet_client(ws)
        snap = Snapshot.take(ws, xero, wisenet, learners_csv=learners_csv or None, fresh=fresh)
        calls = xero.calls
    checks = preflight(snap.learners, snap.contacts)
    checks.write_csv(ws.evidence_dir / "preflight.csv")
    classified = classify_contacts(snap.contacts, snap.learners)
    pairs = find_duplicates(classified)
    save_review_inputs(ws, pairs, classified, snap.documents)
    contacts = snap.contacts
    counts = pd.DataFrame([
        {"what": "Xero contacts (active)", "count": int((contacts["status"] == "ACTIVE").sum())},
        {"what": "Xero contacts (archived)", "count": int((contacts["status"] == "ARCHIVED").sum())},
        {"what": "Wisenet-generated contacts", "count": int(classified["is_wisenet"].sum())},
        {"what": "Xero documents", "count": len(snap.documents)},
        {"what": "Wisenet learners", "count": len(snap.learners)},
        {"what": "candidate duplicate pairs", "count": len(pairs)},
        {"what": "Xero API calls for this load", "count": calls},
    ])
    return Loaded(counts, checks.summary(), pairs)


# ----- step 3: merge ----------------------------------------------------------------------------
MERGE_DIR = "merge"
API_ROUTES = ("archive", "repoint")


def _merge_dir(ws: Workspace) -> Path:
    folder = ws.root / MERGE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _save_frame(ws: Workspace, name: str, frame: pd.DataFrame) -> None:
    folder = _merge_dir(ws)
    tmp = folder / f".{name}.pkl.tmp"
    frame.to_pickle(tmp)
    os.replace(tmp, folder / f"{name}.pkl")


def _load_frame(ws: Workspace, name: str) -> pd.DataFrame | None:
    path = ws.root / MERGE_DIR / f"{name}.pkl"
    return pd.read_pickle(path) if path.exists() else None


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
    result = _load_frame(ws, "result")
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
    _save_frame(ws, "result", result)
    out = result.groupby(["route", "outcome"]).size().reset_index(name="pairs") if len(result) else result
    out.attrs["api_calls"] = xero.calls
    return out


def worklist_frame(ws: Workspace, plan: pd.DataFrame) -> pd.DataFrame:
    """The ``xero_ui`` pairs with their link, the contact to pick, and a status from the last verification."""
    from wxsync.merge import worklist

    short_code = str(ws.settings.get("xero", {}).get("short_code", ""))
    verification = _load_frame(ws, "verification")
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
    _save_frame(ws, "verification", verification)
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


# ----- step 4: resync ---------------------------------------------------------------------------
class ResyncPlan:
    """The resync date, why, and the Wisenet steps as text."""

    def __init__(self, from_date: Any, first_connection: Any, reason: str, steps: list[str]) -> None:
        self.from_date = from_date
        self.first_connection = first_connection
        self.reason = reason
        self.steps = steps
        numbered = "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
        self.text = (f"Resync invoices from {from_date.isoformat()} (one year before the first Xero connection, "
                     f"{first_connection.isoformat()}: {reason})\n\nIn Wisenet:\n{numbered}")


def resync_instructions(ws: Workspace) -> ResyncPlan:
    """The first-connection date (saved, else suggested from the data and saved) and the Wisenet steps."""
    from datetime import date

    from wxsync.resync import resync_start, suggest_first_connection, wisenet_steps
    from wxsync.snapshot import Snapshot

    saved = ws.settings.get("resync", {}).get("first_connection_date")
    if saved:
        first = saved if isinstance(saved, date) else date.fromisoformat(str(saved))
        reason = "saved in client.toml"
    else:
        snap = Snapshot.load(ws)
        first, reason = suggest_first_connection(snap.contacts, snap.documents, snap.learners)
        if first is None:
            raise InputError(reason, "Add first_connection_date = YYYY-MM-DD under [resync] in client.toml.")
        ws.update("resync", first_connection_date=first.isoformat())
    return ResyncPlan(resync_start(first), first, reason, wisenet_steps(resync_start(first)))


def sandbox_resync(ws: Workspace, from_date: Any) -> dict[str, Any]:
    """Demo and tests only: press the sandbox's Wisenet resync button for invoices from ``from_date``."""
    import requests

    from wxsync.errors import GuardError, SandboxError

    url = sandbox_url(ws)
    if not url:
        raise GuardError("This client is bound to real Wisenet: the resync is done by you, in Wisenet.",
                         "Follow the steps above; perform_sandbox_resync is for the sandbox only.")
    resp = requests.post(f"{url}/sandbox/wisenet/resync-invoices", json={"from_date": str(from_date)}, timeout=60)
    if not resp.ok:
        raise SandboxError(f"The sandbox resync failed (HTTP {resp.status_code}).", "Check the sandbox is running.")
    return resp.json()


def resync_compare(ws: Workspace) -> pd.DataFrame:
    """Per merged learner: Xero documents vs Wisenet invoices; writes ``evidence/resync.csv`` and refreshes
    ``evidence/merges.csv``."""
    from wxsync import evidence
    from wxsync.frames import documents_frame
    from wxsync.resync import (
        calls_message,
        compare,
        fetch_all_wisenet_invoices,
        fetch_wisenet_invoices,
        write_resync_evidence,
    )
    from wxsync.snapshot import Snapshot

    verification = _load_frame(ws, "verification")
    if verification is None:
        raise InputError("The merges have not been verified yet.", "Press Verify in notebook 03_merge first.")
    merged = verification[verification["verification"] == "verified"]
    plan = _load_frame(ws, "result")
    results = plan if plan is not None else verification
    learners = Snapshot.load(ws).learners
    xero = xero_client(ws, progress=False)
    docs = xero.load_documents()
    xero_docs = documents_frame(docs.get("invoices", ()), docs.get("credit_notes", ()),
                                docs.get("overpayments", ()), docs.get("prepayments", ()),
                                docs.get("repeating_invoices", ()))
    wisenet = wisenet_client(ws)
    if sandbox_url(ws):
        invoices = fetch_all_wisenet_invoices(wisenet)
    else:
        ids = learners.loc[learners["learner_number"].isin(set(merged["learner_number"])), "learner_id"]
        print(calls_message(len(ids)))
        invoices = fetch_wisenet_invoices(wisenet, ids)
    plan_info = resync_instructions(ws)
    comparison = compare(merged, xero_docs, invoices, learners, start=plan_info.from_date)
    write_resync_evidence(ws.evidence_dir, comparison, source="api")
    evidence.export(ws, results, verification)
    return comparison


def evidence_summary(ws: Workspace) -> pd.DataFrame:
    """The run summary (``evidence/summary.csv``) and where the evidence files are."""
    path = ws.evidence_dir / "summary.csv"
    if not path.exists():
        raise InputError("No evidence has been written yet.", "Verify the merges in notebook 03_merge first.")
    summary = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    files = pd.DataFrame([{"metric": f"file: {p.name}", "value": str(p)}
                          for p in sorted(ws.evidence_dir.glob("*.csv"))])
    return pd.concat([summary, files], ignore_index=True)
