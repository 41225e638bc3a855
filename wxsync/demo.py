"""``wxsync demo``: the whole job on the local sandbox, in JupyterLab or headless.

The workspace is ``DATA_DIR/demo/``; the sandbox keeps its state in ``DATA_DIR/demo/sandbox.sqlite`` so
that a second run (after Ctrl-C, a crash or SIGKILL) continues where the first stopped: the snapshot, the
decisions, the journal of writes and the sandbox's own data all persist.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from wxsync.clients import STEPS, new_client
from wxsync.config import Workspace
from wxsync.csvfiles import read_excel_csv
from wxsync.errors import WxsyncError

CLIENT = "demo"
DEMO_USER = "wxsync demo (auto-tick high)"
SUMMARY_METRICS = ("pairs", "verified", "not_verified", "merged_through_api", "merged_with_xero_merge",
                   "fallbacks_to_xero_ui", "documents_moved")


def _forget_sandbox_sign_in(ws: Workspace) -> None:
    """Sandbox tokens are worthless and may come from an older sandbox: sign in afresh each run."""
    from wxsync.secrets import SecretStore

    store = SecretStore(ws.name)
    for item in ("xero_token", "xero_app"):
        store.delete(item)


def _step_parameters(ws: Workspace, org_name: str) -> dict[str, dict[str, Any]]:
    common = {"client": ws.name, "data_dir": str(ws.root.parent)}
    return {
        # the sandbox URL is in client.toml (updated at each start): a URL in the notebook would go stale
        "00_connect": {**common, "xero_client_id": "wxsync-demo", "confirm_org_name": org_name},
        "01_load": common,
        "02_review_duplicates": {**common, "auto_tick_high": True},
        "03_merge": {**common, "confirm_org_name": org_name, "history_notes": False,
                     "perform_sandbox_merges": True},
        # the demo accepts the suggested first connection date explicitly (a consultant confirms it)
        "04_resync": {**common, "accept_suggested_date": True, "perform_sandbox_resync": True,
                      "perform_sandbox_learner_resync": True},
    }


@contextlib.contextmanager
def _kernel_stderr_to(path: Path) -> Iterator[None]:
    """Send the kernels' start-up chatter (inherited stderr) to a log file instead of the terminal."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    with open(path, "ab") as log:
        sys.stderr.flush()
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def run_notebooks(ws: Workspace, sandbox_url: str, org_name: str, out=sys.stdout,
                  only: tuple[str, ...] = STEPS) -> None:
    """Execute the client's notebooks in order with papermill, in place (they become the client's record)."""
    import papermill as pm

    from wxsync.steps import use_sandbox

    use_sandbox(ws, sandbox_url)
    params = _step_parameters(ws, org_name)
    for step in (s for s in STEPS if s in only):
        path = ws.notebooks_dir / f"{step}.ipynb"
        started = time.perf_counter()
        print(f"  {step} ...", end="", flush=True, file=out)
        running = path.with_name(f".{step}.running.ipynb")  # the record is replaced only when complete
        try:
            with _kernel_stderr_to(ws.root / "kernels.log"):
                pm.execute_notebook(str(path), str(running), parameters=params[step],
                                    cwd=str(ws.notebooks_dir), kernel_name="python3", progress_bar=False,
                                    log_output=False, execution_timeout=1800)
            os.replace(running, path)
        except pm.PapermillExecutionError as exc:
            os.replace(running, path)  # keep the failed run as the record: it shows the error
            print(" failed", file=out)
            raise WxsyncError(f"Notebook {step} stopped with {exc.ename}: {exc.evalue}",
                              f"Open {path} to see the cell that failed; run `wxsync demo --headless` "
                              "again to continue.") from None
        print(f" {time.perf_counter() - started:.1f} s", file=out)


def summary_lines(ws: Workspace) -> list[str]:
    """What the headless demo prints at the end: the key counts and the evidence paths."""
    path = ws.evidence_dir / "summary.csv"
    if not path.exists():
        return ["No evidence was written."]
    summary = read_excel_csv(path)
    values = dict(zip(summary["metric"], summary["value"], strict=False))
    lines = [f"  {m.replace('_', ' ')}: {values[m]}" for m in SUMMARY_METRICS if m in values]
    resync = ws.evidence_dir / "resync.csv"
    if resync.exists():
        counts = read_excel_csv(resync)["status"].value_counts()
        lines.append("  resync check per learner: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    lines.append("Evidence:")
    lines += [f"  {p}" for p in sorted(ws.evidence_dir.glob("*.csv"))]
    return lines


def api_calls_line(url: str) -> str:
    """How many API calls this run cost, from the sandbox's counters."""
    import requests

    try:
        stats = requests.get(f"{url}/sandbox/stats", timeout=10).json()
    except (requests.RequestException, ValueError):
        return "API calls: unknown"
    routes = stats.get("requests", {})
    xero = sum(n for r, n in routes.items() if "/api.xro/" in r or r.endswith("/connections"))
    wisenet = sum(n for r, n in routes.items() if " /v1/" in r)
    faults = sum((stats.get("faults") or {}).values())
    return (f"API calls this run: Xero {xero} (rate-limited {stats.get('rate_limited_total', 0)}), "
            f"Wisenet {wisenet}; injected faults survived: {faults}")


def run_demo(headless: bool = False, data_dir: str | Path = "data", faults: float = 0.0, learners: int = 2000,
             seed: int = 1, port: int = 0, minute_limit: int = 60, out=sys.stdout) -> int:
    """Start the sandbox (persistent state), create or reopen the ``demo`` client bound to it, then either
    open JupyterLab on its notebooks (until Ctrl-C) or run them headless and print the summary."""
    from wxsync.sandbox.server import start_sandbox

    data = Path(data_dir).resolve()
    root = data / CLIENT
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sandbox = start_sandbox(seed=seed, learners=learners, state=str(root / "sandbox.sqlite"), faults=faults,
                            port=port, minute_limit=minute_limit)
    try:
        ws = new_client(CLIENT, data, sandbox_url=sandbox.url)
        _forget_sandbox_sign_in(ws)
        org_name = str(sandbox.state.organisation.get("Name", ""))
        print(f"wxsync demo: sandbox {sandbox.url} ({org_name}, {learners:,} learners), workspace {ws.root}",
              file=out)
        if not headless:
            return _interactive(ws, out)
        previous = os.environ.get("WXSYNC_USER")
        os.environ["WXSYNC_USER"] = previous or DEMO_USER
        try:
            run_notebooks(ws, sandbox.url, org_name, out)
        finally:
            if previous is None:
                os.environ.pop("WXSYNC_USER", None)
        print(f"Done in {time.perf_counter() - started:.0f} s. Executed notebooks: {ws.notebooks_dir}", file=out)
        print(api_calls_line(sandbox.url), file=out)
        for line in summary_lines(ws):
            print(line, file=out)
        return 0
    finally:
        sandbox.stop()


def _interactive(ws: Workspace, out) -> int:
    from wxsync.lab import start_lab

    first = f"notebooks/{STEPS[0]}.ipynb"
    lab = start_lab(ws.root, open_browser=True, default_url=f"/lab/tree/{first}")
    print(f"JupyterLab: {lab.url_for(first, reset=False)}", file=out)
    print("Step through the notebooks 00 to 04 in order. Press Ctrl-C here to stop JupyterLab and the sandbox.",
          file=out)
    try:
        while lab.process.poll() is None:
            time.sleep(0.5)
        return int(lab.process.returncode or 0)
    except KeyboardInterrupt:
        print("\nStopping JupyterLab and the sandbox ...", file=out)
        return 0
    finally:
        lab.stop()
