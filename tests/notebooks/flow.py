"""A client taken through steps 0-3 by library calls (no notebooks) against a sandbox, for step tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wxsync import steps
from wxsync.clients import new_client
from wxsync.config import Workspace


@dataclass
class Flow:
    sandbox: Any
    ws: Workspace
    org: str
    secrets: Path
    plan: Any


def connect_and_load(sandbox: Any, data: Path, name: str = "flow") -> tuple[Workspace, str]:
    ws = new_client(name, data, sandbox_url=sandbox.url)
    org = sandbox.state.organisation["Name"]
    steps.connect(ws, confirm_org_name=org)
    steps.load(ws)
    return ws, org


def merged_flow(sandbox: Any, data: Path, secrets: Path, name: str = "flow") -> Flow:
    """Connect, load, tick the high band, execute the API routes, merge the worklist, verify.

    The caller points ``WXSYNC_SECRETS_DIR`` at ``secrets`` for as long as the flow is used.
    """
    ws, org = connect_and_load(sandbox, data, name)
    steps.review_table(ws, auto_tick_high=True)
    plan = steps.merge_plan(ws, history_notes=False)
    steps.merge_execute(ws, plan, confirm_org_name=org)
    steps.sandbox_merge_worklist(ws, plan)
    steps.merge_verify(ws, plan)
    return Flow(sandbox, ws, org, secrets, plan)
