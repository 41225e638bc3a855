"""Xero documents: invoices, credit notes, overpayments, prepayments, repeating invoices.

Listing with Xero's filters, and invoice / credit-note writes with Xero's edit rules and messages.
"""

from __future__ import annotations

import uuid
from typing import Any

from wxsync.sandbox import wire
from wxsync.sandbox.store import ID_FIELD, Store
from wxsync.sandbox.where import to_sql
from wxsync.sandbox.xero_contacts import is_guid, order_sql

ARCHIVED_CONTACT = ("The contact with the specified contact details has been archived. "
                    "The contact must be un-archived before creating new invoices or credit notes.")
ALLOCATED = "This document cannot be edited as it has a payment or credit note allocated to it."
# The invoice text is seen in public reports (XeroAPI/xero-php-oauth2#257); the credit-note one follows it.
BAD_STATUS = {"invoice": "Invoice not of valid status for modification",
              "credit_note": "Credit Note not of valid status for modification"}
BAD_ACCOUNT = "Account code '{code}' is not a valid code for this document."
BAD_CONTACT = "The Contact ID {cid} is not valid."
NO_CONTACT = "A Contact must be specified for this type of transaction"
BAD_TYPE = "{label} Type must be specified"
TRANSITIONS = {"DRAFT": {"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"},
               "SUBMITTED": {"SUBMITTED", "DRAFT", "AUTHORISED", "DELETED"},
               "AUTHORISED": {"AUTHORISED", "VOIDED"}}
RESOURCES = {"Invoices": "invoice", "CreditNotes": "credit_note", "Overpayments": "overpayment",
             "Prepayments": "prepayment", "RepeatingInvoices": "repeating_invoice"}
ORDER_COLUMNS = {"date": "date", "updateddateutc": "updated", "duedate": "due", "invoicenumber": "number",
                 "creditnotenumber": "number", "status": "status"}
READ_ONLY = {"SubTotal", "TotalTax", "Total", "AmountDue", "AmountPaid", "AmountCredited", "UpdatedDateUTC",
             "Payments", "CreditNotes", "Prepayments", "Overpayments", "Allocations", "RemainingCredit",
             "HasValidationErrors", "ValidationErrors", "StatusAttributeString", "HasAttachments", "HasErrors",
             "FullyPaidOnDate", "Warnings", "IsDiscounted"}
NO_TAX = {"NONE", "EXEMPTOUTPUT", "EXEMPTINPUT", "BASEXCLUDED", "EXEMPTEXPENSES"}


def list_documents(store: Store, kind: str, args: Any, if_modified_since: str | None) -> tuple[list[dict], dict | None]:
    """``GET /Invoices`` and friends: returns (documents, pagination or None)."""
    conds: list[str] = []
    params: list = []
    for arg in ("IDs", "ContactIDs"):
        values = [v.lower() for v in wire.parse_csv(args.get(arg))]
        if values:
            column = "id" if arg == "IDs" else "contact_id"
            conds.append(f"lower({column}) IN ({','.join('?' * len(values))})")
            params += values
    statuses = [s.upper() for s in wire.parse_csv(args.get("Statuses"))]
    if statuses:
        conds.append(f"status IN ({','.join('?' * len(statuses))})")
        params += statuses
    numbers = wire.parse_csv(args.get("InvoiceNumbers"))
    if numbers:
        conds.append(f"number IN ({','.join('?' * len(numbers))})")
        params += numbers
    if if_modified_since:
        conds.append("julianday(updated) > julianday(?)")
        params.append(wire.iso_utc(wire.parse_when(if_modified_since)))
    if args.get("where"):
        sql, wparams = to_sql(args["where"], "document")
        conds.append(sql)
        params += wparams
    cond = " AND ".join(conds)
    order = order_sql(args.get("order"), ORDER_COLUMNS)
    if args.get("page") is not None:
        page = max(1, int(args.get("page") or 1))
        size = min(1000, max(1, int(args.get("pageSize") or 100)))
        total = store.count(kind, cond, params)
        records = store.query(kind, cond, params, order=order, limit=size, offset=(page - 1) * size)
        return [present(r) for r in records], wire.pagination(page, size, total)
    records = store.query(kind, cond, params, order=order)
    out = [present(r) for r in records]
    if kind == "invoice":  # Xero sends line items only when paging or fetching one invoice
        for doc in out:
            doc.pop("LineItems", None)
    return out, None


