"""Xero's wire formats: ``/Date(ms+0000)/`` dates, response envelopes, error bodies, query parsing."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

MS_DATE_FIELDS = frozenset({
    "CreatedDateUTC", "Date", "DateUTC", "DeliveryDate", "DueDate", "EndDate", "EndOfYearLockDate",
    "ExpectedArrivalDate", "ExpectedPaymentDate", "ExpiryDate", "FullyPaidOnDate", "JournalDate",
    "NextScheduledDate", "PaymentDueDate", "PeriodLockDate", "PlannedPaymentDate", "ReportingDate",
    "StartDate", "UpdatedDateUTC",
})
"""Fields the official spec marks ``x-is-msdate``/``x-is-msdate-time``: Xero sends them as ``/Date(ms+0000)/``."""

_MS_DATE_RE = re.compile(r"^/Date\((?P<ms>-?\d+)(?P<tz>[+-]\d{2,4})?\)/$")


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """ISO 8601 with explicit UTC offset, seconds precision (the store's internal timestamp form)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_when(value: Any) -> datetime | None:
    """Parse an ISO date/datetime or a ``/Date(ms±zzzz)/`` into an aware UTC datetime (None if blank)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    text = str(value).strip()
    match = _MS_DATE_RE.match(text)
    if match:
        return datetime.fromtimestamp(int(match["ms"]) / 1000, tz=UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = parsedate_to_datetime(text)  # RFC 1123, as HTTP clients send If-Modified-Since
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_ms_date(value: Any) -> Any:
    """ISO string -> ``/Date(ms+0000)/``; values already in Xero form (or unparseable) pass through."""
    if not isinstance(value, str) or not value or value.startswith("/Date("):
        return value
    try:
        moment = parse_when(value)
    except ValueError:
        return value
    assert moment is not None
    return f"/Date({int(moment.timestamp() * 1000)}+0000)/"


def to_wire(obj: Any) -> Any:
    """Deep copy of an internal record with every ms-date field converted to Xero's form."""
    if isinstance(obj, list):
        return [to_wire(v) if isinstance(v, (dict, list)) else v for v in obj]
    if not isinstance(obj, dict):
        return obj
    out = {}
    for key, value in obj.items():
        if key in MS_DATE_FIELDS:
            out[key] = _ms_date_cached(value) if isinstance(value, str) else value
        elif isinstance(value, (dict, list)):
            out[key] = to_wire(value)
        else:
            out[key] = value
    return out


@lru_cache(maxsize=65536)
def _ms_date_cached(value: str) -> str:
    return to_ms_date(value)


def from_wire_date(value: Any, *, date_only: bool) -> str | None:
    """Incoming /Date()/ or ISO -> the store's ISO form (``YYYY-MM-DD`` for dates)."""
    moment = parse_when(value)
    if moment is None:
        return None
    return moment.date().isoformat() if date_only else iso_utc(moment)


def parse_bool(value: str | None, default: bool = False) -> bool:
    """Xero accepts ``True``/``true``/``1`` (the SDK sends Python's ``True``)."""
    if value is None or value == "":
        return default
    return value.strip().lower() in {"true", "1", "yes"}


def parse_csv(value: str | None) -> list[str]:
    """Comma separated query values (``IDs``, ``ContactIDs``, ``Statuses``), blanks dropped."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def envelope(key: str, items: list[dict], *, pagination: dict | None = None,
             warnings: list | None = None, now: datetime | None = None) -> dict:
    """Xero's list envelope: ``Id, Status, ProviderName, DateTimeUTC[, pagination], Warnings?, <key>``."""
    now = now or utcnow()
    body: dict[str, Any] = {
        "Id": str(uuid.uuid4()),
        "Status": "OK",
        "ProviderName": "wxsync sandbox",
        "DateTimeUTC": f"/Date({int(now.timestamp() * 1000)})/",
    }
    if pagination is not None:
        body["pagination"] = pagination
    if warnings:
        body["Warnings"] = warnings
    body[key] = items
    return body


def pagination(page: int, page_size: int, item_count: int) -> dict:
    """The ``pagination`` object Xero adds to paged responses."""
    page_count = (item_count + page_size - 1) // page_size
    return {"page": page, "pageSize": page_size, "pageCount": page_count, "itemCount": item_count}


def validation_error(elements: list[dict]) -> dict:
    """Xero's 400 ValidationException body; each element carries its ``ValidationErrors``."""
    return {
        "ErrorNumber": 10,
        "Type": "ValidationException",
        "Message": "A validation exception occurred",
        "Elements": elements,
    }


def query_error(message: str) -> dict:
    """Xero's 400 body for a ``where``/``order`` it cannot parse."""
    return {"ErrorNumber": 16, "Type": "QueryParseException", "Message": message}


def problem(status: int, title: str, detail: str) -> dict:
    """Xero's RFC 7807-style body for 401/403/404 at the API gateway."""
    return {"Type": None, "Title": title, "Status": status, "Detail": detail, "Instance": str(uuid.uuid4()),
            "Extensions": {}}
