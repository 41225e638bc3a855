"""Xero contact rules: listing (paging, archived and merged visibility) and writes with Xero's checks."""

from __future__ import annotations

import re
import uuid
from typing import Any

from wxsync.sandbox import wire
from wxsync.sandbox.store import Store
from wxsync.sandbox.where import to_sql

# Texts seen in public reports of real responses: NAME_TAKEN (Pinelab-studio/pinelab-vendure-plugins#505),
# ACCOUNT_TAKEN (calcinai/xero-php#880), NAME_EMPTY (waynerobinson/xeroizer#380). NUMBER_TAKEN and
# EMAIL_INVALID follow the same pattern but are not confirmed against a live organisation.
NAME_TAKEN = ("The contact name {name} is already assigned to another contact. "
              "The contact name must be unique across all active contacts.")
NUMBER_TAKEN = ("The contact number {number} is already assigned to another contact. "
                "The contact number must be unique across all contacts.")
ACCOUNT_TAKEN = "The Account Number already exists. Please enter a different Account Number."
NAME_EMPTY = "Contact Name cannot be empty."
EMAIL_INVALID = "Email address must be valid."
ARCHIVE_REPEATING = "Contacts cannot be archived if they are associated with repeating invoices"
GDPR_REFUSED = "The contact status cannot be set to GDPRREQUEST."
NOT_FOUND = "The contact with the specified ContactID could not be found."

READ_ONLY = {"ContactID", "IsCustomer", "IsSupplier", "Balances", "UpdatedDateUTC", "MergedToContactID",
             "HasValidationErrors", "ValidationErrors", "HasAttachments", "StatusAttributeString", "Warnings",
             "ContactGroups", "BatchPayments", "Discount"}
SUMMARY_DROPPED = ("Balances", "Addresses", "Phones", "ContactPersons", "PaymentTerms", "BatchPayments")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

ORDER_COLUMNS = {"name": "lname", "updateddateutc": "updated", "contactid": "id", "contactnumber": "number",
                 "emailaddress": "email"}


def is_guid(value: str) -> bool:
    """True for a GUID (``GET /Contacts/{x}`` takes a ContactID or a ContactNumber)."""
    return bool(_GUID.match(value or ""))


def order_sql(order: str | None, columns: dict[str, str]) -> str:
    """Xero ``order=Field [ASC|DESC]`` -> SQL ORDER BY (unknown fields keep list order)."""
    if not order:
        return "seq"
    parts = order.strip().split()
    column = columns.get(parts[0].lower())
    if column is None:
        return "seq"
    direction = "DESC" if len(parts) > 1 and parts[1].upper() == "DESC" else "ASC"
    return f"{column} {direction}, seq"


def balances(store: Store, contact_ids: list[str] | None, today: str) -> dict[str, dict]:
    """``Balances`` per contact from approved, unpaid invoices (raw amounts, as Xero does)."""
    rows = store.scalar_rows(
        "SELECT contact_id, json_extract(data, '$.Type'), SUM(amount), "
        "SUM(CASE WHEN due < ? THEN amount ELSE 0 END) FROM objects "
        "WHERE kind='invoice' AND status='AUTHORISED' GROUP BY contact_id, json_extract(data, '$.Type')",
        [today])
    wanted = set(contact_ids) if contact_ids is not None else None
    out: dict[str, dict] = {}
    for cid, kind, outstanding, overdue in rows:
        if wanted is not None and cid not in wanted:
            continue
        side = "AccountsPayable" if kind == "ACCPAY" else "AccountsReceivable"
        out.setdefault(cid, {})[side] = {"Outstanding": round(outstanding or 0, 2), "Overdue": round(overdue or 0, 2)}
    return out


def present(rec: dict, *, paged_or_single: bool, summary: bool, bal: dict | None) -> dict:
    """A stored contact as Xero sends it."""
    out = wire.to_wire(rec)
    if not paged_or_single:
        out.pop("MergedToContactID", None)
    if summary:
        for key in SUMMARY_DROPPED:
            out.pop(key, None)
    else:
        zero = {"Outstanding": 0.0, "Overdue": 0.0}
        b = bal or {}
        out["Balances"] = {"AccountsReceivable": b.get("AccountsReceivable", zero),
                           "AccountsPayable": b.get("AccountsPayable", zero)}
    out.setdefault("HasAttachments", False)
    out.setdefault("HasValidationErrors", False)
    return out


