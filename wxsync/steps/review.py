"""Step 2 (``02_review_duplicates``): the review widget over the pairs saved by step 1."""

from __future__ import annotations

from typing import Any

import pandas as pd

from wxsync.config import Workspace
from wxsync.steps.workspace import load_review_inputs

BANDS = ("high", "review", "low")


def review_table(ws: Workspace, by: str | None = None, auto_tick_high: bool = False) -> Any:
    """The review widget over the saved pairs; ticks restored from and saved to ``decisions.csv``."""
    from wxsync.review import ReviewTable

    pairs, contacts, documents = load_review_inputs(ws)
    table = ReviewTable(pairs, ws.decisions_csv, contacts=contacts, documents=documents, by=by)
    if auto_tick_high:
        table.tick_high_without_conflict()
    return table


def review_summary(ws: Workspace) -> pd.DataFrame:
    """How many pairs are ticked, per band (from ``decisions.csv``)."""
    from wxsync import decisions

    ticked = decisions.ticked_pairs(ws.decisions_csv)
    counts = ticked.groupby("band").size() if not ticked.empty else pd.Series(dtype=int)
    return pd.DataFrame({"band": list(BANDS), "ticked": [int(counts.get(b, 0)) for b in BANDS]})
