"""Signing in to Xero: PKCE (browser + loopback redirect), Custom Connection client credentials, and
refresh-token rotation wired into the xero-python SDK.

Every new token (first sign-in, each refresh) is written atomically to the per-user secret store
*before* it is used, so a crash right after a refresh never loses the rotated refresh token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets as pysecrets
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from xero_python.api_client.oauth2 import OAuth2Token

from wxsync.config import Workspace, XeroSettings
from wxsync.errors import AuthError
from wxsync.secrets import SecretStore

DEFAULT_SCOPES = [
    "openid", "profile", "email", "offline_access",
    "accounting.contacts", "accounting.transactions", "accounting.settings.read",
]
"""Broad scopes for apps created before 2 March 2026; newer apps pass granular scopes instead."""

TOKEN_KEYS = ("access_token", "refresh_token", "id_token", "token_type", "expires_in", "expires_at", "scope")
PKCE = "pkce"
CLIENT_CREDENTIALS = "client_credentials"


def normalise_token(raw: dict[str, Any], now: float | None = None) -> dict[str, Any]:
    """Keep only the SDK's token keys; scope as a list; ``expires_at`` always set."""
    tok = {k: raw.get(k) for k in TOKEN_KEYS}
    scope = tok.get("scope")
    if isinstance(scope, str):
        tok["scope"] = scope.split()
    elif scope is None:
        tok["scope"] = []
    else:
        tok["scope"] = list(scope)
    tok["token_type"] = tok.get("token_type") or "Bearer"
    expires_in = tok.get("expires_in")
    try:
        tok["expires_in"] = int(expires_in) if expires_in is not None else 1800
    except (TypeError, ValueError):
        tok["expires_in"] = 1800
    if tok.get("expires_at") is None:
        tok["expires_at"] = (now if now is not None else time.time()) + tok["expires_in"]
    return tok


@dataclass
class TokenSource:
    """The token of one Xero app sign-in, persisted in a :class:`SecretStore` (or memory only).

    ``get``/``save`` are registered as the SDK's ``oauth2_token_getter``/``oauth2_token_saver``.
    """

    client_id: str
    client_secret: str = field(default="", repr=False)
    grant: str = PKCE
    store: SecretStore | None = None
    item: str = "xero_token"
    scopes: list[str] = field(default_factory=lambda: list(DEFAULT_SCOPES))
    _memory: dict[str, Any] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get(self) -> dict[str, Any]:
        with self._lock:
            tok = self.store.get(self.item) if self.store is not None else self._memory
        if not tok or not tok.get("access_token"):
            raise AuthError("You are not signed in to Xero for this client.",
                            "Run the sign-in cell of notebook 00_connect again.")
        return normalise_token(tok)

    def save(self, token: dict[str, Any]) -> None:
        """Persist a new token (atomically); raising here stops the SDK from using it unsaved."""
        tok = normalise_token(token)
        with self._lock:
            if self.store is None:
                self._memory = tok
                return
            try:
                self.store.put(self.item, tok)
            except OSError as exc:
                raise AuthError(f"Could not save the renewed Xero sign-in in {self.store.folder} "
                                f"({exc.strerror or exc}).",
                                "Free disk space or fix the folder's permissions, then sign in again.") from exc

    def has_token(self) -> bool:
        try:
            self.get()
        except AuthError:
            return False
        return True

    def expire_now(self) -> None:
        """Mark the access token expired (forces a refresh on the next call; used by tests)."""
        tok = self.get()
        tok["expires_at"] = time.time() - 1
        self.save(tok)

    def save_app(self) -> None:
        """Remember the app credentials next to the token (secret store only)."""
        if self.store is not None:
            self.store.put("xero_app", {"client_id": self.client_id, "client_secret": self.client_secret,
                                        "grant": self.grant, "scopes": list(self.scopes)})

    @classmethod
    def from_store(cls, store: SecretStore) -> TokenSource:
        app = store.get("xero_app")
        if not app or not app.get("client_id"):
            raise AuthError(f"No Xero sign-in is saved for client {store.client!r}.",
                            "Run the sign-in cell of notebook 00_connect.")
        return cls(client_id=app["client_id"], client_secret=app.get("client_secret", ""),
                   grant=app.get("grant", PKCE), store=store,
                   scopes=list(app.get("scopes") or DEFAULT_SCOPES))


