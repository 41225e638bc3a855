"""Resync dates, steps, call estimates, comparison and evidence on hand-built frames."""

from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import pytest

from wxsync.errors import DailyLimitReached, InputError
from wxsync.resync import (
    calls_message,
    compare,
    estimate_calls,
    fetch_all_wisenet_invoices,
    fetch_wisenet_invoices,
    resync_start,
    suggest_first_connection,
    summary_counts,
    wisenet_invoices_frame,
    wisenet_steps,
    write_resync_evidence,
)

START = date(2023, 7, 1)


def doc(did: str, contact: str, number: str, total: float, when: str = "2024-01-10", kind: str = "invoice",
        status: str = "AUTHORISED") -> dict:
    return {"document_id": did, "kind": kind, "number": number, "contact_id": contact, "status": status,
            "date": when, "total": total, "amount_due": 0.0, "has_payments": False}


def winv(learner_id: str, number: str, total: float, when: str = "2024-01-10T00:00:00", iid: str = "") -> dict:
    return {"Data": {"InvoiceId": iid or f"w-{number}", "LearnerId": int(learner_id), "InvoiceNumber": number,
                     "Date": when, "AmountTotal": total, "Status": "AUTHORISED"}}


LEARNERS = pd.DataFrame([{"learner_id": "1", "learner_number": "L001"}, {"learner_id": "2", "learner_number": "L002"},
                         {"learner_id": "3", "learner_number": "L003"}])
PAIRS = pd.DataFrame([{"old_contact_id": "o1", "wisenet_contact_id": "w1", "learner_number": "L001"},
                      {"old_contact_id": "o2", "wisenet_contact_id": "w2", "learner_number": "L002"},
                      {"old_contact_id": "o2b", "wisenet_contact_id": "w2", "learner_number": "L002"},
                      {"old_contact_id": "o3", "wisenet_contact_id": "w3", "learner_number": "L003"}])


def run_compare(docs: list[dict], invoices: list[dict], start: date | None = START) -> pd.DataFrame:
    return compare(PAIRS, pd.DataFrame(docs), wisenet_invoices_frame(invoices), LEARNERS, start=start)


# --- dates and steps -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("first", "start"), [(date(2024, 5, 17), date(2023, 5, 17)),
                                               (date(2024, 2, 29), date(2023, 2, 28)),
                                               (date(2025, 1, 1), date(2024, 1, 1))])
def test_resync_start_is_one_year_before(first: date, start: date) -> None:
    assert resync_start(first) == start


def test_resync_start_refuses_text() -> None:
    with pytest.raises(InputError):
        resync_start("2024-01-01")  # type: ignore[arg-type]


def test_wisenet_steps_name_the_date_and_the_checks() -> None:
    steps = wisenet_steps(date(2023, 5, 17))
    text = "\n".join(steps)
    assert "Settings > Connected Apps > Xero" in text and "17/05/2023" in text and "2023-05-17" in text
    assert "#0442" in text and "Event Alerts" in text
    assert "resync missing Learners" not in text
    with_learners = wisenet_steps(date(2023, 5, 17), resync_learners=True)
    assert len(with_learners) == len(steps) + 1
    assert "Xero was disconnected and I need to resync missing Learners" in "\n".join(with_learners)


def test_estimate_calls_and_message() -> None:
    assert estimate_calls(250) == 250
    assert estimate_calls(250, unfiltered=True, expected_invoices=2500) == 3
    message = calls_message(1500)
    assert "1,500 Wisenet API calls" in message and "1,000 (Basic) or 10,000 (Full)" in message
    assert "use a report #0442 CSV" in message  # warns that Basic's daily allowance is exceeded
    assert "more than" not in calls_message(20)


