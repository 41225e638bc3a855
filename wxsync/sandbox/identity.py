"""Xero identity: token endpoint (authorization_code + PKCE, client_credentials, refresh_token with
rotation and a 30-minute grace), ``GET /connections`` and an authorize page that consents at once."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import uuid
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import Blueprint, Response, jsonify, redirect, request

from wxsync.sandbox.state import SandboxState, current_state

ACCESS_TTL_S = 1800
REFRESH_TTL_S = 60 * 24 * 3600
GRACE_S = 30 * 60
CODE_TTL_S = 300

bp = Blueprint("identity", __name__)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _jwt(claims: dict) -> str:
    """A JWT-shaped opaque token (the sandbox looks tokens up; nobody verifies the signature)."""
    header = _b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps(claims).encode())
    return f"{header}.{payload}.{_b64url(secrets.token_bytes(32))}"


def _invalid_grant() -> Response:
    # Xero answers exactly this compact body; the SDK maps it to OAuth2InvalidGrantError.
    return Response('{"error":"invalid_grant"}', status=400, mimetype="application/json")


def _error(code: str, status: int = 400) -> Response:
    return Response(json.dumps({"error": code}, separators=(",", ":")), status=status, mimetype="application/json")


def _issue(st: SandboxState, *, client_id: str, scope: str, grant: str, auth_event_id: str,
           with_refresh: bool) -> dict:
    now = st.clock.time()
    access = _jwt({"nbf": int(now), "exp": int(now + ACCESS_TTL_S), "iss": "http://sandbox/identity",
                   "client_id": client_id, "authentication_event_id": auth_event_id, "jti": uuid.uuid4().hex})
    st.store.put_token(access, "access", {"expires": now + ACCESS_TTL_S, "grant": grant, "client_id": client_id,
                                          "auth_event_id": auth_event_id, "scope": scope})
    body = {"access_token": access, "expires_in": ACCESS_TTL_S, "token_type": "Bearer", "scope": scope}
    if with_refresh:
        refresh = secrets.token_hex(32)
        st.store.put_token(refresh, "refresh", {"expires": now + REFRESH_TTL_S, "client_id": client_id,
                                                "scope": scope, "auth_event_id": auth_event_id})
        body["refresh_token"] = refresh
    if "openid" in scope.split():
        body["id_token"] = _jwt({"iat": int(now), "exp": int(now + 300), "sub": uuid.uuid4().hex,
                                 "aud": client_id, "email": "consultant@example.com"})
    return body


def _client_id() -> str:
    auth = request.authorization
    if auth and auth.type == "basic" and auth.username:
        return auth.username
    return request.form.get("client_id", "")


@bp.post("/connect/token")
def token() -> Response:
    st = current_state()
    form = request.form
    grant = form.get("grant_type", "")
    client_id = _client_id()
    if grant == "client_credentials":
        scope = form.get("scope") or "accounting.contacts accounting.transactions accounting.settings"
        return jsonify(_issue(st, client_id=client_id, scope=scope, grant=grant,
                              auth_event_id=str(uuid.uuid4()), with_refresh=False))
    with st.write_lock:
        if grant == "authorization_code":
            return _redeem_code(st, form, client_id)
        if grant == "refresh_token":
            return _refresh(st, form.get("refresh_token", ""), client_id)
    return _error("unsupported_grant_type")


def _redeem_code(st: SandboxState, form, client_id: str) -> Response:
    code = form.get("code", "")
    record = st.store.token(code, "code")
    if not record or record["expires"] < st.clock.time():
        return _invalid_grant()
    if record.get("redirect_uri") and form.get("redirect_uri") != record["redirect_uri"]:
        return _invalid_grant()
    challenge = record.get("code_challenge")
    if challenge:
        verifier = form.get("code_verifier", "")
        if record.get("code_challenge_method", "plain") == "S256":
            computed = _b64url(hashlib.sha256(verifier.encode()).digest())
        else:
            computed = verifier
        if not verifier or computed != challenge:
            return _invalid_grant()
    st.store.delete_token(code)
    return jsonify(_issue(st, client_id=client_id or record["client_id"], scope=record["scope"],
                          grant="authorization_code", auth_event_id=record["auth_event_id"],
                          with_refresh="offline_access" in record["scope"].split()))


def _refresh(st: SandboxState, refresh: str, client_id: str) -> Response:
    record = st.store.token(refresh, "refresh")
    now = st.clock.time()
    if not record or record["expires"] < now:
        return _invalid_grant()
    if client_id and record.get("client_id") and client_id != record["client_id"]:
        return _invalid_grant()
    if "rotated_at" in record:
        # The previous refresh token stays usable for 30 minutes (a lost response can be retried).
        if now - record["rotated_at"] > GRACE_S:
            return _invalid_grant()
    body = _issue(st, client_id=record["client_id"], scope=record["scope"], grant="authorization_code",
                  auth_event_id=record["auth_event_id"], with_refresh=True)
    if "rotated_at" not in record:
        record["rotated_at"] = now
        record["successor"] = body["refresh_token"]
        st.store.put_token(refresh, "refresh", record)
    return jsonify(body)


@bp.post("/connect/revocation")
def revoke() -> Response:
    """Revoke a refresh token (and so the connection's offline access)."""
    st = current_state()
    value = request.form.get("token", "")
    if st.store.token(value, "refresh"):
        st.store.delete_token(value)
    return Response(status=200)


@bp.get("/identity/connect/authorize")
def authorize() -> Response:
    """Consents at once: 302 back to ``redirect_uri`` with ``code`` and ``state``."""
    st = current_state()
    args = request.args
    redirect_uri = args.get("redirect_uri", "")
    if not redirect_uri or args.get("response_type", "code") != "code":
        return Response("invalid_request: redirect_uri and response_type=code are required", status=400,
                        mimetype="text/plain")
    method = args.get("code_challenge_method", "plain" if args.get("code_challenge") else "")
    if method and method not in {"S256", "plain"}:
        return Response("invalid_request: code_challenge_method must be S256", status=400, mimetype="text/plain")
    code = secrets.token_urlsafe(24)
    st.store.put_token(code, "code", {
        "expires": st.clock.time() + CODE_TTL_S, "client_id": args.get("client_id", ""),
        "redirect_uri": redirect_uri, "scope": args.get("scope", ""), "auth_event_id": str(uuid.uuid4()),
        "code_challenge": args.get("code_challenge"), "code_challenge_method": method or None,
    })
    parts = urlsplit(redirect_uri)
    extra = {"code": code, "scope": args.get("scope", "")}
    if "state" in args:
        extra["state"] = args["state"]
    query = "&".join(p for p in (parts.query, urlencode(extra)) if p)
    return redirect(urlunsplit(parts._replace(query=query)), code=302)


def bearer_token(st: SandboxState) -> dict | None:
    """The valid access token of the current request, or None."""
    auth = request.headers.get("Authorization", "")
    if not auth.lower().startswith("bearer "):
        return None
    record = st.store.token(auth[7:].strip(), "access")
    if not record or record["expires"] < st.clock.time():
        return None
    return record


@bp.get("/connections")
@bp.get("/Connections")
def connections() -> Response:
    st = current_state()
    record = bearer_token(st)
    if record is None:
        return Response(json.dumps({"Title": "Unauthorized", "Status": 401, "Detail": "AuthenticationUnsuccessful"}),
                        status=401, mimetype="application/json")
    org = st.organisation
    created = (org.get("CreatedDateUTC") or "2024-01-01T00:00:00+00:00")[:19] + ".0000000"
    return jsonify([{
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"connection:{st.tenant_id}")),
        "authEventId": record.get("auth_event_id"),
        "tenantId": st.tenant_id,
        "tenantType": "ORGANISATION",
        "tenantName": org.get("Name", ""),
        "createdDateUtc": created,
        "updatedDateUtc": created,
    }])
