"""The sandbox's state in SQLite: objects as JSON with indexed columns, idempotency records, tokens, meta.

In memory by default; a file when the sandbox runs with ``--state FILE`` (a restart continues from it).
One connection guarded by a re-entrant lock: every read and write is serialised, which is plenty for a
local emulator and keeps batch writes atomic.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

from wxsync.sandbox.model import DemoOrg

ID_FIELD = {
    "contact": "ContactID",
    "invoice": "InvoiceID",
    "credit_note": "CreditNoteID",
    "overpayment": "OverpaymentID",
    "prepayment": "PrepaymentID",
    "repeating_invoice": "RepeatingInvoiceID",
    "account": "AccountID",
    "history": "HistoryID",
    "learner": "LearnerId",
    "winvoice": "InvoiceId",
}
"""Internal kind -> the record field holding its id."""

DOCUMENT_KINDS = ("invoice", "credit_note", "overpayment", "prepayment", "repeating_invoice")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    contact_id TEXT,
    number TEXT COLLATE NOCASE,
    lname TEXT,
    status TEXT,
    email TEXT,
    updated TEXT,
    date TEXT,
    due TEXT,
    amount REAL,
    search TEXT,
    data TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS ix_contact ON objects(kind, contact_id);
CREATE INDEX IF NOT EXISTS ix_number ON objects(kind, number);
CREATE INDEX IF NOT EXISTS ix_lname ON objects(kind, lname);
CREATE INDEX IF NOT EXISTS ix_status ON objects(kind, status);
CREATE INDEX IF NOT EXISTS ix_updated ON objects(kind, updated);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    tenant TEXT NOT NULL, key TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL,
    applied INTEGER NOT NULL DEFAULT 1, replays INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, key)
);
CREATE TABLE IF NOT EXISTS tokens (value TEXT PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL);
"""

_COLUMNS = ("kind", "id", "contact_id", "number", "lname", "status", "email", "updated", "date", "due",
            "amount", "search", "data")


def _lower(value: Any) -> str | None:
    return str(value).strip().lower() if value not in (None, "") else None


def _columns(kind: str, rec: dict) -> tuple:
    """The indexed columns of one record (everything else lives in the JSON)."""
    contact_id = number = lname = status = email = updated = day = due = amount = search = None
    if kind == "contact":
        number = rec.get("ContactNumber") or None
        lname = _lower(rec.get("Name"))
        status = rec.get("ContactStatus") or "ACTIVE"
        email = _lower(rec.get("EmailAddress"))
        updated = rec.get("UpdatedDateUTC")
        search = " ".join(str(rec.get(f) or "") for f in
                          ("Name", "FirstName", "LastName", "ContactNumber", "EmailAddress")).lower()
    elif kind in DOCUMENT_KINDS:
        contact_id = (rec.get("Contact") or {}).get("ContactID")
        number = rec.get("InvoiceNumber") or rec.get("CreditNoteNumber") or None
        status = rec.get("Status")
        updated = rec.get("UpdatedDateUTC")
        day = rec.get("Date")
        due = rec.get("DueDate")
        amount = rec.get("AmountDue", rec.get("RemainingCredit"))
        search = " ".join(str(rec.get(f) or "") for f in ("InvoiceNumber", "CreditNoteNumber", "Reference")).lower()
    elif kind == "history":
        contact_id = rec.get("ParentID")
        day = rec.get("DateUTC")
    elif kind == "account":
        number = rec.get("Code")
        status = rec.get("Status")
    elif kind == "learner":
        personal = rec.get("Personal") or {}
        number = personal.get("LearnerNumber")
        lname = _lower(f"{personal.get('FirstName') or ''} {personal.get('LastName') or ''}")
        status = "ACTIVE" if personal.get("IsActive", True) else "INACTIVE"
        email = _lower((personal.get("EmailAddresses") or {}).get("Email"))
        updated = rec.get("LastModifiedTimeStamp")
        search = " ".join(str(personal.get(f) or "") for f in
                          ("FirstName", "LastName", "PreferredNamed", "LearnerNumber")).lower()
    elif kind == "winvoice":
        contact_id = str(rec.get("LearnerId"))
        number = rec.get("InvoiceNumber")
        status = rec.get("Status")
        day = rec.get("Date")
        updated = rec.get("UpdateDateUtc")
    rid = str(rec[ID_FIELD[kind]])
    return (kind, rid, contact_id, number, lname, status, email, updated, day, due, amount, search,
            json.dumps(rec, separators=(",", ":")))


