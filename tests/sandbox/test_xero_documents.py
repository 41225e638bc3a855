"""Invoices, credit notes, overpayments, prepayments: listing and Xero's edit rules."""

from __future__ import annotations

from handmade_org import Xero, cid, did

ALLOCATED = "This document cannot be edited as it has a payment or credit note allocated to it."
ARCHIVED = ("The contact with the specified contact details has been archived. "
            "The contact must be un-archived before creating new invoices or credit notes.")


def _move(xero: Xero, invoice: int, to: str):
    return xero.post(f"/Invoices/{did(invoice)}", {"Invoices": [{"InvoiceID": did(invoice),
                                                                   "Contact": {"ContactID": to}}]})


def _message(resp) -> str:
    return resp.json()["Elements"][0]["ValidationErrors"][0]["Message"]


def test_invoice_list_filters_and_line_items(xero: Xero) -> None:
    r = xero.get("/Invoices", params={"ContactIDs": f"{cid(11)},{cid(12)}", "Statuses": "AUTHORISED,PAID",
                                      "page": 1, "pageSize": 2})
    body = r.json()
    assert body["pagination"] == {"page": 1, "pageSize": 2, "pageCount": 2, "itemCount": 3}
    assert all(i["Status"] in {"AUTHORISED", "PAID"} for i in body["Invoices"])
    assert "LineItems" in body["Invoices"][0]
    assert body["Invoices"][0]["Date"] == "/Date(1706745600000+0000)/"  # 2024-02-01
    unpaged = xero.get("/Invoices").json()["Invoices"]
    assert len(unpaged) == 8 and all("LineItems" not in i for i in unpaged)
    assert xero.get(f"/Invoices/{did(1)}").json()["Invoices"][0]["LineItems"]
    assert xero.get("/Invoices/INV-0002").json()["Invoices"][0]["InvoiceID"] == did(2)


def test_editable_documents_can_change_contact(xero: Xero) -> None:
    for n in (1, 2, 3):  # draft, awaiting approval, approved unpaid
        r = _move(xero, n, cid(1))
        assert r.status_code == 200, r.text
        assert r.json()["Invoices"][0]["Contact"]["ContactID"] == cid(1)
    assert {i["InvoiceID"] for i in xero.get("/Invoices", params={"ContactIDs": cid(1)}).json()["Invoices"]} \
        >= {did(1), did(2), did(3)}


def test_paid_part_paid_voided_refused(xero: Xero) -> None:
    assert _message(_move(xero, 4, cid(2))) == ALLOCATED  # part-paid
    assert _message(_move(xero, 5, cid(2))) == ALLOCATED  # paid
    r = _move(xero, 6, cid(2))  # voided
    assert r.status_code == 400 and _message(r) == "Invoice not of valid status for modification"


def test_status_transitions(xero: Xero) -> None:
    r = xero.post(f"/Invoices/{did(3)}", {"Invoices": [{"Status": "DRAFT"}]})
    assert _message(r) == "Invoice not of valid status for modification"
    r = xero.post(f"/Invoices/{did(1)}", {"Invoices": [{"Status": "AUTHORISED"}]})
    assert r.status_code == 200 and r.json()["Invoices"][0]["Status"] == "AUTHORISED"
    r = xero.post(f"/Invoices/{did(3)}", {"Invoices": [{"Status": "VOIDED"}]})
    assert r.status_code == 200 and r.json()["Invoices"][0]["Status"] == "VOIDED"


def test_archived_contact_refuses_new_and_approved_documents(xero: Xero) -> None:
    line = [{"Description": "Course", "Quantity": 1, "UnitAmount": 200, "AccountCode": "200"}]
    r = xero.put("/Invoices", {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": cid(20)}, "LineItems": line}]})
    assert r.status_code == 400 and _message(r) == ARCHIVED
    assert _message(_move(xero, 1, cid(20))) == ARCHIVED
    # a draft already on a contact that gets archived cannot be approved
    xero.post(f"/Contacts/{cid(11)}", {"Contacts": [{"ContactStatus": "ARCHIVED"}]})
    r = xero.post(f"/Invoices/{did(1)}", {"Invoices": [{"Status": "AUTHORISED"}]})
    assert _message(r) == ARCHIVED


def test_create_invoice_totals_account_codes_and_is_customer(xero: Xero) -> None:
    new = xero.put("/Contacts", {"Contacts": [{"Name": "Fresh Customer"}]}).json()["Contacts"][0]
    assert new["IsCustomer"] is False
    line = [{"Description": "Course", "Quantity": 2, "UnitAmount": 100, "AccountCode": "200"}]
    r = xero.put("/Invoices", {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": new["ContactID"]},
                                             "Date": "/Date(1717200000000+0000)/", "DueDate": "2024-07-01",
                                             "LineItems": line, "Status": "AUTHORISED"}]})
    assert r.status_code == 200, r.text
    inv = r.json()["Invoices"][0]
    assert (inv["SubTotal"], inv["TotalTax"], inv["Total"], inv["AmountDue"]) == (200.0, 20.0, 220.0, 220.0)
    assert inv["Date"] == "/Date(1717200000000+0000)/" and inv["DueDate"] == "/Date(1719792000000+0000)/"
    assert xero.get(f"/Contacts/{new['ContactID']}").json()["Contacts"][0]["IsCustomer"] is True
    bad = [{"Description": "x", "Quantity": 1, "UnitAmount": 1, "AccountCode": "999"}]
    r = xero.put("/Invoices", {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": cid(1)}, "LineItems": bad}]})
    assert _message(r) == "Account code '999' is not a valid code for this document."


def test_credit_notes(xero: Xero) -> None:
    where = f'Contact.ContactID==Guid("{cid(12)}")'
    notes = xero.get("/CreditNotes", params={"where": where}).json()["CreditNotes"]
    assert [n["CreditNoteID"] for n in notes] == [did(101)]
    assert notes[0]["Allocations"][0]["Date"].startswith("/Date(")
    r = xero.post(f"/CreditNotes/{did(101)}", {"CreditNotes": [{"Contact": {"ContactID": cid(2)}}]})
    assert r.status_code == 400 and _message(r) == ALLOCATED
    r = xero.post(f"/CreditNotes/{did(102)}", {"CreditNotes": [{"Contact": {"ContactID": cid(1)}}]})
    assert r.status_code == 200 and r.json()["CreditNotes"][0]["Contact"]["ContactID"] == cid(1)


def test_overpayments_prepayments_repeating_read_only(xero: Xero) -> None:
    over = xero.get("/Overpayments", params={"page": 1}).json()
    assert over["Overpayments"][0]["OverpaymentID"] == did(201) and over["pagination"]["itemCount"] == 1
    pre = xero.get("/Prepayments", params={"where": f'Contact.ContactID==Guid("{cid(13)}")'}).json()
    assert [p["PrepaymentID"] for p in pre["Prepayments"]] == [did(301)]
    rep = xero.get("/RepeatingInvoices").json()["RepeatingInvoices"][0]
    assert rep["Schedule"]["NextScheduledDate"].startswith("/Date(")
    assert xero.post(f"/Overpayments/{did(201)}", {"Overpayments": [{}]}).status_code == 405
    assert xero.post(f"/Prepayments/{did(301)}", {"Prepayments": [{}]}).status_code == 405
