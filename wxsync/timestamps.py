"""The one way wxsync stamps the time: ISO 8601 in UTC, seconds precision."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    """The current UTC time as an ISO 8601 string (seconds), e.g. ``2024-05-01T10:00:00+00:00``."""
    return datetime.now(UTC).isoformat(timespec="seconds")
