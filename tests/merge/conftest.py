"""Fixtures for the merge tests: a small organisation in the in-memory fake Xero."""

from __future__ import annotations

import pandas as pd
import pytest

from merge.fake_xero import FakeXero


def ticked(pairs: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"old_contact_id": o, "wisenet_contact_id": w, "learner_number": n, "ticked": True,
                          "ticked_by": "ana", "ticked_at": "2026-05-01T10:00:00+00:00", "score": 0.97,
                          "band": "high", "reasons": "email identical +7.9"} for o, w, n in pairs])


@pytest.fixture
def org() -> FakeXero:
    """Wisenet contacts W1..W7 (Contact Codes L1..L7) and one old contact each, in every situation."""
    x = FakeXero()
    for i in range(1, 8):
        x.contact(f"W{i}", f"Learner {i} (L{i})", number=f"L{i}")
    x.contact("O1", "Old One")                                  # no documents -> archive
    x.contact("O2", "Old Two")                                  # editable documents -> repoint
    x.invoice("i21", "O2", status="DRAFT", total=110.0)
    x.invoice("i22", "O2", status="AUTHORISED", total=220.0)
    x.credit_note("c21", "O2", total=20.0)
    x.contact("O3", "Old Three")                                # paid -> xero_ui
    x.invoice("i31", "O3", status="PAID", total=300.0, paid=300.0)
    x.contact("O4", "Old Four")                                 # overpayment -> xero_ui
    x.overpayment("p41", "O4")
    x.contact("O5", "Old Five")                                 # repeating invoice -> xero_ui
    x.repeating_invoice("r51", "O5")
    x.contact("O6", "Old Six")                                  # will be paid after planning
    x.invoice("i61", "O6", status="AUTHORISED", total=60.0)
    x.contact("O7", "Old Seven")                                # repeating added after planning
    x.invoice("i10", "W2", status="AUTHORISED", total=5.0)      # the learner's own Wisenet invoice
    return x


@pytest.fixture
def pairs() -> pd.DataFrame:
    return ticked([(f"O{i}", f"W{i}", f"L{i}") for i in range(1, 8)])
