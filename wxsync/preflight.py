"""Step 1 preflight: which learners should be in Xero, and what stops Wisenet from syncing them.

The rules are Wisenet's own (Xero Integration FAQ, finance-process and reconnect articles): a learner
syncs only when Sync to Xero is ticked, the learner is active, has a first and last name, an address with
state and postcode and a valid email, no ARCHIVED Xero contact already holds its learner number as
Contact Code (Contact Codes are unique across all contacts and archived contacts are read-only), and no
active contact already uses the name Wisenet will want (Xero contact names are unique). Wisenet's name
template is not documented, so the last rule flags, as something to check, active non-Wisenet contacts
whose name is the learner's "First Last" (normalised, in any word order), with or without the learner
number in it (a name carrying the number but no Contact Code was typed in, or made by another tool).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from email_validator import EmailNotValidError, validate_email
from unidecode import unidecode

from wxsync.csvfiles import write_excel_csv
from wxsync.errors import InputError

EDIT_PERSONAL = "LRM > Learners > Learner Profile > Personal Details > Action > Edit Personal"
RESYNC_MISSING = "Settings > Connected Apps > Xero > Xero was disconnected and I need to resync missing Learners"
BULK_TICK = ("LRM > Learners search > Add filter Is Active = True > Select > All Records > Action > "
             "Edit Learner(s) > Sync to Xero = True > Save")


@dataclass(frozen=True)
class Problem:
    """One kind of preflight problem: a code, a readable label, its severity and where to fix it."""

    code: str
    label: str
    severity: str  # "blocks" (Wisenet cannot sync) or "check" (may block; look before merging)
    where_to_fix: str


PROBLEMS: dict[str, Problem] = {p.code: p for p in (
    Problem("archived_code_holder",
            "an ARCHIVED Xero contact already holds the learner number as Contact Code", "blocks",
            "Xero > Contacts > Archived: restore or clear the Contact Code"),
    Problem("inactive", "learner is inactive (Wisenet cannot update it)", "blocks",
            "LRM > Learners > Learner Profile: make the learner active again, or leave it out"),
    Problem("missing_name", "first name or last name is empty", "blocks", EDIT_PERSONAL),
    Problem("no_address", "no address with state and postcode", "blocks", EDIT_PERSONAL),
    Problem("invalid_email", "email address is missing or invalid", "blocks", EDIT_PERSONAL),
    Problem("sync_not_ticked", "active learner without Sync to Xero ticked", "blocks",
            f"{EDIT_PERSONAL} > tick Sync to Xero (in bulk: {BULK_TICK})"),
    Problem("no_wisenet_contact",
            "Sync to Xero is ticked but Xero has no Wisenet-generated contact (Contact Code = learner number) yet",
            "blocks", f"{RESYNC_MISSING} (or un-tick and re-tick Sync to Xero: {EDIT_PERSONAL})"),
    Problem("name_taken",
            "an active non-Wisenet Xero contact already uses the name 'First Last'", "check",
            "Xero > Contacts > All: check whether Wisenet can create its contact; if Xero Event Alerts "
            "report a duplicate name, rename the existing contact, then merge it in step 3"),
)}

LEARNER_COLUMNS = ("learner_id", "learner_number", "first_name", "last_name", "email", "is_active",
                   "sync_to_xero", "address_line1", "city", "state", "postcode")
CONTACT_COLUMNS = ("contact_id", "name", "contact_number", "status")
ISSUE_COLUMNS = ["learner_id", "learner_number", "first_name", "last_name", "email", "problem", "severity",
                 "label", "detail", "where_to_fix", "contact_id", "contact_name"]
TABLE_COLUMNS = ["learner_id", "learner_number", "first_name", "last_name", "email", "is_active",
                 "sync_to_xero", "wisenet_contact_id", "ready", "problems", "details", "where_to_fix"]


@dataclass
class PreflightResult:
    """The preflight outcome.

    ``table``: one row per learner that should be in Xero (active, ticked, or already holding a contact),
    ``ready`` True when nothing blocks it. ``issues``: one row per learner and problem. ``counts``: learners
    per problem code. ``unmatched_codes``: contacts whose Contact Code matches no learner.
    """

    table: pd.DataFrame
    issues: pd.DataFrame
    counts: dict[str, int]
    unmatched_codes: pd.DataFrame
    problems: dict[str, Problem] = field(default_factory=lambda: dict(PROBLEMS))

    def summary(self) -> pd.DataFrame:
        """Counts per problem with its label, severity and the Wisenet or Xero screen that fixes it."""
        rows = [{"problem": p.code, "label": p.label, "severity": p.severity,
                 "learners": self.counts.get(p.code, 0), "where_to_fix": p.where_to_fix}
                for p in self.problems.values()]
        return pd.DataFrame(rows, columns=["problem", "label", "severity", "learners", "where_to_fix"])

    def write_csv(self, path: str | Path, *, per_learner: bool = False) -> Path:
        """Write the issue rows (or, with ``per_learner``, the whole table) as UTF-8 CSV with a BOM."""
        frame = self.table if per_learner else self.issues
        return write_excel_csv(frame, Path(path))


def preflight(learners: pd.DataFrame, contacts: pd.DataFrame) -> PreflightResult:
    """Check every learner that should be in Xero against Wisenet's sync rules (see module docstring)."""
    lrn = _clean(learners, LEARNER_COLUMNS, "learners")
    con = _clean(contacts, CONTACT_COLUMNS, "contacts")
    con["contact_number"] = con["contact_number"].str.strip()
    con["status"] = con["status"].str.upper().str.strip()
    lrn["learner_number"] = lrn["learner_number"].str.strip()
    lrn["is_active"] = lrn["is_active"].map(_truthy)
    lrn["sync_to_xero"] = lrn["sync_to_xero"].map(_truthy)

    numbered = con[con["contact_number"] != ""]
    active_holder = _first_by(numbered[numbered["status"] == "ACTIVE"], "contact_number")
    archived_holder = _first_by(numbered[numbered["status"] == "ARCHIVED"], "contact_number")
    numbers = set(lrn.loc[lrn["learner_number"] != "", "learner_number"])
    non_wisenet = con[(con["status"] == "ACTIVE") & ~con["contact_number"].isin(numbers)]
    by_name = _first_by(non_wisenet.assign(_key=non_wisenet["name"].map(name_key)), "_key")

    has_contact = lrn["learner_number"].isin(set(numbered["contact_number"])) & (lrn["learner_number"] != "")
    in_scope = lrn[lrn["is_active"] | lrn["sync_to_xero"] | has_contact].reset_index(drop=True)

    issues: list[dict] = []
    for pos, row in enumerate(in_scope.itertuples(index=False)):  # pos: learner ids may be blank (CSV)
        issues.extend({**rec, "_row": pos} for rec in _learner_issues(row, active_holder, archived_holder, by_name))
    issue_frame = pd.DataFrame(issues, columns=[*ISSUE_COLUMNS, "_row"])

    table = _table(in_scope, issue_frame, active_holder)
    counts = {code: int(issue_frame.loc[issue_frame["problem"] == code, "_row"].nunique()) for code in PROBLEMS}
    issue_frame = issue_frame.drop(columns="_row")
    unmatched = numbered[~numbered["contact_number"].isin(numbers)]
    keep = [c for c in ("contact_id", "name", "contact_number", "status", "email") if c in unmatched]
    return PreflightResult(table=table, issues=issue_frame, counts=counts,
                           unmatched_codes=unmatched[keep].reset_index(drop=True))


