"""The real xero-python SDK against the sandbox: paging, visibility, errors, rate limits, token refresh."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from handmade_org import TENANT, cid, did

pytest.importorskip("xero_python")
from xero_python.accounting import AccountingApi, Contact, Contacts, Invoice, Invoices  # noqa: E402
from xero_python.api_client import ApiClient, Configuration  # noqa: E402
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi  # noqa: E402
from xero_python.exceptions import (  # noqa: E402
    AccountingBadRequestException,
    NotFoundException,
    RateLimitException,
)
from xero_python.identity import IdentityApi  # noqa: E402

REDIRECT = "http://127.0.0.1:9/cb"


def _pkce_token(url: str) -> dict:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    loc = requests.get(f"{url}/identity/connect/authorize", allow_redirects=False, timeout=10, params={
        "response_type": "code", "client_id": "cid", "redirect_uri": REDIRECT, "state": "s",
        "scope": "offline_access accounting.contacts accounting.transactions",
        "code_challenge": challenge, "code_challenge_method": "S256"}).headers["Location"]
    code = parse_qs(urlsplit(loc).query)["code"][0]
    tok = requests.post(f"{url}/connect/token", timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": "cid",
        "code_verifier": verifier}).json()
    tok["scope"] = tok["scope"].split()
    tok["expires_at"] = time.time() + tok["expires_in"]
    return tok


class Sdk:
    """The SDK wired to a sandbox, with an in-memory token store."""

    def __init__(self, url: str) -> None:
        self.saved: list[dict] = []
        self.token = _pkce_token(url)
        cfg = Configuration()
        cfg.oauth2_token = OAuth2Token(client_id="cid", client_secret="secret")
        self.client = ApiClient(cfg, pool_threads=1, oauth2_token_getter=lambda: self.token,
                                oauth2_token_saver=self._save)
        self.acc = AccountingApi(self.client, base_url=f"{url}/api.xro/2.0")
        self.identity = IdentityApi(self.client, base_url=url)

    def _save(self, token: dict) -> None:
        self.token = token
        self.saved.append(token)


@pytest.fixture
def sdk_for():
    """Build an :class:`Sdk` for a sandbox; the SDK's class-level token URLs are restored afterwards."""
    before = (TokenApi.refresh_token_url, TokenApi.client_credentials_token_url)

    def make(sb) -> Sdk:
        TokenApi.refresh_token_url = TokenApi.client_credentials_token_url = f"{sb.url}/connect/token"
        return Sdk(sb.url)

    yield make
    TokenApi.refresh_token_url, TokenApi.client_credentials_token_url = before


def test_sdk_reads_contacts_and_documents(org_sandbox, sdk_for) -> None:
    sdk = sdk_for(org_sandbox)
    assert sdk.identity.get_connections()[0].tenant_id == TENANT
    page = sdk.acc.get_contacts(TENANT, page=1, page_size=5, include_archived=True)
    assert page.pagination.item_count == 8 and page.pagination.page_count == 2
    assert isinstance(page.contacts[0].updated_date_utc, dt.datetime)
    last = sdk.acc.get_contacts(TENANT, page=2, page_size=5, include_archived=True).contacts
    assert {c.contact_id for c in last if c.merged_to_contact_id} == {cid(20)}
    plain = sdk.acc.get_contacts(TENANT, i_ds=[cid(1), cid(2)], summary_only=True)
    assert {str(c.contact_id) for c in plain.contacts} == {cid(1), cid(2)}
    assert sdk.acc.get_contact(TENANT, cid(20)).contacts[0].merged_to_contact_id == cid(1)
    assert sdk.acc.get_contact_by_contact_number(TENANT, "L1003").contacts[0].name == "Chen Wei (L1003)"
    changed = sdk.acc.get_contacts(TENANT, if_modified_since=dt.datetime(2023, 6, 1, tzinfo=dt.UTC))
    assert cid(11) not in {c.contact_id for c in changed.contacts}
    invoices = sdk.acc.get_invoices(TENANT, contact_i_ds=[cid(12)], statuses=["AUTHORISED", "PAID"], page=1)
    assert {i.invoice_id for i in invoices.invoices} == {did(4), did(5)}
    assert invoices.invoices[0].date == dt.date(2024, 2, 1)
    assert sdk.acc.get_credit_notes(TENANT, page=1).credit_notes[0].allocations[0].amount == 20
    assert sdk.acc.get_overpayments(TENANT).overpayments[0].overpayment_id == did(201)
    assert sdk.acc.get_prepayments(TENANT).prepayments[0].prepayment_id == did(301)
    assert sdk.acc.get_repeating_invoices(TENANT).repeating_invoices[0].contact.contact_id == cid(13)
    assert sdk.acc.get_organisations(TENANT).organisations[0].short_code == "!AbC12"
    with pytest.raises(NotFoundException):
        sdk.acc.get_contact(TENANT, "00000000-0000-4000-8000-999999999999")


