"""Wisenet v1 endpoints, and the merge / resync stand-ins (HTML forms and their JSON twins)."""

from __future__ import annotations

import re

import requests
from handmade_org import Xero, cid, did

KEY = {"x-api-key": "test-key"}


def _get(sb, path: str, **params) -> requests.Response:
    return requests.get(f"{sb.url}/v1{path}", headers=KEY, params=params, timeout=10)


def test_wisenet_key_required(org_sandbox) -> None:
    assert requests.get(f"{org_sandbox.url}/v1/learnersAU/list", timeout=10).status_code == 401
    assert requests.get(f"{org_sandbox.url}/v1/learnersAU/list", headers={"x-api-key": ""},
                        timeout=10).status_code == 401


def test_learner_lists_paging_and_filters(org_sandbox) -> None:
    basic = _get(org_sandbox, "/learnersAU/list").json()
    assert isinstance(basic, list) and len(basic) == 8
    assert set(basic[0]) == {"LearnerId", "FirstName", "InformalName", "LastName", "LearnerNumber", "Email",
                             "DateOfBirth", "IsActive", "UniqueStudentIdentifier", "Username", "Mobile"}
    assert [b["LearnerId"] for b in _get(org_sandbox, "/learnersAU/list", skip=2, take=3).json()] == [3, 4, 5]
    assert len(_get(org_sandbox, "/learnersAU/list", take=5000).json()) == 8  # take is capped at 1000
    assert [b["LearnerNumber"] for b in _get(org_sandbox, "/learnersAU/list", learnerNumberFilter="L1002").json()] \
        == ["L1002"]
    assert {b["LearnerNumber"] for b in _get(org_sandbox, "/learnersAU/list", isActiveFilter="false").json()} \
        == {"L1006"}
    assert {b["LearnerNumber"] for b in _get(org_sandbox, "/learnersAU/list", syncToXeroFilter="eq:false").json()} \
        == {"L1007"}
    assert [b["LastName"] for b in _get(org_sandbox, "/learnersAU/list", search="dana").json()] == ["Lee"]
    full = _get(org_sandbox, "/learnersAU", take=2).json()
    assert set(full[0]) == {"Data", "Relationships"} and full[0]["Data"]["Personal"]["LearnerNumber"] == "L1001"
    assert _get(org_sandbox, "/learnersAU", emailAddressFilter="ct:bob@").json()[0]["Data"]["LearnerId"] == 2
    assert _get(org_sandbox, "/combos/states").json()[1]["Code"] == "VIC"


def test_merge_json_moves_everything(org_sandbox, xero: Xero) -> None:
    r = requests.post(f"{org_sandbox.url}/sandbox/merge", timeout=10,
                      json={"old_contact_id": cid(12), "into_contact_id": cid(2)})
    assert r.status_code == 200 and r.json()["moved"]["invoice"] == 3
    old = xero.get(f"/Contacts/{cid(12)}").json()["Contacts"][0]
    assert old["ContactStatus"] == "ARCHIVED" and old["MergedToContactID"] == cid(2)
    assert not xero.get("/Invoices", params={"ContactIDs": cid(12)}).json()["Invoices"]
    moved = xero.get("/Invoices", params={"ContactIDs": cid(2)}).json()["Invoices"]
    assert {i["InvoiceID"] for i in moved} == {did(4), did(5), did(6)}  # paid and voided move too
    assert xero.get("/CreditNotes", params={"where": f'Contact.ContactID==Guid("{cid(2)}")'}).json()["CreditNotes"]
    assert xero.get("/Overpayments").json()["Overpayments"][0]["Contact"]["ContactID"] == cid(2)
    for body in ({"old_contact_id": cid(1), "into_contact_id": cid(1)},
                 {"old_contact_id": cid(11), "into_contact_id": cid(20)},
                 {"old_contact_id": cid(12), "into_contact_id": cid(3)}):
        assert requests.post(f"{org_sandbox.url}/sandbox/merge", json=body, timeout=10).status_code == 400


