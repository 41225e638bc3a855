"""The two web-app actions the sandbox stands in for: Xero's contact merge and Wisenet's resyncs."""

from __future__ import annotations

import re
import uuid
from datetime import date

from wxsync.sandbox.store import DOCUMENT_KINDS, Store

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WISENET_DOC_KINDS = {"invoice": ("InvoiceID", "InvoiceNumber"), "credit_note": ("CreditNoteID", "CreditNoteNumber"),
                     "overpayment": ("OverpaymentID", None), "prepayment": ("PrepaymentID", None)}


class ActionError(ValueError):
    """The action was refused; the message says why (shown on the page / returned as JSON)."""


def merge_contacts(store: Store, old_id: str, into_id: str, now: str) -> dict:
    """Merge exactly as Xero's UI does: move every document of ``old_id`` to ``into_id``, archive the old
    contact and set its ``MergedToContactID``. Returns a summary."""
    with store.transaction():
        old = store.get("contact", old_id)
        into = store.get("contact", into_id)
        if old is None or into is None:
            raise ActionError("Both contacts must exist.")
        if old["ContactID"] == into["ContactID"]:
            raise ActionError("A contact cannot be merged into itself.")
        if into.get("ContactStatus") != "ACTIVE":
            raise ActionError(f"{into.get('Name')} is archived: choose an active contact to merge into.")
        if old.get("ContactStatus") != "ACTIVE":
            raise ActionError(f"{old.get('Name')} is already archived.")
        moved: dict[str, int] = {}
        ref = {"ContactID": into["ContactID"], "Name": into.get("Name", "")}
        if into.get("ContactNumber"):
            ref["ContactNumber"] = into["ContactNumber"]
        for kind in DOCUMENT_KINDS:
            docs = store.query(kind, "contact_id = ?", [old["ContactID"]])
            for doc in docs:
                doc["Contact"] = dict(ref)
                doc["UpdatedDateUTC"] = now
            store.put_many(kind, docs)
            moved[kind] = len(docs)
        history = store.query("history", "contact_id = ?", [old["ContactID"]])
        for rec in history:
            rec["ParentID"] = into["ContactID"]
        store.put_many("history", history)
        into["IsCustomer"] = bool(into.get("IsCustomer") or old.get("IsCustomer"))
        into["IsSupplier"] = bool(into.get("IsSupplier") or old.get("IsSupplier"))
        into["UpdatedDateUTC"] = now
        old.update(ContactStatus="ARCHIVED", MergedToContactID=into["ContactID"], UpdatedDateUTC=now)
        store.put("contact", into)
        store.put("contact", old)
    return {"old_contact_id": old["ContactID"], "into_contact_id": into["ContactID"],
            "into_name": into.get("Name", ""), "moved": moved}


def _learners_by_number(store: Store) -> dict[str, dict]:
    out = {}
    for learner in store.query("learner"):
        number = (learner.get("Personal") or {}).get("LearnerNumber")
        if number:
            out[str(number)] = learner
    return out


def resync_invoices(store: Store, from_date: str, now: str) -> dict:
    """Copy into Wisenet every Xero document dated on or after ``from_date`` whose contact's ContactNumber
    is a learner's LearnerNumber (upsert by the Xero id, so repeats never duplicate)."""
    start = date.fromisoformat(from_date)
    learners = _learners_by_number(store)
    numbered = {c["ContactID"]: str(c["ContactNumber"]) for c in store.query("contact", "number IS NOT NULL")}
    created = updated = 0
    learner_ids: set = set()
    with store.transaction():
        for kind, (id_field, number_field) in WISENET_DOC_KINDS.items():
            for doc in store.query(kind, "date >= ?", [start.isoformat()]):
                number = numbered.get((doc.get("Contact") or {}).get("ContactID"))
                learner = learners.get(number or "")
                if learner is None or doc.get("Status") == "DELETED":
                    continue
                total = float(doc.get("Total") or 0)
                copy = {
                    "InvoiceId": doc[id_field], "LearnerId": learner["LearnerId"],
                    "InvoiceNumber": doc.get(number_field) if number_field else None,
                    "InvoiceReference": doc.get("Reference"), "SourceAppKey": "Xero",
                    "Type": doc.get("Type"), "Status": doc.get("Status"), "Date": doc.get("Date"),
                    "DueDate": doc.get("DueDate"), "AmountTotal": total,
                    "AmountDue": float(doc.get("AmountDue", doc.get("RemainingCredit", 0)) or 0),
                    "AmountPaid": float(doc.get("AmountPaid") or 0),
                    "AmountCredited": float(doc.get("AmountCredited") or 0), "UpdateDateUtc": now,
                    "LineItems": doc.get("LineItems") or [],
                    "Payments": [{"Type": "Payment", "Date": p.get("Date"), "Amount": p.get("Amount")}
                                 for p in doc.get("Payments") or []],
                }
                if store.get("winvoice", copy["InvoiceId"]) is None:
                    created += 1
                else:
                    updated += 1
                store.put("winvoice", copy)
                learner_ids.add(learner["LearnerId"])
    return {"from_date": start.isoformat(), "created": created, "updated": updated,
            "learners": len(learner_ids)}


