"""Contacts over the wire with requests: envelopes, dates, visibility rules, filters, write rules."""

from __future__ import annotations

import re

from handmade_org import TENANT, Xero, cid

MS_DATE = re.compile(r"^/Date\(\d+\+0000\)/$")


def _ids(resp) -> set[str]:
    return {c["ContactID"] for c in resp.json()["Contacts"]}


def test_paging_envelope_and_dates(xero: Xero) -> None:
    r = xero.get("/Contacts", params={"page": 2, "pageSize": 3, "includeArchived": "True"})
    assert r.status_code == 200
    body = r.json()
    assert body["Status"] == "OK" and body["Id"] and body["ProviderName"]
    assert body["DateTimeUTC"].startswith("/Date(")
    assert body["pagination"] == {"page": 2, "pageSize": 3, "pageCount": 3, "itemCount": 8}
    assert [c["ContactID"] for c in body["Contacts"]] == [cid(11), cid(12), cid(13)]
    assert all(MS_DATE.match(c["UpdatedDateUTC"]) for c in body["Contacts"])
    # 2023-01-01T00:00:00Z in ms
    assert body["Contacts"][0]["UpdatedDateUTC"] == "/Date(1672531200000+0000)/"


def test_default_page_size_is_100_and_max_1000(xero: Xero) -> None:
    assert xero.get("/Contacts", params={"page": 1}).json()["pagination"]["pageSize"] == 100
    assert xero.get("/Contacts", params={"page": 1, "pageSize": 5000}).json()["pagination"]["pageSize"] == 1000


def test_archived_only_with_include_archived(xero: Xero) -> None:
    assert cid(20) not in _ids(xero.get("/Contacts"))
    assert cid(20) not in _ids(xero.get("/Contacts", params={"page": 1}))
    assert cid(20) in _ids(xero.get("/Contacts", params={"includeArchived": "true"}))
    assert cid(20) in _ids(xero.get("/Contacts", params={"includeArchived": "True", "page": 1}))


def test_merged_to_only_when_paging_or_single(xero: Xero) -> None:
    def archived(resp):
        return next(c for c in resp.json()["Contacts"] if c["ContactID"] == cid(20))

    assert "MergedToContactID" not in archived(xero.get("/Contacts", params={"includeArchived": "true"}))
    paged = archived(xero.get("/Contacts", params={"includeArchived": "true", "page": 1}))
    assert paged["MergedToContactID"] == cid(1)
    single = xero.get(f"/Contacts/{cid(20)}").json()["Contacts"][0]
    assert single["MergedToContactID"] == cid(1) and single["ContactStatus"] == "ARCHIVED"


def test_single_fetch_by_id_and_number_and_404(xero: Xero) -> None:
    assert xero.get("/Contacts/L1002").json()["Contacts"][0]["ContactID"] == cid(2)
    assert xero.get(f"/Contacts/{cid(3)}").json()["Contacts"][0]["ContactNumber"] == "L1003"
    assert xero.get("/Contacts/NOPE").status_code == 404
    assert xero.get("/Contacts/00000000-0000-4000-8000-999999999999").status_code == 404


def test_filters(xero: Xero) -> None:
    assert _ids(xero.get("/Contacts", params={"IDs": f"{cid(1)},{cid(12)}"})) == {cid(1), cid(12)}
    assert _ids(xero.get("/Contacts", params={"where": 'Name=="robert jones"'})) == {cid(12)}
    assert _ids(xero.get("/Contacts", params={"where": 'EmailAddress=="alice@example.com"'})) == {cid(1), cid(11)}
    assert _ids(xero.get("/Contacts", params={"where": 'ContactNumber=="L1001"'})) == {cid(1)}
    assert _ids(xero.get("/Contacts", params={"where": 'ContactStatus=="ARCHIVED"'})) == {cid(20)}
    assert _ids(xero.get("/Contacts", params={"where": 'Name.Contains("Smith") AND ContactNumber!=null'})) == {cid(1)}
    assert _ids(xero.get("/Contacts", params={"searchTerm": "L1003"})) == {cid(3)}
    assert _ids(xero.get("/Contacts", params={"searchTerm": "wei"})) == {cid(3), cid(13)}
    assert xero.get("/Contacts", params={"where": "Name ~ 3"}).status_code == 400


def test_if_modified_since_and_summary_only(xero: Xero) -> None:
    r = xero.get("/Contacts", headers={"If-Modified-Since": "2023-06-01T00:00:00+00:00"})
    assert cid(11) not in _ids(r) and cid(12) in _ids(r)
    r = xero.get("/Contacts", headers={"If-Modified-Since": "Thu, 01 Jun 2023 00:00:00 GMT"})
    assert cid(11) not in _ids(r) and cid(12) in _ids(r)
    assert xero.get("/Contacts", headers={"If-Modified-Since": "yesterday"}).status_code == 400
    full = xero.get("/Contacts", params={"page": 1}).json()["Contacts"][0]
    assert "Balances" in full and "Addresses" in full
    light = xero.get("/Contacts", params={"page": 1, "summaryOnly": "True"}).json()["Contacts"][0]
    assert "Balances" not in light


