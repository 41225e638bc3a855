"""The journal's state machine and the writer's resume rules, against a scripted target."""

from __future__ import annotations

from typing import Any

import pytest

from wxsync.errors import DailyLimitReached, XeroValidationError
from wxsync.journal import Journal, JournaledWriter, step_key
from wxsync.xero import XeroResponse


class Target:
    """Records every write; can fail in scripted ways."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail: list[BaseException] = []

    def write(self, method: str, path: str, body: Any, *, params: dict | None = None,
              idempotency_key: str) -> XeroResponse:
        self.sent.append((path, idempotency_key))
        if self.fail:
            raise self.fail.pop(0)
        return XeroResponse(200, {}, {"echo": body})


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "journal.sqlite") as j:
        yield j


def test_keys_are_deterministic_per_run_and_content():
    a = step_key("run-1", "archive", "POST", "/Contacts", {"summarizeErrors": "false"}, {"x": [1, 2]})
    assert a == step_key("run-1", "archive", "post", "/Contacts", {"summarizeErrors": "false"}, {"x": [1, 2]})
    assert a != step_key("run-2", "archive", "POST", "/Contacts", {"summarizeErrors": "false"}, {"x": [1, 2]})
    assert a != step_key("run-1", "archive", "POST", "/Contacts", {"summarizeErrors": "false"}, {"x": [2, 1]})
    assert len(a) <= 128


def test_states_planned_sent_confirmed(journal):
    target = Target()
    writer = JournaledWriter(journal, target)
    step = writer.send("r1", "archive", "POST", "/Contacts", {"a": 1})
    assert step.state == "confirmed" and step.response == {"echo": {"a": 1}}
    assert step.attempts == 1 and target.sent == [("/Contacts", step.idempotency_key)]
    again = writer.send("r1", "archive", "POST", "/Contacts", {"a": 1})
    assert again.step_id == step.step_id and len(target.sent) == 1 and writer.skipped == 1


def test_refusal_is_failed_and_never_resent(journal):
    target = Target()
    target.fail = [XeroValidationError("refused", messages=["Invoice not of valid status for modification"])]
    writer = JournaledWriter(journal, target)
    step = writer.send("r1", "move", "POST", "/Invoices", {"b": 1})
    assert step.state == "failed" and "not of valid status" in step.error
    writer.send("r1", "move", "POST", "/Invoices", {"b": 1})
    assert len(target.sent) == 1


def test_transport_failure_leaves_sent_then_check_decides(journal):
    target = Target()
    target.fail = [ConnectionError("dropped")]
    writer = JournaledWriter(journal, target)
    with pytest.raises(ConnectionError):
        writer.send("r1", "archive", "POST", "/Contacts", {"c": 1})
    (step,) = journal.steps("r1")
    assert step.state == "sent"

    # the check sees the effect in Xero: confirmed without sending again
    checked = JournaledWriter(journal, target).send("r1", "archive", "POST", "/Contacts", {"c": 1},
                                                   check=lambda s: {"seen": True})
    assert checked.state == "confirmed" and checked.confirmed_by == "check" and len(target.sent) == 1


def test_unconfirmed_step_not_visible_is_resent_with_the_same_key(journal):
    target = Target()
    target.fail = [ConnectionError("dropped")]
    writer = JournaledWriter(journal, target)
    with pytest.raises(ConnectionError):
        writer.send("r1", "archive", "POST", "/Contacts", {"d": 1})
    looked: list[str] = []
    step = writer.send("r1", "archive", "POST", "/Contacts", {"d": 1},
                       check=lambda s: looked.append(s.state))
    assert looked == ["sent"]
    assert step.state == "confirmed" and step.attempts == 2
    assert target.sent[0][1] == target.sent[1][1] == step.idempotency_key


def test_daily_limit_propagates_and_step_resumes(journal):
    target = Target()
    target.fail = [DailyLimitReached("limit", "later", retry_after_s=60)]
    writer = JournaledWriter(journal, target)
    with pytest.raises(DailyLimitReached):
        writer.send("r1", "archive", "POST", "/Contacts", {"e": 1})
    assert writer.send("r1", "archive", "POST", "/Contacts", {"e": 1}, check=lambda s: None).state == "confirmed"


def test_survives_reopening(tmp_path):
    path = tmp_path / "j.sqlite"
    with Journal(path) as j:
        j.start_run("r1", "h1", {"plan": [1]})
        s = j.plan_step("r1", "archive", "POST", "/Contacts", {"f": 1})
        j.mark_sent(s.step_id)
    with Journal(path) as j:
        assert j.open_run_for("h1") == "r1" and j.run("r1")["info"] == {"plan": [1]}
        assert j.step(s.step_id).state == "sent"
        assert list(j.frame("r1")["state"]) == ["sent"]
        j.set_run_status("r1", "done")
        assert j.open_run_for("h1") is None and j.open_run_for("h1", statuses=("done",)) == "r1"
