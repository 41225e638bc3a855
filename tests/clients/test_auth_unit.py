"""PKCE pieces that need no sandbox: the S256 challenge, the authorize URL, a sign-in that never returns."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from wxsync.auth import authorize_url, pkce_pair, sign_in_pkce
from wxsync.config import XeroSettings
from wxsync.errors import AuthError


def test_pkce_s256_and_authorize_url() -> None:
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == expected
    url = authorize_url(XeroSettings.live(), "cid", "http://127.0.0.1:5000/callback", ["openid", "offline_access"],
                        "st", challenge)
    q = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    assert url.startswith("https://login.xero.com/identity/connect/authorize?")
    assert q == {"response_type": "code", "client_id": "cid", "redirect_uri": "http://127.0.0.1:5000/callback",
                 "scope": "openid offline_access", "state": "st", "code_challenge": challenge,
                 "code_challenge_method": "S256"}


def test_sign_in_without_answer_times_out_clearly() -> None:
    with pytest.raises(AuthError, match="No answer came back"):
        sign_in_pkce(XeroSettings.for_sandbox("http://127.0.0.1:9"), "cid", open_browser=lambda url: None,
                     timeout_s=1.0)


def test_sign_in_refused_or_forged_answers() -> None:
    def deny(url: str) -> None:
        q = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        requests.get(f"{q['redirect_uri']}?error=access_denied&state={q['state']}", timeout=5)

    with pytest.raises(AuthError, match="access_denied"):
        sign_in_pkce(XeroSettings.for_sandbox("http://127.0.0.1:9"), "cid", open_browser=deny, timeout_s=5)

    def forged(url: str) -> None:
        q = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        requests.get(f"{q['redirect_uri']}?code=abc&state=not-the-same", timeout=5)

    with pytest.raises(AuthError, match="state mismatch"):
        sign_in_pkce(XeroSettings.for_sandbox("http://127.0.0.1:9"), "cid", open_browser=forged, timeout_s=5)