def normalise_name(name: str) -> str:
    """Fold accents, case, punctuation and spacing so that 'José  O'Neil' == 'jose o neil'."""
    text = unidecode(str(name or "")).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def name_key(name: str) -> str:
    """Order-free key of a name's normalised words: 'Lee, Ann (L-01)' == 'Ann Lee L 01'."""
    return " ".join(sorted(normalise_name(name).split()))


def email_problem(email: str) -> str:
    """Why an email would fail Wisenet's 'valid email address' rule, or '' when it is fine (no network)."""
    if not email.strip():
        return "no email address"
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        return f"'{email}': {exc}"
    return ""


def _learner_issues(row, active_holder: dict[str, dict], archived_holder: dict[str, dict],
                    by_name: dict[str, dict]) -> list[dict]:
    found: list[tuple[str, str, dict | None]] = []
    number = row.learner_number
    if not row.is_active:
        found.append(("inactive", "Is Active is false", None))
    if not row.first_name.strip() or not row.last_name.strip():
        empty = [n for n, v in (("first name", row.first_name), ("last name", row.last_name)) if not v.strip()]
        found.append(("missing_name", " and ".join(empty) + " empty", None))
    missing_addr = [n for n, v in (("address", row.address_line1), ("state", row.state),
                                   ("postcode", row.postcode)) if not v.strip()]
    if missing_addr:
        found.append(("no_address", "missing " + ", ".join(missing_addr), None))
    why = email_problem(row.email)
    if why:
        found.append(("invalid_email", why, None))
    archived = archived_holder.get(number) if number else None
    active = active_holder.get(number) if number else None
    if archived is not None:
        found.append(("archived_code_holder",
                      f"archived contact '{archived['name']}' holds Contact Code {number}", archived))
    elif active is None:
        if row.sync_to_xero:
            found.append(("no_wisenet_contact", "no contact has Contact Code "
                          f"{number or '(learner has no learner number)'}", None))
        elif row.is_active:
            found.append(("sync_not_ticked", "Sync to Xero is not ticked", None))
        person = f"{row.first_name} {row.last_name}"
        clash = (by_name.get(name_key(person)) or by_name.get(name_key(f"{person} {number}"))
                 if person.strip() else None)
        if clash is not None:
            found.append(("name_taken", f"active contact '{clash['name']}' has the learner's name "
                          "and no Wisenet Contact Code", clash))
    return [{"learner_id": row.learner_id, "learner_number": number, "first_name": row.first_name,
             "last_name": row.last_name, "email": row.email, "problem": code,
             "severity": PROBLEMS[code].severity, "label": PROBLEMS[code].label, "detail": detail,
             "where_to_fix": PROBLEMS[code].where_to_fix,
             "contact_id": contact["contact_id"] if contact else "",
             "contact_name": contact["name"] if contact else ""}
            for code, detail, contact in found]


