"""Preflight on a generated demo organisation finds every case the generator planted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wxsync.config import WisenetSettings
from wxsync.frames import contacts_frame, learners_frame
from wxsync.preflight import preflight
from wxsync.sandbox.generator import generate_with_notes
from wxsync.wisenet import WisenetClient

# generator learner status -> the problems preflight must report for that learner
EXPECTED = {
    "contact": set(),
    "missing": {"no_wisenet_contact"},
    "archived_holder": {"archived_code_holder"},
    "name_taken": {"no_wisenet_contact", "name_taken"},
    "inactive": {"inactive", "no_wisenet_contact"},
    "inactive_contact": {"inactive"},
    "no_last_name": {"missing_name", "no_wisenet_contact"},
    "no_address": {"no_address", "no_wisenet_contact"},
    "invalid_email": {"invalid_email", "no_wisenet_contact"},
}


def test_every_planted_preflight_case_is_found(sandbox_factory: Callable[..., Any]) -> None:
    org, notes = generate_with_notes(11, 300)
    sb = sandbox_factory(org=org)
    client = WisenetClient(WisenetSettings.for_sandbox(sb.url), "test-key", progress=False)
    learners = learners_frame(client.learners())
    result = preflight(learners, contacts_frame(sb.store.query("contact")))

    flagged: dict[str, set[str]] = {}
    for rec in result.issues.to_dict("records"):
        flagged.setdefault(rec["learner_number"], set()).add(rec["problem"])
    statuses = notes.learner_status
    for case in ("missing", "archived_holder", "name_taken"):
        assert list(statuses.values()).count(case) >= 2, case  # the generator planted them
    wrong = {}
    for number, status in statuses.items():
        got = flagged.get(number, set())
        want = EXPECTED.get(status)
        if want is None:  # not_synced: flagged only when the learner is active
            active = bool(learners.loc[learners["learner_number"] == number, "is_active"].item())
            want = {"sync_not_ticked"} if active else set()
        if not want <= got or (status == "contact" and got):
            wrong[number] = (status, sorted(got))
    assert not wrong
    assert result.counts["archived_code_holder"] == list(statuses.values()).count("archived_holder")
    assert set(result.unmatched_codes["contact_number"]).isdisjoint(set(learners["learner_number"]))