def present(rec: dict) -> dict:
    """A stored document as Xero sends it."""
    out = wire.to_wire(rec)
    out.setdefault("HasAttachments", False)
    return out


def find(store: Store, kind: str, key: str) -> dict | None:
    """A document by id, or (invoices, credit notes) by number."""
    rec = store.get(kind, key) or (store.get(kind, key.lower()) if is_guid(key) else None)
    if rec is None and not is_guid(key):
        found = store.query(kind, "number = ?", [key], limit=1)
        rec = found[0] if found else None
    return rec


def _resolve_contact(store: Store, ref: dict | None, now: str) -> tuple[dict | None, str | None]:
    """The contact an element points at (by ContactID, ContactNumber or Name; a new name creates one)."""
    if not ref:
        return None, NO_CONTACT
    if ref.get("ContactID"):
        c = store.get("contact", ref["ContactID"]) or store.get("contact", str(ref["ContactID"]).lower())
        return (c, None) if c else (None, BAD_CONTACT.format(cid=ref["ContactID"]))
    if ref.get("ContactNumber"):
        found = store.query("contact", "number = ?", [ref["ContactNumber"]], limit=1)
        if found:
            return found[0], None
    name = (ref.get("Name") or "").strip()
    if not name:
        return None, NO_CONTACT
    found = store.query("contact", "lname = ? AND status = 'ACTIVE'", [name.lower()], limit=1)
    if found:
        return found[0], None
    contact = {"ContactID": str(uuid.uuid4()), "Name": name, "ContactStatus": "ACTIVE",
               "ContactNumber": ref.get("ContactNumber"), "IsCustomer": False, "IsSupplier": False,
               "UpdatedDateUTC": now}
    store.put("contact", {k: v for k, v in contact.items() if v is not None})
    return contact, None


def _totals(store: Store, rec: dict) -> list[str]:
    """Recompute line amounts and totals; returns problems with account codes."""
    problems: list[str] = []
    accounts = {a.get("Code"): a for a in store.query("account")}
    kind_of_amounts = (rec.get("LineAmountTypes") or "Exclusive").upper()
    sub = tax = 0.0
    for line in rec.get("LineItems") or []:
        code = line.get("AccountCode")
        if code and code not in accounts:
            problems.append(BAD_ACCOUNT.format(code=code))
            continue
        qty = float(line.get("Quantity", 1) or 1)
        amount = round(float(line["LineAmount"]) if "UnitAmount" not in line and "LineAmount" in line
                       else qty * float(line.get("UnitAmount") or 0), 2)
        line["Quantity"], line["LineAmount"] = qty, amount
        tax_type = line.get("TaxType") or (accounts.get(code) or {}).get("TaxType") or "OUTPUT"
        line["TaxType"] = tax_type
        rate = 0.0 if tax_type in NO_TAX or kind_of_amounts == "NOTAX" else 0.10
        if kind_of_amounts == "INCLUSIVE":
            line_tax = round(amount * rate / (1 + rate), 2)
            sub += amount - line_tax
        else:
            line_tax = round(amount * rate, 2)
            sub += amount
        line["TaxAmount"] = line_tax
        tax += line_tax
    if rec.get("LineItems") is not None and not problems:
        rec["SubTotal"], rec["TotalTax"] = round(sub, 2), round(tax, 2)
        rec["Total"] = round(sub + tax, 2)
        paid, credited = float(rec.get("AmountPaid") or 0), float(rec.get("AmountCredited") or 0)
        if "CREDIT" in rec.get("Type", ""):
            rec["RemainingCredit"] = rec["Total"]
        else:
            rec["AmountDue"] = round(rec["Total"] - paid - credited, 2)
    return problems


