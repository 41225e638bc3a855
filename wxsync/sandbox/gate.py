"""What stands in front of the APIs: authentication, tenant check, rate limits, faults, idempotency."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from flask import Response, g, request

from wxsync.sandbox import wire
from wxsync.sandbox.faults import drop_connection
from wxsync.sandbox.identity import bearer_token
from wxsync.sandbox.state import SandboxState, current_state

JSON = "application/json; charset=utf-8"
WRITE_METHODS = {"PUT", "POST", "PATCH", "DELETE"}


def json_response(body: Any, status: int = 200, headers: dict | None = None) -> Response:
    """A JSON response with Xero's content type."""
    return Response(json.dumps(body, separators=(",", ":")), status=status, mimetype=JSON, headers=headers)


def _route_name() -> str:
    rule = request.url_rule.rule if request.url_rule else request.path
    return f"{request.method} {rule}"


def _fault(st: SandboxState) -> Response | None:
    """Inject a configured random fault; a slow answer just waits and carries on."""
    kind = st.faults.draw()
    if kind is None:
        return None
    if kind == "429":
        st.stats.limited("minute (fault)")
        return json_response({"Title": "Too Many Requests", "Status": 429}, 429,
                             {"Retry-After": "1", "X-Rate-Limit-Problem": "minute"})
    if kind in {"500", "503"}:
        return json_response({"Title": "Service error (injected fault)", "Status": int(kind)}, int(kind))
    if kind == "slow":
        time.sleep(st.faults.slow_seconds())
        return None
    if request.method in WRITE_METHODS and st.faults.drop_after_write():
        g.drop_after = True  # the write is applied, then the response is lost
        return None
    drop_connection(request.environ)
    return Response(b"", status=500)


def xero_before() -> Response | None:
    """Bearer token (401), ``xero-tenant-id`` (403), rate limits (429), faults."""
    st = current_state()
    st.stats.hit(_route_name())
    token = bearer_token(st)
    if token is None:
        return json_response(wire.problem(401, "Unauthorized", "AuthenticationUnsuccessful"), 401)
    tenant = request.headers.get("xero-tenant-id", "").strip()
    if token.get("grant") == "client_credentials" and not tenant:
        tenant = st.tenant_id  # a Custom Connection is bound to one organisation
    if tenant.lower() != st.tenant_id.lower():
        return json_response(wire.problem(403, "Forbidden", "AuthenticationUnsuccessful"), 403)
    g.tenant = st.tenant_id
    decision = st.xero_limits.enter(g.tenant)
    g.limit_headers = decision.headers
    if decision.problem:
        st.stats.limited(decision.problem)
        return json_response({"Title": "Too Many Requests", "Status": 429,
                              "Detail": f"rate limit exceeded: {decision.problem}"}, 429)
    g.entered = True
    if st.latency_s:
        time.sleep(st.latency_s)
    return _fault(st)


def xero_after(response: Response) -> Response:
    """Every Xero API response carries the rate-limit headers; a lost-after-write drops here."""
    for name, value in (getattr(g, "limit_headers", None) or {}).items():
        response.headers.setdefault(name, value)
    if getattr(g, "drop_after", False):
        drop_connection(request.environ)
    return response


def xero_teardown(_exc: BaseException | None) -> None:
    """Release the concurrent slot taken by :func:`xero_before`."""
    if getattr(g, "entered", False):
        current_state().xero_limits.exit(g.tenant)
        g.entered = False


def wisenet_before() -> Response | None:
    """``x-api-key`` (401), per-second and daily limits (429), faults."""
    st = current_state()
    st.stats.hit(_route_name())
    key = request.headers.get("x-api-key", "").strip()
    if not key:
        return json_response({"Message": "Unauthorized: an x-api-key header is required"}, 401)
    decision = st.wisenet_limits.enter(key)
    if decision.problem:
        st.stats.limited(f"wisenet-{decision.problem}")
        return json_response({"Message": "Too Many Requests"}, 429, decision.headers)
    if st.latency_s:
        time.sleep(st.latency_s)
    return _fault(st)


def wisenet_after(response: Response) -> Response:
    if getattr(g, "drop_after", False):
        drop_connection(request.environ)
    return response


def idempotent_write(apply: Callable[[], tuple[int, Any]]) -> Response:
    """Run a write once per ``Idempotency-Key``: a replay returns the first status and body unchanged."""
    st = current_state()
    key = request.headers.get("Idempotency-Key")
    tenant = getattr(g, "tenant", "")
    with st.write_lock:
        if key:
            prior = st.store.idempotent_result(tenant, key)
            if prior is not None:
                return Response(prior[1], status=prior[0], mimetype=JSON)
        with st.store.transaction():
            status, body = apply()
            text = json.dumps(body, separators=(",", ":"))
            if key:
                st.store.remember(tenant, key, status, text)
        if status < 400:
            st.stats.applied()
    return Response(text, status=status, mimetype=JSON)
