"""Read a CSV export of Wisenet report #0442 (synced invoices) for clients without a Wisenet API licence.

The report's column headers are not documented, so columns are found by sensible aliases and can be
set with a mapping, e.g. ``{"number": "Inv #", "learner_number": "Student Ref", "total": "Inv Total"}``
(canonical field -> CSV header; the reverse direction is accepted too). The result has the same columns
as ``wxsync.resync_compare.wisenet_invoices_frame`` so both paths give the same comparison.

Handled: a UTF-8 byte-order mark, Windows-1252 files (Excel on Windows), ``,`` ``;`` tab or ``|``
delimiters, title lines above the header, blank rows, amounts like ``$1,234.50``, ``(12.00)`` or
``12.00 CR``, and dates as ISO or Australian ``dd/mm/yyyy``. Anything else raises ``InputError`` naming
the rows and columns.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wxsync.errors import InputError
from wxsync.resync_compare import WISENET_INVOICE_COLUMNS, to_date

ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("Invoice Number", "InvoiceNumber", "Invoice No", "Invoice #", "Inv No", "Inv Number",
               "Document Number", "Number"),
    "learner_number": ("Learner Number", "LearnerNumber", "RefInternal", "Ref Internal", "Student Number",
                       "Learner Ref", "Learner No", "Student No"),
    "total": ("Amount", "Total", "AmountTotal", "Amount Total", "Invoice Total", "Total Amount",
              "Invoice Amount", "Amount (inc GST)", "Total (inc GST)"),
    "date": ("Date", "Invoice Date", "InvoiceDate", "Issue Date", "Date Issued"),
    "status": ("Status", "Invoice Status", "InvoiceStatus"),
    "learner_id": ("Learner Id", "LearnerId", "Learner ID"),
    "invoice_id": ("Invoice Id", "InvoiceId", "Xero Invoice Id"),
}
REQUIRED = ("number", "total")
MAX_LISTED = 10
DELIMITERS = (",", ";", "\t", "|")


def read_report_0442(path: str | Path, mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Wisenet invoices from a report #0442 CSV as a frame with ``WISENET_INVOICE_COLUMNS``."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Report #0442 file not found: {path}.",
                         "Export report #0442 from Wisenet (Reports) as CSV and give its full path.")
    text, encoding = _decode(path.read_bytes())
    rows, header_at, header = _split(text, mapping)
    columns = _resolve_columns(header, mapping, path)
    records, problems = [], []
    for line, cells in rows[header_at + 1:]:
        if not any(c.strip() for c in cells):
            continue
        rec = {field: (cells[i].strip() if i < len(cells) else "") for field, i in columns.items()}
        record, errs = _parse_record(rec, line, header, columns)
        problems.extend(errs)
        records.append(record)
    if problems:
        listed = "; ".join(problems[:MAX_LISTED])
        more = f" (and {len(problems) - MAX_LISTED} more)" if len(problems) > MAX_LISTED else ""
        raise InputError(f"Report #0442 file {path.name} has values that cannot be read: {listed}{more}.",
                         "Fix those rows in the CSV (or export the report again) and load it again; "
                         "amounts must be numbers such as 1234.50 and dates like 2024-03-31 or 31/03/2024.")
    if not records:
        raise InputError(f"Report #0442 file {path.name} has a header but no invoice rows.",
                         "Check the report's date range in Wisenet and export it again.")
    frame = pd.DataFrame(records, columns=WISENET_INVOICE_COLUMNS)
    frame.attrs["encoding"] = encoding
    return frame


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(reader.line_num, cells) for cells in reader]


def _split(text: str, mapping: Mapping[str, str] | None) -> tuple[list[tuple[int, list[str]]], int, list[str]]:
    """Rows, header index and header, using the delimiter whose header names the most known columns."""
    best: tuple[int, str] = (-1, ",")
    top = "\n".join(text.splitlines()[:20])
    known = _known(mapping)
    for delimiter in DELIMITERS:
        head = _rows(top, delimiter)
        score = max((sum(_key(c) in known for c in cells) for _, cells in head), default=0)
        if score > best[0]:
            best = (score, delimiter)
    rows = _rows(text, best[1])
    header_at, header = _find_header(rows, mapping)
    return rows, header_at, header


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z#]", "", name.casefold())


def _known(mapping: Mapping[str, str] | None) -> set[str]:
    known = {_key(a) for aliases in ALIASES.values() for a in aliases}
    return known | {_key(v) for v in (mapping or {}).values()} | {_key(k) for k in (mapping or {})}


def _find_header(rows: list[tuple[int, list[str]]], mapping: Mapping[str, str] | None) -> tuple[int, list[str]]:
    """The header is the first of the first 20 rows naming at least two known columns."""
    known = _known(mapping)
    for i, (_, cells) in enumerate(rows[:20]):
        if sum(_key(c) in known for c in cells) >= 2:
            return i, [c.strip() for c in cells]
    first = next((cells for _, cells in rows if any(c.strip() for c in cells)), [])
    raise InputError(
        "Could not find the column headers of report #0442 in the first 20 rows"
        + (f" (first row: {', '.join(first[:12])})." if first else " (the file is empty)."),
        "Give a column mapping, e.g. read_report_0442(path, mapping={'number': 'Invoice Number', "
        "'learner_number': 'Learner Number', 'total': 'Amount', 'date': 'Date'}).")


def _resolve_columns(header: list[str], mapping: Mapping[str, str] | None, path: Path) -> dict[str, int]:
    by_key = {}
    for i, name in enumerate(header):
        by_key.setdefault(_key(name), i)
    columns: dict[str, int] = {}
    for a, b in (mapping or {}).items():
        field, csv_name = (a, b) if a in ALIASES else (b, a)
        if field not in ALIASES:
            raise InputError(f"Column mapping {a!r}: {b!r} names no known field.",
                             f"Use field names from: {', '.join(ALIASES)}.")
        if _key(csv_name) not in by_key:
            raise InputError(f"Column mapping names {csv_name!r}, but {path.name} has no such column "
                             f"(columns: {', '.join(h for h in header if h)}).",
                             "Correct the mapping to one of the file's column names.")
        columns[field] = by_key[_key(csv_name)]
    for field, aliases in ALIASES.items():
        if field not in columns:
            hit = next((by_key[_key(a)] for a in aliases if _key(a) in by_key), None)
            if hit is not None and hit not in columns.values():
                columns[field] = hit
    missing = [f for f in REQUIRED if f not in columns]
    if "learner_number" not in columns and "learner_id" not in columns:
        missing.append("learner_number")
    if missing:
        wanted = "; ".join(f"{f} (e.g. {', '.join(ALIASES[f][:3])})" for f in missing)
        raise InputError(f"Report #0442 file {path.name} has no column for {wanted}. "
                         f"Its columns are: {', '.join(h for h in header if h)}.",
                         "Pass a mapping from field to column, e.g. mapping={'number': 'Inv #'}.")
    return columns


def _parse_record(rec: dict[str, str], line: int, header: list[str],
                  columns: dict[str, int]) -> tuple[dict, list[str]]:
    errs = []
    name = {f: header[i] for f, i in columns.items()}
    total = parse_amount(rec["total"])
    if total is None:
        errs.append(f"row {line} column '{name['total']}': amount {rec['total']!r} is not a number")
    when = None
    if rec.get("date"):
        try:
            when = to_date(rec["date"])
        except ValueError:
            errs.append(f"row {line} column '{name['date']}': date {rec['date']!r} is not a date")
    if not rec.get("learner_number") and not rec.get("learner_id"):
        col = name.get("learner_number") or name.get("learner_id")
        errs.append(f"row {line} column '{col}': no learner number")
    record = {"invoice_id": rec.get("invoice_id", ""), "learner_id": rec.get("learner_id", ""),
              "learner_number": rec.get("learner_number", ""), "number": rec["number"], "date": when,
              "total": total if total is not None else 0.0, "status": rec.get("status", "").upper(),
              "source": "report0442"}
    return record, errs


def parse_amount(text: str) -> float | None:
    """'$1,234.50' -> 1234.5, '(12.00)' and '12.00 CR' -> -12.0, '' or 'n/a' -> None."""
    s = text.strip().replace("\u00a0", " ")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.upper().endswith("CR"):
        negative, s = True, s[:-2]
    s = re.sub(r"^(AUD|NZD|A\$|\$)|[\s$]", "", s.strip(), flags=re.IGNORECASE)
    if s.endswith("-"):
        negative, s = True, s[:-1]
    if "," in s:  # thousands separators only: '10,50' is ambiguous and refused
        if not re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", s):
            return None
        s = s.replace(",", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?|[-+]?\.\d+", s):
        return None
    value = float(s)
    return -value if negative else value
