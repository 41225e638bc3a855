"""HTML stand-ins for Xero's contact page (with its merge dialog) and Wisenet's Connected Apps > Xero page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from wxsync.sandbox import actions
from wxsync.sandbox.state import current_state
from wxsync.sandbox.store import DOCUMENT_KINDS

bp = Blueprint("pages", __name__)

KIND_LABELS = {"invoice": "Invoice", "credit_note": "Credit note", "overpayment": "Overpayment",
               "prepayment": "Prepayment", "repeating_invoice": "Repeating invoice"}


def _contact_or_404(short_code: str, contact_id: str) -> dict:
    st = current_state()
    if short_code != st.short_code:
        abort(404)
    contact = st.store.get("contact", contact_id)
    if contact is None:
        abort(404)
    return contact


def _documents(contact_id: str) -> list[dict]:
    store = current_state().store
    rows = []
    for kind in DOCUMENT_KINDS:
        for doc in store.query(kind, "contact_id = ?", [contact_id]):
            rows.append({"kind": KIND_LABELS[kind], "number": doc.get("InvoiceNumber") or doc.get("CreditNoteNumber")
                         or "", "status": doc.get("Status", ""), "date": doc.get("Date") or "",
                         "total": doc.get("Total", "")})
    return rows


@bp.get("/app/<short_code>/contacts/contact/<contact_id>")
def contact_page(short_code: str, contact_id: str) -> str:
    contact = _contact_or_404(short_code, contact_id)
    q = (request.args.get("q") or "").strip()
    results: list[dict] = []
    if q:
        like = "%" + q.lower().replace("%", "").replace("_", "") + "%"
        results = current_state().store.query("contact", "status = 'ACTIVE' AND id != ? AND search LIKE ?",
                                              [contact_id, like], order="lname", limit=50)
    merged_into = current_state().store.get("contact", contact.get("MergedToContactID") or "")
    return render_template("contact.html", contact=contact, documents=_documents(contact_id), q=q,
                           results=results, short_code=short_code, merged_into=merged_into)


@bp.post("/app/<short_code>/contacts/contact/<contact_id>/merge")
def merge_confirm(short_code: str, contact_id: str) -> str:
    contact = _contact_or_404(short_code, contact_id)
    into = current_state().store.get("contact", request.form.get("into_contact_id", ""))
    if into is None:
        return render_template("contact.html", contact=contact, documents=_documents(contact_id), q="",
                               results=[], short_code=short_code, merged_into=None,
                               error="Choose the contact to merge into.")
    return render_template("merge_confirm.html", contact=contact, into=into, short_code=short_code)


@bp.post("/app/<short_code>/contacts/contact/<contact_id>/merge/confirm")
def merge_do(short_code: str, contact_id: str) -> tuple[str, int] | str:
    contact = _contact_or_404(short_code, contact_id)
    st = current_state()
    try:
        with st.write_lock:
            result = actions.merge_contacts(st.store, contact_id, request.form.get("into_contact_id", ""),
                                            st.clock.iso_now())
    except actions.ActionError as exc:
        return render_template("merge_result.html", contact=contact, error=str(exc), result=None,
                               short_code=short_code), 400
    return render_template("merge_result.html", contact=contact, error=None, result=result, short_code=short_code)


@bp.get("/wisenet/settings/connected-apps/xero")
def wisenet_page() -> str:
    st = current_state()
    return render_template("wisenet_xero.html", org=st.organisation,
                           default_date=st.store.meta("first_connection_date") or "", result=None, error=None)


@bp.post("/wisenet/settings/connected-apps/xero")
def wisenet_action() -> tuple[str, int] | str:
    st = current_state()
    action = request.form.get("action", "")
    now = st.clock.iso_now()
    error = result = None
    skipped: list[dict] = []
    with st.write_lock:
        if action == "resync-invoices":
            try:
                r = actions.resync_invoices(st.store, request.form.get("from_date", ""), now)
                result = (f"Resynced invoices from {r['from_date']}: {r['created']} new, {r['updated']} updated, "
                          f"for {r['learners']} learners.")
            except ValueError:
                error = "Choose a date to resync invoices from."
        elif action == "resync-learners":
            r = actions.resync_learners(st.store, now)
            result = f"Created {len(r['created'])} Xero contacts; skipped {len(r['skipped'])} learners."
            skipped = r["skipped"]
        else:
            error = "Unknown action."
    return render_template("wisenet_xero.html", org=st.organisation, result=result, error=error,
                           default_date=request.form.get("from_date") or st.store.meta("first_connection_date"),
                           skipped=skipped), (400 if error else 200)
