"""Reliability against the sandbox: faults, SIGKILL and resume, rate limits (issue 4)."""

from __future__ import annotations

import html
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from merge.sandbox_helpers import BIG, assert_documents_kept, merge_in_xero_ui, planned, state, stats
from wxsync.config import XeroSettings
from wxsync.errors import DailyLimitReached
from wxsync.journal import Journal, JournaledWriter
from wxsync.merge import execute, resume, undo, verify, worklist

RUNNER = Path(__file__).with_name("runner.py")


def test_500_pairs_with_faults_all_verified_nothing_applied_twice(sandbox_factory, tmp_path):
    sb = sandbox_factory(seed=7, learners=1250, faults=0.1, fault_seed=3, minute_limit=BIG, day_limit=BIG)
    before = state(sb)
    xero, plan = planned(sb)
    assert len(plan) >= 500 and set(plan["route"]) == {"archive", "repoint", "xero_ui"}
    with Journal(tmp_path / "j.sqlite") as journal:
        result = execute(plan, JournaledWriter(journal, xero), xero.organisation()["Name"], progress=False)
    merge_in_xero_ui(sb, result)
    ver = verify(result, xero)
    assert (ver["verification"] == "verified").all(), ver.loc[ver["verification"] != "verified"].head()
    st = stats(sb)
    assert sum(st["faults"].values()) > 0 and xero.retries > 0        # faults really happened
    assert st["idempotency"] and max(st["idempotency"].values()) == 1
    assert_documents_kept(before, state(sb), plan)


def _run(url, plan_path, journal, org, kill_at=0, mode="after", kill_after_s=None):
    cmd = [sys.executable, str(RUNNER), url, str(plan_path), str(journal), "merge-kill-test", org]
    if kill_at:
        cmd += ["--kill-at", str(kill_at), "--kill-mode", mode]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if kill_after_s is not None:
        try:
            proc.wait(timeout=kill_after_s)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out.decode(), err.decode()


def test_sigkill_at_random_points_then_resume_equals_undisturbed_run(sandbox_factory, tmp_path):
    rng = random.Random(4)
    calm = sandbox_factory(seed=5, learners=260, minute_limit=BIG, day_limit=BIG)
    xero, plan = planned(calm, history_notes=True)
    org = xero.organisation()["Name"]
    plan_path = tmp_path / "plan.pkl"
    plan.to_pickle(plan_path)
    n_writes = 0
    with Journal(tmp_path / "calm.sqlite") as journal:
        writer = JournaledWriter(journal, xero)
        execute(plan, writer, org, run_id="merge-kill-test", progress=False)
        n_writes = writer.sent
    assert n_writes > 20
    expected = state(calm)

    killed = sandbox_factory(seed=5, learners=260, minute_limit=BIG, day_limit=BIG)
    assert state(killed)["contacts"].keys() == expected["contacts"].keys()     # same organisation
    journal_path = tmp_path / "killed.sqlite"
    kills = 0
    for i in range(5):
        mode = ("before", "after")[i % 2]
        code, _out, err = _run(killed.url, plan_path, journal_path, org, kill_at=rng.randint(1, 8), mode=mode)
        assert code == -signal.SIGKILL, err[-2000:]
        kills += 1
    code, _out, _err = _run(killed.url, plan_path, journal_path, org, kill_after_s=rng.uniform(1.5, 3.0))
    kills += code == -signal.SIGKILL
    code, out, err = _run(killed.url, plan_path, journal_path, org)
    assert code == 0 and "done" in out, err[-2000:]
    assert kills >= 5
    with Journal(journal_path) as journal:
        steps = journal.steps("merge-kill-test")
        assert {s.state for s in steps} == {"confirmed"}
        assert any(s.confirmed_by == "check" for s in steps)        # an in-flight write was found applied
        assert any(s.attempts > 1 for s in steps)                   # and an unapplied one re-sent
    assert state(killed) == expected
    assert max(stats(killed)["idempotency"].values()) == 1


