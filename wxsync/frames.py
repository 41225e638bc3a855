"""Raw API records -> the canonical DataFrames of design section 4.

Inputs are the JSON records exactly as the APIs return them: Xero PascalCase objects with
``/Date(ms+0000)/`` strings, Wisenet ``{Data, Relationships}`` items, ``/learnersAU/list`` basic items,
or records from :func:`wxsync.wisenet.read_learners_csv`. Missing, null or unexpected values never
raise: strings become ``""``, numbers ``0.0``, flags ``False``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd

CONTACT_COLUMNS = [
    "contact_id", "name", "first_name", "last_name", "email", "phone", "contact_number", "account_number",
    "status", "merged_to_contact_id", "is_customer", "is_supplier", "updated_utc", "address_line1", "city",
    "region", "postcode", "country", "ar_outstanding", "n_documents",
]
LEARNER_COLUMNS = [
    "learner_id", "learner_number", "first_name", "last_name", "email", "mobile", "date_of_birth",
    "is_active", "sync_to_xero", "address_line1", "city", "state", "postcode",
]
DOCUMENT_COLUMNS = [
    "document_id", "kind", "number", "contact_id", "status", "date", "total", "amount_due", "has_payments",
    "has_allocations", "is_repeating", "currency", "updated_utc",
]

_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{2,4})?\)/$")
_TRUE = {"true", "yes", "y", "1", "t", "x", "active", "on"}


# --- scalar helpers ---------------------------------------------------------------------------------
def text(value: Any) -> str:
    """A clean string; ``""`` for None/NaN/containers."""
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def text_column(values: pd.Series) -> pd.Series:
    """A column as strings: ``""`` for None/NaN, whole floats without ``.0`` (pandas turns a numeric column
    with blanks into floats: Contact Code 1001 becomes 1001.0, postcode 2000 becomes 2000.0), other
    non-strings through :func:`text`; strings are kept as they are."""
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty"):
        return values  # all strings already (the usual case): no copy
    mapping = {v: v if isinstance(v, str) else text(v) for v in pd.unique(values)
               if v is not None and v is not pd.NA and v == v}
    return values.map(mapping).fillna("").astype(object)


def flag(value: Any, default: bool = False) -> bool:
    """Xero/Wisenet/CSV truthy values -> bool."""
    if value is None or (isinstance(value, float) and value != value):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    s = str(value).strip().lower()
    if not s:
        return default
    return s in _TRUE


def number(value: Any) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if f != f else f


def parse_xero_datetime(value: Any) -> datetime | None:
    """``/Date(ms+0000)/`` or ISO 8601 -> aware UTC datetime; None if unparseable."""
    s = text(value)
    if not s:
        return None
    m = _MS_DATE.match(s)
    if m:
        try:
            return datetime.fromtimestamp(int(m.group(1)) / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def iso_utc(value: Any) -> str:
    """ISO 8601 UTC timestamp string (seconds precision) or ``""``."""
    dt = parse_xero_datetime(value)
    return dt.isoformat(timespec="seconds") if dt else ""


def iso_date(value: Any) -> str:
    """ISO date ``YYYY-MM-DD`` or ``""`` (accepts Xero ms dates, ISO dates/datetimes, dd/mm/yyyy)."""
    s = text(value)
    if not s:
        return ""
    if _MS_DATE.match(s):
        dt = parse_xero_datetime(s)
        return dt.date().isoformat() if dt else ""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", s)  # Australian exports: day first
    if m:
        d, mo, y = (int(g) for g in m.groups())
        try:
            return datetime(y, mo, d).date().isoformat()
        except ValueError:
            return ""
    return ""


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def _records(records: Any) -> list[Mapping[str, Any]]:
    if records is None:
        return []
    if isinstance(records, pd.DataFrame):
        return records.to_dict("records")
    return [r for r in records if isinstance(r, Mapping)]


def _frame(rows: list[dict[str, Any]], columns: list[str], bools: Iterable[str] = (),
           floats: Iterable[str] = (), ints: Iterable[str] = ()) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for c in columns:
        if c in bools:
            df[c] = df[c].astype(bool)
        elif c in floats:
            df[c] = df[c].astype(float)
        elif c in ints:
            df[c] = df[c].astype("int64")
        else:
            df[c] = df[c].astype(object).where(df[c].notna(), "").astype(str)
    return df


# --- contacts ----------------------------------------------------------------------------------------
def _phone(phones: Any) -> str:
    if not isinstance(phones, list):
        return ""
    by_type: dict[str, str] = {}
    for p in phones:
        if not isinstance(p, Mapping):
            continue
        parts = [text(p.get("PhoneCountryCode")), text(p.get("PhoneAreaCode")), text(p.get("PhoneNumber"))]
        if not parts[2]:
            continue
        kind = text(p.get("PhoneType")).upper()
        by_type.setdefault(kind, " ".join(x for x in parts if x))
    for kind in ("MOBILE", "DEFAULT", "DDI"):
        if by_type.get(kind):
            return by_type[kind]
    return next((v for k, v in by_type.items() if k != "FAX" and v), "")


def _address(addresses: Any) -> Mapping[str, Any]:
    if not isinstance(addresses, list):
        return {}
    usable = [a for a in addresses if isinstance(a, Mapping) and any(
        text(a.get(k)) for k in ("AddressLine1", "City", "Region", "PostalCode"))]
    for kind in ("STREET", "POBOX"):
        for a in usable:
            if text(a.get("AddressType")).upper() == kind:
                return a
    return usable[0] if usable else {}


def contacts_frame(records: Any, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Xero Contacts -> contacts frame; ``documents`` (a documents frame) fills ``n_documents``."""
    rows = []
    for c in _records(records):
        addr = _address(c.get("Addresses"))
        rows.append({
            "contact_id": text(c.get("ContactID")),
            "name": text(c.get("Name")),
            "first_name": text(c.get("FirstName")),
            "last_name": text(c.get("LastName")),
            "email": text(c.get("EmailAddress")),
            "phone": _phone(c.get("Phones")),
            "contact_number": text(c.get("ContactNumber")),
            "account_number": text(c.get("AccountNumber")),
            "status": text(c.get("ContactStatus")).upper(),
            "merged_to_contact_id": text(c.get("MergedToContactID")),
            "is_customer": flag(c.get("IsCustomer")),
            "is_supplier": flag(c.get("IsSupplier")),
            "updated_utc": iso_utc(c.get("UpdatedDateUTC")),
            "address_line1": text(addr.get("AddressLine1")),
            "city": text(addr.get("City")),
            "region": text(addr.get("Region")),
            "postcode": text(addr.get("PostalCode")),
            "country": text(addr.get("Country")),
            "ar_outstanding": number(_get(c, "Balances", "AccountsReceivable", "Outstanding")),
            "n_documents": 0,
        })
    df = _frame(rows, CONTACT_COLUMNS, bools=("is_customer", "is_supplier"), floats=("ar_outstanding",),
                ints=("n_documents",))
    if documents is not None and len(documents) and len(df):
        counts = documents[documents["kind"] != "repeating_invoice"].groupby("contact_id").size()
        df["n_documents"] = df["contact_id"].map(counts).fillna(0).astype("int64")
    return df


