"""Preflight against the sandbox: what it flags is what the sandbox's Wisenet then fails to sync."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import requests

from wxsync.config import WisenetSettings
from wxsync.frames import contacts_frame, learners_frame
from wxsync.preflight import preflight
from wxsync.wisenet import WisenetClient

from .org import _contact, _learner, build_org

# The sandbox's resync-learners reasons -> the preflight problem that predicts each.
REASON_TO_PROBLEM = {
    "inactive learner": "inactive",
    "missing first name or surname": "missing_name",
    "address lacks a state or postcode": "no_address",
    "invalid email address": "invalid_email",
    "an archived contact holds this number": "archived_code_holder",
    "an active contact already has this name": "name_taken",
}


def _extra_learner(n: int, number: str, first: str, last: str, **personal: Any) -> dict:
    rec = _learner(1, "L0001")
    rec.update(LearnerId=n, LearnerGuid=f"g-{n}")
    rec["Personal"].update(LearnerNumber=number, FirstName=first, LastName=last,
                           EmailAddresses={"Email": f"{first.lower()}@mail.com.au"})
    rec["Personal"].update(personal)
    return rec


def problem_org() -> Any:
    org = build_org()
    org.wisenet_name_template = "{first} {last}"  # so that a same-named old contact really blocks Wisenet
    add = [
        _extra_learner(5, "L0005", "Ed", "Fox"),                                        # fine, no contact yet
        _extra_learner(6, "L0006", "Flo", "Gee", EmailAddresses={"Email": "flo@@mail"}),  # invalid email
        _extra_learner(7, "L0007", "Gus", "Hill"),                                      # archived holder
        _extra_learner(8, "L0008", "Hal", "Ives"),                                      # name taken
        _extra_learner(9, "L0009", "Ida", "Jay", IsActive=False),                      # inactive
        _extra_learner(10, "L0010", "Jo", "Kay", StreetAddress={"StreetName": "X Rd", "StateId": 5}),
        _extra_learner(11, "L0011", "Kim", "", ),                                       # no surname
        _extra_learner(12, "L0012", "Lu", "Ma", SyncToXero=False),                      # not ticked
    ]
    org.learners.extend(copy.deepcopy(add))
    archived = _contact("A7", "Gus Hill (L0007)", "L0007")
    archived["ContactStatus"] = "ARCHIVED"
    org.contacts += [archived, _contact("O8", "Hal Ives"), _contact("Z1", "Zed Corp", "ZZ-1")]
    return org


@pytest.fixture
def problem_sandbox(sandbox_factory: Callable[..., Any]) -> Any:
    return sandbox_factory(org=problem_org())


def load(sb: Any) -> tuple[Any, Any]:
    client = WisenetClient(WisenetSettings.for_sandbox(sb.url), "test-key", progress=False)
    return learners_frame(client.learners()), contacts_frame(sb.store.query("contact"))


def test_preflight_predicts_what_wisenet_cannot_sync(problem_sandbox: Any) -> None:
    learners, contacts = load(problem_sandbox)
    result = preflight(learners, contacts)
    flagged = {(r["learner_number"], r["problem"]) for r in result.issues.to_dict("records")}
    assert flagged == {("L0005", "no_wisenet_contact"), ("L0006", "invalid_email"),
                       ("L0006", "no_wisenet_contact"), ("L0007", "archived_code_holder"),
                       ("L0008", "no_wisenet_contact"), ("L0008", "name_taken"), ("L0009", "inactive"), ("L0009", "no_wisenet_contact"),
                       ("L0010", "no_address"), ("L0010", "no_wisenet_contact"), ("L0011", "missing_name"),
                       ("L0011", "no_wisenet_contact"), ("L0012", "sync_not_ticked")}
    assert list(result.unmatched_codes["contact_id"]) == ["Z1"]
    assert set(result.table.loc[result.table["ready"], "learner_number"]) == {"L0001", "L0002", "L0003", "L0004"}

    outcome = requests.post(f"{problem_sandbox.url}/sandbox/wisenet/resync-learners", json={}, timeout=10).json()
    assert {s["reason"] for s in outcome["skipped"]} == set(REASON_TO_PROBLEM)  # every kind was exercised
    for skipped in outcome["skipped"]:
        problem = REASON_TO_PROBLEM[skipped["reason"]]
        assert (skipped["learner_number"], problem) in flagged, skipped
    created = {c["learner_number"] for c in outcome["created"]}
    assert created == {"L0005"}
    # after Wisenet's resync of missing learners, the ready learner is no longer flagged
    learners, contacts = load(problem_sandbox)
    again = preflight(learners, contacts)
    assert "L0005" not in set(again.issues["learner_number"])
