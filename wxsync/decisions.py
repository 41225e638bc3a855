"""The consultant's tick decisions, one row per reviewed pair, in ``decisions.csv``.

Columns: ``old_contact_id, wisenet_contact_id, learner_number, ticked, ticked_by, ticked_at, score, band``.
Every change rewrites the file atomically (temp file + ``os.replace``), so a crash never leaves a torn file.
A pair's row holds its latest state: unticking keeps the row with ``ticked=False`` and who/when unticked it.
"""

from __future__ import annotations

import getpass
import os
import tempfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from wxsync.csvfiles import read_excel_csv
from wxsync.errors import InputError

COLUMNS = ["old_contact_id", "wisenet_contact_id", "learner_number", "ticked", "ticked_by",
           "ticked_at", "score", "band"]
KEY = ["old_contact_id", "wisenet_contact_id"]
_TEXT = ["old_contact_id", "wisenet_contact_id", "learner_number", "ticked_by", "ticked_at", "band"]


def current_user() -> str:
    """Who is ticking: ``WXSYNC_USER`` if set, else the login name."""
    user = os.environ.get("WXSYNC_USER", "").strip()
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


def empty() -> pd.DataFrame:
    """An empty decisions frame with the contract's columns and types."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    frame["ticked"] = frame["ticked"].astype(bool)
    frame["score"] = frame["score"].astype(float)
    return frame


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"true", "1", "yes", "y", "x"}


def load(path: str | os.PathLike[str]) -> pd.DataFrame:
    """All decisions in ``path`` (an empty frame if the file does not exist yet)."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return empty()
    try:
        frame = read_excel_csv(path)
    except Exception as exc:  # noqa: BLE001 - any parse error means the same to the consultant
        raise InputError(f"{path} could not be read as a decisions file ({exc}).",
                         "Restore it from a backup, or delete it to start the review again.") from exc
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"{path} lacks the column(s) {', '.join(missing)}.",
                         "Restore the file wxsync wrote, or delete it to start the review again.")
    frame = frame[COLUMNS].copy()
    frame["ticked"] = frame["ticked"].map(_to_bool).astype(bool)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    return frame.drop_duplicates(KEY, keep="last").reset_index(drop=True)


def _write_atomic(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".decisions-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            frame.to_csv(fh, index=False, columns=COLUMNS)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _rows_frame(pairs_rows: pd.DataFrame | Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    rows = pairs_rows if isinstance(pairs_rows, pd.DataFrame) else pd.DataFrame(list(pairs_rows))
    missing = [c for c in KEY if c not in rows.columns]
    if missing:
        raise InputError(f"The pairs to record lack the column(s) {', '.join(missing)}.",
                         "Pass rows of the pairs frame from wxsync.match.find_duplicates.")
    out = pd.DataFrame({
        "old_contact_id": rows["old_contact_id"].astype(str),
        "wisenet_contact_id": rows["wisenet_contact_id"].astype(str),
        "learner_number": rows["learner_number"].astype(str) if "learner_number" in rows else "",
        "score": pd.to_numeric(rows["score"], errors="coerce") if "score" in rows else float("nan"),
        "band": rows["band"].astype(str) if "band" in rows else "",
    })
    return out.reset_index(drop=True)


def record(path: str | os.PathLike[str], pairs_rows: pd.DataFrame | Iterable[Mapping[str, Any]],
           ticked: bool, by: str | None = None, at: datetime | None = None) -> pd.DataFrame:
    """Set ``ticked`` for each pair in ``pairs_rows`` (who: ``by``, when: now) and save at once.

    Returns the whole decisions frame as written.
    """
    path = Path(path)
    new = _rows_frame(pairs_rows)
    if new.empty:
        return load(path)
    new["ticked"] = bool(ticked)
    new["ticked_by"] = by or current_user()
    new["ticked_at"] = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    new = new[COLUMNS]
    old = load(path)
    if not old.empty:
        keys_new = set(zip(new["old_contact_id"], new["wisenet_contact_id"], strict=True))
        keep = [k not in keys_new for k in zip(old["old_contact_id"], old["wisenet_contact_id"], strict=True)]
        old = old[keep]
    merged = pd.concat([old, new], ignore_index=True) if not old.empty else new
    merged = merged.drop_duplicates(KEY, keep="last").reset_index(drop=True)
    _write_atomic(path, merged)
    return merged


def ticked_pairs(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The pairs currently ticked (latest state per pair)."""
    frame = load(path)
    return frame[frame["ticked"]].reset_index(drop=True)


def ticked_keys(path: str | os.PathLike[str]) -> set[tuple[str, str]]:
    """``{(old_contact_id, wisenet_contact_id)}`` of the ticked pairs."""
    frame = ticked_pairs(path)
    return set(zip(frame["old_contact_id"], frame["wisenet_contact_id"], strict=True))