# --- learners ----------------------------------------------------------------------------------------
def _state_lookup(states: Any) -> dict[str, str]:
    """StateId -> code from a states list (``StateId, Code, ShortDescription``) or a dict of them."""
    out: dict[str, str] = {}
    if isinstance(states, Mapping):
        if "StateId" in states:
            states = [states]
        else:
            states = [v if isinstance(v, Mapping) else {"StateId": k, "Code": v} for k, v in states.items()]
    if not isinstance(states, list):
        return out
    for s in states:
        if not isinstance(s, Mapping):
            continue
        s = s.get("Data", s) if isinstance(s.get("Data"), Mapping) else s
        sid = text(s.get("StateId") or s.get("Id"))
        code = text(s.get("Code") or s.get("ShortDescription") or s.get("LongDescription"))
        if sid and code:
            out[sid] = code
    return out


def _street_line(a: Mapping[str, Any]) -> str:
    line = text(a.get("StreetAddress")) or text(a.get("PostalAddress"))
    if line:
        return line
    unit = text(a.get("UnitDetails"))
    street = " ".join(x for x in (text(a.get("StreetNumber")), text(a.get("StreetName"))) if x)
    pobox = text(a.get("PoBox"))
    parts = [x for x in (f"{unit}/{street}" if unit and street else (unit or street), pobox) if x]
    return ", ".join(parts)


