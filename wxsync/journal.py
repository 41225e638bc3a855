"""The SQLite journal of every write to Xero, and :class:`JournaledWriter`, the one place that writes.

Each write is a *step*. A step is journalled as ``planned`` before anything is sent, becomes ``sent`` just
before the request leaves, and ends ``confirmed`` (Xero answered; its answer is stored) or ``failed`` (Xero
refused the whole request; its messages are stored). Idempotency keys are derived from the run id and the
step's content, so a resumed run rebuilds exactly the same steps with exactly the same keys:

* a ``confirmed`` or ``failed`` step is never sent again (its stored answer is reused);
* a ``sent`` step (the process died, or the network failed, before the answer was journalled) is first
  checked against Xero with a GET; only if Xero does not show its effect is it sent again, with the same
  ``Idempotency-Key``, so Xero replays the first answer instead of applying the write twice.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from wxsync.errors import XeroValidationError
from wxsync.timestamps import utc_now

STATES = ("planned", "sent", "confirmed", "failed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    plan_hash TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'merge',
    status TEXT NOT NULL DEFAULT 'open',
    info TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS steps (
    step_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    params TEXT NOT NULL,
    body TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    state TEXT NOT NULL,
    response TEXT,
    error TEXT NOT NULL DEFAULT '',
    confirmed_by TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS steps_run ON steps (run_id, seq);
"""


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same content always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def step_key(run_id: str, kind: str, method: str, path: str, params: dict | None, body: Any) -> str:
    """The deterministic Idempotency-Key of a step (≤ 128 characters, as Xero requires)."""
    text = "\n".join([run_id, kind, method.upper(), path, canonical_json(params or {}), canonical_json(body)])
    return "wxsync-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:48]


@dataclass
class Step:
    """One journalled write."""

    step_id: str
    run_id: str
    seq: int
    kind: str
    method: str
    path: str
    params: dict[str, Any]
    body: Any
    idempotency_key: str
    state: str
    response: Any
    error: str
    confirmed_by: str
    attempts: int
    created_at: str
    updated_at: str

    @property
    def done(self) -> bool:
        return self.state in ("confirmed", "failed")


class Journal:
    """SQLite journal of runs and their steps (``journal.sqlite`` in the client workspace)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # runs ------------------------------------------------------------------
    def start_run(self, run_id: str, plan_hash: str, info: dict[str, Any] | None = None,
                  kind: str = "merge") -> None:
        """Record a run (no-op if it exists already)."""
        now = utc_now()
        with self._tx() as db:
            db.execute(
                "INSERT OR IGNORE INTO runs (run_id, plan_hash, kind, status, info, created_at, updated_at)"
                " VALUES (?, ?, ?, 'open', ?, ?, ?)",
                (run_id, plan_hash, kind, canonical_json(info or {}), now, now))

    def set_run_status(self, run_id: str, status: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE runs SET status=?, updated_at=? WHERE run_id=?", (status, utc_now(), run_id))

    def run(self, run_id: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT * FROM runs WHERE run_id=?", (run_id,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["info"] = json.loads(out["info"])
        return out

    def runs(self, kind: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM runs", ()
        if kind:
            sql, args = sql + " WHERE kind=?", (kind,)
        rows = self._db.execute(sql + " ORDER BY created_at, run_id", args).fetchall()
        return [{**dict(r), "info": json.loads(r["info"])} for r in rows]

    def open_run_for(self, plan_hash: str, kind: str = "merge",
                     statuses: tuple[str, ...] = ("open",)) -> str | None:
        """The id of the latest run of this exact plan in one of ``statuses`` (so re-running resumes it)."""
        marks = ",".join("?" * len(statuses))
        row = self._db.execute(
            f"SELECT run_id FROM runs WHERE plan_hash=? AND kind=? AND status IN ({marks})"
            " ORDER BY created_at DESC, rowid DESC LIMIT 1", (plan_hash, kind, *statuses)).fetchone()
        return row["run_id"] if row else None

    def update_run_info(self, run_id: str, **values: Any) -> None:
        """Merge ``values`` into the run's ``info``."""
        run = self.run(run_id)
        if run is None:
            raise KeyError(run_id)
        info = {**run["info"], **values}
        with self._tx() as db:
            db.execute("UPDATE runs SET info=?, updated_at=? WHERE run_id=?",
                       (canonical_json(info), utc_now(), run_id))

    # steps -----------------------------------------------------------------
    def plan_step(self, run_id: str, kind: str, method: str, path: str, body: Any,
                  params: dict[str, Any] | None = None) -> Step:
        """Journal a step as ``planned`` (or return the existing one with the same content)."""
        key = step_key(run_id, kind, method, path, params, body)
        now = utc_now()
        with self._tx() as db:
            seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM steps WHERE run_id=?",
                             (run_id,)).fetchone()[0]
            db.execute(
                "INSERT OR IGNORE INTO steps (step_id, run_id, seq, kind, method, path, params, body,"
                " idempotency_key, state, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?)",
                (key, run_id, seq, kind, method.upper(), path, canonical_json(params or {}),
                 canonical_json(body), key, now, now))
        step = self.step(key)
        assert step is not None
        return step

    def _set(self, step_id: str, state: str, **fields: Any) -> None:
        if state not in STATES:
            raise ValueError(f"unknown step state {state!r}")
        cols = ["state=?", "updated_at=?"]
        args: list[Any] = [state, utc_now()]
        for name, value in fields.items():
            cols.append(f"{name}=?")
            args.append(canonical_json(value) if name == "response" else value)
        with self._tx() as db:
            db.execute(f"UPDATE steps SET {', '.join(cols)} WHERE step_id=?", (*args, step_id))

    def mark_sent(self, step_id: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE steps SET state='sent', attempts=attempts+1, updated_at=? WHERE step_id=?",
                       (utc_now(), step_id))

    def mark_confirmed(self, step_id: str, response: Any, confirmed_by: str = "response") -> None:
        self._set(step_id, "confirmed", response=response, confirmed_by=confirmed_by, error="")

    def mark_failed(self, step_id: str, error: str, response: Any = None) -> None:
        self._set(step_id, "failed", error=error, response=response)

    def step(self, step_id: str) -> Step | None:
        row = self._db.execute("SELECT * FROM steps WHERE step_id=?", (step_id,)).fetchone()
        return _row_to_step(row) if row else None

    def steps(self, run_id: str | None = None, *, kind: str | None = None,
              state: str | None = None) -> list[Step]:
        sql, args = "SELECT * FROM steps WHERE 1=1", []
        for col, value in (("run_id", run_id), ("kind", kind), ("state", state)):
            if value is not None:
                sql += f" AND {col}=?"
                args.append(value)
        rows = self._db.execute(sql + " ORDER BY run_id, seq", args).fetchall()
        return [_row_to_step(r) for r in rows]

    def frame(self, run_id: str | None = None) -> pd.DataFrame:
        """The steps as a DataFrame for display (bodies and answers as JSON text)."""
        cols = ["run_id", "seq", "kind", "method", "path", "state", "idempotency_key", "attempts",
                "confirmed_by", "error", "created_at", "updated_at"]
        rows = [{c: getattr(s, c) for c in cols} for s in self.steps(run_id)]
        return pd.DataFrame(rows, columns=cols)


