"""Helpers for the sandbox tests: a small hand-made demo organisation with known contents, and a client."""

from __future__ import annotations

from typing import Any

import requests

from wxsync.sandbox.model import DemoOrg

TENANT = "7a1e3c52-0d8b-4c6e-9b1a-2f4d5e6a7b8c"
ADDR = {"AddressType": "STREET", "AddressLine1": "1 High St", "City": "Carlton", "Region": "VIC",
        "PostalCode": "3053", "Country": "Australia"}


def cid(n: int) -> str:
    """A stable ContactID for the n-th test contact."""
    return f"00000000-0000-4000-8000-{n:012d}"


def did(n: int) -> str:
    """A stable document id."""
    return f"10000000-0000-4000-8000-{n:012d}"


def _contact(n: int, name: str, *, number: str | None = None, status: str = "ACTIVE", email: str = "",
             updated: str = "2024-03-01T09:00:00+00:00") -> dict:
    first, _, last = name.partition(" ")
    rec = {"ContactID": cid(n), "Name": name, "FirstName": first, "LastName": last, "ContactStatus": status,
           "EmailAddress": email, "Addresses": [dict(ADDR)], "Phones": [{"PhoneType": "MOBILE",
                                                                          "PhoneNumber": "0412 345 678"}],
           "IsCustomer": True, "IsSupplier": False, "UpdatedDateUTC": updated}
    if number:
        rec["ContactNumber"] = number
    return rec


def _invoice(n: int, contact: dict, status: str, *, total: float = 110.0, paid: float = 0.0,
             date: str = "2024-02-01", repeating: str | None = None) -> dict:
    rec = {"InvoiceID": did(n), "InvoiceNumber": f"INV-{n:04d}", "Type": "ACCREC", "Reference": f"Course {n}",
           "Contact": {"ContactID": contact["ContactID"], "Name": contact["Name"]}, "Status": status,
           "Date": date, "DueDate": "2024-03-01", "LineAmountTypes": "Exclusive",
           "LineItems": [{"Description": "Certificate IV", "Quantity": 1.0, "UnitAmount": 100.0,
                          "AccountCode": "200", "TaxType": "OUTPUT", "TaxAmount": 10.0, "LineAmount": 100.0}],
           "SubTotal": round(total / 1.1, 2), "TotalTax": round(total - total / 1.1, 2), "Total": total,
           "AmountDue": round(total - paid, 2) if status != "VOIDED" else 0.0, "AmountPaid": paid,
           "AmountCredited": 0.0, "CurrencyCode": "AUD", "UpdatedDateUTC": "2024-02-01T10:00:00+00:00",
           "Payments": ([{"PaymentID": did(900 + n), "Date": "2024-02-10", "Amount": paid}] if paid else [])}
    if repeating:
        rec["RepeatingInvoiceID"] = repeating
    return rec


def _learner(i: int, first: str, last: str, number: str, *, sync: bool = True, active: bool = True,
             email: str | None = None, state_id: int | None = 2, postcode: str = "3053") -> dict:
    return {"LearnerId": i, "LearnerGuid": f"20000000-0000-4000-8000-{i:012d}",
            "LastModifiedTimeStamp": "2024-05-01T10:00:00",
            "Personal": {"IsActive": active, "FirstName": first, "MiddleName": None, "LastName": last,
                         "PreferredNamed": first[:3], "DateOfBirth": "2000-01-01", "LearnerNumber": number,
                         "SyncToXero": sync, "UniqueStudentIdentifier": f"USI{i:07d}", "Username": f"u{i}",
                         "PhoneNumbers": {"Mobile": "+61412345678"},
                         "EmailAddresses": {"Email": email if email is not None else f"{first.lower()}@example.com"},
                         "StreetAddress": {"StreetNumber": "1", "StreetName": "High St", "SuburbTownCity": "Carlton",
                                           "StateId": state_id, "Postcode": postcode, "CountryId": 1,
                                           "StreetAddress": "1 High St"}}}


