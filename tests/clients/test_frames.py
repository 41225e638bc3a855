"""Raw API records (exact wire shapes) -> canonical frames."""

from __future__ import annotations

import pandas as pd

from wxsync.frames import (
    CONTACT_COLUMNS,
    DOCUMENT_COLUMNS,
    LEARNER_COLUMNS,
    contacts_frame,
    documents_frame,
    iso_date,
    learners_frame,
    text_column,
)

XERO_CONTACTS = [
    {
        "ContactID": "0a1b2c3d-0000-4000-8000-000000000001",
        "ContactNumber": "000123",
        "AccountNumber": "",
        "ContactStatus": "ACTIVE",
        "Name": "Jane Citizen (000123)",
        "FirstName": "Jane",
        "LastName": "Citizen",
        "EmailAddress": "jane@example.com",
        "Addresses": [
            {"AddressType": "DELIVERY", "AddressLine1": "1 Wrong St", "City": "Nowhere"},
            {"AddressType": "POBOX", "AddressLine1": "PO Box 9", "City": "Perth", "Region": "WA",
             "PostalCode": "6000", "Country": "Australia"},
            {"AddressType": "STREET", "AddressLine1": "12 King St", "City": "Sydney", "Region": "NSW",
             "PostalCode": "2000", "Country": "Australia"},
        ],
        "Phones": [
            {"PhoneType": "DEFAULT", "PhoneNumber": "9999 1111", "PhoneAreaCode": "02", "PhoneCountryCode": "61"},
            {"PhoneType": "FAX", "PhoneNumber": "5555"},
            {"PhoneType": "MOBILE", "PhoneNumber": "412 345 678", "PhoneAreaCode": "", "PhoneCountryCode": "61"},
        ],
        "UpdatedDateUTC": "/Date(1714521600000+0000)/",
        "IsSupplier": False,
        "IsCustomer": True,
        "Balances": {"AccountsReceivable": {"Outstanding": 760.5, "Overdue": 0.0},
                     "AccountsPayable": {"Outstanding": 0.0, "Overdue": 0.0}},
        "HasAttachments": False,
        "SomethingNew": {"nested": [1, 2]},
    },
    {
        "ContactID": "0a1b2c3d-0000-4000-8000-000000000002",
        "ContactStatus": "ARCHIVED",
        "Name": "J Citizen",
        "MergedToContactID": "0a1b2c3d-0000-4000-8000-000000000001",
        "Addresses": [{"AddressType": "POBOX", "AddressLine1": "PO Box 9", "PostalCode": "6000"}],
        "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "0299991111"}],
        "EmailAddress": None,
        "Balances": None,
        "UpdatedDateUTC": "2024-05-02T03:04:05",
    },
    {"ContactID": "0a1b2c3d-0000-4000-8000-000000000003", "Name": "Bare", "Phones": None, "Addresses": []},
]


def test_contacts_frame_columns_and_values() -> None:
    df = contacts_frame(XERO_CONTACTS)
    assert list(df.columns) == CONTACT_COLUMNS
    a, b, c = (df.iloc[i] for i in range(3))
    assert a["contact_number"] == "000123"  # leading zeros kept
    assert a["phone"] == "61 412 345 678"  # MOBILE preferred over DEFAULT, fax ignored
    assert (a["address_line1"], a["city"], a["region"], a["postcode"]) == ("12 King St", "Sydney", "NSW", "2000")
    assert a["updated_utc"] == "2024-05-01T00:00:00+00:00"
    assert a["ar_outstanding"] == 760.5
    assert bool(a["is_customer"]) is True and bool(a["is_supplier"]) is False
    assert b["status"] == "ARCHIVED" and b["merged_to_contact_id"].endswith("0001")
    assert b["phone"] == "0299991111" and b["postcode"] == "6000"  # POBOX when no STREET
    assert b["email"] == "" and b["ar_outstanding"] == 0.0
    assert b["updated_utc"] == "2024-05-02T03:04:05+00:00"
    assert c["phone"] == "" and c["address_line1"] == "" and c["status"] == ""
    for col in ("name", "email", "merged_to_contact_id", "contact_number"):
        assert not df[col].isna().any()
    assert df["is_customer"].dtype == bool and df["n_documents"].tolist() == [0, 0, 0]


def test_contacts_frame_counts_documents() -> None:
    docs = documents_frame(invoices=[
        {"InvoiceID": "i1", "Contact": {"ContactID": XERO_CONTACTS[0]["ContactID"]}},
        {"InvoiceID": "i2", "Contact": {"ContactID": XERO_CONTACTS[0]["ContactID"]}},
    ], repeating_invoices=[{"RepeatingInvoiceID": "r1", "Contact": {"ContactID": XERO_CONTACTS[1]["ContactID"]}}])
    df = contacts_frame(XERO_CONTACTS, docs)
    assert df["n_documents"].tolist() == [2, 0, 0]


