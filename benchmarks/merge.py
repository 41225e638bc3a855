"""API calls per merged pair, by route, and the total for N pairs next to the lower bound.

Runs against an in-process sandbox: ticks the first N true duplicates, plans, executes through the
journal (history notes off, as in the headless demo; their cost is printed separately), does Xero's
own merge for the xero_ui pairs through the sandbox's stand-in, and verifies from paged reloads.

Lower bound (Xero allows 50 elements per write and 1000 records per page):
  archive pairs:  ceil(contacts / 50)
  repoint pairs:  ceil(invoices / 50) + ceil(credit notes / 50) + the archive batches above
  verification:   ceil(contacts / 1000) + per document kind ceil(documents / 1000) (at least 1 each)
Target: measured total within 1.5x of the lower bound.

    .venv/bin/python benchmarks/merge.py [--pairs 1000] [--learners 2500] [--seed 1]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

from wxsync.journal import Journal, JournaledWriter
from wxsync.merge import api_cost, execute, plan_merges, verify
from wxsync.merge.plan import split
from wxsync.merge.truth import load_frames, sandbox_client, truth_ticks
from wxsync.sandbox.server import start_sandbox

BIG = 1_000_000


def _merge_in_xero_ui(url: str, result) -> None:  # noqa: ANN001
    import requests

    with requests.Session() as s:
        for _, r in result[result["route"] == "xero_ui"].iterrows():
            s.post(f"{url}/sandbox/merge", json={"old_contact_id": r["old_contact_id"],
                                                  "into_contact_id": r["wisenet_contact_id"]},
                   timeout=30).raise_for_status()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--learners", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    with start_sandbox(seed=args.seed, learners=args.learners, minute_limit=BIG, day_limit=BIG) as sb:
        xero = sandbox_client(sb.url, minute_limit=BIG)
        frames = load_frames(xero)
        ticks = truth_ticks(sb.url, frames.contacts, limit=args.pairs)
        if len(ticks) < args.pairs:
            print(f"only {len(ticks)} true duplicates in a {args.learners}-learner sandbox; "
                  "raise --learners", file=sys.stderr)
        plan = plan_merges(ticks, frames, workspace_tenant_id=xero.tenant_id, history_notes=False)
        notes_cost = api_cost(plan_merges(ticks, frames, workspace_tenant_id=xero.tenant_id))["history_notes"]
        n = len(plan)
        routes = plan["route"].value_counts().to_dict()

        with tempfile.TemporaryDirectory() as tmp, Journal(Path(tmp) / "journal.sqlite") as journal:
            c0 = xero.calls
            result = execute(plan, JournaledWriter(journal, xero), xero.organisation()["Name"], progress=False)
            exec_calls = xero.calls - c0
            steps = journal.steps(result["run_id"].iloc[0])
        move_calls = sum(1 for s in steps if s.kind.startswith("move_"))
        archive_calls = sum(1 for s in steps if s.kind == "archive")
        _merge_in_xero_ui(sb.url, result)
        c0 = xero.calls
        ver = verify(result, xero)
        verify_calls = xero.calls - c0
        verified = int((ver["verification"] == "verified").sum())

        final = result["route"].value_counts().to_dict()
        n_api = final.get("archive", 0) + final.get("repoint", 0)
        rep = plan[plan["route"] == "repoint"]
        kinds = [k for v in rep["document_kinds"] for k in split(v)]
        n_inv, n_cn = kinds.count("invoice"), kinds.count("credit_note")
        n_contacts = len(frames.contacts)
        doc_counts = frames.documents["kind"].value_counts().to_dict()
        lb_verify = math.ceil(n_contacts / 1000) + sum(
            max(1, math.ceil(doc_counts.get(k, 0) / 1000))
            for k in ("invoice", "credit_note", "overpayment", "prepayment", "repeating_invoice"))
        lb_moves = math.ceil(n_inv / 50) + math.ceil(n_cn / 50)
        lb_archive = math.ceil(n_api / 50)
        lower = lb_moves + lb_archive + lb_verify
        total = exec_calls + verify_calls

        def per_pair(route: str) -> float:
            if route == "archive":
                return archive_calls / max(n_api, 1) + verify_calls / n
            if route == "repoint":
                return move_calls / max(final.get("repoint", 0), 1) + archive_calls / max(n_api, 1) + verify_calls / n
            return verify_calls / n

        print(f"wxsync merge benchmark: {n} ticked pairs (sandbox seed {args.seed}, {args.learners} learners, "
              f"{n_contacts} contacts, {len(frames.documents)} documents)")
        print(f"planned routes: {routes}; after execution: {final}; verified {verified}/{n}")
        print(f"{'route':<10}{'pairs':>7}{'calls/pair':>12}")
        for route in ("archive", "repoint", "xero_ui"):
            print(f"{route:<10}{final.get(route, 0):>7}{per_pair(route):>12.3f}")
        print(f"calls: moves {move_calls} (lower bound {lb_moves}), archive {archive_calls} "
              f"(lower bound {lb_archive}), organisation check 1, verification {verify_calls} "
              f"(lower bound {lb_verify}); retries {xero.retries}")
        print(f"TOTAL for {n} pairs: {total} calls; lower bound {lower}; ratio {total / lower:.2f}x "
              f"(target <= 1.5x: {'met' if total <= 1.5 * lower else 'NOT met'})")
        print(f"at Xero's 60 calls/minute: {total / 60:.1f} minutes of API budget; history notes would add "
              f"{notes_cost} calls (one per touched contact)")
        print(f"wall time {time.perf_counter() - t0:.1f} s")
        return 0 if total <= 1.5 * lower and verified == n else 1


if __name__ == "__main__":
    raise SystemExit(main())
