"""Settings (where Xero and Wisenet live) and the per-client workspace under ``data/NAME/``.

``client.toml`` holds only non-secret facts: the bound tenant, base URLs, the resync date. Secrets live in
:mod:`wxsync.secrets`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from wxsync.errors import InputError, TenantMismatchError

CLIENT_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class XeroSettings:
    """Where the Xero identity service, Accounting API and web app live."""

    api_base: str
    token_url: str
    authorize_url: str
    connections_url: str
    web_base: str

    @classmethod
    def live(cls) -> XeroSettings:
        return cls(
            api_base="https://api.xero.com/api.xro/2.0",
            token_url="https://identity.xero.com/connect/token",
            authorize_url="https://login.xero.com/identity/connect/authorize",
            connections_url="https://api.xero.com/connections",
            web_base="https://go.xero.com",
        )

    @classmethod
    def for_sandbox(cls, base_url: str) -> XeroSettings:
        base = base_url.rstrip("/")
        return cls(
            api_base=f"{base}/api.xro/2.0",
            token_url=f"{base}/connect/token",
            authorize_url=f"{base}/identity/connect/authorize",
            connections_url=f"{base}/connections",
            web_base=base,
        )

    def contact_link(self, short_code: str, contact_id: str) -> str:
        """Deep link to a contact in the Xero web app (where Xero's own merge lives)."""
        return f"{self.web_base}/app/{short_code}/contacts/contact/{contact_id}"


@dataclass(frozen=True)
class WisenetSettings:
    """Where the Wisenet v1 API lives."""

    base_url: str

    @classmethod
    def live(cls) -> WisenetSettings:
        return cls(base_url="https://api.wisenet.co/v1")

    @classmethod
    def for_sandbox(cls, base_url: str) -> WisenetSettings:
        return cls(base_url=f"{base_url.rstrip('/')}/v1")


def default_data_dir() -> Path:
    """``$WXSYNC_DATA_DIR`` or ``./data``."""
    return Path(os.environ.get("WXSYNC_DATA_DIR") or "data")


def _check_name(name: str) -> None:
    if not CLIENT_NAME_RE.match(name or ""):
        raise InputError(
            f"{name!r} is not a usable client name.",
            "Use letters, digits, '-', '_' or '.', starting with a letter or digit (at most 64 characters).",
        )


@dataclass
class Workspace:
    """One client's folder: ``client.toml``, notebooks, snapshots, decisions, journal and evidence."""

    root: Path

    def __post_init__(self) -> None:
        self.root = Path(self.root)

    # paths ---------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.root.name

    @property
    def client_toml(self) -> Path:
        return self.root / "client.toml"

    @property
    def notebooks_dir(self) -> Path:
        return self.root / "notebooks"

    @property
    def snapshots_dir(self) -> Path:
        return self.root / "snapshots"

    @property
    def decisions_csv(self) -> Path:
        return self.root / "decisions.csv"

    @property
    def journal_db(self) -> Path:
        return self.root / "journal.sqlite"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    # life cycle ----------------------------------------------------------
    @classmethod
    def create(cls, name: str, data_dir: Path | str | None = None, *, exist_ok: bool = True,
               settings: dict[str, Any] | None = None) -> Workspace:
        """Create ``data_dir/name`` with its sub-folders and a ``client.toml``; keep existing files."""
        _check_name(name)
        root = Path(data_dir if data_dir is not None else default_data_dir()) / name
        if root.exists() and not exist_ok:
            raise InputError(f"The client workspace {root} already exists.",
                             "Open it instead, or pick another client name.")
        ws = cls(root)
        for d in (ws.root, ws.notebooks_dir, ws.snapshots_dir, ws.evidence_dir):
            d.mkdir(parents=True, exist_ok=True)
        current = ws.settings if ws.client_toml.exists() else {}
        current.setdefault("client", {}).setdefault("name", name)
        for section, values in (settings or {}).items():
            current.setdefault(section, {}).update(values)
        ws.save_settings(current)
        return ws

    @classmethod
    def open(cls, name: str, data_dir: Path | str | None = None) -> Workspace:
        """Open an existing workspace; a clear error if it does not exist."""
        _check_name(name)
        root = Path(data_dir if data_dir is not None else default_data_dir()) / name
        if not (root / "client.toml").exists():
            raise InputError(f"No client workspace named {name!r} in {root.parent}.",
                             f"Create it first with `wxsync client new {name}`.")
        return cls(root)

    # settings ------------------------------------------------------------
    @property
    def settings(self) -> dict[str, Any]:
        """The contents of ``client.toml`` (read fresh each time)."""
        if not self.client_toml.exists():
            return {}
        try:
            with self.client_toml.open("rb") as fh:
                return tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{self.client_toml} is not valid TOML: {exc}",
                             "Fix the file by hand or delete it and run `wxsync client new` again.") from exc

    def save_settings(self, settings: dict[str, Any]) -> None:
        """Write ``client.toml`` atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        clean = {k: {kk: vv for kk, vv in v.items() if vv is not None} if isinstance(v, dict) else v
                 for k, v in settings.items()}
        tmp = self.client_toml.with_suffix(".toml.tmp")
        tmp.write_bytes(tomli_w.dumps(clean).encode("utf-8"))
        os.replace(tmp, self.client_toml)

    def update(self, section: str, **values: Any) -> dict[str, Any]:
        """Set keys in one section of ``client.toml`` and return the new settings."""
        current = self.settings
        current.setdefault(section, {}).update({k: v for k, v in values.items() if v is not None})
        self.save_settings(current)
        return current

    def bind_tenant(self, tenant_id: str, tenant_name: str, short_code: str = "") -> None:
        """Bind this workspace to one Xero organisation; refuse a different one later."""
        xero = self.settings.get("xero", {})
        bound = xero.get("tenant_id")
        if bound and bound != tenant_id:
            raise TenantMismatchError(
                f"This client workspace ({self.name}) belongs to the Xero organisation "
                f"{xero.get('tenant_name', '?')!r} ({bound}), but you signed in to {tenant_name!r} ({tenant_id}).",
                "Sign in again and pick the right organisation, or create a new client workspace for this one.",
            )
        self.update("xero", tenant_id=tenant_id, tenant_name=tenant_name, short_code=short_code or None)

    @property
    def tenant_id(self) -> str | None:
        return self.settings.get("xero", {}).get("tenant_id")

    def xero_settings(self) -> XeroSettings:
        """Xero URLs for this client: the sandbox when ``[sandbox] url`` is set, else live (with overrides)."""
        s = self.settings
        sandbox_url = s.get("sandbox", {}).get("url")
        base = XeroSettings.for_sandbox(sandbox_url) if sandbox_url else XeroSettings.live()
        over = {k: v for k, v in s.get("xero", {}).items() if k in XeroSettings.__dataclass_fields__ and v}
        return XeroSettings(**{**base.__dict__, **over})

    def wisenet_settings(self) -> WisenetSettings:
        s = self.settings
        url = s.get("wisenet", {}).get("base_url")
        if url:
            return WisenetSettings(url)
        sandbox_url = s.get("sandbox", {}).get("url")
        return WisenetSettings.for_sandbox(sandbox_url) if sandbox_url else WisenetSettings.live()