def test_balances_from_unpaid_invoices(xero: Xero) -> None:
    c = xero.get(f"/Contacts/{cid(11)}").json()["Contacts"][0]
    assert c["Balances"]["AccountsReceivable"]["Outstanding"] == 110.0  # one AUTHORISED unpaid invoice


def test_name_unique_among_active_contacts(xero: Xero) -> None:
    r = xero.put("/Contacts", {"Contacts": [{"Name": "Robert Jones"}]})
    assert r.status_code == 400
    body = r.json()
    assert (body["ErrorNumber"], body["Type"], body["Message"]) == (10, "ValidationException",
                                                                     "A validation exception occurred")
    assert body["Elements"][0]["ValidationErrors"][0]["Message"] == (
        "The contact name Robert Jones is already assigned to another contact. "
        "The contact name must be unique across all active contacts.")
    # the archived contact's name is free
    assert xero.put("/Contacts", {"Contacts": [{"Name": "Alicia Smith"}]}).status_code == 200


def test_contact_number_unique_among_all_contacts(xero: Xero) -> None:
    xero.post(f"/Contacts/{cid(20)}", {"Contacts": [{"ContactID": cid(20), "ContactNumber": "OLD-1"}]})
    r = xero.put("/Contacts", {"Contacts": [{"Name": "Someone New", "ContactNumber": "OLD-1"}]})
    assert r.status_code == 400
    assert "contact number OLD-1 is already assigned" in r.json()["Elements"][0]["ValidationErrors"][0]["Message"]


def test_summarize_errors_false_gives_per_element_results(xero: Xero) -> None:
    body = {"Contacts": [{"Name": "Brand New"}, {"Name": "Wei Chen"}]}
    r = xero.put("/Contacts", body, params={"summarizeErrors": "false"})
    assert r.status_code == 200
    first, second = r.json()["Contacts"]
    assert first["StatusAttributeString"] == "OK" and first["ContactID"]
    assert second["StatusAttributeString"] == "ERROR" and second["HasValidationErrors"] is True
    assert "already assigned" in second["ValidationErrors"][0]["Message"]
    assert xero.get("/Contacts", params={"where": 'Name=="Brand New"'}).json()["Contacts"]


def test_batch_failure_applies_nothing(xero: Xero) -> None:
    r = xero.put("/Contacts", {"Contacts": [{"Name": "Should Not Exist"}, {"Name": "Wei Chen"}]})
    assert r.status_code == 400
    assert not xero.get("/Contacts", params={"where": 'Name=="Should Not Exist"'}).json()["Contacts"]


def test_duplicate_names_within_one_batch(xero: Xero) -> None:
    r = xero.put("/Contacts", {"Contacts": [{"Name": "Twin"}, {"Name": "twin"}]})
    assert r.status_code == 400


def test_archive_and_unarchive_rules(xero: Xero) -> None:
    r = xero.post(f"/Contacts/{cid(13)}", {"Contacts": [{"ContactID": cid(13), "ContactStatus": "ARCHIVED"}]})
    assert r.status_code == 400
    assert r.json()["Elements"][0]["ValidationErrors"][0]["Message"] == (
        "Contacts cannot be archived if they are associated with repeating invoices")
    r = xero.post(f"/Contacts/{cid(12)}", {"Contacts": [{"ContactID": cid(12), "ContactStatus": "ARCHIVED"}]})
    assert r.status_code == 200 and r.json()["Contacts"][0]["ContactStatus"] == "ARCHIVED"
    assert cid(12) not in _ids(xero.get("/Contacts"))
    xero.put("/Contacts", {"Contacts": [{"Name": "Robert Jones"}]})  # the name is free now
    r = xero.post(f"/Contacts/{cid(12)}", {"Contacts": [{"ContactID": cid(12), "ContactStatus": "ACTIVE"}]})
    assert r.status_code == 400 and "already assigned" in r.text


def test_update_bumps_updated_and_keeps_read_only(xero: Xero) -> None:
    r = xero.post(f"/Contacts/{cid(14)}", {"Contacts": [{"ContactID": cid(14), "EmailAddress": "new@parent.example",
                                                        "IsCustomer": False, "UpdatedDateUTC": "/Date(0+0000)/"}]})
    c = r.json()["Contacts"][0]
    assert c["EmailAddress"] == "new@parent.example" and c["IsCustomer"] is True
    assert c["UpdatedDateUTC"] != "/Date(0+0000)/"
    assert xero.post(f"/Contacts/{cid(14)}", {"Contacts": [{"EmailAddress": "bad"}]}).status_code == 400


def test_history_notes(xero: Xero) -> None:
    r = xero.put(f"/Contacts/{cid(11)}/History", {"HistoryRecords": [{"Details": "Merged by wxsync"}]})
    assert r.status_code == 200
    records = xero.get(f"/Contacts/{cid(11)}/History").json()["HistoryRecords"]
    assert [h["Details"] for h in records] == ["Merged by wxsync"]
    assert records[0]["DateUTC"].startswith("/Date(")


def test_organisation(xero: Xero) -> None:
    org = xero.get("/Organisation").json()["Organisations"][0]
    assert org["ShortCode"] == "!AbC12" and org["OrganisationID"] == TENANT
    assert org["CreatedDateUTC"].startswith("/Date(")
