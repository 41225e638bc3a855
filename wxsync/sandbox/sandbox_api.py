"""``/sandbox/*``: ground truth, statistics, run-time configuration, and JSON twins of the web-app actions.
Never rate limited, never faulted."""

from __future__ import annotations

from flask import Blueprint, Response, request

from wxsync.sandbox import actions
from wxsync.sandbox.gate import json_response
from wxsync.sandbox.state import current_state

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox")


@bp.get("/health")
def health() -> Response:
    st = current_state()
    return json_response({"status": "ok", "tenant_id": st.tenant_id, "organisation": st.organisation.get("Name"),
                          "short_code": st.short_code})


@bp.get("/truth")
def truth() -> Response:
    raw = current_state().store.meta("truth") or {}
    return json_response({"duplicates": raw.get("duplicates", []), "lookalikes": raw.get("lookalikes", [])})


@bp.get("/stats")
def stats() -> Response:
    st = current_state()
    with st.stats.lock:
        body = {"requests": dict(st.stats.routes), "rate_limited": dict(st.stats.rate_limited),
                "rate_limited_total": sum(st.stats.rate_limited.values()),
                "writes_applied": st.stats.writes_applied, "faults": dict(st.faults.injected)}
    body["idempotency"] = st.store.idempotency_counts()
    return json_response(body)


@bp.get("/config")
def get_config() -> Response:
    return json_response(current_state().config())


@bp.post("/config")
def set_config() -> Response:
    changes = request.get_json(silent=True, force=True) or {}
    try:
        return json_response(current_state().configure(**changes))
    except (KeyError, TypeError, ValueError) as exc:
        return json_response({"error": f"unknown or bad setting: {exc}"}, 400)


@bp.post("/merge")
def merge() -> Response:
    st = current_state()
    body = request.get_json(silent=True, force=True) or {}
    try:
        with st.write_lock:
            result = actions.merge_contacts(st.store, str(body.get("old_contact_id", "")),
                                            str(body.get("into_contact_id", "")), st.clock.iso_now())
    except actions.ActionError as exc:
        return json_response({"error": str(exc)}, 400)
    return json_response(result)


@bp.post("/wisenet/resync-invoices")
def resync_invoices() -> Response:
    st = current_state()
    body = request.get_json(silent=True, force=True) or {}
    try:
        with st.write_lock:
            return json_response(actions.resync_invoices(st.store, str(body.get("from_date", "")), st.clock.iso_now()))
    except ValueError:
        return json_response({"error": "from_date must be an ISO date (YYYY-MM-DD)"}, 400)


@bp.post("/wisenet/resync-learners")
def resync_learners() -> Response:
    st = current_state()
    with st.write_lock:
        return json_response(actions.resync_learners(st.store, st.clock.iso_now()))
