"""A resumable snapshot of one client's Xero contacts and documents and Wisenet learners.

Raw JSON pages are written under ``snapshots/latest/`` as they arrive, with a manifest saying which
page comes next. A kernel crash or the daily API limit therefore loses nothing: running
:meth:`Snapshot.take` again continues at the next page. :meth:`Snapshot.refresh` adds what changed
since (``If-Modified-Since``) without reloading everything.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from wxsync.config import Workspace
from wxsync.errors import InputError
from wxsync.frames import contacts_frame, documents_frame, learners_frame, parse_xero_datetime
from wxsync.secrets import atomic_write_private
from wxsync.timestamps import utc_now
from wxsync.wisenet import WisenetClient, read_learners_csv
from wxsync.xero import DOCUMENT_KINDS, XeroClient

XERO_STREAMS: dict[str, tuple[str, str, dict[str, Any]]] = {
    # stream -> (path, envelope key, params)
    "contacts": ("/Contacts", "Contacts", {"includeArchived": True}),
    **{k: (p, key, {}) for k, (p, key, _paged) in DOCUMENT_KINDS.items()},
}
ID_FIELD = {"contacts": "ContactID", "invoices": "InvoiceID", "credit_notes": "CreditNoteID",
            "overpayments": "OverpaymentID", "prepayments": "PrepaymentID",
            "repeating_invoices": "RepeatingInvoiceID"}


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_private(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _dedupe(records: Iterable[dict[str, Any]], id_field: str) -> list[dict[str, Any]]:
    """Keep the last version of each record (later pages and refreshes win), in first-seen order."""
    by_id: dict[str, dict[str, Any]] = {}
    anonymous: list[dict[str, Any]] = []
    for r in records:
        rid = r.get(id_field) if isinstance(r, dict) else None
        if rid:
            by_id[rid] = r
        elif isinstance(r, dict):
            anonymous.append(r)
    return list(by_id.values()) + anonymous


@dataclass
class Snapshot:
    """Loaded raw records and their canonical frames."""

    root: Path
    raw: dict[str, list[dict[str, Any]]]
    manifest: dict[str, Any] = field(default_factory=dict)
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    # --- frames ------------------------------------------------------------------------------------
    @property
    def documents(self) -> pd.DataFrame:
        if "documents" not in self._frames:
            self._frames["documents"] = documents_frame(
                **{k: self.raw.get(k, []) for k in DOCUMENT_KINDS})
        return self._frames["documents"]

    @property
    def contacts(self) -> pd.DataFrame:
        if "contacts" not in self._frames:
            self._frames["contacts"] = contacts_frame(self.raw.get("contacts", []), self.documents)
        return self._frames["contacts"]

    @property
    def learners(self) -> pd.DataFrame:
        if "learners" not in self._frames:
            self._frames["learners"] = learners_frame(self.raw.get("learners", []), self.raw.get("states", []))
        return self._frames["learners"]

    @property
    def complete(self) -> bool:
        return bool(self.manifest.get("complete"))

    # --- taking ------------------------------------------------------------------------------------
    @staticmethod
    def folder(ws: Workspace) -> Path:
        return ws.snapshots_dir / "latest"

    @classmethod
    def _read_manifest(cls, root: Path) -> dict[str, Any]:
        path = root / "manifest.json"
        if not path.exists():
            return {}
        try:
            return json.loads(path.read_text("utf-8"))
        except ValueError:
            return {}

    @classmethod
    def take(cls, ws: Workspace, xero: XeroClient, wisenet: WisenetClient | None = None,
             learners_csv: str | Path | None = None, *, fresh: bool = False) -> Snapshot:
        """Load everything (or continue an interrupted load) and return the snapshot.

        A finished snapshot is kept as ``snapshots/<time>/`` and a new one is started; an unfinished one
        (crash, daily limit) is continued unless ``fresh=True``.
        """
        xero.check_tenant(ws)
        if xero.tenant_id is None:
            xero.tenant_id = ws.tenant_id
        root = cls.folder(ws)
        manifest = cls._read_manifest(root)
        if manifest and (fresh or manifest.get("complete") or manifest.get("tenant_id") != xero.tenant_id):
            stamp = (manifest.get("finished_utc") or manifest.get("started_utc") or utc_now()).replace(":", "")
            target = ws.snapshots_dir / stamp[:17]
            if target.exists():
                shutil.rmtree(target)
            root.rename(target)
            manifest = {}
        if not manifest:
            manifest = {"started_utc": utc_now(), "tenant_id": xero.tenant_id, "complete": False,
                        "streams": {s: {"next_page": 1, "done": False} for s in XERO_STREAMS}}
            root.mkdir(parents=True, exist_ok=True)
            cls._save_manifest(root, manifest)
        for stream in XERO_STREAMS:
            cls._load_stream(root, manifest, xero, stream)
        cls._load_learners(root, manifest, wisenet, learners_csv)
        manifest["complete"] = True
        manifest["finished_utc"] = utc_now()
        manifest["calls"] = xero.calls + (wisenet.calls if wisenet else 0)
        cls._save_manifest(root, manifest)
        return cls.load(ws)

    @staticmethod
    def _save_manifest(root: Path, manifest: dict[str, Any]) -> None:
        _write_json(root / "manifest.json", manifest)

    @classmethod
    def _load_stream(cls, root: Path, manifest: dict[str, Any], xero: XeroClient, stream: str) -> None:
        state = manifest["streams"].setdefault(stream, {"next_page": 1, "done": False})
        if state.get("done"):
            return
        path, key, params = XERO_STREAMS[stream]
        folder = root / stream
        paged = stream == "contacts" or DOCUMENT_KINDS[stream][2]
        if not paged:
            records = xero.load_document_kind(stream)
            _write_json(folder / "page-0001.json", {key: records})
        else:
            done_before = sum(len(json.loads(p.read_text("utf-8")).get(key) or [])
                              for p in sorted(folder.glob("page-*.json"))) if folder.exists() else 0
            for page, body in xero.iter_pages(path, key, params, start_page=int(state["next_page"]),
                                              desc=f"Xero {stream.replace('_', ' ')}", initial=done_before):
                _write_json(folder / f"page-{page:04d}.json", {key: body.get(key) or [],
                                                               "pagination": body.get("pagination")})
                state["next_page"] = page + 1
                cls._save_manifest(root, manifest)
        state["done"] = True
        cls._save_manifest(root, manifest)

    @classmethod
    def _load_learners(cls, root: Path, manifest: dict[str, Any], wisenet: WisenetClient | None,
                       learners_csv: str | Path | None) -> None:
        if manifest.get("learners_done"):
            return
        if learners_csv is not None:
            records = read_learners_csv(learners_csv)
            _write_json(root / "learners.json", {"source": "csv", "path": str(learners_csv), "items": records})
        elif wisenet is not None:
            items = cls._learner_pages(root, manifest, wisenet)
            _write_json(root / "states.json", wisenet.states())
            _write_json(root / "learners.json", {"source": "api", "items": items})
        else:
            _write_json(root / "learners.json", {"source": "none", "items": []})
        manifest["learners_done"] = True
        cls._save_manifest(root, manifest)

    @classmethod
    def _learner_pages(cls, root: Path, manifest: dict[str, Any], wisenet: WisenetClient) -> list[dict[str, Any]]:
        """Wisenet learners page by page into ``learners/``, the manifest saying where to continue; returns
        them all (a learner seen on two pages, because the list moved between calls, counted once)."""
        folder = root / "learners"
        state = manifest.setdefault("learners", {"next_skip": 0})
        have = [json.loads(p.read_text("utf-8"))["items"] for p in sorted(folder.glob("page-*.json"))]
        for skip, items in wisenet.learner_pages(start=int(state["next_skip"]), initial=sum(map(len, have))):
            _write_json(folder / f"page-{skip:08d}.json", {"skip": skip, "items": items})
            have.append(items)
            state["next_skip"] = skip + len(items)
            cls._save_manifest(root, manifest)
        by_id: dict[Any, dict[str, Any]] = {}
        for item in (item for items in have for item in items if isinstance(item, dict)):
            learner = item.get("Data") if isinstance(item.get("Data"), dict) else item
            by_id[learner.get("LearnerId") or id(item)] = item
        return list(by_id.values())

    # --- loading -----------------------------------------------------------------------------------
    @classmethod
    def load(cls, ws: Workspace, *, allow_incomplete: bool = False) -> Snapshot:
        """Read the latest snapshot from disk (no API calls)."""
        root = cls.folder(ws)
        manifest = cls._read_manifest(root)
        if not manifest:
            raise InputError(f"No snapshot has been taken for client {ws.name!r} yet.",
                             "Run notebook 01_load first.")
        if not manifest.get("complete") and not allow_incomplete:
            raise InputError(f"The snapshot of client {ws.name!r} is unfinished (the load was interrupted).",
                             "Run the load cell of notebook 01_load again; it continues where it stopped.")
        raw: dict[str, list[dict[str, Any]]] = {}
        for stream, (_path, key, _params) in XERO_STREAMS.items():
            folder = root / stream
            files = sorted(folder.glob("page-*.json")) + sorted(folder.glob("delta-*.json"))
            records: list[dict[str, Any]] = []
            for f in files:
                records.extend(json.loads(f.read_text("utf-8")).get(key) or [])
            raw[stream] = _dedupe(records, ID_FIELD[stream])
        learners = root / "learners.json"
        raw["learners"] = json.loads(learners.read_text("utf-8")).get("items", []) if learners.exists() else []
        states = root / "states.json"
        raw["states"] = json.loads(states.read_text("utf-8")) if states.exists() else []
        return cls(root=root, raw=raw, manifest=manifest)

    # --- refreshing --------------------------------------------------------------------------------
    def bookmark(self, stream: str) -> datetime | None:
        """The newest ``UpdatedDateUTC`` in a stream (server time), or None."""
        stamps = [parse_xero_datetime(r.get("UpdatedDateUTC")) for r in self.raw.get(stream, [])]
        stamps = [s for s in stamps if s is not None]
        return max(stamps) if stamps else None

    def refresh(self, xero: XeroClient, streams: Iterable[str] | None = None) -> dict[str, int]:
        """Fetch records changed since each stream's bookmark (``If-Modified-Since``) and merge them in.

        Returns the number of changed records per stream. The frames are rebuilt on next access.
        """
        changed: dict[str, int] = {}
        seq = int(self.manifest.get("refreshes", 0)) + 1
        for stream in streams or XERO_STREAMS:
            path, key, params = XERO_STREAMS[stream]
            since = self.bookmark(stream)
            if since is None:
                since = parse_xero_datetime(self.manifest.get("started_utc"))
            headers = {"If-Modified-Since": since.replace(microsecond=0).isoformat()} if since else None
            folder = self.root / stream
            count = 0
            if stream != "contacts" and not DOCUMENT_KINDS[stream][2]:
                records = xero.load_document_kind(stream, modified_since=since)
                _write_json(folder / f"delta-{seq:04d}-0001.json", {key: records})
                count = len(records)
            else:
                for page, body in xero.iter_pages(path, key, params, headers, desc=f"refresh {stream}"):
                    items = body.get(key) or []
                    _write_json(folder / f"delta-{seq:04d}-{page:04d}.json", {key: items})
                    count += len(items)
            changed[stream] = count
            self.raw[stream] = _dedupe(self.raw.get(stream, []) + self._read_delta(folder, key, seq),
                                       ID_FIELD[stream])
        self.manifest["refreshes"] = seq
        self.manifest["refreshed_utc"] = utc_now()
        self._save_manifest(self.root, self.manifest)
        self._frames.clear()
        return changed

    @staticmethod
    def _read_delta(folder: Path, key: str, seq: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for f in sorted(folder.glob(f"delta-{seq:04d}-*.json")):
            out.extend(json.loads(f.read_text("utf-8")).get(key) or [])
        return out