def _table(in_scope: pd.DataFrame, issues: pd.DataFrame, active_holder: dict[str, dict]) -> pd.DataFrame:
    grouped = issues.groupby("_row", sort=False)
    problems = grouped["problem"].agg("; ".join)
    details = grouped["detail"].agg(" | ".join)
    fixes = grouped["where_to_fix"].agg(lambda s: " | ".join(dict.fromkeys(s)))
    table = in_scope.copy()
    table["wisenet_contact_id"] = table["learner_number"].map(
        lambda n: active_holder[n]["contact_id"] if n in active_holder else "")
    table["problems"] = table.index.map(problems).fillna("")
    table["details"] = table.index.map(details).fillna("")
    table["where_to_fix"] = table.index.map(fixes).fillna("")
    table["ready"] = table["problems"] == ""
    return table[TABLE_COLUMNS].reset_index(drop=True)


def _clean(frame: pd.DataFrame, required: tuple[str, ...], what: str) -> pd.DataFrame:
    missing = [c for c in required if c not in frame.columns]
    if missing and frame.empty:
        frame = frame.reindex(columns=[*frame.columns, *missing])
    elif missing:
        raise InputError(f"The {what} table has no column(s) {', '.join(missing)}.",
                         f"Build it with wxsync.frames.{what}_frame(...) so it has the canonical columns.")
    out = frame.copy()
    for col in out.columns:
        if (out[col].dtype == object or col in required) and out[col].dtype != bool:
            out[col] = out[col].astype(object).map(_text_or_bool).astype(object)
    return out


def _text_or_bool(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value if isinstance(value, bool) else str(value)


def _truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().casefold() in {"true", "1", "yes", "y", "t"}


def _first_by(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    """Map key -> first row (as dict) with that key."""
    out: dict[str, dict] = {}
    for rec in frame.to_dict("records"):
        out.setdefault(rec[key], rec)
    return out

