"""Xero identity: PKCE authorisation code, client credentials, refresh rotation with grace, 401/403."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import requests
from handmade_org import TENANT

REDIRECT = "http://127.0.0.1:9/callback"


def _authorize(url: str, verifier: str, scope: str = "offline_access accounting.contacts") -> dict:
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    r = requests.get(f"{url}/identity/connect/authorize", allow_redirects=False, timeout=10, params={
        "response_type": "code", "client_id": "cid", "redirect_uri": REDIRECT, "scope": scope,
        "state": "xyz", "code_challenge": challenge, "code_challenge_method": "S256"})
    assert r.status_code == 302
    location = r.headers["Location"]
    assert location.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _redeem(url: str, code: str, verifier: str) -> requests.Response:
    return requests.post(f"{url}/connect/token", timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": "cid",
        "code_verifier": verifier})


def _refresh(url: str, token: str) -> requests.Response:
    return requests.post(f"{url}/connect/token", timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": token, "client_id": "cid"})


def test_pkce_code_flow_and_connections(org_sandbox) -> None:
    verifier = secrets.token_urlsafe(48)
    got = _authorize(org_sandbox.url, verifier)
    assert got["state"] == "xyz"
    r = _redeem(org_sandbox.url, got["code"], verifier)
    assert r.status_code == 200
    tok = r.json()
    assert tok["expires_in"] == 1800 and tok["token_type"] == "Bearer" and tok["refresh_token"]
    assert set(tok) >= {"access_token", "expires_in", "token_type", "refresh_token", "scope"}
    conns = requests.get(f"{org_sandbox.url}/connections", timeout=10,
                         headers={"Authorization": f"Bearer {tok['access_token']}"}).json()
    assert conns[0]["tenantId"] == TENANT and conns[0]["tenantType"] == "ORGANISATION"
    assert conns[0]["tenantName"] == "Demo Training Pty Ltd"
    assert set(conns[0]) == {"id", "authEventId", "tenantId", "tenantType", "tenantName", "createdDateUtc",
                             "updatedDateUtc"}
    # the code is single use
    assert _redeem(org_sandbox.url, got["code"], verifier).text == '{"error":"invalid_grant"}'


def test_pkce_wrong_verifier_refused(org_sandbox) -> None:
    got = _authorize(org_sandbox.url, secrets.token_urlsafe(48))
    r = _redeem(org_sandbox.url, got["code"], secrets.token_urlsafe(48))
    assert r.status_code == 400 and r.text == '{"error":"invalid_grant"}'


def test_refresh_rotates_with_thirty_minute_grace(org_sandbox) -> None:
    verifier = secrets.token_urlsafe(48)
    first = _redeem(org_sandbox.url, _authorize(org_sandbox.url, verifier)["code"], verifier).json()
    second = _refresh(org_sandbox.url, first["refresh_token"]).json()
    assert second["refresh_token"] != first["refresh_token"]
    org_sandbox.clock.advance(20 * 60)  # still inside the grace period
    again = _refresh(org_sandbox.url, first["refresh_token"])
    assert again.status_code == 200
    org_sandbox.clock.advance(11 * 60)  # grace is over for the first token
    assert _refresh(org_sandbox.url, first["refresh_token"]).text == '{"error":"invalid_grant"}'
    assert _refresh(org_sandbox.url, second["refresh_token"]).status_code == 200
    assert _refresh(org_sandbox.url, "not-a-token").status_code == 400


def test_api_needs_valid_token_and_tenant(org_sandbox) -> None:
    api = f"{org_sandbox.url}/api.xro/2.0/Contacts"
    assert requests.get(api, timeout=10, headers={"xero-tenant-id": TENANT}).status_code == 401
    tok = requests.post(f"{org_sandbox.url}/connect/token", timeout=10,
                        data={"grant_type": "client_credentials"}).json()
    assert "refresh_token" not in tok
    auth = {"Authorization": f"Bearer {tok['access_token']}"}
    assert requests.get(api, timeout=10, headers={**auth, "xero-tenant-id": "someone-else"}).status_code == 403
    assert requests.get(api, timeout=10, headers={**auth, "xero-tenant-id": TENANT}).status_code == 200
    org_sandbox.clock.advance(1801)  # access tokens last 30 minutes
    assert requests.get(api, timeout=10, headers={**auth, "xero-tenant-id": TENANT}).status_code == 401
