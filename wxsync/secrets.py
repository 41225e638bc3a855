"""Per-user secret store: Xero tokens, client secrets and Wisenet keys, outside every workspace.

One JSON file per (client, item) under ``platformdirs.user_config_dir("wxsync")/secrets`` (or
``$WXSYNC_SECRETS_DIR``). Folders are ``0700``, files ``0600``, every write is atomic (temp file,
fsync, rename) so a crash never leaves a half-written refresh token behind.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

from wxsync.errors import InputError

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def secrets_dir() -> Path:
    """The root of the store (``$WXSYNC_SECRETS_DIR`` wins)."""
    env = os.environ.get("WXSYNC_SECRETS_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir("wxsync")) / "secrets"


def _part(value: str, what: str) -> str:
    if not _SAFE.match(value or ""):
        raise InputError(f"{what} {value!r} cannot be used as a secret name.",
                         "Use letters, digits, '-', '_' or '.'.")
    return value


def atomic_write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class SecretStore:
    """Secrets of one client workspace (``client``), e.g. ``store.put("xero_token", {...})``."""

    def __init__(self, client: str, root: Path | None = None) -> None:
        self.client = _part(client, "Client name")
        self.root = Path(root) if root is not None else secrets_dir()

    @property
    def folder(self) -> Path:
        return self.root / self.client

    def path(self, item: str) -> Path:
        return self.folder / f"{_part(item, 'Secret')}.json"

    def get(self, item: str) -> Any | None:
        """The stored value, or None when absent."""
        p = self.path(item)
        if not p.exists():
            return None
        try:
            return json.loads(p.read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, item: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) atomically, owner-only."""
        for d in (self.root, self.folder):
            d.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(d, 0o700)
        atomic_write_private(self.path(item), json.dumps(value, sort_keys=True).encode("utf-8"))

    def delete(self, item: str) -> None:
        p = self.path(item)
        if p.exists():
            p.unlink()

    def __repr__(self) -> str:  # never show values
        return f"SecretStore(client={self.client!r}, folder={str(self.folder)!r})"