def test_sdk_write_errors_and_idempotency(org_sandbox, sdk_for) -> None:
    sdk = sdk_for(org_sandbox)
    with pytest.raises(AccountingBadRequestException) as err:
        sdk.acc.create_contacts(TENANT, Contacts(contacts=[Contact(name="Wei Chen")]))
    assert err.value.reason.startswith("The contact name Wei Chen is already assigned to another contact.")
    batch = Contacts(contacts=[Contact(name="SDK Person"), Contact(name="Wei Chen")])
    result = sdk.acc.create_contacts(TENANT, batch, summarize_errors=False, idempotency_key="sdk-1")
    assert [c.status_attribute_string for c in result.contacts] == ["OK", "ERROR"]
    sdk.acc.create_contacts(TENANT, batch, summarize_errors=False, idempotency_key="sdk-1")
    stats = requests.get(f"{org_sandbox.url}/sandbox/stats", timeout=10).json()
    assert stats["idempotency"]["sdk-1"] == 1
    archive = Contacts(contacts=[Contact(contact_id=cid(14), contact_status="ARCHIVED")])
    assert sdk.acc.update_contact(TENANT, cid(14), archive).contacts[0].contact_status == "ARCHIVED"
    move = Invoices(invoices=[Invoice(contact=Contact(contact_id=cid(2)))])
    with pytest.raises(AccountingBadRequestException) as err:
        sdk.acc.update_invoice(TENANT, did(4), move)
    assert err.value.reason == "This document cannot be edited as it has a payment or credit note allocated to it."
    moved = sdk.acc.update_invoice(TENANT, did(3), Invoices(invoices=[Invoice(contact=Contact(contact_id=cid(1)))]))
    assert moved.invoices[0].contact.contact_id == cid(1)


def test_sdk_rate_limit_exception(sandbox_factory, sdk_for, monkeypatch) -> None:
    from handmade_org import small_org
    from urllib3.util.retry import Retry

    # urllib3 (under the SDK) honours Retry-After on 429 by itself, up to 3 times; switch that off here
    monkeypatch.setattr(Retry, "DEFAULT", Retry(total=0, raise_on_status=False))
    sb = sandbox_factory(org=small_org(), minute_limit=2, minute_window_s=30)
    sdk = sdk_for(sb)
    sdk.acc.get_organisations(TENANT)
    _, status, headers = sdk.acc.get_organisations(TENANT, _return_http_data_only=False)
    assert status == 200 and headers["X-MinLimit-Remaining"] == "0"
    with pytest.raises(RateLimitException) as err:
        sdk.acc.get_organisations(TENANT)
    assert err.value.rate_limit == "minute" and int(err.value.headers["Retry-After"]) >= 29


def test_sdk_refreshes_and_rotates_tokens(org_sandbox, sdk_for) -> None:
    sdk = sdk_for(org_sandbox)
    old_refresh = sdk.token["refresh_token"]
    sdk.token["expires_at"] = time.time() - 10  # force the SDK's own refresh
    assert sdk.acc.get_organisations(TENANT).organisations[0].organisation_id == TENANT
    assert len(sdk.saved) == 1 and sdk.saved[0]["refresh_token"] != old_refresh
    org_sandbox.clock.advance(31 * 60)
    sdk.token["refresh_token"] = old_refresh  # the rotated-out token is refused after the grace period
    sdk.token["expires_at"] = time.time() - 10
    with pytest.raises(Exception) as err:
        sdk.acc.get_organisations(TENANT)
    assert "invalid_grant" in str(getattr(err.value, "body", b"") or err.value)


def test_sdk_reads_a_generated_organisation(sandbox_factory, sdk_for) -> None:
    pytest.importorskip("wxsync.sandbox.generator")
    sb = sandbox_factory(seed=1, learners=60)
    sdk = sdk_for(sb)
    tenant = sb.tenant_id
    org = sdk.acc.get_organisations(tenant).organisations[0]
    assert org.short_code == sb.short_code
    contacts = sdk.acc.get_contacts(tenant, page=1, page_size=1000, include_archived=True).contacts
    assert len(contacts) >= 60
    for getter, attr in ((sdk.acc.get_invoices, "invoices"), (sdk.acc.get_credit_notes, "credit_notes"),
                         (sdk.acc.get_overpayments, "overpayments"), (sdk.acc.get_prepayments, "prepayments")):
        assert isinstance(getattr(getter(tenant, page=1, page_size=1000), attr), list)
    assert isinstance(sdk.acc.get_repeating_invoices(tenant).repeating_invoices, list)