def test_suggest_first_connection_from_wisenet_contacts_and_documents() -> None:
    contacts = pd.DataFrame([
        {"contact_id": "w1", "contact_number": "L001", "updated_utc": "2022-03-04T05:00:00+00:00",
         "merged_to_contact_id": "", "status": "ACTIVE"},
        {"contact_id": "w2", "contact_number": "L002", "updated_utc": "2022-06-01T00:00:00+00:00",
         "merged_to_contact_id": "", "status": "ACTIVE"},
        {"contact_id": "o1", "contact_number": "", "updated_utc": "2015-01-01T00:00:00+00:00",
         "merged_to_contact_id": "w1", "status": "ARCHIVED"},
    ])
    when, reason = suggest_first_connection(contacts, None)
    assert when == date(2022, 6, 1) and "earliest last change" in reason  # w1 was touched by a merge
    unmerged = contacts.assign(merged_to_contact_id="")
    assert suggest_first_connection(unmerged, None)[0] == date(2022, 3, 4)
    docs = pd.DataFrame([doc("d1", "w1", "INV-1", 10, "2019-01-01"),   # merged into w1: older than Wisenet
                         doc("d2", "w2", "INV-2", 10, "2022-02-20")])
    when, reason = suggest_first_connection(contacts, docs)
    assert when == date(2022, 2, 20) and "no merge" in reason
    learners = pd.DataFrame([{"learner_number": "L002"}])
    assert suggest_first_connection(contacts, None, learners)[0] == date(2022, 6, 1)


def test_archived_holders_and_name_only_contacts_never_date_the_connection() -> None:
    contacts = pd.DataFrame([
        {"contact_id": "w1", "contact_number": "L001", "updated_utc": "2023-07-31T05:00:00+00:00",
         "merged_to_contact_id": "", "status": "ACTIVE", "is_wisenet": True, "wisenet_by": "contact_number"},
        {"contact_id": "a1", "contact_number": "L002", "updated_utc": "2021-09-17T00:00:00+00:00",
         "merged_to_contact_id": "", "status": "ARCHIVED", "is_wisenet": True, "wisenet_by": "contact_number"},
        {"contact_id": "n1", "contact_number": "", "updated_utc": "2015-03-23T00:00:00+00:00",
         "merged_to_contact_id": "", "status": "ACTIVE", "is_wisenet": True, "wisenet_by": "name_token"},
    ])
    assert suggest_first_connection(contacts, None)[0] == date(2023, 7, 31)
    assert suggest_first_connection(contacts.drop(columns=["is_wisenet", "wisenet_by"]), None)[0] == date(2023, 7, 31)


def test_suggestion_matches_the_generated_connection_date() -> None:
    from wxsync.frames import contacts_frame, documents_frame, learners_frame
    from wxsync.match import classify_contacts
    from wxsync.sandbox.generator import generate

    for seed in (1, 2, 3):
        org = generate(seed, 300)
        learners = learners_frame(org.learners, states=org.states)
        contacts = classify_contacts(contacts_frame(org.contacts), learners)
        docs = documents_frame(invoices=org.invoices, credit_notes=org.credit_notes,
                               overpayments=org.overpayments, prepayments=org.prepayments)
        when, _ = suggest_first_connection(contacts, docs, learners)
        assert when == date.fromisoformat(org.first_connection_date), seed


def test_suggest_first_connection_without_wisenet_contacts() -> None:
    when, reason = suggest_first_connection(pd.DataFrame([{"contact_id": "a", "contact_number": ""}]))
    assert when is None and "enter the date" in reason


# --- comparison ----------------------------------------------------------------------------------------------
def test_clean_missing_extra_and_amount_differs() -> None:
    docs = [doc("x1", "w1", "INV-1", 100.0), doc("x2", "w1", "CN-1", 20.0, kind="credit_note"),
            doc("x3", "w2", "INV-2", 50.0), doc("x4", "w2", "INV-3", 75.0),
            doc("x5", "w3", "INV-4", 10.0),
            doc("x9", "zz", "INV-9", 99.0)]   # on an unrelated contact: not this learner's business
    invoices = [winv("1", "INV-1", 100.0), winv("1", "cn-1 ", -20.0),       # credit note sign/case tolerated
                winv("2", "INV-2", 50.0),                                     # INV-3 missing in Wisenet
                winv("3", "INV-4", 12.5), winv("3", "INV-77", 5.0)]          # differs, and an extra one
    res = run_compare(docs, invoices).set_index("learner_number")
    assert res.loc["L001", "status"] == "clean" and res.loc["L001", "matched"] == 2
    assert res.loc["L002", "status"] == "missing" and "INV-3" in res.loc["L002", "detail"]
    assert res.loc["L002", "old_contact_ids"] == "o2;o2b" and res.loc["L002", "xero_amount"] == 125.0
    assert res.loc["L003", "status"] == "amount_differs"
    assert "INV-77" in res.loc["L003", "detail"] and res.loc["L003", "extra"] == 1
    assert "Xero 10.00 vs Wisenet 12.50" in res.loc["L003", "detail"]
    rows = res.attrs["documents"] if res.attrs else None
    assert rows is not None and set(rows["outcome"]) == {"matched", "missing", "extra", "amount_differs"}


