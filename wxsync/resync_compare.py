"""Compare the Xero documents on each merged learner's Wisenet contact with the invoices Wisenet holds.

Both sides are brought to plain frames first:
- Xero: the canonical documents frame (``document_id, kind, number, contact_id, status, date, total``).
- Wisenet: ``WISENET_INVOICE_COLUMNS`` (from the API via ``wisenet_invoices_frame`` or from report #0442
  via ``wxsync.report0442.read_report_0442``).

Documents are paired one-to-one, first by id (when Wisenet keeps Xero's id), then by number
(case-insensitive), then, for documents without a number (overpayments, prepayments), by date and amount.
Amounts are compared as absolute values, because the sign Wisenet gives credit notes is not documented.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from wxsync.errors import InputError
from wxsync.frames import parse_xero_datetime

WISENET_INVOICE_COLUMNS = ["invoice_id", "learner_id", "learner_number", "number", "date", "total", "status",
                           "source"]
DOCUMENT_ROW_COLUMNS = ["learner_number", "wisenet_contact_id", "outcome", "kind", "number", "date",
                        "xero_contact_id", "on_old_contact", "xero_document_id", "xero_status", "xero_total",
                        "wisenet_invoice_id", "wisenet_total"]
COMPARISON_COLUMNS = ["learner_number", "learner_id", "wisenet_contact_id", "old_contact_ids", "status",
                      "detail", "xero_documents", "xero_amount", "wisenet_invoices", "wisenet_amount", "matched",
                      "missing", "extra", "amount_differs", "resync_from"]
STATUS_ORDER = ("missing", "amount_differs", "extra", "clean")
TOLERANCE = 0.005
KIND_WORDS = {"invoice": "invoice", "credit_note": "credit note", "overpayment": "overpayment",
              "prepayment": "prepayment"}


def wisenet_invoices_frame(records: Iterable[Mapping[str, Any]], source: str = "api") -> pd.DataFrame:
    """Normalise Wisenet ``/invoices`` items (``{"Data": {...}}`` or flat) to ``WISENET_INVOICE_COLUMNS``."""
    rows = []
    for rec in records:
        data = rec.get("Data", rec) if isinstance(rec, Mapping) else {}
        rows.append({"invoice_id": _text(data.get("InvoiceId")), "learner_id": _text(data.get("LearnerId")),
                     "learner_number": _text(data.get("LearnerNumber")),
                     "number": _text(data.get("InvoiceNumber")), "date": to_date(data.get("Date")),
                     "total": _amount(data.get("AmountTotal")), "status": _text(data.get("Status")).upper(),
                     "source": source})
    return pd.DataFrame(rows, columns=WISENET_INVOICE_COLUMNS)


def compare(merged_pairs: pd.DataFrame, xero_documents: pd.DataFrame,
            wisenet_invoices: pd.DataFrame | Iterable[Mapping[str, Any]],
            learners: pd.DataFrame, *, start: date | None = None,
            exclude_statuses: Iterable[str] = ("DELETED",)) -> pd.DataFrame:
    """One row per merged learner: Xero documents on its Wisenet contact vs Wisenet's invoices.

    Documents still on an old contact of the pair (``old_contact_id``) count too: Wisenet cannot hold them,
    so they show as missing with "merge not done?".

    ``status`` is the worst of ``missing`` (a Xero document Wisenet does not hold), ``amount_differs``,
    ``extra`` (Wisenet holds an invoice that is not on the Wisenet contact), else ``clean``. Invoices, credit
    notes, overpayments and prepayments count (repeating-invoice templates do not); only documents
    dated on or after ``start`` (the resync start) count, on both sides. The per-document rows are in
    ``result.attrs["documents"]``.
    """
    pairs = _require(merged_pairs, ("wisenet_contact_id", "learner_number"), "merged pairs")
    docs = _require(xero_documents, ("document_id", "kind", "number", "contact_id", "status", "date", "total"),
                    "Xero documents")
    if not isinstance(wisenet_invoices, pd.DataFrame):  # raw /invoices records
        wisenet_invoices = wisenet_invoices_frame(wisenet_invoices)
    wis = _require(wisenet_invoices, ("number", "total"), "Wisenet invoices")
    lrn = _require(learners, ("learner_id", "learner_number"), "learners")
    wis = _with_learner_numbers(wis, lrn)
    excluded = {s.upper() for s in exclude_statuses}
    docs = docs[~docs["status"].astype(str).str.upper().isin(excluded) & docs["kind"].isin(KIND_WORDS)].copy()
    docs["date"] = docs["date"].map(to_date)
    wis["date"] = wis["date"].map(to_date) if "date" in wis else None
    if start is not None:
        docs, wis = _on_or_after(docs, start), _on_or_after(wis, start)
    learner_ids = dict(zip(lrn["learner_number"].map(_text), lrn["learner_id"].map(_text), strict=False))
    docs_by_contact: dict[str, list[dict]] = {}
    for rec in docs.to_dict("records"):
        docs_by_contact.setdefault(_text(rec["contact_id"]), []).append(rec)
    wis_by_learner: dict[str, list[dict]] = {}
    for rec in wis.to_dict("records"):
        wis_by_learner.setdefault(rec["learner_number"], []).append(rec)

    summaries, doc_rows = [], []
    pairs = pairs.assign(learner_number=pairs["learner_number"].map(_text).str.strip(),
                         wisenet_contact_id=pairs["wisenet_contact_id"].map(_text))
    pairs = pairs[pairs["learner_number"] != ""]  # without a learner number Wisenet cannot link anything
    for number, group in pairs.groupby("learner_number", sort=True):
        contact_ids = list(dict.fromkeys(group["wisenet_contact_id"]))
        old_ids = list(dict.fromkeys(group["old_contact_id"].map(_text))) if "old_contact_id" in group else []
        old_ids = [o for o in old_ids if o and o not in contact_ids]
        xero = [rec for c in [*contact_ids, *old_ids] for rec in docs_by_contact.get(c, [])]
        theirs = wis_by_learner.get(number, [])
        rows = match_documents(number, ";".join(contact_ids), xero, theirs)
        doc_rows.extend(rows)
        summaries.append(_summarise(number, learner_ids.get(number, ""), contact_ids, old_ids, xero, theirs,
                                    rows, start))
    result = pd.DataFrame(summaries, columns=COMPARISON_COLUMNS)
    result.attrs["documents"] = pd.DataFrame(doc_rows, columns=DOCUMENT_ROW_COLUMNS)
    return result


def match_documents(learner_number: str, contact_id: str, xero: list[dict], wisenet: list[dict]) -> list[dict]:
    """Pair one learner's Xero documents with its Wisenet invoices (records); one row per document."""
    xs, ws = xero, wisenet
    used: set[int] = set()
    pairs: list[tuple[dict, dict | None]] = []
    keys = (lambda r: _text(r.get("document_id")).lower(), lambda r: _text(r.get("invoice_id")).lower()), \
           (lambda r: _number_key(r.get("number")), lambda r: _number_key(r.get("number"))), \
           (lambda r: _date_amount_key(r), lambda r: _date_amount_key(r))
    pending = list(xs)
    for xkey, wkey in keys:
        index: dict[str, list[int]] = {}
        for i, w in enumerate(ws):
            k = wkey(w)
            if k and i not in used:
                index.setdefault(k, []).append(i)
        still = []
        for x in pending:
            k = xkey(x)
            hits = [i for i in index.get(k, []) if i not in used] if k else []
            if hits:
                used.add(hits[0])
                pairs.append((x, ws[hits[0]]))
            else:
                still.append(x)
        pending = still
    pairs.extend((x, None) for x in pending)
    rows = [_doc_row(learner_number, contact_id, x, w) for x, w in pairs]
    rows.extend(_doc_row(learner_number, contact_id, None, w) for i, w in enumerate(ws) if i not in used)
    return rows