def _learner_full(item: Mapping[str, Any], states: dict[str, str]) -> dict[str, Any]:
    data = item.get("Data") if isinstance(item.get("Data"), Mapping) else item
    p = data.get("Personal") if isinstance(data.get("Personal"), Mapping) else {}
    rel_states = _state_lookup(_get(item, "Relationships", "States"))
    lookup = {**states, **rel_states}
    street = p.get("StreetAddress") if isinstance(p.get("StreetAddress"), Mapping) else {}
    postal = p.get("PostalAddress") if isinstance(p.get("PostalAddress"), Mapping) else {}
    addr = street if (text(street.get("Postcode")) or _street_line(street)) else postal

    def state_of(a: Mapping[str, Any]) -> str:
        sid = text(a.get("StateId"))
        return lookup.get(sid, "") or text(a.get("State") or a.get("StateCode"))

    return {
        "learner_id": text(data.get("LearnerId")),
        "learner_number": _raw_text(p.get("LearnerNumber")),
        "first_name": text(p.get("FirstName")),
        "last_name": text(p.get("LastName")),
        "email": text(_get(p, "EmailAddresses", "Email")),
        "mobile": text(_get(p, "PhoneNumbers", "Mobile")),
        "date_of_birth": iso_date(p.get("DateOfBirth")),
        "is_active": flag(p.get("IsActive")),
        "sync_to_xero": flag(p.get("SyncToXero")),
        "address_line1": _street_line(addr),
        "city": text(addr.get("SuburbTownCity") or addr.get("City")),
        "state": state_of(addr) or state_of(postal if addr is street else street),
        "postcode": text(addr.get("Postcode")),
    }


def _raw_text(value: Any) -> str:
    """Learner numbers are kept exactly (only surrounding blanks trimmed; ints stay without '.0')."""
    if isinstance(value, str):
        return value.strip()
    return text(value)


def _learner_basic(r: Mapping[str, Any], states: dict[str, str]) -> dict[str, Any]:
    state = text(r.get("State") or r.get("StateCode"))
    if not state and text(r.get("StateId")):
        state = states.get(text(r.get("StateId")), "")
    return {
        "learner_id": text(r.get("LearnerId")),
        "learner_number": _raw_text(r.get("LearnerNumber")),
        "first_name": text(r.get("FirstName")),
        "last_name": text(r.get("LastName")),
        "email": text(r.get("Email")),
        "mobile": text(r.get("Mobile")),
        "date_of_birth": iso_date(r.get("DateOfBirth")),
        "is_active": flag(r.get("IsActive")),
        "sync_to_xero": flag(r.get("SyncToXero")),
        "address_line1": text(r.get("AddressLine1") or r.get("StreetAddress")),
        "city": text(r.get("City") or r.get("SuburbTownCity")),
        "state": state,
        "postcode": text(r.get("Postcode")),
    }