def _has_allocations(rec: dict) -> bool:
    return bool(float(rec.get("AmountPaid") or 0) or float(rec.get("AmountCredited") or 0)
                or rec.get("Payments") or rec.get("CreditNotes") or rec.get("Prepayments")
                or rec.get("Overpayments") or rec.get("Allocations") or rec.get("Status") == "PAID")


def _next_number(store: Store, kind: str) -> str:
    prefix = "INV" if kind == "invoice" else "CN"
    return f"{prefix}-{store.count(kind) + 1:05d}"


def save(store: Store, kind: str, element: dict, *, path_id: str | None, create_only: bool,
         now: str) -> tuple[dict, list[str]]:
    """Validate and apply one invoice or credit note. Returns (saved record or echo, problems)."""
    id_field = ID_FIELD[kind]
    key = path_id or element.get(id_field)
    before = None
    if key:
        before = find(store, kind, str(key))
    elif not create_only and element.get("InvoiceNumber" if kind == "invoice" else "CreditNoteNumber"):
        before = find(store, kind, element.get("InvoiceNumber") or element.get("CreditNoteNumber"))
    if key and before is None:
        return dict(element), [f"{'Invoice' if kind == 'invoice' else 'Credit Note'} {key} could not be found"]
    if before is not None:
        status_before = before.get("Status", "DRAFT")
        if status_before in {"VOIDED", "DELETED"}:
            return dict(element), [BAD_STATUS[kind]]
        if _has_allocations(before):
            return dict(element), [ALLOCATED]
        wanted = (element.get("Status") or status_before).upper()
        if wanted not in TRANSITIONS.get(status_before, {status_before}):
            return dict(element), [BAD_STATUS[kind]]
    rec = dict(before or {})
    for field, value in element.items():
        if field in READ_ONLY or field == id_field:
            continue
        if field in {"Date", "DueDate"}:
            value = wire.from_wire_date(value, date_only=True)
        rec[field] = value
    label = "Invoice" if kind == "invoice" else "Credit Note"
    if not rec.get("Type"):
        return dict(element), [BAD_TYPE.format(label=label)]
    contact, problem = _resolve_contact(store, rec.get("Contact"), now)
    if problem:
        return dict(element), [problem]
    assert contact is not None
    status = (rec.get("Status") or "DRAFT").upper()
    contact_changed = before is None or (before.get("Contact") or {}).get("ContactID") != contact["ContactID"]
    approving = status in {"AUTHORISED", "SUBMITTED"} and (before is None or before.get("Status") != status)
    if contact.get("ContactStatus") == "ARCHIVED" and (contact_changed or approving):
        return dict(element), [ARCHIVED_CONTACT]
    rec["Status"] = status
    rec["Contact"] = {"ContactID": contact["ContactID"], "Name": contact.get("Name", "")}
    if contact.get("ContactNumber"):
        rec["Contact"]["ContactNumber"] = contact["ContactNumber"]
    problems = _totals(store, rec)
    if problems:
        return dict(element), problems
    if status in {"VOIDED", "DELETED"} and "AmountDue" in rec:
        rec["AmountDue"] = 0.0
    if before is None:
        rec[id_field] = str(uuid.uuid4())
        number_field = "InvoiceNumber" if kind == "invoice" else "CreditNoteNumber"
        rec.setdefault(number_field, _next_number(store, kind))
        rec.setdefault("CurrencyCode", "AUD")
        rec.setdefault("LineAmountTypes", "Exclusive")
        rec.setdefault("Date", now[:10])
        rec.setdefault("AmountPaid", 0.0)
        rec.setdefault("AmountCredited", 0.0)
    else:
        rec[id_field] = before[id_field]
    rec["UpdatedDateUTC"] = now
    store.put(kind, rec)
    if rec["Type"] in {"ACCREC", "ACCRECCREDIT"} and not contact.get("IsCustomer"):
        contact["IsCustomer"] = True
        store.put("contact", contact)
    elif rec["Type"] in {"ACCPAY", "ACCPAYCREDIT"} and not contact.get("IsSupplier"):
        contact["IsSupplier"] = True
        store.put("contact", contact)
    return rec, []