def test_merge_through_the_html_form(org_sandbox, xero: Xero) -> None:
    page = f"{org_sandbox.url}/app/!AbC12/contacts/contact/{cid(13)}"
    html = requests.get(page, params={"q": "chen"}, timeout=10).text
    assert 'id="merge-search"' in html and 'id="merge-search-go"' in html and 'id="merge-submit"' in html
    choices = re.findall(r'name="into_contact_id" id="into-([0-9a-f-]+)"', html)
    assert choices == [cid(3)]  # active matches, never itself
    confirm = requests.post(f"{page}/merge", data={"into_contact_id": cid(3)}, timeout=10).text
    assert "This action cannot be undone" in confirm and 'id="merge-confirm"' in confirm
    done = requests.post(f"{page}/merge/confirm", data={"into_contact_id": cid(3)}, timeout=10)
    assert done.status_code == 200
    assert re.search(r'id="merge-result"[^>]*>Merged into Chen Wei \(L1003\)<', done.text)
    assert xero.get(f"/Contacts/{cid(13)}").json()["Contacts"][0]["MergedToContactID"] == cid(3)
    assert xero.get("/Prepayments").json()["Prepayments"][0]["Contact"]["ContactID"] == cid(3)
    assert xero.get("/RepeatingInvoices").json()["RepeatingInvoices"][0]["Contact"]["ContactID"] == cid(3)
    again = requests.post(f"{page}/merge/confirm", data={"into_contact_id": cid(3)}, timeout=10)
    assert again.status_code == 400 and "already archived" in again.text
    assert requests.get(f"{org_sandbox.url}/app/WRONG/contacts/contact/{cid(13)}", timeout=10).status_code == 404


def test_resync_invoices_upserts_by_xero_id(org_sandbox) -> None:
    url = f"{org_sandbox.url}/sandbox/wisenet/resync-invoices"
    r = requests.post(url, json={"from_date": "2024-01-01"}, timeout=10).json()
    assert (r["created"], r["learners"]) == (1, 1)  # only invoice 7 sits on a Wisenet contact
    requests.post(f"{org_sandbox.url}/sandbox/merge", json={"old_contact_id": cid(11), "into_contact_id": cid(1)},
                  timeout=10)
    r = requests.post(url, json={"from_date": "2024-01-01"}, timeout=10).json()
    assert (r["created"], r["updated"]) == (4, 1)  # invoices 1-3 and credit note 102 arrive; 7 is updated
    r = requests.post(url, json={"from_date": "2024-02-02"}, timeout=10).json()
    assert (r["created"], r["updated"]) == (0, 2)  # dated on or after: credit note 102 and invoice 7
    copies = _get(org_sandbox, "/invoices", learnerIdFilter="1").json()
    assert len(copies) == 5 and len({c["InvoiceId"] for c in copies}) == 5
    assert requests.post(url, json={"from_date": "nope"}, timeout=10).status_code == 400


def test_resync_learners_creates_missing_contacts(org_sandbox, xero: Xero) -> None:
    r = requests.post(f"{org_sandbox.url}/sandbox/wisenet/resync-learners", json={}, timeout=10).json()
    assert [c["learner_number"] for c in r["created"]] == ["L1004"]
    assert r["created"][0]["name"] == "Dana Lee (L1004)"
    reasons = {s["learner_number"]: s["reason"] for s in r["skipped"]}
    assert reasons == {"L1005": "address lacks a state or postcode", "L1006": "inactive learner",
                       "L1008": "invalid email address"}  # L1007 is not ticked for sync: not reported
    c = xero.get("/Contacts/L1004").json()["Contacts"][0]
    assert c["Name"] == "Dana Lee (L1004)" and c["EmailAddress"] == "dana@example.com"
    again = requests.post(f"{org_sandbox.url}/sandbox/wisenet/resync-learners", json={}, timeout=10).json()
    assert again["created"] == []


def test_wisenet_page_buttons(org_sandbox) -> None:
    page = f"{org_sandbox.url}/wisenet/settings/connected-apps/xero"
    html = requests.get(page, timeout=10).text
    for element in ('id="resync-from"', 'id="resync-invoices"', 'id="resync-learners"'):
        assert element in html
    assert 'value="2024-05-01"' in html  # the first connection date is the default
    r = requests.post(page, data={"action": "resync-invoices", "from_date": "2024-01-01"}, timeout=10)
    assert re.search(r'id="resync-result"[^>]*>Resynced invoices from 2024-01-01: 1 new', r.text)
    r = requests.post(page, data={"action": "resync-learners"}, timeout=10)
    assert "Created 1 Xero contacts; skipped 3 learners." in r.text and 'id="resync-skipped"' in r.text


def test_truth_and_health(org_sandbox) -> None:
    truth = requests.get(f"{org_sandbox.url}/sandbox/truth", timeout=10).json()
    assert set(truth) == {"duplicates", "lookalikes"}
    assert truth["duplicates"][0] == {"old_contact_id": cid(11), "learner_number": "L1001"}
    assert requests.get(f"{org_sandbox.url}/sandbox/health", timeout=10).json()["status"] == "ok"
