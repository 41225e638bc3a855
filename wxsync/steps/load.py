"""Step 1 (``01_load``): snapshot Xero and Wisenet, preflight, classify contacts, find duplicate pairs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wxsync.config import Workspace
from wxsync.csvfiles import write_excel_csv
from wxsync.errors import InputError
from wxsync.steps.workspace import require_bound, save_review_inputs, wisenet_client, xero_client

BANDS = ("high", "review", "low")
PREFLIGHT_CSV = "preflight.csv"
UNMATCHED_CSV = "unmatched_contact_codes.csv"


class Loaded:
    """What step 1 shows: counts, the preflight (per problem, with the screen that fixes it, and the path of
    its CSV), the contacts whose Contact Code matches no learner, and the pairs per band."""

    def __init__(self, counts: pd.DataFrame, preflight: pd.DataFrame, pairs: pd.DataFrame,
                 preflight_csv: Path | None = None, unmatched_codes: pd.DataFrame | None = None) -> None:
        self.counts = counts
        self.preflight = preflight
        self.pairs = pairs
        self.preflight_csv = preflight_csv
        self.unmatched_codes = unmatched_codes if unmatched_codes is not None else pd.DataFrame()
        bands = pairs.groupby("band").size() if len(pairs) else pd.Series(dtype=int)
        conflicts = (pairs.assign(c=pairs["conflict"].astype(str).str.strip() != "").groupby("band")["c"].sum()
                     if len(pairs) else pd.Series(dtype=int))
        self.pairs_by_band = pd.DataFrame({"band": list(BANDS),
                                           "pairs": [int(bands.get(b, 0)) for b in BANDS],
                                           "with conflict": [int(conflicts.get(b, 0)) for b in BANDS]})

    @property
    def preflight_text(self) -> str:
        """One readable paragraph: how many learners are blocked, where the rows are, the unmatched codes."""
        blocked = self.preflight[self.preflight["learners"] > 0]
        head = (f"{int(blocked['learners'].sum()):,} learner problem(s) of {len(blocked)} kind(s)"
                if len(blocked) else "No preflight problem: every learner can sync")
        lines = [f"{head}. Every row, with the learner and the screen to fix it: {self.preflight_csv}"]
        n = len(self.unmatched_codes)
        lines.append(f"{n:,} Xero contact(s) have a Contact Code that matches no Wisenet learner"
                     + (" (listed below; check them: a typo, a deleted learner, or another tool's codes)."
                        if n else "."))
        return "\n".join(lines)


def load(ws: Workspace, fresh: bool = False, learners_csv: str = "") -> Loaded:
    """Snapshot Xero and Wisenet (continuing an interrupted load), preflight, classify, find pairs.

    A finished snapshot is reused (no API calls) unless ``fresh``.
    """
    from wxsync.match import classify_contacts, find_duplicates
    from wxsync.preflight import preflight
    from wxsync.snapshot import Snapshot

    require_bound(ws)
    try:
        snap = None if fresh else Snapshot.load(ws)
    except InputError:
        snap = None
    calls = 0
    if snap is None:
        xero = xero_client(ws)
        wisenet = None if learners_csv else wisenet_client(ws)
        snap = Snapshot.take(ws, xero, wisenet, learners_csv=learners_csv or None, fresh=fresh)
        calls = xero.calls
    checks = preflight(snap.learners, snap.contacts)
    preflight_csv = checks.write_csv(ws.evidence_dir / PREFLIGHT_CSV)
    unmatched = checks.unmatched_codes
    write_excel_csv(unmatched, ws.evidence_dir / UNMATCHED_CSV)
    classified = classify_contacts(snap.contacts, snap.learners)
    pairs = find_duplicates(classified)
    save_review_inputs(ws, pairs, classified, snap.documents)
    contacts = snap.contacts
    counts = pd.DataFrame([
        {"what": "Xero contacts (active)", "count": int((contacts["status"] == "ACTIVE").sum())},
        {"what": "Xero contacts (archived)", "count": int((contacts["status"] == "ARCHIVED").sum())},
        {"what": "Wisenet-generated contacts", "count": int(classified["is_wisenet"].sum())},
        {"what": "Xero documents", "count": len(snap.documents)},
        {"what": "Wisenet learners", "count": len(snap.learners)},
        {"what": "learners not ready to sync (preflight)", "count": int((~checks.table["ready"].astype(bool)).sum())
         if "ready" in checks.table else 0},
        {"what": "contacts whose Contact Code matches no learner", "count": len(unmatched)},
        {"what": "candidate duplicate pairs", "count": len(pairs)},
        {"what": "Xero API calls for this load", "count": calls},
    ])
    summary = checks.summary().sort_values("learners", ascending=False, kind="stable").reset_index(drop=True)
    return Loaded(counts, summary, pairs, preflight_csv=preflight_csv, unmatched_codes=unmatched)