def test_documents_left_on_the_old_contact_are_missing() -> None:
    docs = [doc("x1", "w1", "INV-1", 100.0), doc("x8", "o1", "INV-8", 30.0)]
    res = run_compare(docs, [winv("1", "INV-1", 100.0)]).set_index("learner_number")
    assert res.loc["L001", "status"] == "missing" and res.loc["L001", "missing"] == 1
    assert "INV-8" in res.loc["L001", "detail"] and "still on old contact o1" in res.loc["L001", "detail"]
    rows = res.attrs["documents"]
    assert rows.loc[rows["number"] == "INV-8", "on_old_contact"].item() is True
    assert rows.loc[rows["number"] == "INV-1", "on_old_contact"].item() is False


def test_raw_wisenet_records_are_accepted() -> None:
    res = compare(PAIRS, pd.DataFrame([doc("x1", "w1", "INV-1", 100.0)]), [winv("1", "INV-1", 100.0)], LEARNERS,
                  start=START)
    assert res.set_index("learner_number").loc["L001", "status"] == "clean"


def test_extra_only_is_extra() -> None:
    res = run_compare([doc("x1", "w1", "INV-1", 100.0)], [winv("1", "INV-1", 100), winv("1", "INV-5", 1)])
    assert res.set_index("learner_number").loc["L001", "status"] == "extra"


def test_documents_before_the_resync_start_do_not_count() -> None:
    docs = [doc("x1", "w1", "INV-OLD", 100.0, "2023-06-30"), doc("x2", "w1", "INV-NEW", 5.0, "2023-07-01")]
    res = run_compare(docs, [winv("1", "INV-NEW", 5.0, "2023-07-01")]).set_index("learner_number")
    assert res.loc["L001", "status"] == "clean" and res.loc["L001", "xero_documents"] == 1
    res_all = run_compare(docs, [winv("1", "INV-NEW", 5.0, "2023-07-01")], start=None)
    assert res_all.set_index("learner_number").loc["L001", "status"] == "missing"


def test_unnumbered_overpayments_match_by_date_and_amount_or_id() -> None:
    docs = [doc("op-1", "w1", "", 40.0, "2024-02-02", kind="overpayment"),
            doc("pp-1", "w1", "", 60.0, "2024-03-03", kind="prepayment"),
            doc("rep-1", "w1", "", 99.0, kind="repeating_invoice")]   # a template is no document
    invoices = [winv("1", "", 40.0, "2024-02-02"), winv("1", "", 60.0, "2024-09-09", iid="PP-1")]
    res = run_compare(docs, invoices)
    assert res.iloc[0]["status"] == "clean" and res.iloc[0]["matched"] == 2


def test_no_documents_on_either_side_is_clean() -> None:
    res = run_compare([], [])
    assert set(res["status"]) == {"clean"} and "no documents since 2023-07-01" in res.iloc[0]["detail"]


def test_voided_documents_still_count_but_deleted_do_not() -> None:
    docs = [doc("x1", "w1", "INV-1", 10.0, status="VOIDED"), doc("x2", "w1", "INV-2", 10.0, status="DELETED")]
    res = run_compare(docs, [])
    assert res.iloc[0]["missing"] == 1 and "INV-1" in res.iloc[0]["detail"]


