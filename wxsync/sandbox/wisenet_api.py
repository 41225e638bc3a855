"""Wisenet v1 routes under ``/v1``: learners (basic list and full items), invoices, states."""

from __future__ import annotations

from flask import Blueprint, Response, request

from wxsync.sandbox.gate import json_response, wisenet_after, wisenet_before
from wxsync.sandbox.state import current_state

bp = Blueprint("wisenet", __name__, url_prefix="/v1")
bp.before_request(wisenet_before)
bp.after_request(wisenet_after)

MAX_TAKE = 1000


def _skip_take() -> tuple[int, int]:
    skip = max(0, int(request.args.get("skip") or 0))
    take = min(MAX_TAKE, max(1, int(request.args.get("take") or MAX_TAKE)))
    return skip, take


def _match(value: object, spec: str) -> bool:
    """Wisenet filter syntax: ``v`` or ``op:v`` with eq ne gt lt ge le ct nc in ni bt."""
    op, _, arg = spec.partition(":") if ":" in spec and spec.split(":", 1)[0] in {
        "eq", "ne", "gt", "lt", "ge", "le", "ct", "nc", "in", "ni", "bt"} else ("eq", "", spec)
    text = "" if value is None else str(value)
    if isinstance(value, bool):
        text = "true" if value else "false"
    low, arg_low = text.lower(), arg.lower()
    if op == "eq":
        return low == arg_low
    if op == "ne":
        return low != arg_low
    if op == "ct":
        return arg_low in low
    if op == "nc":
        return arg_low not in low
    if op in {"in", "ni"}:
        hit = low in {a.strip().lower() for a in arg.split(",")}
        return hit if op == "in" else not hit
    if op == "bt":
        lo, _, hi = arg.partition(",")
        return lo <= text <= hi
    return {"gt": text > arg, "lt": text < arg, "ge": text >= arg, "le": text <= arg}[op]


def _filters() -> list[tuple[str, str]]:
    names = ("learnerNumberFilter", "learnerUsernameFilter", "lastModifiedTimeStampFilter", "syncToXeroFilter",
             "isActiveFilter", "uniqueStudentIdentifierFilter", "emailAddressFilter", "mobileFilter",
             "learnerAlt1NumberFilter", "learnerAlt2NumberFilter", "usiRequiresValidationFilter")
    return [(n, request.args[n]) for n in names if request.args.get(n)]


def _field(learner: dict, name: str) -> object:
    p = learner.get("Personal") or {}
    return {
        "learnerNumberFilter": p.get("LearnerNumber"), "learnerUsernameFilter": p.get("Username"),
        "lastModifiedTimeStampFilter": learner.get("LastModifiedTimeStamp"),
        "syncToXeroFilter": bool(p.get("SyncToXero")), "isActiveFilter": bool(p.get("IsActive", True)),
        "uniqueStudentIdentifierFilter": p.get("UniqueStudentIdentifier"),
        "emailAddressFilter": (p.get("EmailAddresses") or {}).get("Email"),
        "mobileFilter": (p.get("PhoneNumbers") or {}).get("Mobile"),
        "learnerAlt1NumberFilter": p.get("LearnerAlt1Number"), "learnerAlt2NumberFilter": p.get("LearnerAlt2Number"),
        "usiRequiresValidationFilter": bool(p.get("UsiRequiresValidation")),
    }[name]


def _learners() -> list[dict]:
    learners = current_state().store.query("learner", order="CAST(id AS INTEGER)")
    search = (request.args.get("search") or "").strip().lower()
    filters = _filters()
    out = []
    for learner in learners:
        p = learner.get("Personal") or {}
        if search and search not in f"{p.get('FirstName') or ''} {p.get('LastName') or ''}".lower():
            continue
        if all(_match(_field(learner, n), spec) for n, spec in filters):
            out.append(learner)
    skip, take = _skip_take()
    return out[skip: skip + take]


def basic(learner: dict) -> dict:
    """A ``LearnerBasic`` item of ``/learnersAU/list``."""
    p = learner.get("Personal") or {}
    return {"LearnerId": learner["LearnerId"], "FirstName": p.get("FirstName"), "InformalName": p.get("PreferredNamed"),
            "LastName": p.get("LastName"), "LearnerNumber": p.get("LearnerNumber"),
            "Email": (p.get("EmailAddresses") or {}).get("Email"), "DateOfBirth": p.get("DateOfBirth"),
            "IsActive": bool(p.get("IsActive", True)), "UniqueStudentIdentifier": p.get("UniqueStudentIdentifier"),
            "Username": p.get("Username"), "Mobile": (p.get("PhoneNumbers") or {}).get("Mobile")}


@bp.get("/learnersAU/list")
def learners_list() -> Response:
    try:
        return json_response([basic(learner) for learner in _learners()])
    except ValueError as exc:
        return json_response({"Message": f"Bad request: {exc}"}, 400)


@bp.get("/learnersAU")
def learners_full() -> Response:
    states = current_state().store.meta("states") or []
    try:
        items = _learners()
    except ValueError as exc:
        return json_response({"Message": f"Bad request: {exc}"}, 400)
    return json_response([{"Data": learner, "Relationships": {"States": states}} for learner in items])


@bp.get("/learnersAU/<int:learner_id>")
def learner_one(learner_id: int) -> Response:
    learner = current_state().store.get("learner", str(learner_id))
    if learner is None:
        return json_response({"Message": "Learner not found"}, 404)
    return json_response({"Data": learner, "Relationships": {"States": current_state().store.meta("states") or []}})


@bp.get("/invoices")
def invoices() -> Response:
    store = current_state().store
    learner = request.args.get("learnerIdFilter")
    try:
        skip, take = _skip_take()
    except ValueError as exc:
        return json_response({"Message": f"Bad request: {exc}"}, 400)
    if learner:
        spec = learner.split(":", 1)[1] if ":" in learner else learner
        rows = store.query("winvoice", "contact_id = ?", [spec], limit=take, offset=skip)
    else:
        rows = store.query("winvoice", limit=take, offset=skip)
    return json_response(rows)


@bp.get("/combos/states")
def states() -> Response:
    return json_response(current_state().store.meta("states") or [])
