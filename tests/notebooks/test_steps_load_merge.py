"""Step 1 preflight display and step 3 undo, against the sandbox."""

from __future__ import annotations

import os

import pandas as pd
import requests
from flow import connect_and_load, merged_flow

from wxsync import steps
from wxsync.preflight import PROBLEMS


def test_load_shows_preflight_per_problem_with_where_to_fix_and_unmatched_codes(sandbox, tmp_path):
    sandbox.store.put("contact", {**sandbox.store.query("contact", "status = 'ACTIVE'", limit=1)[0],
                                  "ContactID": "stray-0001", "Name": "Stray Code Pty Ltd",
                                  "ContactNumber": "ZZ-404"})
    ws, _org = connect_and_load(sandbox, tmp_path, "preflight-client")
    loaded = steps.load(ws)  # the finished snapshot is reused: no API call
    table = loaded.preflight
    assert set(table["problem"]) == set(PROBLEMS)
    assert (table["where_to_fix"].str.len() > 10).all()
    assert table["learners"].is_monotonic_decreasing and table["learners"].iloc[0] > 0
    rows = pd.read_csv(loaded.preflight_csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert rows.groupby("problem")["learner_number"].nunique().to_dict() == \
        {p: n for p, n in zip(table["problem"], table["learners"], strict=True) if n}
    assert str(loaded.preflight_csv) in loaded.preflight_text
    assert "ZZ-404" in set(loaded.unmatched_codes["contact_number"])
    assert "Stray Code Pty Ltd" in set(loaded.unmatched_codes["name"])
    n = len(loaded.unmatched_codes)
    assert f"{n} Xero contact(s) have a Contact Code that matches no Wisenet learner" in loaded.preflight_text
    counts = dict(zip(loaded.counts["what"], loaded.counts["count"], strict=True))
    assert counts["contacts whose Contact Code matches no learner"] == n
    assert counts["Xero API calls for this load"] == 0


def test_undo_lists_runs_then_undoes_the_api_routes_only(sandbox, tmp_path, capsys):
    flow = merged_flow(sandbox, tmp_path / "data", os.environ["WXSYNC_SECRETS_DIR"])
    ws, plan = flow.ws, flow.plan
    writes = requests.get(f"{sandbox.url}/sandbox/stats", timeout=10).json()["writes_applied"]
    runs = steps.merge_undo(ws, "")
    out = capsys.readouterr().out
    assert "cannot be undone" in out and "Nothing undone" in out
    assert len(runs) == 1 and runs.iloc[0]["status"] == "done"
    assert requests.get(f"{sandbox.url}/sandbox/stats", timeout=10).json()["writes_applied"] == writes

    rows = steps.merge_undo(ws, runs.iloc[0]["run_id"])
    assert "Xero's own merge cannot be undone" in capsys.readouterr().out
    by_route = rows.groupby("route")["undo"].agg(set).to_dict()
    assert by_route["xero_ui"] == {"cannot be undone"}
    assert by_route["archive"] == {"undone"}
    assert by_route.get("repoint", {"undone"}) <= {"undone", "partly undone"}
    for _, r in rows[rows["route"] == "archive"].iterrows():
        assert sandbox.store.get("contact", r["old_contact_id"])["ContactStatus"] == "ACTIVE"
    for _, r in plan[plan["route"] == "xero_ui"].iterrows():
        assert sandbox.store.get("contact", r["old_contact_id"])["ContactStatus"] == "ARCHIVED"
    assert steps.merge_runs(ws).iloc[0]["status"] == "undone"
    assert steps.merge_undo(ws, "").empty  # nothing left to undo
    assert steps.load_frame(ws, "verification") is None  # step 4 now asks for a new verification
