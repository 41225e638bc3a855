"""Run one merge execution in its own process, optionally SIGKILLing itself at a chosen write.

    python tests/merge/runner.py URL PLAN.pkl JOURNAL RUN_ID ORG_NAME [--kill-at N --kill-mode before|after]

``before``: dies when the N-th write of this process is journalled ``sent`` but not yet sent;
``after``: dies when Xero has applied the N-th write but before its answer is journalled.
"""

from __future__ import annotations

import argparse
import os
import signal

import pandas as pd

from wxsync.journal import Journal, JournaledWriter
from wxsync.merge import execute
from wxsync.merge.truth import sandbox_client


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("plan")
    ap.add_argument("journal")
    ap.add_argument("run_id")
    ap.add_argument("org_name")
    ap.add_argument("--kill-at", type=int, default=0)
    ap.add_argument("--kill-mode", choices=["before", "after"], default="after")
    args = ap.parse_args()

    xero = sandbox_client(args.url, minute_limit=100000)
    if args.kill_at:
        real_write = xero.write
        count = {"n": 0}

        def write(*a, **kw):  # noqa: ANN002, ANN003, ANN202
            count["n"] += 1
            if count["n"] == args.kill_at and args.kill_mode == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            answer = real_write(*a, **kw)
            if count["n"] == args.kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return answer

        xero.write = write  # type: ignore[method-assign]
    plan = pd.read_pickle(args.plan)
    with Journal(args.journal) as journal:
        execute(plan, JournaledWriter(journal, xero), args.org_name, run_id=args.run_id, progress=False)
    print("done")


if __name__ == "__main__":
    main()