def to_date(value: Any) -> date | None:
    """ISO text, Xero ``/Date(ms+0000)/``, a datetime or a Timestamp -> date; blanks -> None."""
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # type: ignore[attr-defined]
    text = str(value).strip()
    if text.startswith("/Date("):
        moment = parse_xero_datetime(text)
        if moment is None:
            raise ValueError(f"not a date: {text!r}")
        return moment.date()
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text[:10])  # the local date as written, whatever the time zone
    stamp = pd.to_datetime(text, errors="coerce", dayfirst=True)
    if pd.isna(stamp):
        raise ValueError(f"not a date: {text!r}")
    return stamp.date()


def _doc_row(number: str, contact_id: str, x: dict | None, w: dict | None) -> dict:
    if x is not None and w is not None:
        differs = abs(abs(x["total"]) - abs(w["total"])) > TOLERANCE
        outcome = "amount_differs" if differs else "matched"
    else:
        outcome = "missing" if w is None else "extra"
    src = x if x is not None else w
    on_contact = _text(x.get("contact_id")) if x is not None else ""
    return {"learner_number": number, "wisenet_contact_id": contact_id, "outcome": outcome,
            "xero_contact_id": on_contact, "on_old_contact": bool(on_contact) and on_contact not in contact_id.split(";"),
            "kind": _text(x.get("kind")) if x is not None else "", "number": _text(src.get("number")),
            "date": src.get("date"), "xero_document_id": _text(x.get("document_id")) if x is not None else "",
            "xero_status": _text(x.get("status")) if x is not None else "",
            "xero_total": float(x["total"]) if x is not None else None,
            "wisenet_invoice_id": _text(w.get("invoice_id")) if w is not None else "",
            "wisenet_total": float(w["total"]) if w is not None else None}


