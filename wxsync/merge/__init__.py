"""Merge ticked pairs: plan routes, execute API routes through the journal, verify, undo, guide.

Xero's API has no merge: pairs are archived, re-pointed then archived, or left to Xero's own merge with a
worklist of direct links. See ``docs/interfaces.md`` for the contract.
"""

from wxsync.merge.dry_run import dry_run, planned_requests
from wxsync.merge.execute import execute, resume, stored_plan
from wxsync.merge.plan import api_cost, plan_merges, route_for
from wxsync.merge.undo import XERO_MERGE_NOTE, undo
from wxsync.merge.verify import verify
from wxsync.merge.worklist import worklist

__all__ = ["XERO_MERGE_NOTE", "api_cost", "dry_run", "execute", "plan_merges", "planned_requests", "resume",
           "route_for", "stored_plan", "undo", "verify", "worklist"]