def small_org() -> DemoOrg:
    """Known contents: Wisenet contacts 1-3 (learners L1001-L1003), old duplicates 11-13, an archived
    contact 20 (merged into 1), documents of every status."""
    wis = [_contact(1, "Alice Smith (L1001)", number="L1001", email="alice@example.com"),
           _contact(2, "Bob Jones (L1002)", number="L1002", email="bob@example.com"),
           _contact(3, "Chen Wei (L1003)", number="L1003", email="chen@example.com")]
    old = [_contact(11, "Alice Smith", email="alice@example.com", updated="2023-01-01T00:00:00+00:00"),
           _contact(12, "Robert Jones", email="bob@example.com"),
           _contact(13, "Wei Chen", email="chen@example.com"),
           _contact(14, "Parent Pty Ltd", email="accounts@parent.example")]
    archived = _contact(20, "Alicia Smith", status="ARCHIVED")
    archived["MergedToContactID"] = cid(1)
    contacts = wis + old + [archived]
    invoices = [
        _invoice(1, old[0], "DRAFT"), _invoice(2, old[0], "SUBMITTED"), _invoice(3, old[0], "AUTHORISED"),
        _invoice(4, old[1], "AUTHORISED", paid=50.0), _invoice(5, old[1], "PAID", paid=110.0),
        _invoice(6, old[1], "VOIDED"), _invoice(7, wis[0], "AUTHORISED", date="2024-06-01"),
        _invoice(8, old[2], "AUTHORISED", repeating=did(500)),
    ]
    invoices[4]["FullyPaidOnDate"] = "2024-02-10"
    credit_notes = [
        {"CreditNoteID": did(101), "CreditNoteNumber": "CN-0101", "Type": "ACCRECCREDIT", "Status": "PAID",
         "Contact": {"ContactID": cid(12), "Name": "Robert Jones"}, "Date": "2024-02-05", "Total": 20.0,
         "RemainingCredit": 0.0, "Allocations": [{"Amount": 20.0, "Date": "2024-02-06",
                                                  "Invoice": {"InvoiceID": did(4)}}],
         "LineAmountTypes": "Exclusive", "CurrencyCode": "AUD", "UpdatedDateUTC": "2024-02-06T00:00:00+00:00"},
        {"CreditNoteID": did(102), "CreditNoteNumber": "CN-0102", "Type": "ACCRECCREDIT", "Status": "AUTHORISED",
         "Contact": {"ContactID": cid(11), "Name": "Alice Smith"}, "Date": "2024-02-07", "Total": 11.0,
         "RemainingCredit": 11.0, "Allocations": [], "LineAmountTypes": "Exclusive", "CurrencyCode": "AUD",
         "LineItems": [{"Description": "Refund", "Quantity": 1.0, "UnitAmount": 10.0, "AccountCode": "200"}],
         "UpdatedDateUTC": "2024-02-07T00:00:00+00:00"},
    ]
    overpayments = [{"OverpaymentID": did(201), "Type": "RECEIVE-OVERPAYMENT", "Status": "AUTHORISED",
                     "Contact": {"ContactID": cid(12), "Name": "Robert Jones"}, "Date": "2024-02-08",
                     "Total": 5.0, "RemainingCredit": 5.0, "Allocations": [], "CurrencyCode": "AUD",
                     "UpdatedDateUTC": "2024-02-08T00:00:00+00:00"}]
    prepayments = [{"PrepaymentID": did(301), "Type": "RECEIVE-PREPAYMENT", "Status": "AUTHORISED",
                    "Contact": {"ContactID": cid(13), "Name": "Wei Chen"}, "Date": "2024-02-09",
                    "Total": 50.0, "RemainingCredit": 50.0, "Allocations": [], "CurrencyCode": "AUD",
                    "UpdatedDateUTC": "2024-02-09T00:00:00+00:00"}]
    repeating = [{"RepeatingInvoiceID": did(500), "Type": "ACCREC", "Status": "AUTHORISED",
                  "Contact": {"ContactID": cid(13), "Name": "Wei Chen"},
                  "Schedule": {"Period": 1, "Unit": "MONTHLY", "DueDate": 20, "DueDateType": "OFFOLLOWINGMONTH",
                               "StartDate": "2024-01-01", "NextScheduledDate": "2024-07-01"},
                  "Total": 110.0, "LineAmountTypes": "Exclusive"}]
    learners = [_learner(1, "Alice", "Smith", "L1001"), _learner(2, "Bob", "Jones", "L1002"),
                _learner(3, "Chen", "Wei", "L1003"), _learner(4, "Dana", "Lee", "L1004"),
                _learner(5, "Eve", "Nopost", "L1005", postcode=""),
                _learner(6, "Finn", "Inactive", "L1006", active=False),
                _learner(7, "Gus", "Nosync", "L1007", sync=False),
                _learner(8, "Hana", "Bademail", "L1008", email="not-an-email")]
    return DemoOrg(
        organisation={"OrganisationID": TENANT, "Name": "Demo Training Pty Ltd", "LegalName": "Demo Training Pty Ltd",
                      "ShortCode": "!AbC12", "CountryCode": "AU", "BaseCurrency": "AUD",
                      "Timezone": "AUSEASTERNSTANDARDTIME", "OrganisationType": "COMPANY",
                      "Version": "AU", "IsDemoCompany": False, "OrganisationStatus": "ACTIVE",
                      "CreatedDateUTC": "2019-07-01T00:00:00+00:00"},
        first_connection_date="2024-05-01",
        wisenet_name_template="{first} {last} ({number})",
        accounts=[{"AccountID": "30000000-0000-4000-8000-000000000200", "Code": "200", "Name": "Sales",
                   "Type": "REVENUE", "TaxType": "OUTPUT", "Status": "ACTIVE"},
                  {"AccountID": "30000000-0000-4000-8000-000000000090", "Code": "090", "Name": "Business Bank",
                   "Type": "BANK", "TaxType": "NONE", "Status": "ACTIVE"}],
        contacts=contacts, invoices=invoices, credit_notes=credit_notes, overpayments=overpayments,
        prepayments=prepayments, repeating_invoices=repeating, learners=learners,
        states=[{"StateId": 1, "Code": "NSW", "ShortDescription": "NSW", "LongDescription": "New South Wales"},
                {"StateId": 2, "Code": "VIC", "ShortDescription": "VIC", "LongDescription": "Victoria"}],
        wisenet_invoices=[],
        truth={"duplicates": [{"old_contact_id": cid(11), "learner_number": "L1001"},
                              {"old_contact_id": cid(12), "learner_number": "L1002"}],
               "lookalikes": [{"old_contact_id": cid(20), "learner_number": "L1001"}]},
    )


def token_for(url: str) -> str:
    """An access token from the client-credentials grant."""
    r = requests.post(f"{url}/connect/token", data={"grant_type": "client_credentials", "client_id": "cid",
                                                    "client_secret": "secret"}, timeout=10)
    r.raise_for_status()
    return r.json()["access_token"]


class Xero:
    """A tiny ``requests`` helper for the sandbox's Xero API."""

    def __init__(self, url: str, tenant: str = TENANT) -> None:
        self.base = f"{url}/api.xro/2.0"
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"Bearer {token_for(url)}", "xero-tenant-id": tenant,
                                  "Accept": "application/json"})

    def get(self, path: str, **kw: Any) -> requests.Response:
        kw.setdefault("timeout", 30)
        return self.http.get(self.base + path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> requests.Response:
        kw.setdefault("timeout", 30)
        return self.http.post(self.base + path, json=body, **kw)

    def put(self, path: str, body: Any, **kw: Any) -> requests.Response:
        kw.setdefault("timeout", 30)
        return self.http.put(self.base + path, json=body, **kw)
