"""Benchmark: load every contact (archived too) and every document of a ~20,000-contact sandbox.

Prints the API calls and wall time next to the lower bound ceil(N/1000) calls for contacts (target: at
most bound + 2). The sandbox runs with a high minute limit (stated in the output) so the figure measures
the client's paging, not Xero's 60-calls-per-minute wait; at Xero's real 60/min the same load needs
about (calls / 60) minutes.

    .venv/bin/python benchmarks/load.py [--learners 13500] [--old-contacts 9500] [--seed 7]
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time

import requests

from wxsync.auth import sign_in_pkce
from wxsync.config import XeroSettings
from wxsync.sandbox.generator import generate
from wxsync.sandbox.server import start_sandbox
from wxsync.secrets import SecretStore
from wxsync.xero import XeroClient


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=13500)
    ap.add_argument("--old-contacts", type=int, default=9500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--minute-limit", type=int, default=100000)
    args = ap.parse_args()
    os.environ.setdefault("WXSYNC_SECRETS_DIR", tempfile.mkdtemp(prefix="wxsync-bench-secrets-"))

    t0 = time.perf_counter()
    org = generate(args.seed, args.learners, old_contacts=args.old_contacts)
    gen_s = time.perf_counter() - t0
    with start_sandbox(seed=args.seed, org=org, minute_limit=args.minute_limit, day_limit=10**7) as sb:
        n_contacts = sb.store.count("contact")
        tokens = sign_in_pkce(XeroSettings.for_sandbox(sb.url), "bench", store=SecretStore("bench"),
                              open_browser=lambda url: requests.get(url, timeout=30))
        xero = XeroClient(XeroSettings.for_sandbox(sb.url), tokens, minute_limit=args.minute_limit,
                          progress=False)
        xero.connect()

        calls0, t1 = xero.calls, time.perf_counter()
        contacts = xero.load_contacts()
        contact_calls, contact_s = xero.calls - calls0, time.perf_counter() - t1

        calls1, t2 = xero.calls, time.perf_counter()
        docs = xero.load_documents()
        doc_calls, doc_s = xero.calls - calls1, time.perf_counter() - t2

    bound = math.ceil(n_contacts / 1000)
    n_docs = {k: len(v) for k, v in docs.items()}
    print(f"sandbox: seed {args.seed}, {args.learners} learners, {args.old_contacts} old contacts "
          f"(generated in {gen_s:.1f}s); minute limit raised to {args.minute_limit}/min for this run "
          "(Xero's real limit is 60/min)")
    print(f"contacts in sandbox: {n_contacts}; loaded: {len(contacts)} (archived included)")
    print(f"contacts: {contact_calls} API calls (lower bound ceil(N/1000) = {bound}, target <= {bound + 2}: "
          f"{'OK' if contact_calls <= bound + 2 else 'MISSED'}), {contact_s:.1f}s wall")
    print(f"documents: {sum(n_docs.values())} ({', '.join(f'{k} {v}' for k, v in n_docs.items())}) in "
          f"{doc_calls} API calls, {doc_s:.1f}s wall")
    total = contact_calls + doc_calls
    print(f"total: {total} API calls, {contact_s + doc_s:.1f}s wall; "
          f"at Xero's 60 calls/minute that is about {math.ceil(total / 60)} minute(s) of budget")
    if len(contacts) != n_contacts or contact_calls > bound + 2:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
