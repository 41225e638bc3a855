"""Resync verification against the sandbox: merges and resyncs done through the sandbox's stand-ins,
Wisenet invoices read through the real WisenetClient (API path) or a report #0442 CSV (CSV path)."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import requests

from wxsync.config import WisenetSettings
from wxsync.frames import contacts_frame, documents_frame, learners_frame
from wxsync.resync import (
    calls_message,
    compare,
    estimate_calls,
    fetch_all_wisenet_invoices,
    fetch_wisenet_invoices,
    read_report_0442,
    resync_start,
    suggest_first_connection,
    write_resync_evidence,
)
from wxsync.wisenet import WisenetClient

from .org import OLD_OF, PEOPLE, WISENET_OF, build_org

START = resync_start(date(2024, 3, 15))
ALL_PAIRS = pd.DataFrame([{"old_contact_id": OLD_OF[n], "wisenet_contact_id": WISENET_OF[n], "learner_number": n}
                          for n in OLD_OF])


def post(sb: Any, path: str, body: dict) -> dict:
    resp = requests.post(f"{sb.url}{path}", json=body, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def merge(sb: Any, *numbers: str) -> None:
    for n in numbers:
        post(sb, "/sandbox/merge", {"old_contact_id": OLD_OF[n], "into_contact_id": WISENET_OF[n]})


def resync(sb: Any, from_date: date) -> dict:
    return post(sb, "/sandbox/wisenet/resync-invoices", {"from_date": from_date.isoformat()})


def xero_documents(sb: Any) -> pd.DataFrame:
    q = sb.store.query
    return documents_frame(invoices=q("invoice"), credit_notes=q("credit_note"), overpayments=q("overpayment"),
                           prepayments=q("prepayment"))


def wisenet(sb: Any) -> WisenetClient:
    return WisenetClient(WisenetSettings.for_sandbox(sb.url), "test-key", progress=False)


def verify_by_api(sb: Any, pairs: pd.DataFrame = ALL_PAIRS) -> tuple[pd.DataFrame, WisenetClient]:
    client = wisenet(sb)
    learners = learners_frame(client.learners())
    calls_before = client.calls
    ids = learners.loc[learners["learner_number"].isin(pairs["learner_number"]), "learner_id"]
    invoices = fetch_wisenet_invoices(client, ids, progress=False)
    assert client.calls - calls_before == estimate_calls(len(ids))  # what the message announced
    return compare(pairs, xero_documents(sb), invoices, learners, start=START), client


@pytest.fixture
def org_sandbox(sandbox_factory: Callable[..., Any]) -> Any:
    return sandbox_factory(org=build_org())


def test_merged_and_resynced_learners_are_clean_unmerged_one_is_missing(org_sandbox: Any, tmp_path: Path) -> None:
    merge(org_sandbox, "L0001", "L0002")            # L0003's merge was not done
    resync(org_sandbox, START)
    result, _ = verify_by_api(org_sandbox)
    by = result.set_index("learner_number")
    assert by.loc["L0001", "status"] == "clean" and by.loc["L0001", "matched"] == 5  # 3 invoices, CN, overpayment
    assert by.loc["L0001", "xero_amount"] == by.loc["L0001", "wisenet_amount"] == 285.0
    assert by.loc["L0002", "status"] == "clean" and by.loc["L0002", "xero_documents"] == 1  # INV-0003 predates
    assert by.loc["L0003", "status"] == "missing"
    assert "INV-0005" in by.loc["L0003", "detail"] and "merge not done" in by.loc["L0003", "detail"]

    path = write_resync_evidence(tmp_path / "evidence", result)
    rows = {r["learner_number"]: r for r in csv.DictReader(path.open(encoding="utf-8-sig"))}
    assert {n: r["status"] for n, r in rows.items()} == {"L0001": "clean", "L0002": "clean", "L0003": "missing"}


def test_resync_from_too_late_a_date_shows_missing_then_a_correct_resync_is_clean(org_sandbox: Any) -> None:
    merge(org_sandbox, *OLD_OF)
    resync(org_sandbox, date(2024, 2, 1))
    result, _ = verify_by_api(org_sandbox)
    by = result.set_index("learner_number")
    assert set(by["status"]) == {"missing"}
    assert by.loc["L0001", "missing"] == 3 and "INV-0001" in by.loc["L0001", "detail"]
    assert "INV-0002" not in by.loc["L0001", "detail"]  # dated after 2024-02-01: it did resync
    assert "INV-0004" in by.loc["L0002", "detail"]

    resync(org_sandbox, START)
    again, _ = verify_by_api(org_sandbox)
    assert set(again["status"]) == {"clean"}
    assert again["extra"].sum() == 0  # the second resync did not duplicate anything


def test_calls_message_before_fetching(org_sandbox: Any) -> None:
    message = calls_message(estimate_calls(len(ALL_PAIRS)))
    assert message.startswith("This verification will make 3 Wisenet API calls")


def write_0442(path: Path, invoices: pd.DataFrame, learners: pd.DataFrame) -> Path:
    """A report-#0442-like CSV: display headers, learner numbers, Australian dates, money formatting."""
    number_of = dict(zip(learners["learner_id"], learners["learner_number"], strict=True))
    name_of = {n: f"{PEOPLE[n][0]} {PEOPLE[n][1]}" for n in PEOPLE}
    with path.open("w", encoding="cp1252", newline="") as fh:
        fh.write("Report #0442 - Synced Xero invoices\r\n\r\n")
        out = csv.writer(fh)
        out.writerow(["Learner Number", "Learner Name", "Invoice Number", "Invoice Date", "Status", "Total"])
        for rec in invoices.to_dict("records"):
            learner_number = number_of[rec["learner_id"]]
            out.writerow([learner_number, name_of[learner_number], rec["number"],
                          rec["date"].strftime("%d/%m/%Y"), rec["status"], f"${rec['total']:,.2f}"])
            out.writerow([])
    return path