def test_empty_inputs_give_typed_empty_frames() -> None:
    assert list(contacts_frame([]).columns) == CONTACT_COLUMNS
    assert list(learners_frame(None).columns) == LEARNER_COLUMNS
    assert list(documents_frame().columns) == DOCUMENT_COLUMNS
    assert len(contacts_frame([None, "junk", 3])) == 0  # type: ignore[list-item]


STATES = [{"StateId": 2, "Code": "NSW", "ShortDescription": "NSW", "LongDescription": "New South Wales"},
          {"StateId": 7, "Code": "VIC", "ShortDescription": "VIC", "LongDescription": "Victoria"}]
FULL_ITEM = {
    "Data": {
        "LearnerId": 5501,
        "LearnerGuid": "c2b1f0e4-aaaa-4bbb-8ccc-000000000001",
        "LastModifiedTimeStamp": "2024-04-30T10:00:00",
        "Personal": {
            "IsActive": True, "FirstName": "Robert", "MiddleName": "J", "LastName": "Smith",
            "PreferredNamed": "Bob", "DateOfBirth": "1990-02-03T00:00:00", "LearnerNumber": "00042",
            "SyncToXero": True,
            "PhoneNumbers": {"Mobile": "+61412000111", "PhoneHome": None},
            "EmailAddresses": {"Email": "bob@example.com", "AlternativeEmail": None},
            "StreetAddress": {"UnitDetails": "3", "StreetNumber": "14", "StreetName": "Main Rd",
                              "SuburbTownCity": "Geelong", "StateId": 7, "Postcode": "3220", "CountryId": 13},
            "PostalAddress": None,
        },
    },
    "Relationships": {"States": [STATES[1]]},
}


def test_learners_frame_full_items() -> None:
    df = learners_frame([FULL_ITEM])
    assert list(df.columns) == LEARNER_COLUMNS
    r = df.iloc[0]
    assert r["learner_id"] == "5501" and r["learner_number"] == "00042"
    assert (r["first_name"], r["last_name"], r["email"], r["mobile"]) == ("Robert", "Smith", "bob@example.com",
                                                                          "+61412000111")
    assert r["date_of_birth"] == "1990-02-03" and r["is_active"] and r["sync_to_xero"]
    assert (r["address_line1"], r["city"], r["state"], r["postcode"]) == ("3/14 Main Rd", "Geelong", "VIC", "3220")


def test_learners_state_from_given_list_and_postal_fallback() -> None:
    item = {"Data": {"LearnerId": 1, "Personal": {
        "LearnerNumber": 77, "FirstName": "A", "LastName": "B", "IsActive": "false",
        "StreetAddress": {}, "PostalAddress": {"PostalAddress": "PO Box 1", "StateId": 2, "Postcode": "2001",
                                               "SuburbTownCity": "Sydney"}}}, "Relationships": {}}
    r = learners_frame([item], states=STATES).iloc[0]
    assert r["learner_number"] == "77"
    assert bool(r["is_active"]) is False
    assert (r["address_line1"], r["state"], r["postcode"]) == ("PO Box 1", "NSW", "2001")
    assert r["email"] == ""
    assert bool(r["sync_to_xero"]) is False


def test_learners_frame_basic_list_items_and_csv_records() -> None:
    basic = {"LearnerId": 9, "FirstName": "Li", "InformalName": "Lee", "LastName": "Wong", "LearnerNumber": "0009",
             "Email": "li@example.com", "DateOfBirth": "2001-12-31T00:00:00", "IsActive": True,
             "UniqueStudentIdentifier": None, "Username": "lwong", "Mobile": "0400 000 000"}
    csv_rec = {"LearnerNumber": "A-7", "FirstName": "Sam", "LastName": "Lee", "Email": "", "DateOfBirth": "3/4/1999",
               "IsActive": "Yes", "SyncToXero": "No", "State": "QLD", "Postcode": "4000", "City": "Brisbane"}
    df = learners_frame([basic, csv_rec])
    assert df["learner_number"].tolist() == ["0009", "A-7"]
    assert df["date_of_birth"].tolist() == ["2001-12-31", "1999-04-03"]
    assert df["is_active"].tolist() == [True, True] and df["sync_to_xero"].tolist() == [False, False]
    assert df.iloc[1]["state"] == "QLD" and df.iloc[0]["state"] == ""


