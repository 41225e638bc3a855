"""Step 4 against a merged sandbox client: the confirmed date, the checklist, the learner resync, and the
comparison through the Wisenet API and through a report #0442 CSV (same answer)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from wxsync import steps
from wxsync.errors import InputError
from wxsync.resync import fetch_all_wisenet_invoices, resync_start
from wxsync.resync_compare import to_date
from wxsync.snapshot import Snapshot


def _forget_date(ws):
    settings = ws.settings
    settings.pop("resync", None)
    ws.save_settings(settings)


def test_first_connection_date_is_confirmed_before_the_checklist_shows(flow, monkeypatch):
    ws = flow.ws
    monkeypatch.setenv("WXSYNC_USER", "consultant@firm")
    _forget_date(ws)
    info = steps.first_connection(ws)
    assert info.confirmed is None and isinstance(info.suggested, date) and "Wisenet" in info.reason
    with pytest.raises(InputError, match="not confirmed"):
        steps.resync_instructions(ws)

    widget = steps.first_connection_picker(ws)
    assert widget.picker.value == info.suggested and info.suggested.isoformat() in widget.reason.value
    assert widget.checklist.value == "" and widget.plan is None
    widget.picker.value = None
    assert widget.confirm() is None and "No first connection date" in widget.status.value
    assert not ws.settings.get("resync")

    picked = info.suggested - timedelta(days=30)
    widget.picker.value = picked
    plan = widget.confirm()
    saved = ws.settings["resync"]
    assert saved["first_connection_date"] == picked.isoformat() and saved["confirmed_by"] == "consultant@firm"
    assert plan.from_date == resync_start(picked)
    assert resync_start(picked).isoformat() in widget.checklist.value
    assert "Connected Apps" in widget.checklist.value and "resync missing Learners" in widget.checklist.value
    log = pd.read_csv(ws.evidence_dir / "first_connection.csv", dtype=str, encoding="utf-8-sig")
    assert log.iloc[-1]["first_connection_date"] == picked.isoformat()
    assert log.iloc[-1]["confirmed_by"] == "consultant@firm" and log.iloc[-1]["how"] == "date picker"
    assert "consultant@firm" in steps.first_connection_picker(ws).status.value  # reopened: shown as confirmed


def test_headless_parameters(flow):
    ws = flow.ws
    _forget_date(ws)
    assert steps.apply_date_parameters(ws).confirmed is None  # nothing given: nothing saved
    suggested = steps.apply_date_parameters(ws, accept_suggested_date=True)
    assert suggested.confirmed == suggested.suggested
    assert ws.settings["resync"]["confirmed_how"] == "parameter accept_suggested_date"
    given = steps.apply_date_parameters(ws, "2021-07-01", accept_suggested_date=True)
    assert given.confirmed == date(2021, 7, 1)
    assert steps.resync_instructions(ws).from_date == date(2020, 7, 1)
    for bad, message in (("2099-01-01", "in the future"), ("01/07/2021", "not a date")):
        with pytest.raises(InputError, match=message):
            steps.apply_date_parameters(ws, bad)
    assert steps.first_connection(ws).confirmed == date(2021, 7, 1)


def test_learner_resync_then_who_has_their_contact(flow):
    ws = flow.ws
    missing = steps.learners_without_contact(ws)
    assert len(missing) > 3
    before = steps.learner_contacts(ws)
    assert (before["status"] == "still missing").all() and before.attrs["api_calls"] <= 2
    answer = steps.sandbox_learner_resync(ws)
    after = steps.learner_contacts(ws).set_index("learner_number")
    created = {c["learner_number"]: c["contact_id"] for c in answer["created"]}
    assert created and set(created) <= set(after.index)
    for number, contact_id in created.items():
        assert after.loc[number, "status"] == "has its Wisenet contact"
        assert after.loc[number, "wisenet_contact_id"] == contact_id
    still = after[after["status"] == "still missing"]
    assert len(still) == len(missing) - len(created)
    assert (still["what blocks it"] != "").all()


def _report_0442(ws, path):
    """Wisenet's invoices as a report #0442 CSV with unusual headers, Australian dates and $ amounts."""
    from wxsync.steps import wisenet_client

    invoices = fetch_all_wisenet_invoices(wisenet_client(ws))
    learners = Snapshot.load(ws).learners
    numbers = dict(zip(learners["learner_id"].astype(str), learners["learner_number"], strict=False))
    out = pd.DataFrame({
        "Inv #": invoices["number"],
        "Student Ref": invoices["learner_id"].astype(str).map(numbers).fillna(""),
        "Inv Total": invoices["total"].map(lambda t: f"${t:,.2f}" if t >= 0 else f"({-t:,.2f})"),
        "Issued": invoices["date"].map(lambda d: to_date(d).strftime("%d/%m/%Y") if to_date(d) else ""),
    })
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write("Report #0442 Synced Invoices\n\n")
        out.to_csv(fh, index=False)
    return path


MAPPING = {"number": "Inv #", "learner_number": "Student Ref", "total": "Inv Total", "date": "Issued"}


def test_api_and_csv_paths_agree_before_and_after_the_resync(flow, tmp_path, capsys):
    ws = flow.ws
    steps.apply_date_parameters(ws, accept_suggested_date=True)
    # merged but not resynced yet (or resynced from a date too late): moved documents are missing
    steps.sandbox_resync(ws, date.today().isoformat())
    api = steps.resync_compare(ws)
    assert "Wisenet API calls" in capsys.readouterr().out  # the cost is said before the calls
    csv = steps.resync_compare(ws, str(_report_0442(ws, tmp_path / "early.csv")), MAPPING)
    assert api.attrs["source"] == "api" and csv.attrs["source"] == "csv"
    assert (api["status"] == "missing").sum() > 3
    key = ["learner_number", "status", "missing", "matched"]
    pd.testing.assert_frame_equal(api[key].sort_values("learner_number").reset_index(drop=True),
                                  csv[key].sort_values("learner_number").reset_index(drop=True))
    evidence = pd.read_csv(ws.evidence_dir / "resync.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert set(evidence["source"]) == {"csv"} and (evidence["status"] == "missing").sum() > 3
    merges = pd.read_csv(ws.evidence_dir / "merges.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert merges["resync_verification"].str.startswith("missing").sum() > 3

    steps.sandbox_resync(ws, steps.resync_instructions(ws).from_date)
    api = steps.resync_compare(ws)
    csv = steps.resync_compare(ws, str(_report_0442(ws, tmp_path / "after.csv")), MAPPING)
    assert (api["status"] == "clean").all(), api.loc[api["status"] != "clean"]
    assert (csv["status"] == "clean").all() and len(csv) == len(api) > 20


def test_client_without_api_licence_needs_the_report(flow, tmp_path):
    ws = flow.ws
    steps.apply_date_parameters(ws, accept_suggested_date=True)
    ws.update("wisenet", source="csv")
    try:
        assert steps.report_source(ws) == "csv"
        with pytest.raises(InputError, match="report_0442_csv"):
            steps.resync_compare(ws)
        odd = tmp_path / "odd.csv"
        odd.write_text("Learner,Comment\nA,B\n", encoding="utf-8")
        with pytest.raises(InputError, match="0442"):
            steps.resync_compare(ws, str(odd))
    finally:
        settings = ws.settings
        settings["wisenet"].pop("source")
        ws.save_settings(settings)
    assert steps.report_source(ws) == "api"
