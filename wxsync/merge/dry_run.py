"""The dry run: exactly the write requests an execution would send, before anything is written."""

from __future__ import annotations

import pandas as pd

from wxsync.merge.execute import API_ROUTES, check_plan
from wxsync.merge.requests import (
    WriteRequest,
    document_moves,
    move_requests,
    note_requests,
    note_texts,
    status_requests,
)

RUN_PLACEHOLDER = "<run id>"


def planned_requests(plan: pd.DataFrame, run_id: str = RUN_PLACEHOLDER) -> list[WriteRequest]:
    """The requests of a run in which Xero accepts every element (refusals only remove later ones)."""
    check_plan(plan)
    api = plan[plan["route"].isin(API_ROUTES)]
    reqs = move_requests(document_moves(plan))
    reqs += status_requests(list(api["old_contact_id"]), "ARCHIVED", "archive")
    reqs += note_requests(note_texts(api[api["history_notes"].astype(bool)], run_id))
    return reqs


def dry_run(plan: pd.DataFrame, api_base: str = "", run_id: str = RUN_PLACEHOLDER) -> list[str]:
    """Each request as ``METHOD URL`` plus its JSON body, in the order execution sends them.

    Every request also carries an ``Idempotency-Key`` derived from the run id and its content.
    """
    return [r.render(api_base) for r in planned_requests(plan, run_id)]
