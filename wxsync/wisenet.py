"""Wisenet: the v1 API over ``requests`` (``x-api-key``, skip/take paging, 429 back-off) and the CSV
fallback (a learners export with a column mapping)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import requests
from tqdm.auto import tqdm

from wxsync.config import WisenetSettings, Workspace
from wxsync.errors import AuthError, InputError, WxsyncError
from wxsync.ratelimit import Transient, check_status, with_retries
from wxsync.secrets import SecretStore

TAKE = 1000
LEARNERS, LEARNERS_BASIC = "/learnersAU", "/learnersAU/list"
WISENET_KEY_ITEM = "wisenet_api_key"
"""Secret-store item holding the Wisenet API key (a plain string)."""


class WisenetClient:
    """Read-only Wisenet v1 client for learners and their invoices."""

    def __init__(self, settings: WisenetSettings, api_key: str, *, timeout_s: float = 60.0, attempts: int = 8,
                 progress: bool = True, sleep: Callable[[float], None] | None = None) -> None:
        if not api_key:
            raise AuthError("No Wisenet API key was given.",
                            "Paste the key from Wisenet LRM > Settings > API Keys, or use a learners CSV export.")
        self.settings = settings
        self.calls = 0
        self.retries = 0
        self.timeout_s = timeout_s
        self.attempts = attempts
        self.progress = progress
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers.update({"x-api-key": api_key, "Accept": "application/json"})

    @classmethod
    def for_workspace(cls, ws: Workspace, api_key: str | None = None, **kwargs: Any) -> WisenetClient:
        """A client for a workspace; the key is saved to (or read from) the per-user secret store."""
        store = SecretStore(ws.name)
        if api_key:
            store.put(WISENET_KEY_ITEM, api_key)
        else:
            saved = store.get(WISENET_KEY_ITEM)
            api_key = saved.get("api_key", "") if isinstance(saved, dict) else str(saved or "")
        return cls(ws.wisenet_settings(), api_key or "", **kwargs)

    def __repr__(self) -> str:  # never show the key
        return f"WisenetClient(base_url={self.settings.base_url!r})"

    def _once(self, path: str, params: dict[str, Any] | None) -> Any:
        self.calls += 1
        try:
            resp = self._session.get(self.settings.base_url + path, params=params, timeout=(10, self.timeout_s))
        except requests.RequestException as exc:
            raise Transient(f"connection problem: {type(exc).__name__}") from exc
        check_status(resp.status_code, resp.headers, "Wisenet")
        if resp.status_code in (401, 403):
            raise AuthError(f"Wisenet refused the API key (HTTP {resp.status_code}).",
                            "Check the key in Wisenet LRM > Settings > API Keys (the API licence must be on).")
        if resp.status_code >= 400:
            raise WxsyncError(f"Wisenet answered HTTP {resp.status_code} for {path}.",
                              "Check the Wisenet base URL in client.toml.")
        try:
            return resp.json()
        except ValueError as exc:
            raise Transient("Wisenet sent a response that is not JSON") from exc

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET with 429 back-off and retries on 5xx / dropped connections."""
        def on_retry(_e: BaseException) -> None:
            self.retries += 1

        kwargs: dict[str, Any] = {"sleep": self._sleep} if self._sleep else {}
        return with_retries(lambda: self._once(path, params), what=f"Wisenet GET {path}",
                            attempts=self.attempts, on_retry=on_retry, **kwargs)

    def pages(self, path: str, params: dict[str, Any] | None = None, *, start: int = 0, desc: str = "Wisenet",
              initial: int = 0) -> Iterator[tuple[int, list[Any]]]:
        """``(skip, items)`` per call of a skip/take endpoint, 1000 items a call, from ``skip=start`` on (so an
        interrupted load can continue); ``initial`` items already loaded start the progress bar."""
        skip = start
        with tqdm(desc=desc, unit=" rec", disable=not self.progress, leave=False, initial=initial) as bar:
            while True:
                page = self.get(path, {**(params or {}), "skip": skip, "take": TAKE})
                items = page if isinstance(page, list) else (page or {}).get("Data") or []
                bar.update(len(items))
                yield skip, items
                if len(items) < TAKE:
                    return
                skip += TAKE

    def paged(self, path: str, params: dict[str, Any] | None = None, desc: str = "Wisenet") -> list[Any]:
        """All items of a skip/take endpoint, 1000 per call."""
        return [item for _skip, items in self.pages(path, params, desc=desc) for item in items]

    def learners(self, basic: bool = False) -> list[dict[str, Any]]:
        """All learners: full ``{Data, Relationships}`` items, or ``/learnersAU/list`` basic items."""
        return self.paged(LEARNERS_BASIC if basic else LEARNERS, desc="Wisenet learners")

    def learner_pages(self, start: int = 0, initial: int = 0) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """The full learners, page by page from ``skip=start`` (see :meth:`pages`)."""
        return self.pages(LEARNERS, start=start, desc="Wisenet learners", initial=initial)

    def states(self) -> list[dict[str, Any]]:
        """``/combos/states`` (StateId -> Code); empty when the endpoint is not available."""
        try:
            data = self.get("/combos/states")
        except WxsyncError:
            return []
        return data if isinstance(data, list) else []

    def invoices(self, learner_id: str | int) -> list[dict[str, Any]]:
        """Wisenet's copies of one learner's Xero invoices."""
        return self.paged("/invoices", {"learnerIdFilter": learner_id}, desc="Wisenet invoices")


