"""Sandbox helpers for tests, benchmarks and the headless demo: a signed-in client and ticked pairs
taken from the sandbox's ground truth (as if a consultant had ticked every true duplicate)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import requests

from wxsync.auth import sign_in_client_credentials
from wxsync.config import XeroSettings
from wxsync.frames import contacts_frame, documents_frame
from wxsync.xero import XeroClient


@dataclass
class Frames:
    """The parts of a snapshot the merge planner reads."""

    contacts: pd.DataFrame
    documents: pd.DataFrame
    learners: pd.DataFrame | None = None


def sandbox_client(url: str, *, minute_limit: int = 60, window_s: float = 60.0, progress: bool = False,
                   **kwargs: Any) -> XeroClient:
    """A XeroClient signed in to the sandbox with a Custom Connection (any id and secret work there)."""
    settings = XeroSettings.for_sandbox(url)
    tokens = sign_in_client_credentials(settings, "wxsync-sandbox", "sandbox-secret", store=None)
    xero = XeroClient(settings, tokens, minute_limit=minute_limit, window_s=window_s, progress=progress,
                      **kwargs)
    xero.connect()
    return xero


def load_frames(xero: XeroClient) -> Frames:
    """All contacts and documents, as the merge planner wants them."""
    contacts = contacts_frame(xero.load_contacts(include_archived=True))
    docs = xero.load_documents()
    documents = documents_frame(docs["invoices"], docs["credit_notes"], docs["overpayments"],
                                docs["prepayments"], docs["repeating_invoices"])
    return Frames(contacts, documents)


def truth_ticks(url: str, contacts: pd.DataFrame, limit: int | None = None,
                by: str = "sandbox-truth") -> pd.DataFrame:
    """Decisions-shaped ticked pairs: each true duplicate -> its learner's Wisenet contact."""
    truth = requests.get(f"{url}/sandbox/truth", timeout=30).json()["duplicates"]
    active = contacts[contacts["status"] == "ACTIVE"]
    wisenet = dict(zip(active["contact_number"], active["contact_id"], strict=False))
    rows, seen = [], set()
    for d in truth:
        old, number = str(d["old_contact_id"]), str(d["learner_number"])
        if old in seen or number not in wisenet:
            continue
        seen.add(old)
        rows.append({"old_contact_id": old, "wisenet_contact_id": wisenet[number], "learner_number": number,
                     "ticked": True, "ticked_by": by, "ticked_at": "2026-01-01T00:00:00+00:00",
                     "score": 1.0, "band": "high", "reasons": "ground truth"})
    frame = pd.DataFrame(rows)
    return frame.head(limit) if limit else frame
