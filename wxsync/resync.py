"""Step 4: the Wisenet invoice resync after merging, and its verification.

Wisenet's rule (Xero Integration - Reconnect): resync invoices from a date one year before the original
Xero connection. Wisenet offers no API to start a resync, so wxsync gives the exact steps, then checks
the outcome: per merged learner, the Xero documents on its Wisenet contact against the invoices Wisenet
holds for it, from the Wisenet API (``GET /invoices?learnerIdFilter=``) or a report #0442 CSV.

Wisenet API cost: the only documented way to get one learner's invoices is ``learnerIdFilter``, so the
API path costs one call per merged learner (more only past 1,000 invoices for one learner). The filter is
marked optional in Wisenet's v1 spec, but whether an unfiltered ``GET /invoices`` pages over all invoices
on the live API is not documented; ``fetch_all_wisenet_invoices`` does that where the server supports it
(the sandbox does) and costs one call per 1,000 invoices.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from wxsync.csvfiles import write_excel_csv
from wxsync.errors import DailyLimitReached, InputError
from wxsync.frames import text_column
from wxsync.report0442 import read_report_0442
from wxsync.resync_compare import (
    COMPARISON_COLUMNS,
    DOCUMENT_ROW_COLUMNS,
    WISENET_INVOICE_COLUMNS,
    compare,
    to_date,
    wisenet_invoices_frame,
)
from wxsync.timestamps import utc_now

__all__ = ["COMPARISON_COLUMNS", "DOCUMENT_ROW_COLUMNS", "WISENET_INVOICE_COLUMNS", "calls_message", "compare",
           "estimate_calls", "fetch_all_wisenet_invoices", "fetch_wisenet_invoices", "read_report_0442",
           "resync_start", "suggest_first_connection", "summary_counts", "wisenet_invoices_frame",
           "wisenet_steps", "write_resync_evidence"]

PAGE_SIZE = 1000
PER_SECOND = 10
DAILY_BASIC, DAILY_FULL = 1000, 10000
EVIDENCE_COLUMNS = ["learner_number", "status", "detail", "wisenet_contact_id", "old_contact_ids",
                    "xero_documents", "xero_amount", "wisenet_invoices", "wisenet_amount", "matched", "missing",
                    "extra", "amount_differs", "resync_from", "source", "checked_at"]


def resync_start(first_connection: date) -> date:
    """One year before the first Xero connection; 29 February falls back to 28 February (never later)."""
    if not isinstance(first_connection, date):
        raise InputError(f"The first connection date must be a date, not {first_connection!r}.",
                         "Pick the date Wisenet was first connected to Xero.")
    try:
        return first_connection.replace(year=first_connection.year - 1)
    except ValueError:
        return first_connection.replace(year=first_connection.year - 1, day=28)


def suggest_first_connection(contacts: pd.DataFrame, documents: pd.DataFrame | None = None,
                             learners: pd.DataFrame | None = None) -> tuple[date | None, str]:
    """A suggested first-connection date from the data, and the reason in words.

    Wisenet-generated contacts are those with ``is_wisenet`` (after classification), else those whose
    Contact Code is a learner number (when ``learners`` is given), else any contact with a Contact Code.
    The suggestion is the earlier of: the earliest last-change time of those contacts that received no
    merge (Wisenet created them after it was connected, so it was connected on or before that day; a
    merge changes the survivor's time), and the earliest document date on a Wisenet contact that
    received no merge (merged documents can be older than the connection). The consultant confirms or corrects it.
    """
    wis = _wisenet_contacts(contacts, learners)
    if wis.empty:
        return None, ("No Wisenet-generated contacts (Contact Code = learner number) were found, so there is "
                      "nothing to date the connection by: enter the date from Wisenet's Connected Apps page "
                      "or the client's records.")
    targets = set(contacts.get("merged_to_contact_id", pd.Series(dtype=str)).fillna("").astype(str)) - {""}
    untouched = wis[~wis["contact_id"].astype(str).isin(targets)]
    dated = untouched if not untouched.empty else wis  # a merge changes the surviving contact's time
    stamps = dated["updated_utc"].map(_safe_date).dropna() if "updated_utc" in dated else pd.Series(dtype=object)
    candidates: list[tuple[date, str]] = []
    if not stamps.empty:
        first = min(stamps)
        candidates.append((first, f"the earliest last change of the {len(dated):,} Wisenet-generated contacts "
                                  f"that received no merge is {first.isoformat()}; Wisenet was connected on or "
                                  "before that day"))
    if documents is not None and not documents.empty and {"contact_id", "date"} <= set(documents.columns):
        plain = set(wis["contact_id"].astype(str)) - targets
        on_plain = documents[documents["contact_id"].astype(str).isin(plain)]
        dates = on_plain["date"].map(_safe_date).dropna()
        if not dates.empty:
            first_doc = min(dates)
            candidates.append((first_doc, f"the earliest document on a Wisenet-generated contact that received "
                                          f"no merge is dated {first_doc.isoformat()}"))
    if not candidates:
        return None, (f"{len(wis):,} Wisenet-generated contacts were found but none has a change time or a "
                      "document date: enter the date from the client's records.")
    best = min(candidates)
    others = [reason for d, reason in candidates if (d, reason) != best]
    reason = best[1][0].upper() + best[1][1:] + "."
    if others:
        reason += " (Also: " + "; ".join(others) + ".)"
    reason += " Check it against Wisenet's Connected Apps page or the client's records before relying on it."
    return best[0], reason


def wisenet_steps(start: date, *, resync_learners: bool = False) -> list[str]:
    """The exact Wisenet checklist for the resync from ``start``."""
    shown = f"{start:%d/%m/%Y} ({start.isoformat()})"
    steps = [
        "Sign in to Wisenet as a Portal Admin and go to Settings > Connected Apps > Xero; the connection "
        "must show 'Connected Successfully' with the right Xero organisation name.",
    ]
    if resync_learners:
        steps.append("Choose 'Xero was disconnected and I need to resync missing Learners', pick the date range "
                     "from yesterday to today and click Resync Data (creates the contacts still missing).")
    steps += [
        f"Choose the second option, resync invoices, and set the date range from {shown} to today "
        "(one year before the first Xero connection), then start the resync.",
        "Wait: Wisenet sends no notice when the resync is finished, and a long date range can take a while.",
        "Check the result: generate Wisenet report #0442 (synced invoices) and load it below, or run the API "
        "verification below.",
        "Open LRM > Reports > Event Alerts > Xero: fix every alert (aim for 0), acknowledge it, and resync "
        "again if anything was fixed.",
    ]
    return steps


def estimate_calls(n_learners: int, *, unfiltered: bool = False, expected_invoices: int = 0) -> int:
    """Wisenet API calls a verification costs: one per learner, or one per 1,000 invoices unfiltered."""
    if n_learners < 0 or expected_invoices < 0:
        raise InputError("Counts cannot be negative.", "Pass the number of merged learners to verify.")
    if unfiltered:
        return max(1, math.ceil((expected_invoices + 1) / PAGE_SIZE))
    return n_learners


def calls_message(n_calls: int) -> str:
    """The message shown before fetching."""
    seconds = math.ceil(n_calls / PER_SECOND)
    text = (f"This verification will make {n_calls:,} Wisenet API calls; your plan allows 1,000 (Basic) or "
            f"10,000 (Full) a day, at most {PER_SECOND} a second (about {_duration(seconds)} here).")
    if n_calls > DAILY_BASIC:
        text += (" That is more than a Basic plan's daily allowance: on Basic, use a report #0442 CSV instead, "
                 "or verify in batches over several days.")
    if n_calls > DAILY_FULL:
        text += " It is also more than a Full plan allows in a day: verify in batches."
    return text


def fetch_wisenet_invoices(wisenet_client: Any, learner_ids: Iterable[Any], *, per_second: float = PER_SECOND,
                           progress: bool = True, sleep: Callable[[float], None] = time.sleep) -> pd.DataFrame:
    """Wisenet's invoices for each learner (``client.invoices(learner_id)``), at most ``per_second`` calls."""
    ids = list(dict.fromkeys(str(i) for i in learner_ids if str(i).strip()))
    # Wisenet counts requests per rolling second. A call may start only one second after the call
    # ``per_second`` calls back has *finished*, so that no ``per_second + 1`` calls can ever reach
    # Wisenet within one second, whatever the network delays.
    finished: deque[float] = deque(maxlen=max(1, int(per_second)))
    records: list[dict] = []
    for done, learner_id in enumerate(_progress(ids, progress, "Wisenet invoices")):
        if per_second > 0 and len(finished) == finished.maxlen:
            wait = finished[0] + 1.0 - time.monotonic()
            if wait > 0:
                sleep(wait)
        try:
            items = wisenet_client.invoices(learner_id) or []
            finished.append(time.monotonic())
        except DailyLimitReached as exc:
            raise DailyLimitReached(
                f"Wisenet's daily API limit was reached after {done:,} of {len(ids):,} learners.",
                "Run the verification again after the limit resets, or use a report #0442 CSV instead.",
                retry_after_s=exc.retry_after_s, resume_at=exc.resume_at) from exc
        for rec in items:
            data = dict(rec.get("Data", rec))
            data.setdefault("LearnerId", learner_id)
            records.append(data)
    return wisenet_invoices_frame(records, source="api")


def fetch_all_wisenet_invoices(wisenet_client: Any, *, per_second: float = PER_SECOND,
                               sleep: Callable[[float], None] = time.sleep) -> pd.DataFrame:
    """All invoices via unfiltered ``GET /invoices?skip=&take=1000`` (``client.get(path, params)``).

    One call per 1,000 invoices, but only where the server pages invoices without ``learnerIdFilter``:
    the sandbox does; the live API does not document it, so check with one call first.
    """
    records: list[dict] = []
    skip, gap = 0, (1.0 / per_second if per_second > 0 else 0.0)
    while True:
        page = wisenet_client.get("/invoices", {"skip": skip, "take": PAGE_SIZE}) or []
        items = page if isinstance(page, list) else page.get("Data") or []
        records.extend(items)
        if len(items) < PAGE_SIZE:
            break
        skip += PAGE_SIZE
        sleep(gap)
    return wisenet_invoices_frame(records, source="api")


def summary_counts(comparison: pd.DataFrame) -> dict[str, Any]:
    """Learners per status and the document totals of a comparison."""
    out: dict[str, Any] = {s: int((comparison["status"] == s).sum())
                           for s in ("clean", "missing", "extra", "amount_differs")}
    out["learners"] = len(comparison)
    for col in ("xero_documents", "wisenet_invoices", "matched", "missing", "extra", "amount_differs"):
        out[f"{col}_documents" if col in ("matched", "missing", "extra", "amount_differs") else col] = \
            int(comparison[col].sum()) if len(comparison) else 0
    out["xero_amount"] = round(float(comparison["xero_amount"].sum()), 2) if len(comparison) else 0.0
    out["wisenet_amount"] = round(float(comparison["wisenet_amount"].sum()), 2) if len(comparison) else 0.0
    return out


def write_resync_evidence(ws_evidence_dir: str | Path, comparison: pd.DataFrame, *,
                          source: str = "api") -> Path:
    """Write ``evidence/resync.csv`` (one row per learner) and ``resync_documents.csv`` (UTF-8 with BOM).

    ``wxsync.evidence`` reads ``resync.csv`` (``learner_number, status, detail``) to fill the
    ``resync_verification`` column of merges.csv.
    """
    missing = [c for c in ("learner_number", "status", "detail") if c not in comparison.columns]
    if missing:
        raise InputError(f"The comparison has no column(s) {', '.join(missing)}.",
                         "Pass the frame returned by wxsync.resync.compare().")
    folder = Path(ws_evidence_dir)
    folder.mkdir(parents=True, exist_ok=True)
    out = comparison.copy()
    out["source"] = source
    out["checked_at"] = utc_now()
    path = write_excel_csv(out.reindex(columns=EVIDENCE_COLUMNS), folder / "resync.csv")
    docs = comparison.attrs.get("documents")
    if isinstance(docs, pd.DataFrame):
        docs = docs.assign(date=docs["date"].map(lambda d: d.isoformat() if isinstance(d, date) else ""))
        write_excel_csv(docs, folder / "resync_documents.csv")
    return path


def _wisenet_contacts(contacts: pd.DataFrame, learners: pd.DataFrame | None) -> pd.DataFrame:
    """The ACTIVE contacts Wisenet generated: Contact Code = a learner number.

    Archived contacts holding a learner number (left from an earlier connection or typed by hand) and
    contacts that only carry the number in their name (classified ``name_token``) can be far older than
    the connection, so they never date it.
    """
    if contacts.empty:
        return contacts
    if "status" in contacts.columns:
        contacts = contacts[contacts["status"].fillna("").astype(str).str.upper().isin(["ACTIVE", ""])]
    if "is_wisenet" in contacts.columns:
        wisenet = contacts["is_wisenet"].astype(bool)
        if "wisenet_by" in contacts.columns:
            wisenet &= contacts["wisenet_by"].fillna("").astype(str) == "contact_number"
        return contacts[wisenet]
    codes = text_column(contacts.get("contact_number", pd.Series("", index=contacts.index))).str.strip()
    if learners is not None and "learner_number" in learners:
        numbers = set(text_column(learners["learner_number"]).str.strip()) - {""}
        return contacts[codes.isin(numbers)]
    return contacts[codes != ""]


def _safe_date(value: Any) -> date | None:
    try:
        return to_date(value)
    except (ValueError, TypeError):
        return None


def _duration(seconds: int) -> str:
    return str(timedelta(seconds=seconds)) if seconds >= 60 else f"{seconds} s"


def _progress(items: list, enabled: bool, desc: str) -> Iterable:
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit="learner")