class Store:
    """Thread-safe SQLite store of the sandbox's objects and bookkeeping."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._depth = 0
        if path:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    # ---- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All-or-nothing block (nests as savepoints); holds the store lock throughout."""
        with self._lock:
            name = f"sp{self._depth}"
            self._db.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._db.execute(f"ROLLBACK TO {name}")
                self._db.execute(f"RELEASE {name}")
                raise
            else:
                self._db.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1

    @property
    def lock(self) -> threading.RLock:
        """The store lock (hold it to make a read-check-write sequence atomic)."""
        return self._lock

    def close(self) -> None:
        """Close the database (the file keeps the state)."""
        with self._lock:
            self._db.close()

    # ---- seeding --------------------------------------------------------------------------------
    def is_seeded(self) -> bool:
        """True when a demo organisation was loaded (a state file from an earlier run)."""
        return self.meta("organisation") is not None

    def seed(self, org: DemoOrg) -> None:
        """Load a generated demo organisation into an empty store."""
        raw = {f.name: getattr(org, f.name) for f in fields(org)}
        groups = {
            "account": raw["accounts"], "contact": raw["contacts"], "invoice": raw["invoices"],
            "credit_note": raw["credit_notes"], "overpayment": raw["overpayments"],
            "prepayment": raw["prepayments"], "repeating_invoice": raw["repeating_invoices"],
            "learner": raw["learners"], "winvoice": raw["wisenet_invoices"],
        }
        with self.transaction():
            for kind, records in groups.items():
                self.put_many(kind, records)
            for key in ("organisation", "first_connection_date", "wisenet_name_template", "states", "truth"):
                self.set_meta(key, raw[key])

    # ---- objects --------------------------------------------------------------------------------
    def put(self, kind: str, rec: dict) -> None:
        """Insert or replace one record (its position in list order is kept on update)."""
        self.put_many(kind, [rec])

    def put_many(self, kind: str, records: Iterable[dict]) -> None:
        """Insert or replace many records."""
        sql = (f"INSERT INTO objects ({','.join(_COLUMNS)}) VALUES ({','.join('?' * len(_COLUMNS))}) "
               "ON CONFLICT(kind, id) DO UPDATE SET "
               + ",".join(f"{c}=excluded.{c}" for c in _COLUMNS[2:]))
        rows = [_columns(kind, r) for r in records]
        with self._lock:
            self._db.executemany(sql, rows)

    def get(self, kind: str, rid: str) -> dict | None:
        """One record by id, or None."""
        with self._lock:
            row = self._db.execute("SELECT data FROM objects WHERE kind=? AND id=?", (kind, str(rid))).fetchone()
        return json.loads(row[0]) if row else None

    def query(self, kind: str, where: str = "", params: Iterable[Any] = (), *, order: str = "seq",
              limit: int | None = None, offset: int = 0) -> list[dict]:
        """Records of a kind matching an SQL condition on the indexed columns."""
        sql = f"SELECT data FROM objects WHERE kind=?{' AND ' + where if where else ''} ORDER BY {order}"
        args = [kind, *params]
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [json.loads(r[0]) for r in rows]

    def count(self, kind: str, where: str = "", params: Iterable[Any] = ()) -> int:
        """How many records of a kind match."""
        sql = f"SELECT COUNT(*) FROM objects WHERE kind=?{' AND ' + where if where else ''}"
        with self._lock:
            return int(self._db.execute(sql, [kind, *params]).fetchone()[0])

    def scalar_rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        """Raw SELECT on the objects table (aggregates such as balances)."""
        with self._lock:
            return self._db.execute(sql, list(params)).fetchall()

    # ---- meta -----------------------------------------------------------------------------------
    def meta(self, key: str, default: Any = None) -> Any:
        """A JSON value kept under a key."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key: str, value: Any) -> None:
        """Keep a JSON value under a key."""
        with self._lock:
            self._db.execute("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET "
                             "value=excluded.value", (key, json.dumps(value)))

    def incr_meta(self, key: str, by: int = 1) -> int:
        """Atomically add to an integer meta value; returns the new value."""
        with self._lock:
            value = int(self.meta(key, 0)) + by
            self.set_meta(key, value)
            return value

    # ---- idempotency ----------------------------------------------------------------------------
    def idempotent_result(self, tenant: str, key: str) -> tuple[int, str] | None:
        """The stored (status, body) of an earlier request with this key; counts the replay."""
        with self._lock:
            row = self._db.execute("SELECT status, body FROM idempotency WHERE tenant=? AND key=?",
                                   (tenant, key)).fetchone()
            if row:
                self._db.execute("UPDATE idempotency SET replays=replays+1 WHERE tenant=? AND key=?",
                                 (tenant, key))
        return (int(row[0]), row[1]) if row else None

    def remember(self, tenant: str, key: str, status: int, body: str) -> None:
        """Store the first response to a key (the write was applied once)."""
        with self._lock:
            self._db.execute("INSERT INTO idempotency(tenant, key, status, body) VALUES(?,?,?,?) "
                             "ON CONFLICT(tenant, key) DO UPDATE SET applied=applied+1",
                             (tenant, key, status, body))

    def idempotency_counts(self) -> dict[str, int]:
        """Key -> times the write was applied (1 however often it was replayed)."""
        with self._lock:
            rows = self._db.execute("SELECT key, applied FROM idempotency").fetchall()
        return {k: int(n) for k, n in rows}

    # ---- tokens ---------------------------------------------------------------------------------
    def put_token(self, value: str, kind: str, data: dict) -> None:
        """Keep an issued token or authorisation code."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO tokens(value, kind, data) VALUES(?,?,?)",
                             (value, kind, json.dumps(data)))

    def token(self, value: str, kind: str) -> dict | None:
        """An issued token of that kind, or None."""
        with self._lock:
            row = self._db.execute("SELECT data FROM tokens WHERE value=? AND kind=?", (value, kind)).fetchone()
        return json.loads(row[0]) if row else None

    def delete_token(self, value: str) -> None:
        """Forget a token (single-use codes)."""
        with self._lock:
            self._db.execute("DELETE FROM tokens WHERE value=?", (value,))