def test_compare_refuses_frames_without_the_key_columns() -> None:
    with pytest.raises(InputError, match="learner_number"):
        compare(pd.DataFrame([{"wisenet_contact_id": "w1"}]), pd.DataFrame(), wisenet_invoices_frame([]), LEARNERS)


# --- fetching ----------------------------------------------------------------------------------------------
class FakeWisenet:
    def __init__(self, by_learner: dict[str, list[dict]]) -> None:
        self.by_learner, self.calls = by_learner, []

    def invoices(self, learner_id: str) -> list[dict]:
        self.calls.append(learner_id)
        return self.by_learner.get(str(learner_id), [])


def test_fetch_makes_one_call_per_learner_and_keeps_under_the_rate() -> None:
    client = FakeWisenet({"1": [winv("1", "INV-1", 10)], "2": [winv("2", "INV-2", 20), winv("2", "INV-3", 5)]})
    waits: list[float] = []
    frame = fetch_wisenet_invoices(client, ["1", "2", "3", "2"], per_second=10, progress=False,
                                   sleep=waits.append)
    assert client.calls == ["1", "2", "3"] and waits == []  # three calls: far below 10 a second
    assert sorted(frame["number"]) == ["INV-1", "INV-2", "INV-3"]
    fetch_wisenet_invoices(FakeWisenet({}), [str(i) for i in range(5)], per_second=2, progress=False,
                           sleep=waits.append)
    assert len(waits) == 3 and all(0.9 < w <= 1.0 for w in waits)  # calls 3, 4, 5 wait for the window


def test_fetch_stops_clearly_at_the_daily_limit() -> None:
    class Limited(FakeWisenet):
        def invoices(self, learner_id: str) -> list[dict]:
            if len(self.calls) == 2:
                raise DailyLimitReached("day limit", retry_after_s=60)
            return super().invoices(learner_id)

    with pytest.raises(DailyLimitReached, match="after 2 of 4 learners") as err:
        fetch_wisenet_invoices(Limited({}), ["1", "2", "3", "4"], progress=False, sleep=lambda s: None)
    assert err.value.retry_after_s == 60 and "report #0442" in err.value.hint


def test_fetch_all_pages_by_1000() -> None:
    data = [winv("1", f"INV-{i}", 1.0) for i in range(2300)]

    class Pager:
        pages: list[dict] = []

        def get(self, path: str, params: dict) -> list[dict]:
            self.pages.append({"path": path, **params})
            return data[params["skip"]:params["skip"] + params["take"]]

    pager = Pager()
    frame = fetch_all_wisenet_invoices(pager, sleep=lambda s: None)
    assert [(p["skip"], p["take"]) for p in pager.pages] == [(0, 1000), (1000, 1000), (2000, 1000)]
    assert {p["path"] for p in pager.pages} == {"/invoices"} and len(frame) == 2300


# --- evidence ------------------------------------------------------------------------------------------------
def test_write_resync_evidence(tmp_path) -> None:
    res = run_compare([doc("x3", "w2", "INV-2", 50.0), doc("x4", "w2", "INV-3", 75.0)], [winv("2", "INV-2", 50)])
    path = write_resync_evidence(tmp_path / "evidence", res)
    assert path.name == "resync.csv" and path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = {r["learner_number"]: r for r in csv.DictReader(path.open(encoding="utf-8-sig"))}
    assert rows["L002"]["status"] == "missing" and "INV-3" in rows["L002"]["detail"]
    assert rows["L001"]["status"] == "clean" and rows["L002"]["checked_at"]
    docs = list(csv.DictReader((tmp_path / "evidence" / "resync_documents.csv").open(encoding="utf-8-sig")))
    assert {d["outcome"] for d in docs} == {"matched", "missing"} and docs[0]["date"] == "2024-01-10"
    counts = summary_counts(res)
    assert counts["missing"] == 1 and counts["clean"] == 2 and counts["xero_amount"] == 125.0


def test_write_resync_evidence_refuses_other_frames(tmp_path) -> None:
    with pytest.raises(InputError):
        write_resync_evidence(tmp_path, pd.DataFrame([{"x": 1}]))