def sync_problem(learner: dict) -> str | None:
    """Why Wisenet cannot sync this learner to Xero (None when it can)."""
    p = learner.get("Personal") or {}
    if not p.get("IsActive", True):
        return "inactive learner"
    if not p.get("SyncToXero"):
        return "Sync to Xero is not ticked"
    if not (p.get("FirstName") or "").strip() or not (p.get("LastName") or "").strip():
        return "missing first name or surname"
    street = p.get("StreetAddress") or {}
    if not street.get("StateId") or not (str(street.get("Postcode") or "")).strip():
        return "address lacks a state or postcode"
    email = ((p.get("EmailAddresses") or {}).get("Email") or "").strip()
    if not _EMAIL.match(email):
        return "invalid email address"
    return None


def _contact_for(learner: dict, template: str, states: dict, now: str) -> dict:
    p = learner["Personal"]
    street = p.get("StreetAddress") or {}
    mobile = (p.get("PhoneNumbers") or {}).get("Mobile")
    line1 = street.get("StreetAddress") or " ".join(
        str(street.get(k) or "") for k in ("StreetNumber", "StreetName")).strip()
    contact = {
        "ContactID": str(uuid.uuid4()), "ContactNumber": str(p["LearnerNumber"]), "ContactStatus": "ACTIVE",
        "Name": template.format(first=p["FirstName"].strip(), last=p["LastName"].strip(), number=p["LearnerNumber"]),
        "FirstName": p["FirstName"].strip(), "LastName": p["LastName"].strip(),
        "EmailAddress": p["EmailAddresses"]["Email"].strip(),
        "Addresses": [{"AddressType": "STREET", "AddressLine1": line1, "City": street.get("SuburbTownCity") or "",
                       "Region": states.get(street.get("StateId"), ""), "PostalCode": str(street.get("Postcode")),
                       "Country": "Australia"}, {"AddressType": "POBOX"}],
        "Phones": [{"PhoneType": "MOBILE", "PhoneNumber": mobile or ""}, {"PhoneType": "DEFAULT"}],
        "IsCustomer": False, "IsSupplier": False, "UpdatedDateUTC": now,
    }
    return contact


def resync_learners(store: Store, now: str) -> dict:
    """Create the Wisenet-generated contact for every active learner with Sync to Xero, valid data and no
    contact holding their number yet; report the learners Wisenet cannot sync."""
    template = store.meta("wisenet_name_template") or "{first} {last} ({number})"
    states = {s.get("StateId"): s.get("Code") or s.get("ShortDescription") for s in store.meta("states") or []}
    created: list[dict] = []
    skipped: list[dict] = []
    with store.transaction():
        for learner in store.query("learner"):
            p = learner.get("Personal") or {}
            number = str(p.get("LearnerNumber") or "")
            if not number or store.count("contact", "number = ?", [number]):
                holder = store.query("contact", "number = ?", [number], limit=1) if number else []
                if holder and holder[0].get("ContactStatus") == "ARCHIVED" and p.get("SyncToXero"):
                    skipped.append({"learner_number": number, "reason": "an archived contact holds this number"})
                continue
            problem = sync_problem(learner)
            if problem:
                if p.get("SyncToXero"):
                    skipped.append({"learner_number": number, "reason": problem})
                continue
            contact = _contact_for(learner, template, states, now)
            if store.count("contact", "lname = ? AND status = 'ACTIVE'", [contact["Name"].lower()]):
                skipped.append({"learner_number": number, "reason": "an active contact already has this name"})
                continue
            store.put("contact", contact)
            created.append({"learner_number": number, "contact_id": contact["ContactID"], "name": contact["Name"]})
    return {"created": created, "skipped": skipped}

