"""A small hand-built demo organisation whose resync outcome is known exactly.

Wisenet was first connected on 2024-03-15, so the resync starts 2023-03-15.

- L0001 (learner 1): old contact O1 holds INV-0001 (2023-06-01, 100), INV-0002 (2024-05-01, 50),
  CN-0001 (2023-08-01, 20) and an overpayment (2023-09-09, 40); its Wisenet contact W1 already holds
  INV-0010 (2024-06-01, 75), which Wisenet has.
- L0002: old contact O2 holds INV-0003 (2023-01-10, before the resync start) and INV-0004 (2024-01-01, 60).
- L0003: old contact O3 holds INV-0005 (2023-12-12, 30).
- L0004: no old contact, nothing to compare.
"""

from __future__ import annotations

from wxsync.sandbox.model import DemoOrg

FIRST_CONNECTION = "2024-03-15"
OLD_OF = {"L0001": "O1", "L0002": "O2", "L0003": "O3"}
WISENET_OF = {"L0001": "W1", "L0002": "W2", "L0003": "W3", "L0004": "W4"}
PEOPLE = {"L0001": ("Ann", "Lee"), "L0002": ("Bo", "Chen"), "L0003": ("Cy", "Dunn"), "L0004": ("Di", "Eve")}


def _learner(n: int, number: str) -> dict:
    first, last = PEOPLE[number]
    return {"LearnerId": n, "LearnerGuid": f"g-{n}", "LastModifiedTimeStamp": "2024-03-15T01:00:00",
            "Personal": {"IsActive": True, "FirstName": first, "LastName": last, "LearnerNumber": number,
                         "SyncToXero": True, "DateOfBirth": f"2000-01-0{n}",
                         "PhoneNumbers": {"Mobile": "0412345678"},
                         "EmailAddresses": {"Email": f"{first.lower()}@mail.com.au"},
                         "StreetAddress": {"StreetNumber": "1", "StreetName": "Main St", "SuburbTownCity": "Perth",
                                           "StateId": 5, "Postcode": "6000", "CountryId": 1,
                                           "StreetAddress": "1 Main St"}}}


def _contact(cid: str, name: str, number: str = "") -> dict:
    rec = {"ContactID": cid, "ContactStatus": "ACTIVE", "Name": name, "FirstName": name.split()[0],
           "LastName": name.split()[1], "EmailAddress": "", "Addresses": [], "Phones": [], "IsCustomer": True,
           "IsSupplier": False, "UpdatedDateUTC": "2024-03-15T02:00:00+00:00"}
    if number:
        rec["ContactNumber"] = number
    return rec


def _invoice(iid: str, number: str, contact: str, day: str, total: float) -> dict:
    return {"InvoiceID": iid, "InvoiceNumber": number, "Type": "ACCREC", "Contact": {"ContactID": contact},
            "Status": "AUTHORISED", "Date": day, "DueDate": day, "LineAmountTypes": "Inclusive", "LineItems": [],
            "SubTotal": total, "TotalTax": 0.0, "Total": total, "AmountDue": total, "AmountPaid": 0.0,
            "AmountCredited": 0.0, "CurrencyCode": "AUD", "UpdatedDateUTC": f"{day}T00:00:00+00:00",
            "Payments": []}


def build_org() -> DemoOrg:
    contacts = [_contact(WISENET_OF[n], f"{PEOPLE[n][0]} {PEOPLE[n][1]} ({n})", n) for n in WISENET_OF]
    contacts += [_contact(OLD_OF[n], f"{PEOPLE[n][0]} {PEOPLE[n][1]}") for n in OLD_OF]
    invoices = [_invoice("x-1", "INV-0001", "O1", "2023-06-01", 100.0),
                _invoice("x-2", "INV-0002", "O1", "2024-05-01", 50.0),
                _invoice("x-3", "INV-0003", "O2", "2023-01-10", 45.0),
                _invoice("x-4", "INV-0004", "O2", "2024-01-01", 60.0),
                _invoice("x-5", "INV-0005", "O3", "2023-12-12", 30.0),
                _invoice("x-10", "INV-0010", "W1", "2024-06-01", 75.0)]
    credit = {"CreditNoteID": "cn-1", "CreditNoteNumber": "CN-0001", "Type": "ACCRECCREDIT",
              "Contact": {"ContactID": "O1"}, "Status": "AUTHORISED", "Date": "2023-08-01", "Total": 20.0,
              "RemainingCredit": 20.0, "Allocations": [], "UpdatedDateUTC": "2023-08-01T00:00:00+00:00"}
    over = {"OverpaymentID": "op-1", "Type": "RECEIVE-OVERPAYMENT", "Contact": {"ContactID": "O1"},
            "Status": "AUTHORISED", "Date": "2023-09-09", "Total": 40.0, "RemainingCredit": 40.0,
            "Allocations": [], "UpdatedDateUTC": "2023-09-09T00:00:00+00:00"}
    wisenet = [{"InvoiceId": "x-10", "LearnerId": 1, "InvoiceNumber": "INV-0010", "Status": "AUTHORISED",
                "Date": "2024-06-01", "AmountTotal": 75.0, "AmountDue": 75.0, "AmountPaid": 0.0,
                "AmountCredited": 0.0, "SourceAppKey": "Xero", "UpdateDateUtc": "2024-06-01T00:00:00"}]
    return DemoOrg(
        organisation={"OrganisationID": "tenant-test", "Name": "Resync Test Pty Ltd", "LegalName": "Resync Test",
                      "ShortCode": "!rt1", "CountryCode": "AU", "BaseCurrency": "AUD",
                      "Timezone": "AUSWESTERNSTANDARDTIME", "OrganisationType": "COMPANY",
                      "CreatedDateUTC": "2015-01-01T00:00:00+00:00"},
        first_connection_date=FIRST_CONNECTION,
        contacts=contacts, invoices=invoices, credit_notes=[credit], overpayments=[over],
        learners=[_learner(i + 1, n) for i, n in enumerate(WISENET_OF)],
        states=[{"StateId": 5, "Code": "WA", "ShortDescription": "WA", "LongDescription": "Western Australia"}],
        wisenet_invoices=wisenet)