def _summarise(number: str, learner_id: str, contact_ids: list[str], old_ids: list[str], xero: list[dict],
               wis: list[dict], rows: list[dict], start: date | None) -> dict:
    counts = {k: sum(r["outcome"] == k for r in rows) for k in ("matched", "missing", "extra", "amount_differs")}
    status = next((s for s in STATUS_ORDER[:-1] if counts[s]), "clean")
    parts = []
    for outcome, lead in (("missing", "in Xero but not in Wisenet"), ("amount_differs", "amount differs"),
                          ("extra", "in Wisenet but not on the Wisenet contact in Xero")):
        items = [_describe(r) for r in rows if r["outcome"] == outcome]
        if items:
            parts.append(f"{len(items)} {lead}: " + ", ".join(items[:10]) + (" ..." if len(items) > 10 else ""))
    since = f" since {start.isoformat()}" if start else ""
    detail = "; ".join(parts) or (f"all {counts['matched']} document(s){since} are in Wisenet" if rows
                                  else f"no documents{since} on either side")
    return {"learner_number": number, "learner_id": learner_id, "wisenet_contact_id": ";".join(contact_ids),
            "old_contact_ids": ";".join(old_ids), "status": status, "detail": detail,
            "xero_documents": len(xero), "xero_amount": round(sum(abs(_amount(r["total"])) for r in xero), 2),
            "wisenet_invoices": len(wis), "wisenet_amount": round(sum(abs(_amount(r["total"])) for r in wis), 2),
            **counts, "resync_from": start.isoformat() if start else ""}


def _describe(row: dict) -> str:
    label = row["number"] or KIND_WORDS.get(row["kind"], row["kind"] or "document")
    when = row["date"].isoformat() if isinstance(row["date"], date) else "no date"
    if row["outcome"] == "amount_differs":
        return f"{label} ({when}, Xero {row['xero_total']:.2f} vs Wisenet {row['wisenet_total']:.2f})"
    amount = row["xero_total"] if row["xero_total"] is not None else row["wisenet_total"]
    where = f", still on old contact {row['xero_contact_id']}: merge not done?" if row["on_old_contact"] else ""
    return f"{label} ({when}, {amount:.2f}{where})"


def _with_learner_numbers(wis: pd.DataFrame, learners: pd.DataFrame) -> pd.DataFrame:
    """Give every Wisenet invoice a learner_number (from learner_id via the learners frame if needed)."""
    out = wis.copy()
    by_id = dict(zip(learners["learner_id"].map(_text), learners["learner_number"].map(_text), strict=False))
    numbers = out["learner_number"].map(_text) if "learner_number" in out else pd.Series("", index=out.index)
    if "learner_id" in out:
        from_id = out["learner_id"].map(lambda v: by_id.get(_text(v), ""))
        numbers = numbers.where(numbers != "", from_id)
    out["learner_number"] = numbers.str.strip()
    out["total"] = out["total"].map(_amount)
    for col in ("invoice_id", "status", "date"):
        if col not in out:
            out[col] = "" if col != "date" else None
    return out


def _on_or_after(frame: pd.DataFrame, start: date) -> pd.DataFrame:
    """Rows dated on or after ``start``; undated rows are kept (they cannot be ruled out)."""
    keep = np.array([d is None or d >= start for d in frame["date"]], dtype=bool)
    return frame[keep]


def _require(frame: pd.DataFrame, cols: tuple[str, ...], what: str) -> pd.DataFrame:
    missing = [c for c in cols if c not in frame.columns]
    if missing and not frame.empty:
        raise InputError(f"The {what} table has no column(s) {', '.join(missing)}.",
                         "Pass the frame wxsync builds for this step (see docs/interfaces.md).")
    return frame.reindex(columns=[*frame.columns, *missing]).copy() if missing else frame.copy()


def _number_key(value: Any) -> str:
    return "".join(_text(value).split()).casefold()


def _date_amount_key(rec: dict) -> str:
    if _number_key(rec.get("number")) or rec.get("date") is None:
        return ""
    return f"{rec['date']}|{abs(_amount(rec.get('total'))):.2f}"


def _amount(value: Any) -> float:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return 0.0
    return float(value)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