def _row_to_step(row: sqlite3.Row) -> Step:
    data = dict(row)
    data["params"] = json.loads(data["params"])
    data["body"] = json.loads(data["body"])
    data["response"] = json.loads(data["response"]) if data["response"] else None
    return Step(**data)


class XeroWriteTarget(Protocol):
    """What :class:`JournaledWriter` needs from :class:`wxsync.xero.XeroClient`."""

    def write(self, method: str, path: str, body: Any, *, params: dict | None = None,
              idempotency_key: str) -> Any: ...


Check = Callable[[Step], Any]
"""Given a ``sent`` step, GET its effect from Xero: an answer shaped like Xero's reply when the write
is fully visible there, else ``None`` (the step will then be re-sent with the same key)."""


class JournaledWriter:
    """The one place that writes to Xero: journal, then send, then journal the answer."""

    def __init__(self, journal: Journal, xero: Any) -> None:
        self.journal = journal
        self.xero = xero
        self.sent = 0
        self.skipped = 0
        self.checked = 0

    def send(self, run_id: str, kind: str, method: str, path: str, body: Any, *,
             params: dict[str, Any] | None = None, check: Check | None = None) -> Step:
        """Perform one step exactly once across crashes and re-runs; return it in its final state.

        Raises whatever the client raises for transport problems or the daily limit; the step then
        stays ``sent`` and the next run checks it before re-sending it.
        """
        step = self.journal.plan_step(run_id, kind, method, path, body, params)
        if step.done:
            self.skipped += 1
            return step
        if step.state == "sent" and check is not None:
            self.checked += 1
            seen = check(step)
            if seen is not None:
                self.journal.mark_confirmed(step.step_id, seen, confirmed_by="check")
                return self._reload(step)
        self.journal.mark_sent(step.step_id)
        try:
            answer = self.xero.write(method, path, body, params=params, idempotency_key=step.idempotency_key)
        except XeroValidationError as exc:
            message = "; ".join(exc.messages) or exc.message
            self.journal.mark_failed(step.step_id, message)
            return self._reload(step)
        self.sent += 1
        self.journal.mark_confirmed(step.step_id, _answer_data(answer))
        return self._reload(step)

    def _reload(self, step: Step) -> Step:
        fresh = self.journal.step(step.step_id)
        assert fresh is not None
        return fresh


def _answer_data(answer: Any) -> Any:
    """The JSON of a client answer (``XeroResponse.data``, or the answer itself)."""
    return getattr(answer, "data", answer)