class RotatingOAuth2Token(OAuth2Token):
    """The SDK's token object with a per-instance token URL, PKCE refresh (no secret) and Custom
    Connection renewal (client credentials instead of a refresh token)."""

    def __init__(self, source: TokenSource, token_url: str) -> None:
        super().__init__(client_id=source.client_id, client_secret=source.client_secret or None)
        self.source = source
        self.token_url = token_url

    def can_refresh_access_token(self) -> bool:
        if self.source.grant == CLIENT_CREDENTIALS:
            return bool(self.client_id and self.client_secret)
        return bool(self.refresh_token and self.client_id)

    def call_refresh_token_api(self, token_api: Any) -> dict[str, Any]:
        if self.source.grant == CLIENT_CREDENTIALS:
            post = {"grant_type": "client_credentials", "client_id": self.client_id,
                    "client_secret": self.client_secret}
        else:
            post = {"grant_type": "refresh_token", "refresh_token": self.refresh_token,
                    "client_id": self.client_id}
            if self.client_secret:
                post["client_secret"] = self.client_secret
        response, _status, _headers = token_api.api_client.call_api(
            self.token_url, "POST",
            header_params={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
            post_params=post, auth_settings=None, _preload_content=False,
        )
        return normalise_token(token_api.parse_token_response(response))


# --- PKCE --------------------------------------------------------------------------------------------
def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge)."""
    verifier = base64.urlsafe_b64encode(pysecrets.token_bytes(48)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_url(settings: XeroSettings, client_id: str, redirect_uri: str, scopes: list[str],
                  state: str, code_challenge: str) -> str:
    query = urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
        "scope": " ".join(scopes), "state": state,
        "code_challenge": code_challenge, "code_challenge_method": "S256",
    })
    return f"{settings.authorize_url}?{query}"


class _CallbackServer(HTTPServer):
    result: dict[str, str]


class _CallbackHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        if "code" not in query and "error" not in query:
            self.send_response(404)
            self.end_headers()
            return
        self.server.result = query  # type: ignore[attr-defined]
        ok = "code" in query
        body = ("<h1>Signed in</h1><p>You can close this tab and go back to the notebook.</p>" if ok else
                "<h1>Sign-in failed</h1><p>Go back to the notebook for details.</p>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:  # keep codes out of logs
        return


def _post_token(token_url: str, data: dict[str, str], auth: tuple[str, str] | None = None) -> dict[str, Any]:
    try:
        resp = requests.post(token_url, data=data, auth=auth, timeout=30,
                             headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        raise AuthError(f"Could not reach Xero's sign-in service ({type(exc).__name__}).",
                        "Check the internet connection (or that the sandbox runs) and try again.") from exc
    if resp.status_code != 200:
        try:
            err = resp.json().get("error", "")
        except ValueError:
            err = ""
        raise AuthError(f"Xero refused the sign-in (HTTP {resp.status_code} {err}).",
                        "Check the client id (and secret for a Custom Connection), then sign in again.")
    return resp.json()


def sign_in_pkce(settings: XeroSettings, client_id: str, *, store: SecretStore | None = None,
                 scopes: list[str] | None = None, port: int = 0, host: str = "127.0.0.1",
                 open_browser: Callable[[str], Any] = webbrowser.open, timeout_s: float = 300.0) -> TokenSource:
    """Authorisation code + PKCE: open the consent page, catch the code on a one-shot loopback listener,
    exchange it, save the token. ``port`` must match the redirect URI registered for the Xero app
    (``http://127.0.0.1:PORT/callback``); 0 picks a free port (sandbox)."""
    scopes = list(scopes or DEFAULT_SCOPES)
    verifier, challenge = pkce_pair()
    state = pysecrets.token_urlsafe(16)
    server = _CallbackServer((host, port), _CallbackHandler)
    server.result = {}
    server.timeout = 0.5
    redirect_uri = f"http://{host}:{server.server_address[1]}/callback"
    deadline = time.monotonic() + timeout_s

    def serve() -> None:
        while not server.result and time.monotonic() < deadline:
            server.handle_request()

    thread = threading.Thread(target=serve, name="wxsync-oauth-callback", daemon=True)
    thread.start()
    try:
        open_browser(authorize_url(settings, client_id, redirect_uri, scopes, state, challenge))
        thread.join(max(0.0, deadline - time.monotonic()) + 1)
    finally:
        server.server_close()
    result = server.result
    if not result:
        raise AuthError("No answer came back from the Xero sign-in page in time.",
                        "Run the sign-in cell again and finish the sign-in in the browser tab it opens.")
    if result.get("state") != state:
        raise AuthError("The sign-in answer did not match this sign-in attempt (state mismatch).",
                        "Run the sign-in cell again; close other Xero sign-in tabs first.")
    if "code" not in result:
        raise AuthError(f"Xero did not grant access ({result.get('error', 'unknown error')}).",
                        "Sign in again and click Allow access for the right organisation.")
    raw = _post_token(settings.token_url, {
        "grant_type": "authorization_code", "code": result["code"], "redirect_uri": redirect_uri,
        "client_id": client_id, "code_verifier": verifier,
    })
    source = TokenSource(client_id=client_id, grant=PKCE, store=store, scopes=scopes)
    source.save(raw)
    source.save_app()
    return source


def sign_in_client_credentials(settings: XeroSettings, client_id: str, client_secret: str, *,
                               store: SecretStore | None = None) -> TokenSource:
    """Custom Connection (machine-to-machine, one organisation): client credentials grant."""
    raw = _post_token(settings.token_url, {"grant_type": "client_credentials"}, auth=(client_id, client_secret))
    source = TokenSource(client_id=client_id, client_secret=client_secret, grant=CLIENT_CREDENTIALS,
                         store=store, scopes=[])
    source.save(raw)
    source.save_app()
    return source


def sign_in_workspace(ws: Workspace, client_id: str, client_secret: str = "", *,
                      open_browser: Callable[[str], Any] = webbrowser.open, port: int | None = None,
                      scopes: list[str] | None = None, timeout_s: float = 300.0) -> TokenSource:
    """Sign in for one client workspace: a Custom Connection when ``client_secret`` is given, else PKCE.

    The redirect port comes from ``port``, else ``[xero] redirect_port`` in client.toml, else a free port
    (fine for the sandbox; a live Xero app needs the port registered in its redirect URI).
    """
    settings = ws.xero_settings()
    store = SecretStore(ws.name)
    if client_secret:
        return sign_in_client_credentials(settings, client_id, client_secret, store=store)
    if port is None:
        port = int(ws.settings.get("xero", {}).get("redirect_port") or 0)
    return sign_in_pkce(settings, client_id, store=store, scopes=scopes, port=port,
                        open_browser=open_browser, timeout_s=timeout_s)