# --- CSV import --------------------------------------------------------------------------------------
FIELD_ALIASES: dict[str, list[str]] = {
    "LearnerNumber": ["LearnerNumber", "Learner Number", "Learner No", "RefInternal", "Ref Internal",
                      "Student Number", "Student No", "Student ID", "StudentNumber", "Learner ID Number"],
    "LearnerId": ["LearnerId", "Learner Id", "Learner ID"],
    "FirstName": ["FirstName", "First Name", "Given Name", "Given Names", "Firstname"],
    "LastName": ["LastName", "Last Name", "Surname", "Family Name", "Lastname"],
    "Email": ["Email", "Email Address", "E-mail", "EmailAddress"],
    "Mobile": ["Mobile", "Mobile Phone", "Mobile Number", "Phone Mobile", "Mobile No"],
    "DateOfBirth": ["DateOfBirth", "Date of Birth", "DOB", "Birth Date"],
    "IsActive": ["IsActive", "Active", "Is Active", "Status Active"],
    "SyncToXero": ["SyncToXero", "Sync to Xero", "Sync To Xero", "Xero Sync"],
    "AddressLine1": ["AddressLine1", "Address Line 1", "Street Address", "Address", "Street"],
    "City": ["City", "Suburb", "Suburb/Town/City", "SuburbTownCity", "Town"],
    "State": ["State", "State Code", "StateCode"],
    "Postcode": ["Postcode", "Post Code", "Postal Code", "PostalCode", "Zip"],
}
REQUIRED = ("LearnerNumber", "FirstName", "LastName")


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _decode(raw: bytes) -> str:
    """Text of a spreadsheet export: UTF-8 (with or without BOM), UTF-16, else Windows-1252 or Latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def read_learners_csv(path: str | Path, mapping: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Read a Wisenet learners export into records shaped like ``/learnersAU/list`` items.

    ``mapping`` maps our field names (``LearnerNumber``, ``FirstName``, ...) to the CSV's column titles
    and wins over the built-in aliases. UTF-8 (with or without BOM), UTF-16 and Windows-1252 files are
    read. Blank rows are skipped; a missing column, a row without learner number or a duplicated
    learner number raise :class:`InputError` naming the rows (numbered as in a spreadsheet, header = 1).
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read the learners CSV {p}: {exc.strerror or exc}.",
                         "Check the path, or export the learners again from Wisenet.") from exc
    content = _decode(raw)
    if not content.strip():
        raise InputError(f"The learners CSV {p.name} is empty.", "Export the learners again from Wisenet.")
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content), dialect)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(f"The learners CSV {p.name} is not a readable CSV file ({exc}).",
                         "Open it in a spreadsheet and save it again as 'CSV UTF-8'.") from exc
    header_idx = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if header_idx is None:
        raise InputError(f"The learners CSV {p.name} has no header row.", "Export the learners again.")
    header = [c.strip() for c in rows[header_idx]]
    by_norm = {_norm(h): i for i, h in reversed(list(enumerate(header))) if h}

    columns: dict[str, int] = {}
    for fld, aliases in FIELD_ALIASES.items():
        wanted = [mapping[fld]] if mapping and fld in mapping else aliases
        for alias in wanted:
            if _norm(alias) in by_norm:
                columns[fld] = by_norm[_norm(alias)]
                break
        else:
            if mapping and fld in mapping:
                raise InputError(
                    f"The learners CSV {p.name} has no column {mapping[fld]!r} (mapped to {fld}). "
                    f"Its columns are: {', '.join(repr(h) for h in header if h)}.",
                    "Fix the column mapping, e.g. mapping={'" + fld + "': 'the column title'}.")
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise InputError(
            f"The learners CSV {p.name} lacks the column(s) {', '.join(missing)} "
            f"(looked for e.g. {', '.join(repr(FIELD_ALIASES[f][1]) for f in missing)}). "
            f"Its columns are: {', '.join(repr(h) for h in header if h)}.",
            "Rename the column in the file or pass mapping={'LearnerNumber': 'Your Column', ...}.")

    records: list[dict[str, Any]] = []
    no_number: list[int] = []
    seen: dict[str, int] = {}
    dupes: list[str] = []
    for i, row in enumerate(rows[header_idx + 1:], start=header_idx + 2):
        if not any(c.strip() for c in row):
            continue  # blank row
        rec: dict[str, Any] = {}
        for fld, col in columns.items():
            rec[fld] = row[col].strip() if col < len(row) else ""
        if not rec["LearnerNumber"]:
            no_number.append(i)
            continue
        num = rec["LearnerNumber"]
        if num in seen:
            dupes.append(f"{num!r} on rows {seen[num]} and {i}")
        else:
            seen[num] = i
        if "SyncToXero" not in columns:
            rec["SyncToXero"] = True  # an export without the flag is taken as the learners to sync
        if "IsActive" not in columns:
            rec["IsActive"] = True
        records.append(rec)
    problems = []
    if no_number:
        problems.append(f"rows {_rows(no_number)} have no learner number")
    if dupes:
        problems.append("duplicate learner numbers: " + "; ".join(dupes[:20]) + (" ..." if len(dupes) > 20 else ""))
    if problems:
        raise InputError(f"The learners CSV {p.name} has problems: " + "; ".join(problems) + ".",
                         "Fix those rows in the file (each learner once, with its Wisenet learner number / "
                         "RefInternal) and load it again.")
    if not records:
        raise InputError(f"The learners CSV {p.name} has a header but no learners.",
                         "Export the learners again from Wisenet.")
    return records


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20])
    return shown + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")
