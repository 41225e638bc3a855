"""Sandbox requests and responses validated against Xero's official OpenAPI spec (openapi-core).

The spec is read from ``WXSYNC_XERO_SPEC`` or ``<repo>/../shared/reference/xero-openapi/xero_accounting.yaml``.
Only status codes the spec documents are validated (GET /Contacts, for example, documents only 200).
"""

from __future__ import annotations

import copy
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
import requests

sys.path.insert(0, str(Path(__file__).parent / "sandbox"))
from handmade_org import Xero, cid, did, small_org  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = REPO.parent / "shared" / "reference" / "xero-openapi" / "xero_accounting.yaml"
SPEC_SERVER = "https://api.xero.com/api.xro/2.0"


def _spec_path() -> Path:
    return Path(os.environ.get("WXSYNC_XERO_SPEC") or DEFAULT_SPEC)


def _fix_boolean_defaults(node: Any) -> None:
    """The spec gives 23 boolean properties string defaults ("false"); make them real booleans."""
    if isinstance(node, dict):
        if node.get("type") == "boolean":
            for key in ("default", "example"):
                if isinstance(node.get(key), str):
                    node[key] = node[key].strip().lower() == "true"
        for value in node.values():
            _fix_boolean_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _fix_boolean_defaults(value)


@pytest.fixture(scope="session")
def openapi():
    """The official accounting spec, loaded once per session (~2 s)."""
    path = _spec_path()
    if not path.is_file():
        pytest.skip(f"Xero's OpenAPI spec is absent: put xero_accounting.yaml (github.com/XeroAPI/Xero-OpenAPI) "
                    f"at {DEFAULT_SPEC} or point WXSYNC_XERO_SPEC at it (looked for {path}).")
    yaml = pytest.importorskip("yaml")
    pytest.importorskip("openapi_core")
    from openapi_core import OpenAPI

    spec = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    _fix_boolean_defaults(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return OpenAPI.from_dict(spec)


class Checked:
    """Sends requests to the sandbox and validates each request and response against the spec."""

    def __init__(self, url: str, openapi) -> None:
        self.xero = Xero(url)
        self.url = url
        self.openapi = openapi

    def call(self, method: str, path: str, *, expect: int, params: dict | None = None, json: Any = None,
             headers: dict | None = None) -> requests.Response:
        from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

        resp = self.xero.http.request(method, self.xero.base + path, params=params, json=json, headers=headers,
                                      timeout=30)
        assert resp.status_code == expect, resp.text[:500]
        prepared = copy.copy(resp.request)
        prepared.url = prepared.url.replace(self.xero.base, SPEC_SERVER, 1)
        req = RequestsOpenAPIRequest(prepared)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.openapi.validate_request(req)
            self.openapi.validate_response(req, RequestsOpenAPIResponse(resp))
        return resp


@pytest.fixture
def checked(sandbox_factory, openapi) -> Checked:
    return Checked(sandbox_factory(org=small_org()).url, openapi)


def test_contacts_match_the_spec(checked: Checked) -> None:
    page = checked.call("GET", "/Contacts", expect=200, params={
        "page": 1, "pageSize": 1000, "includeArchived": "True", "summaryOnly": "False",
        "IDs": f"{cid(1)},{cid(20)}"}, headers={"If-Modified-Since": "2020-01-01T00:00:00+00:00"})
    assert len(page.json()["Contacts"]) == 2
    checked.call("GET", "/Contacts", expect=200, params={"where": 'Name=="Robert Jones"', "searchTerm": "rob"})
    checked.call("GET", "/Contacts", expect=200)
    one = checked.call("GET", f"/Contacts/{cid(20)}", expect=200)
    assert one.json()["Contacts"][0]["MergedToContactID"] == cid(1)


def test_contact_writes_match_the_spec(checked: Checked) -> None:
    ok = checked.call("PUT", "/Contacts", expect=200, params={"summarizeErrors": "false"},
                      json={"Contacts": [{"Name": "Spec Person", "EmailAddress": "spec@example.com"},
                                         {"Name": "Wei Chen"}]},
                      headers={"Idempotency-Key": "spec-1"})
    assert [c["StatusAttributeString"] for c in ok.json()["Contacts"]] == ["OK", "ERROR"]
    checked.call("PUT", "/Contacts", expect=400, json={"Contacts": [{"Name": "Wei Chen"}]})
    checked.call("POST", f"/Contacts/{cid(14)}", expect=200,
                 json={"Contacts": [{"ContactID": cid(14), "ContactStatus": "ARCHIVED"}]})


def test_documents_match_the_spec(checked: Checked) -> None:
    checked.call("GET", "/Invoices", expect=200, params={"ContactIDs": f"{cid(11)},{cid(12)}",
                                                         "Statuses": "AUTHORISED,PAID", "page": 1, "pageSize": 1000})
    checked.call("GET", "/Invoices", expect=200)
    checked.call("GET", f"/Invoices/{did(5)}", expect=200)
    checked.call("GET", "/CreditNotes", expect=200, params={"page": 1, "where": f'Contact.ContactID==Guid("{cid(12)}")'})
    checked.call("GET", "/Overpayments", expect=200, params={"page": 1, "pageSize": 1000})
    checked.call("GET", "/Prepayments", expect=200, params={"page": 1})
    checked.call("GET", "/RepeatingInvoices", expect=200)
    checked.call("GET", "/Organisation", expect=200)
    refused = checked.call("POST", f"/Invoices/{did(4)}", expect=400,
                           json={"Invoices": [{"Contact": {"ContactID": cid(2)}}]})
    assert refused.json()["Type"] == "ValidationException"
    moved = checked.call("POST", f"/Invoices/{did(3)}", expect=200,
                         json={"Invoices": [{"Contact": {"ContactID": cid(1)}}]})
    assert moved.json()["Invoices"][0]["Contact"]["ContactID"] == cid(1)
    checked.call("POST", f"/CreditNotes/{did(102)}", expect=200,
                 json={"CreditNotes": [{"Contact": {"ContactID": cid(1)}}]})
    checked.call("PUT", f"/Contacts/{cid(1)}/History", expect=200,
                 json={"HistoryRecords": [{"Details": "Merged by wxsync"}]})


def test_generated_organisation_matches_the_spec(sandbox_factory, openapi) -> None:
    pytest.importorskip("wxsync.sandbox.generator")
    sb = sandbox_factory(seed=2, learners=80)
    c = Checked(sb.url, openapi)
    c.xero.http.headers["xero-tenant-id"] = sb.tenant_id
    for path in ("/Contacts", "/Invoices", "/CreditNotes", "/Overpayments", "/Prepayments"):
        c.call("GET", path, expect=200, params={"page": 1, "pageSize": 1000, "includeArchived": "true"}
               if path == "/Contacts" else {"page": 1, "pageSize": 1000})
    c.call("GET", "/Organisation", expect=200)
    c.call("GET", "/RepeatingInvoices", expect=200)


def test_the_check_catches_a_wrong_response(checked: Checked) -> None:
    """A response outside the spec (an unknown ContactStatus) must fail validation."""
    from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

    resp = checked.xero.get(f"/Contacts/{cid(1)}")
    resp._content = resp.content.replace(b'"ContactStatus":"ACTIVE"', b'"ContactStatus":"DELETED"')
    prepared = copy.copy(resp.request)
    prepared.url = prepared.url.replace(checked.xero.base, SPEC_SERVER, 1)
    req = RequestsOpenAPIRequest(prepared)
    with warnings.catch_warnings(), pytest.raises(Exception, match="(?i)invalid|validat"):
        warnings.simplefilter("ignore")
        checked.openapi.validate_response(req, RequestsOpenAPIResponse(resp))
