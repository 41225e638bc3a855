"""An in-memory stand-in for XeroClient, for fast unit tests of planning, journal and execution.

It keeps Xero's rules that matter here (paid/allocated/voided documents refuse edits, archived contacts
refuse new documents, repeating invoices block archiving, Idempotency-Key replays) and can lose the
answer of a chosen call *after* applying it, like a dropped connection.
"""

from __future__ import annotations

import copy
from typing import Any

from wxsync.errors import DailyLimitReached
from wxsync.frames import contacts_frame, documents_frame
from wxsync.xero import XeroResponse

ALLOCATED = "This document cannot be edited as it has a payment or credit note allocated to it."
BAD_STATUS = "Invoice not of valid status for modification"
ARCHIVED_CONTACT = ("The contact with the specified contact details has been archived. The contact must be "
                    "un-archived before creating new invoices or credit notes.")
REPEATING = "Contacts cannot be archived if they are associated with repeating invoices"


class LostAnswer(ConnectionError):
    """The request was applied but its answer never arrived."""


class FakeXero:
    def __init__(self, tenant_id: str = "tenant-1", name: str = "Demo Training Pty Ltd") -> None:
        self.tenant_id = tenant_id
        self.org = {"OrganisationID": tenant_id, "Name": name, "ShortCode": "!abc12"}
        self.contacts: dict[str, dict] = {}
        self.invoices: dict[str, dict] = {}
        self.credit_notes: dict[str, dict] = {}
        self.overpayments: dict[str, dict] = {}
        self.repeating: dict[str, dict] = {}
        self.history: dict[str, list[str]] = {}
        self.replies: dict[str, XeroResponse] = {}
        self.applied: dict[str, int] = {}
        self.calls = 0
        self.writes = 0
        self.lose_answer_on: set[int] = set()   # write numbers (1-based) whose answer is lost
        self.daily_limit_after: int | None = None

    # --- building the organisation --------------------------------------------------------------
    def contact(self, cid: str, name: str, number: str = "", status: str = "ACTIVE") -> str:
        self.contacts[cid] = {"ContactID": cid, "Name": name, "ContactNumber": number, "ContactStatus": status,
                              "EmailAddress": f"{cid}@example.com"}
        return cid

    def invoice(self, iid: str, contact: str, status: str = "AUTHORISED", total: float = 100.0,
                paid: float = 0.0, repeating: str = "") -> str:
        self.invoices[iid] = {"InvoiceID": iid, "InvoiceNumber": f"INV-{iid}", "Type": "ACCREC",
                              "Contact": {"ContactID": contact}, "Status": status, "Total": total,
                              "AmountDue": total - paid, "AmountPaid": paid, "RepeatingInvoiceID": repeating}
        return iid

    def credit_note(self, cid_: str, contact: str, status: str = "AUTHORISED", total: float = 20.0) -> str:
        self.credit_notes[cid_] = {"CreditNoteID": cid_, "CreditNoteNumber": f"CN-{cid_}", "Type": "ACCRECCREDIT",
                                   "Contact": {"ContactID": contact}, "Status": status, "Total": total,
                                   "RemainingCredit": total}
        return cid_

    def overpayment(self, oid: str, contact: str, total: float = 50.0) -> str:
        self.overpayments[oid] = {"OverpaymentID": oid, "Contact": {"ContactID": contact}, "Status": "AUTHORISED",
                                  "Total": total, "RemainingCredit": total}
        return oid

    def repeating_invoice(self, rid: str, contact: str) -> str:
        self.repeating[rid] = {"RepeatingInvoiceID": rid, "Contact": {"ContactID": contact},
                               "Status": "AUTHORISED", "Total": 10.0}
        return rid

    # --- frames, as a snapshot would hold them ---------------------------------------------------
    @property
    def snapshot(self) -> Any:
        xero = self

        class Snap:
            contacts = contacts_frame(list(xero.contacts.values()))
            documents = documents_frame(list(xero.invoices.values()), list(xero.credit_notes.values()),
                                        list(xero.overpayments.values()), (), list(xero.repeating.values()))
            learners = None
        return Snap()

    # --- XeroClient interface --------------------------------------------------------------------
    def organisation(self) -> dict:
        self.calls += 1
        return dict(self.org)

    def load_contacts(self, include_archived: bool = True, modified_since: Any = None) -> list[dict]:
        self.calls += 1
        return [copy.deepcopy(c) for c in self.contacts.values()
                if include_archived or c["ContactStatus"] == "ACTIVE"]

    def load_documents(self, contact_ids: Any = None, modified_since: Any = None) -> dict[str, list[dict]]:
        self.calls += 5
        return {"invoices": list(self.invoices.values()), "credit_notes": list(self.credit_notes.values()),
                "overpayments": list(self.overpayments.values()), "prepayments": [],
                "repeating_invoices": list(self.repeating.values())}

    def get(self, path: str, params: dict | None = None, headers: dict | None = None) -> dict:
        self.calls += 1
        params = params or {}
        ids = set(str(params.get("IDs", "")).split(",")) - {""}
        if path == "/Contacts":
            return {"Contacts": [copy.deepcopy(c) for i, c in self.contacts.items() if i in ids]}
        if path == "/Invoices":
            return {"Invoices": [copy.deepcopy(d) for i, d in self.invoices.items() if i in ids]}
        if path == "/CreditNotes":
            return {"CreditNotes": [copy.deepcopy(d) for i, d in self.credit_notes.items() if i in ids]}
        if path.endswith("/History"):
            cid = path.split("/")[2]
            return {"HistoryRecords": [{"Details": t} for t in self.history.get(cid, [])]}
        if path == "/Organisation":
            return {"Organisations": [dict(self.org)]}
        raise AssertionError(f"unexpected GET {path}")

    def write(self, method: str, path: str, body: Any, *, params: dict | None = None,
              idempotency_key: str) -> XeroResponse:
        self.calls += 1
        self.writes += 1
        if self.daily_limit_after is not None and self.writes > self.daily_limit_after:
            raise DailyLimitReached("daily limit", "wait", retry_after_s=3600.0)
        assert (params or {}).get("summarizeErrors") == "false" or path.endswith("/History")
        if idempotency_key in self.replies:
            return self.replies[idempotency_key]
        data = self._apply(method, path, body)
        self.applied[idempotency_key] = self.applied.get(idempotency_key, 0) + 1
        reply = XeroResponse(200, {}, data)
        self.replies[idempotency_key] = reply
        if self.writes in self.lose_answer_on:
            raise LostAnswer("connection dropped after the write was applied")
        return reply

    def _apply(self, method: str, path: str, body: Any) -> dict:
        if path == "/Contacts":
            out = []
            for el in body["Contacts"]:
                c = self.contacts[el["ContactID"]]
                status = el["ContactStatus"]
                if status == "ARCHIVED" and any(r["Contact"]["ContactID"] == c["ContactID"]
                                                for r in self.repeating.values()):
                    out.append({**el, "HasValidationErrors": True, "StatusAttributeString": "ERROR",
                                "ValidationErrors": [{"Message": REPEATING}]})
                    continue
                c["ContactStatus"] = status
                out.append({**copy.deepcopy(c), "StatusAttributeString": "OK"})
            return {"Contacts": out}
        if path in ("/Invoices", "/CreditNotes"):
            key, id_field, store = (("Invoices", "InvoiceID", self.invoices) if path == "/Invoices"
                                    else ("CreditNotes", "CreditNoteID", self.credit_notes))
            out = []
            for el in body[key]:
                doc = store[el[id_field]]
                target = self.contacts[el["Contact"]["ContactID"]]
                problem = ""
                if doc["Status"] in ("VOIDED", "DELETED"):
                    problem = BAD_STATUS
                elif doc["Status"] == "PAID" or doc.get("AmountPaid", 0) > 0:
                    problem = ALLOCATED
                elif target["ContactStatus"] == "ARCHIVED":
                    problem = ARCHIVED_CONTACT
                if problem:
                    out.append({**el, "HasValidationErrors": True, "StatusAttributeString": "ERROR",
                                "ValidationErrors": [{"Message": problem}]})
                    continue
                doc["Contact"] = {"ContactID": target["ContactID"]}
                out.append({**copy.deepcopy(doc), "StatusAttributeString": "OK"})
            return {key: out}
        if path.endswith("/History"):
            cid = path.split("/")[2]
            self.history.setdefault(cid, []).append(body["HistoryRecords"][0]["Details"])
            return {"HistoryRecords": body["HistoryRecords"]}
        raise AssertionError(f"unexpected write {method} {path}")
