"""The Xero Accounting API routes under ``/api.xro/2.0``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request

from wxsync.sandbox import wire, xero_contacts, xero_documents
from wxsync.sandbox.gate import idempotent_write, json_response, xero_after, xero_before, xero_teardown
from wxsync.sandbox.state import current_state
from wxsync.sandbox.store import ID_FIELD, Store
from wxsync.sandbox.where import WhereError

bp = Blueprint("xero", __name__, url_prefix="/api.xro/2.0")
bp.before_request(xero_before)
bp.after_request(xero_after)
bp.teardown_request(xero_teardown)

NOT_FOUND_TEXT = "The resource you're looking for cannot be found"
HISTORY_PARENTS = {"Contacts": "contact", "Invoices": "invoice", "CreditNotes": "credit_note",
                   "Overpayments": "overpayment", "Prepayments": "prepayment"}


class _Undo(Exception):
    """Roll back a savepoint (an element or a whole batch failed validation)."""


def _not_found() -> Response:
    return Response(NOT_FOUND_TEXT, status=404, mimetype="text/plain")


def _bad_query(message: str) -> Response:
    return json_response(wire.query_error(message), 400)


def _elements(key: str) -> list[dict] | None:
    """The elements of a write body: ``{"Contacts": [...]}`` or a single object."""
    body = request.get_json(silent=True, force=True)
    if isinstance(body, dict) and isinstance(body.get(key), list):
        return [e for e in body[key] if isinstance(e, dict)]
    if isinstance(body, dict) and body:
        return [body]
    return None


def _batch(key: str, elements: list[dict], save: Callable[[dict], tuple[dict, list[str]]],
           present: Callable[[dict], dict]) -> tuple[int, Any]:
    """Apply elements; with summarizeErrors (the default) one failure means 400 and nothing applied."""
    store: Store = current_state().store
    summarize = wire.parse_bool(request.args.get("summarizeErrors"), default=True)
    results: list[tuple[dict, list[str]]] = []

    def attempt(element: dict) -> tuple[dict, list[str]]:
        holder: list[tuple[dict, list[str]]] = []
        try:
            with store.transaction():
                holder.append(save(element))
                if holder[0][1]:
                    raise _Undo
        except _Undo:
            pass
        return holder[0]

    try:
        with store.transaction():
            results = [attempt(e) for e in elements]
            if summarize and any(problems for _, problems in results):
                raise _Undo
    except _Undo:
        pass
    failed = any(problems for _, problems in results)
    if summarize and failed:
        out = []
        for element, (_rec, problems) in zip(elements, results, strict=True):
            echo = dict(element)  # nothing was applied: echo what was sent
            echo["ValidationErrors"] = [{"Message": m} for m in problems]
            if problems:
                echo["HasValidationErrors"] = True
            out.append(echo)
        return 400, wire.validation_error(out)
    items = []
    for rec, problems in results:
        if problems:
            item = dict(rec)
            item.update(HasValidationErrors=True, StatusAttributeString="ERROR",
                        ValidationErrors=[{"Message": m} for m in problems])
        else:
            item = present(rec)
            if not summarize:
                item["StatusAttributeString"] = "OK"
        items.append(item)
    return 200, wire.envelope(key, items, now=current_state().clock.now())


def _if_modified_since() -> str | None:
    return request.headers.get("If-Modified-Since") or None


# ---- Organisation, Accounts --------------------------------------------------------------------
@bp.get("/Organisation")
def organisation() -> Response:
    st = current_state()
    return json_response(wire.envelope("Organisations", [wire.to_wire(st.organisation)], now=st.clock.now()))


@bp.get("/Accounts")
def accounts() -> Response:
    st = current_state()
    return json_response(wire.envelope("Accounts", [wire.to_wire(a) for a in st.store.query("account")],
                                       now=st.clock.now()))


# ---- Contacts ------------------------------------------------------------------------------------
@bp.get("/Contacts")
def contacts() -> Response:
    st = current_state()
    try:
        items, pag = xero_contacts.list_contacts(st.store, request.args, _if_modified_since(),
                                                 st.clock.now().date().isoformat())
    except WhereError as exc:
        return _bad_query(str(exc))
    except ValueError as exc:
        return _bad_query(f"A parameter could not be read: {exc}")
    return json_response(wire.envelope("Contacts", items, pagination=pag, now=st.clock.now()))


@bp.get("/Contacts/<key>")
def contact(key: str) -> Response:
    st = current_state()
    rec = xero_contacts.find(st.store, key)
    if rec is None:
        return _not_found()
    bal = xero_contacts.balances(st.store, [rec["ContactID"]], st.clock.now().date().isoformat())
    item = xero_contacts.present(rec, paged_or_single=True, summary=False, bal=bal.get(rec["ContactID"]))
    return json_response(wire.envelope("Contacts", [item], now=st.clock.now()))


def _present_contact(rec: dict) -> dict:
    return xero_contacts.present(rec, paged_or_single=True, summary=False, bal=None)


def _contact_write(*, create_only: bool, path_id: str | None = None) -> Response:
    st = current_state()
    elements = _elements("Contacts")
    if elements is None:
        return json_response(wire.validation_error([]), 400)
    if path_id and xero_contacts.find(st.store, path_id) is None:
        return _not_found()
    now = st.clock.iso_now()

    def save(element: dict) -> tuple[dict, list[str]]:
        return xero_contacts.save(st.store, element, path_id=path_id, create_only=create_only, now=now)

    return idempotent_write(lambda: _batch("Contacts", elements, save, _present_contact))


@bp.put("/Contacts")
def create_contacts() -> Response:
    return _contact_write(create_only=True)


@bp.post("/Contacts")
def update_or_create_contacts() -> Response:
    return _contact_write(create_only=False)


@bp.post("/Contacts/<contact_id>")
def update_contact(contact_id: str) -> Response:
    return _contact_write(create_only=False, path_id=contact_id)


# ---- History -------------------------------------------------------------------------------------
def _history_parent_id(resource: str, key: str) -> str | None:
    """The ID of the contact or document whose history ``/<resource>/<key>/History`` means (None: not found)."""
    kind = HISTORY_PARENTS.get(resource)
    if kind is None:
        return None
    store = current_state().store
    parent = xero_contacts.find(store, key) if kind == "contact" else xero_documents.find(store, kind, key)
    return None if parent is None else str(parent[ID_FIELD[kind]])


def _present_history(rec: dict) -> dict:
    out = wire.to_wire(rec)
    out.pop("HistoryID", None)
    out.pop("ParentID", None)
    return out


@bp.get("/<resource>/<key>/History")
def history(resource: str, key: str) -> Response:
    st = current_state()
    pid = _history_parent_id(resource, key)
    if pid is None:
        return _not_found()
    records = st.store.query("history", "contact_id = ?", [pid])
    return json_response(wire.envelope("HistoryRecords", [_present_history(r) for r in records],
                                       now=st.clock.now()))


@bp.put("/<resource>/<key>/History")
def add_history(resource: str, key: str) -> Response:
    st = current_state()
    pid = _history_parent_id(resource, key)
    if pid is None:
        return _not_found()
    elements = _elements("HistoryRecords") or []
    now = st.clock.iso_now()

    def save(element: dict) -> tuple[dict, list[str]]:
        details = str(element.get("Details") or "")
        if not details.strip():
            return dict(element), ["The Details field is required."]
        if len(details) > 2500:
            return dict(element), ["The history note must be 2500 characters or less."]
        rec = {"HistoryID": str(uuid.uuid4()), "ParentID": pid, "Changes": "Note", "DateUTC": now,
               "User": "wxsync sandbox", "Details": details}
        st.store.put("history", rec)
        return rec, []

    return idempotent_write(lambda: _batch("HistoryRecords", elements, save, _present_history))


# ---- Documents -----------------------------------------------------------------------------------
def _document_list(resource: str) -> Response:
    st = current_state()
    try:
        items, pag = xero_documents.list_documents(st.store, xero_documents.RESOURCES[resource], request.args,
                                                   _if_modified_since())
    except WhereError as exc:
        return _bad_query(str(exc))
    except ValueError as exc:
        return _bad_query(f"A parameter could not be read: {exc}")
    return json_response(wire.envelope(resource, items, pagination=pag, now=st.clock.now()))


def _document_one(resource: str, key: str) -> Response:
    st = current_state()
    rec = xero_documents.find(st.store, xero_documents.RESOURCES[resource], key)
    if rec is None:
        return _not_found()
    return json_response(wire.envelope(resource, [xero_documents.present(rec)], now=st.clock.now()))


def _document_write(resource: str, *, create_only: bool, path_id: str | None = None) -> Response:
    st = current_state()
    kind = xero_documents.RESOURCES[resource]
    elements = _elements(resource)
    if elements is None:
        return json_response(wire.validation_error([]), 400)
    if path_id and xero_documents.find(st.store, kind, path_id) is None:
        return _not_found()
    now = st.clock.iso_now()

    def save(element: dict) -> tuple[dict, list[str]]:
        return xero_documents.save(st.store, kind, element, path_id=path_id, create_only=create_only, now=now)

    return idempotent_write(lambda: _batch(resource, elements, save, xero_documents.present))


def _register_documents() -> None:
    for resource in xero_documents.RESOURCES:
        bp.add_url_rule(f"/{resource}", f"list_{resource}", lambda r=resource: _document_list(r), methods=["GET"])
        bp.add_url_rule(f"/{resource}/<key>", f"one_{resource}",
                        lambda key, r=resource: _document_one(r, key), methods=["GET"])
    for resource in ("Invoices", "CreditNotes"):
        bp.add_url_rule(f"/{resource}", f"put_{resource}",
                        lambda r=resource: _document_write(r, create_only=True), methods=["PUT"])
        bp.add_url_rule(f"/{resource}", f"post_{resource}",
                        lambda r=resource: _document_write(r, create_only=False), methods=["POST"])
        bp.add_url_rule(f"/{resource}/<key>", f"update_{resource}",
                        lambda key, r=resource: _document_write(r, create_only=False, path_id=key),
                        methods=["POST"])


_register_documents()