def test_short_minute_window_waits_and_completes(sandbox_factory, tmp_path):
    sb = sandbox_factory(seed=2, learners=200, minute_limit=BIG, day_limit=BIG)
    xero, plan = planned(sb, history_notes=True, limit=12)
    requests.post(f"{sb.url}/sandbox/config", json={"minute_limit": 4, "minute_window_s": 1.0},
                  timeout=10).raise_for_status()
    started = time.monotonic()
    with Journal(tmp_path / "j.sqlite") as journal:
        result = execute(plan, JournaledWriter(journal, xero), xero.organisation()["Name"], progress=False)
    assert time.monotonic() - started >= 2.0
    assert stats(sb)["rate_limited_total"] > 0 or xero.budget.waited_s > 0
    assert (result.loc[result["route"] != "xero_ui", "outcome"] == "merged through the API").all()
    merge_in_xero_ui(sb, result)
    assert (verify(result, xero)["verification"] == "verified").all()


def test_daily_limit_stops_cleanly_and_resumes_later(sandbox_factory, tmp_path):
    sb = sandbox_factory(seed=2, learners=200, minute_limit=BIG, day_limit=BIG)
    xero, plan = planned(sb, history_notes=True, limit=40)
    used = sum(stats(sb)["requests"].values())
    requests.post(f"{sb.url}/sandbox/config", json={"day_limit": used + 4}, timeout=10).raise_for_status()
    with Journal(tmp_path / "j.sqlite") as journal:
        with pytest.raises(DailyLimitReached) as info:
            execute(plan, JournaledWriter(journal, xero), xero.organisation()["Name"], progress=False)
        assert "continues where it stopped" in info.value.hint and info.value.resume_at is not None
        (run,) = journal.runs()
        assert run["status"] == "open"
        token = xero.tokens.get()["access_token"]
        files = [p for p in Path(journal.path).parent.iterdir() if p.name.startswith(Path(journal.path).name)]
        assert token and not any(token.encode() in p.read_bytes() for p in files)   # no secret in the journal
        done_before = sum(s.state == "confirmed" for s in journal.steps(run["run_id"]))
        assert done_before >= 1
        # the next day: the limit has reset
        requests.post(f"{sb.url}/sandbox/config", json={"day_limit": BIG}, timeout=10).raise_for_status()
        result = resume(JournaledWriter(journal, xero), xero.organisation()["Name"], progress=False)
        assert journal.run(run["run_id"])["status"] == "done"
    # the worklist's links open the old contact's page (the stand-in for Xero's merge) on the sandbox
    links = worklist(result, XeroSettings.for_sandbox(sb.url), xero.organisation()["ShortCode"])
    assert len(links) == (result["route"] == "xero_ui").sum() > 0
    first = links.iloc[0]
    assert first["link"].startswith(f"{sb.url}/app/")
    page = requests.get(first["link"], timeout=10)
    assert page.status_code == 200 and html.escape(first["old_name"]) in page.text
    merge_in_xero_ui(sb, result)
    ver = verify(result, xero)
    assert (ver["verification"] == "verified").all()
    assert (worklist(result, XeroSettings.for_sandbox(sb.url), "x", ver)["status"] == "done").all()
    assert max(stats(sb)["idempotency"].values()) == 1


def test_undo_against_the_sandbox_restores_api_pairs(sandbox_factory, tmp_path):
    sb = sandbox_factory(seed=2, learners=200, minute_limit=BIG, day_limit=BIG)
    before = state(sb)
    xero, plan = planned(sb, history_notes=False)
    with Journal(tmp_path / "j.sqlite") as journal:
        execute(plan, JournaledWriter(journal, xero), xero.organisation()["Name"], progress=False)
        assert state(sb) != before
        out = undo(journal, xero, progress=False)
    api = plan["route"].isin(["archive", "repoint"])
    assert (out.loc[api.values, "undo"] == "undone").all(), out.loc[api.values & (out["undo"] != "undone")]
    assert (out.loc[(plan["route"] == "xero_ui").values, "undo"] == "cannot be undone").all()
    after = state(sb)
    assert after["contacts"] == before["contacts"] and after["documents"] == before["documents"]
    assert max(stats(sb)["idempotency"].values()) == 1