def test_documents_frame_all_kinds() -> None:
    cid = "c-1"
    inv_paid = {"InvoiceID": "i-paid", "InvoiceNumber": "INV-0001", "Type": "ACCREC", "Contact": {"ContactID": cid},
                "Status": "PAID", "Date": "/Date(1714521600000+0000)/", "Total": 110.0, "AmountDue": 0.0,
                "AmountPaid": 110.0, "CurrencyCode": "AUD", "Payments": [{"PaymentID": "p"}],
                "UpdatedDateUTC": "/Date(1714607999000+0000)/"}
    inv_draft = {"InvoiceID": "i-draft", "InvoiceNumber": "INV-0002", "Contact": {"ContactID": cid},
                 "Status": "DRAFT", "Date": "2024-05-03T00:00:00", "Total": "55.5", "AmountDue": 55.5,
                 "RepeatingInvoiceID": "r-1", "Unexpected": True}
    inv_credited = {"InvoiceID": "i-cred", "Contact": {"ContactID": cid}, "Status": "AUTHORISED", "Total": 10,
                    "AmountDue": 5, "AmountCredited": 5, "CreditNotes": [{"CreditNoteID": "cn"}]}
    cn = {"CreditNoteID": "cn-1", "CreditNoteNumber": "CN-1", "Contact": {"ContactID": cid}, "Status": "AUTHORISED",
          "Total": 20.0, "RemainingCredit": 20.0, "Allocations": []}
    op = {"OverpaymentID": "op-1", "Contact": {"ContactID": cid}, "Status": "AUTHORISED", "Total": 30.0,
          "RemainingCredit": 10.0, "Allocations": [{"Amount": 20.0}]}
    pp = {"PrepaymentID": "pp-1", "Contact": None, "Status": "PAID", "Total": 5.0, "RemainingCredit": 0.0}
    rep = {"RepeatingInvoiceID": "r-1", "Contact": {"ContactID": cid}, "Status": "AUTHORISED", "Total": 55.5,
           "Schedule": {"Period": 1, "Unit": "MONTHLY"}}
    df = documents_frame(invoices=[inv_paid, inv_draft, inv_credited], credit_notes=[cn], overpayments=[op],
                         prepayments=[pp], repeating_invoices=[rep])
    assert list(df.columns) == DOCUMENT_COLUMNS
    by = df.set_index("document_id")
    assert by.loc["i-paid", "has_payments"] and not by.loc["i-paid", "has_allocations"]
    assert by.loc["i-paid", "date"] == "2024-05-01" and by.loc["i-paid", "updated_utc"].startswith("2024-05-01T23:59")
    assert by.loc["i-draft", "is_repeating"] and by.loc["i-draft", "total"] == 55.5
    assert by.loc["i-draft", "date"] == "2024-05-03" and by.loc["i-draft", "number"] == "INV-0002"
    assert by.loc["i-cred", "has_allocations"] and not by.loc["i-cred", "has_payments"]
    assert not by.loc["cn-1", "has_allocations"] and by.loc["cn-1", "amount_due"] == 20.0
    assert by.loc["op-1", "has_allocations"] and by.loc["op-1", "kind"] == "overpayment"
    assert by.loc["pp-1", "contact_id"] == "" and by.loc["pp-1", "has_allocations"]
    assert by.loc["r-1", "kind"] == "repeating_invoice" and by.loc["r-1", "is_repeating"]
    assert df["has_payments"].dtype == bool and pd.api.types.is_float_dtype(df["total"])


def test_iso_date_variants() -> None:
    assert iso_date("/Date(0+0000)/") == "1970-01-01"
    assert iso_date("31/12/2020") == "2020-12-31"
    assert iso_date("not a date") == "" and iso_date(None) == ""
    assert iso_date("/Date(-86400000)/") == "1969-12-31"


def test_text_column_keeps_strings_and_undoes_pandas_float_upcasting():
    mixed = pd.Series([2000, float("nan"), 2000.0, None, "", " 0800 ", 1.5, "00123"], dtype=object)
    assert text_column(mixed).tolist() == ["2000", "", "2000", "", "", " 0800 ", "1.5", "00123"]
    assert text_column(pd.Series([1001.0, float("nan")])).tolist() == ["1001", ""]
    strings = pd.Series(["a", "b"])
    assert text_column(strings).tolist() == ["a", "b"]
    assert text_column(pd.Series([], dtype=float)).tolist() == []
    assert text_column(pd.Series(["x", None], dtype="string")).tolist() == ["x", ""]
    assert text_column(pd.Series([7, None], dtype="Int64")).tolist() == ["7", ""]