def learners_frame(records: Any, states: Any = None) -> pd.DataFrame:
    """Wisenet learners (full items, ``/list`` items or CSV records) -> learners frame.

    ``states`` (``/combos/states`` list or ``{StateId: Code}``) resolves ``StateId`` when the item's own
    ``Relationships.States`` does not.
    """
    lookup = _state_lookup(states)
    rows = []
    for r in _records(records):
        if isinstance(r.get("Data"), Mapping) or isinstance(r.get("Personal"), Mapping):
            rows.append(_learner_full(r, lookup))
        else:
            rows.append(_learner_basic(r, lookup))
    return _frame(rows, LEARNER_COLUMNS, bools=("is_active", "sync_to_xero"))


# --- documents ---------------------------------------------------------------------------------------
_ID_FIELD = {
    "invoice": "InvoiceID", "credit_note": "CreditNoteID", "overpayment": "OverpaymentID",
    "prepayment": "PrepaymentID", "repeating_invoice": "RepeatingInvoiceID",
}
_NUMBER_FIELD = {"invoice": "InvoiceNumber", "credit_note": "CreditNoteNumber"}


def _nonempty_list(v: Any) -> bool:
    return isinstance(v, list) and any(isinstance(x, Mapping) or x for x in v)


def _document_row(kind: str, d: Mapping[str, Any]) -> dict[str, Any]:
    total = number(d.get("Total"))
    if kind == "invoice":
        due = number(d.get("AmountDue"))
        paid = number(d.get("AmountPaid"))
        credited = number(d.get("AmountCredited"))
        has_payments = paid > 0 or _nonempty_list(d.get("Payments"))
        has_alloc = credited > 0 or any(_nonempty_list(d.get(k)) for k in
                                        ("CreditNotes", "Overpayments", "Prepayments"))
    elif kind == "repeating_invoice":
        due, has_payments, has_alloc = 0.0, False, False
    else:
        due = number(d.get("RemainingCredit")) if kind != "credit_note" or "RemainingCredit" in d else total
        has_payments = _nonempty_list(d.get("Payments"))
        status = text(d.get("Status")).upper()
        has_alloc = _nonempty_list(d.get("Allocations")) or (
            status in ("AUTHORISED", "PAID") and "RemainingCredit" in d
            and number(d.get("RemainingCredit")) < total - 0.005)
    contact = d.get("Contact") if isinstance(d.get("Contact"), Mapping) else {}
    return {
        "document_id": text(d.get(_ID_FIELD[kind])),
        "kind": kind,
        "number": text(d.get(_NUMBER_FIELD.get(kind, ""), "")) or text(d.get("Reference")),
        "contact_id": text(contact.get("ContactID")),
        "status": text(d.get("Status")).upper(),
        "date": iso_date(d.get("Date") or d.get("DateString")),
        "total": total,
        "amount_due": due,
        "has_payments": bool(has_payments),
        "has_allocations": bool(has_alloc),
        "is_repeating": kind == "repeating_invoice" or bool(text(d.get("RepeatingInvoiceID"))),
        "currency": text(d.get("CurrencyCode")),
        "updated_utc": iso_utc(d.get("UpdatedDateUTC")),
    }


def documents_frame(invoices: Any = (), credit_notes: Any = (), overpayments: Any = (),
                    prepayments: Any = (), repeating_invoices: Any = ()) -> pd.DataFrame:
    """Xero documents of every kind -> one documents frame.

    ``kind`` is ``invoice``, ``credit_note``, ``overpayment``, ``prepayment`` or ``repeating_invoice``
    (a repeating-invoice template; ``is_repeating`` is also true on invoices it generated).
    """
    rows = []
    for kind, recs in (("invoice", invoices), ("credit_note", credit_notes), ("overpayment", overpayments),
                       ("prepayment", prepayments), ("repeating_invoice", repeating_invoices)):
        rows.extend(_document_row(kind, d) for d in _records(recs))
    return _frame(rows, DOCUMENT_COLUMNS, bools=("has_payments", "has_allocations", "is_repeating"),
                  floats=("total", "amount_due"))