def test_csv_path_gives_the_same_answer_as_the_api_path(org_sandbox: Any, tmp_path: Path) -> None:
    merge(org_sandbox, "L0001", "L0002")
    resync(org_sandbox, date(2023, 9, 1))  # too late for INV-0001 and CN-0001
    api_result, client = verify_by_api(org_sandbox)
    learners = learners_frame(client.learners())

    before = client.calls
    everything = fetch_all_wisenet_invoices(client, sleep=lambda s: None)  # unfiltered: the sandbox allows it
    assert client.calls - before == 1 and len(everything) == 4  # INV-0002, overpayment, INV-0004, INV-0010
    report = read_report_0442(write_0442(tmp_path / "0442.csv", everything, learners))
    assert report.attrs["encoding"] == "utf-8" and set(report["source"]) == {"report0442"}
    csv_result = compare(ALL_PAIRS, xero_documents(org_sandbox), report, learners, start=START)

    cols = ["learner_number", "status", "detail", "xero_documents", "wisenet_invoices", "matched", "missing",
            "extra", "amount_differs", "xero_amount", "wisenet_amount"]
    pd.testing.assert_frame_equal(api_result[cols], csv_result[cols])
    assert list(api_result["status"]) == ["missing", "clean", "missing"]
    assert "INV-0001" in api_result.iloc[0]["detail"] and "CN-0001" in api_result.iloc[0]["detail"]


def test_first_connection_suggestion_survives_merges(org_sandbox: Any) -> None:
    def suggest() -> tuple[date | None, str]:
        contacts = contacts_frame(org_sandbox.store.query("contact"))
        return suggest_first_connection(contacts, xero_documents(org_sandbox))

    assert suggest()[0] == date(2024, 3, 15)
    merge(org_sandbox, *OLD_OF)  # merged documents (from 2023) now sit on Wisenet contacts
    when, reason = suggest()
    assert when == date(2024, 3, 15) and "Wisenet-generated contacts" in reason
    assert resync_start(when) == START


def test_fetch_keeps_under_wisenet_per_second_limit(sandbox_factory: Callable[..., Any]) -> None:
    sb = sandbox_factory(seed=4, learners=16, wisenet_per_second=5)
    client = wisenet(sb)
    learners = learners_frame(client.learners(basic=True))
    time.sleep(1.0)  # let the learners call leave Wisenet's one-second window
    fetch_wisenet_invoices(client, learners["learner_id"], per_second=5, progress=False)
    assert client.calls == 1 + len(learners) and client.retries == 0  # no 429 was needed
    stats = requests.get(f"{sb.url}/sandbox/stats", timeout=10).json()
    assert not any("wisenet" in str(k) for k in (stats.get("limited") or {}))