def list_contacts(store: Store, args: Any, if_modified_since: str | None, today: str) -> tuple[list[dict], dict | None]:
    """``GET /Contacts``: returns (contacts, pagination or None)."""
    conds: list[str] = []
    params: list = []
    where = args.get("where")
    if not wire.parse_bool(args.get("includeArchived")) and "contactstatus" not in (where or "").lower():
        conds.append("status != 'ARCHIVED'")
    ids = [i.lower() for i in wire.parse_csv(args.get("IDs") or args.get("ids"))]
    if ids:
        conds.append(f"lower(id) IN ({','.join('?' * len(ids))})")
        params += ids
    if if_modified_since:
        moment = wire.parse_when(if_modified_since)
        conds.append("julianday(updated) > julianday(?)")
        params.append(wire.iso_utc(moment))
    term = (args.get("searchTerm") or "").strip().lower()
    if term:
        conds.append("search LIKE ? ESCAPE '\\'")
        params.append("%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if where:
        sql, wparams = to_sql(where, "contact")
        conds.append(sql)
        params += wparams
    cond = " AND ".join(conds)
    order = order_sql(args.get("order"), ORDER_COLUMNS)
    summary = wire.parse_bool(args.get("summaryOnly"))
    page_arg = args.get("page")
    if page_arg is not None:
        page = max(1, int(page_arg or 1))
        size = min(1000, max(1, int(args.get("pageSize") or 100)))
        total = store.count("contact", cond, params)
        records = store.query("contact", cond, params, order=order, limit=size, offset=(page - 1) * size)
        pag: dict | None = wire.pagination(page, size, total)
    else:
        records = store.query("contact", cond, params, order=order)
        pag = None
    bal = {} if summary else balances(store, [r["ContactID"] for r in records] if pag else None, today)
    return [present(r, paged_or_single=pag is not None, summary=summary, bal=bal.get(r["ContactID"]))
            for r in records], pag


def find(store: Store, key: str) -> dict | None:
    """A contact by ContactID, else by ContactNumber."""
    if is_guid(key):
        rec = store.get("contact", key) or store.get("contact", key.lower())
        if rec:
            return rec
    found = store.query("contact", "number = ?", [key], limit=1)
    return found[0] if found else None


def _problems(store: Store, rec: dict, before: dict | None) -> list[str]:
    """Xero's validation messages for the contact as it would be saved."""
    problems: list[str] = []
    name = (rec.get("Name") or "").strip()
    cid = rec["ContactID"]
    status = rec.get("ContactStatus") or "ACTIVE"
    if not name:
        problems.append(NAME_EMPTY)
    email = rec.get("EmailAddress")
    if email and not _EMAIL.match(email.strip()):
        problems.append(EMAIL_INVALID)
    if status == "GDPRREQUEST" and (before or {}).get("ContactStatus") != "GDPRREQUEST":
        problems.append(GDPR_REFUSED)
    if name and status == "ACTIVE" and store.count(
            "contact", "lname = ? AND status = 'ACTIVE' AND id != ?", [name.lower(), cid]):
        problems.append(NAME_TAKEN.format(name=name))
    number = rec.get("ContactNumber")
    if number and store.count("contact", "number = ? AND id != ?", [number, cid]):
        problems.append(NUMBER_TAKEN.format(number=number))
    account = rec.get("AccountNumber")
    if account and store.count("contact", "json_extract(data, '$.AccountNumber') = ? COLLATE NOCASE AND id != ?",
                               [account, cid]):
        problems.append(ACCOUNT_TAKEN)
    if status == "ARCHIVED" and (before or {}).get("ContactStatus", "ACTIVE") != "ARCHIVED":
        if store.count("repeating_invoice", "contact_id = ? AND status != 'DELETED'", [cid]):
            problems.append(ARCHIVE_REPEATING)
    return problems


def save(store: Store, element: dict, *, path_id: str | None, create_only: bool, now: str) -> tuple[dict, list[str]]:
    """Validate and apply one contact element. Returns (saved record or echo, problems)."""
    before = None
    key = path_id or element.get("ContactID")
    if key:
        before = store.get("contact", key) or store.get("contact", str(key).lower())
        if before is None:
            return dict(element), [NOT_FOUND]
    elif not create_only and element.get("ContactNumber"):
        before = find(store, element["ContactNumber"])
    rec = dict(before or {})
    for field, value in element.items():
        if field not in READ_ONLY:
            rec[field] = value
    rec["ContactID"] = (before or {}).get("ContactID") or str(uuid.uuid4())
    rec.setdefault("ContactStatus", "ACTIVE")
    rec.setdefault("IsCustomer", False)
    rec.setdefault("IsSupplier", False)
    problems = _problems(store, rec, before)
    if problems:
        echo = dict(element)
        return echo, problems
    rec["UpdatedDateUTC"] = now
    store.put("contact", rec)
    return rec, []
