"""Shared helpers of the notebook steps: the client workspace, its saved frames and its API clients."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from wxsync.config import Workspace, default_data_dir
from wxsync.csvfiles import write_excel_csv
from wxsync.errors import InputError

REVIEW_DIR = "review"
REVIEW_FILES = ("pairs", "contacts", "documents")
MERGE_DIR = "merge"
SANDBOX_WISENET_KEY = "sandbox-any-key"
WISENET_KEY_ITEM = "wisenet_api_key"
WISENET_KEY_ENV = "WXSYNC_WISENET_API_KEY"


def open_workspace(client: str, data_dir: str | os.PathLike[str] | None = None) -> Workspace:
    """The client's workspace. With no ``data_dir``: the workspace this notebook sits in, else ``./data``."""
    if data_dir:
        return Workspace.open(client, data_dir)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if folder.name == client and (folder / "client.toml").exists():
            return Workspace(folder)
        if (folder / "data" / client / "client.toml").exists():
            return Workspace(folder / "data" / client)
    return Workspace.open(client, default_data_dir())


def require_bound(ws: Workspace) -> None:
    """Refuse to go on before step 0 bound the workspace to one Xero organisation."""
    if not ws.tenant_id:
        raise InputError(f"Client {ws.name!r} is not bound to a Xero organisation yet.",
                         "Run notebook 00_connect and confirm the organisation name first.")


def _save_pickle(frame: pd.DataFrame, path: Path) -> None:
    """Pickle ``frame`` to ``path`` atomically (a temporary file beside it, then a rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_pickle(tmp)
    os.replace(tmp, path)


# ----- review inputs (written by step 1, read by steps 2 and 3) ---------------------------------
def review_dir(ws: Workspace) -> Path:
    return ws.root / REVIEW_DIR


def save_review_inputs(ws: Workspace, pairs: pd.DataFrame, contacts: pd.DataFrame,
                       documents: pd.DataFrame | None = None) -> Path:
    """Keep the pairs, classified contacts and documents for the review and merge steps."""
    folder = review_dir(ws)
    folder.mkdir(parents=True, exist_ok=True)
    frames = {"pairs": pairs, "contacts": contacts,
              "documents": documents if documents is not None else pd.DataFrame()}
    for name, frame in frames.items():
        _save_pickle(frame.reset_index(drop=True), folder / f"{name}.pkl")
    write_excel_csv(pairs, folder / "pairs.csv")  # readable copy for the record
    return folder


def load_review_inputs(ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(pairs, contacts, documents)`` saved by step 1."""
    folder = review_dir(ws)
    if not (folder / "pairs.pkl").exists():
        raise InputError(f"No duplicate pairs found in {folder} yet.",
                         "Run notebook 01_load for this client first.")
    out = []
    for name in REVIEW_FILES:
        path = folder / f"{name}.pkl"
        out.append(pd.read_pickle(path) if path.exists() else pd.DataFrame())
    return out[0], out[1], out[2]


# ----- merge results (written by step 3, read by step 4) ----------------------------------------
def merge_dir(ws: Workspace) -> Path:
    folder = ws.root / MERGE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_frame(ws: Workspace, name: str, frame: pd.DataFrame) -> None:
    _save_pickle(frame, merge_dir(ws) / f"{name}.pkl")


def load_frame(ws: Workspace, name: str) -> pd.DataFrame | None:
    path = ws.root / MERGE_DIR / f"{name}.pkl"
    return pd.read_pickle(path) if path.exists() else None


# ----- clients for this workspace ---------------------------------------------------------------
def sandbox_url(ws: Workspace) -> str:
    """The sandbox this client is bound to, or "" for the real Xero and Wisenet."""
    return str(ws.settings.get("sandbox", {}).get("url", "") or "").rstrip("/")


def use_sandbox(ws: Workspace, url: str | None) -> None:
    """Bind the client to a running sandbox (``wxsync demo`` passes its URL); "" keeps what is saved."""
    if url:
        ws.update("sandbox", url=url.rstrip("/"))


def secret_store(ws: Workspace) -> Any:
    """This client's private secret store (outside the workspace)."""
    from wxsync.secrets import SecretStore

    return SecretStore(ws.name)


def xero_client(ws: Workspace, **kwargs: Any) -> Any:
    """A Xero client with this workspace's URLs, bound tenant and saved sign-in."""
    from wxsync.xero import XeroClient

    return XeroClient.for_workspace(ws, **kwargs)


def wisenet_api_key(ws: Workspace) -> str:
    """The Wisenet API key: the saved one, else ``$WXSYNC_WISENET_API_KEY`` (headless runs), else the
    sandbox's any-key, else ""."""
    key = secret_store(ws).get(WISENET_KEY_ITEM) or os.environ.get(WISENET_KEY_ENV, "").strip()
    return str(key or (SANDBOX_WISENET_KEY if sandbox_url(ws) else ""))


def wisenet_client(ws: Workspace) -> Any:
    """A Wisenet client with the saved API key (the sandbox accepts any key)."""
    from wxsync.wisenet import WisenetClient

    return WisenetClient(ws.wisenet_settings(), wisenet_api_key(ws))
