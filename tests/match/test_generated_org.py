"""End to end on a small generated organisation: the high band against the generator's ground truth."""

from __future__ import annotations

import pytest

generator = pytest.importorskip("wxsync.sandbox.generator")
frames = pytest.importorskip("wxsync.frames")

from wxsync.match import classify_contacts, find_duplicates  # noqa: E402


@pytest.mark.parametrize("seed", [11])
def test_high_band_precision_and_recall_on_a_generated_org(seed):
    org = generator.generate(seed, 500)
    contacts = frames.contacts_frame(org.contacts)
    learners = frames.learners_frame(org.learners, org.states)
    pairs = find_duplicates(classify_contacts(contacts, learners))
    truth = {(d["old_contact_id"], d["learner_number"]) for d in org.truth["duplicates"]}
    high = pairs[pairs["band"] == "high"]
    predicted = set(zip(high["old_contact_id"], high["learner_number"], strict=True))
    hits = len(predicted & truth)
    assert len(truth) > 100
    assert hits / len(predicted) >= 0.98, sorted(predicted - truth)[:5]
    assert hits / len(truth) >= 0.90


def test_band_rule_holds_on_every_row_of_a_generated_org():
    """high <=> score >= HIGH, no conflict and some evidence besides the name; review/low by score."""
    from wxsync.match.pairs import HIGH, REVIEW

    org = generator.generate(12, 600)
    pairs = find_duplicates(classify_contacts(frames.contacts_frame(org.contacts),
                                              frames.learners_frame(org.learners, org.states)))
    high = pairs[pairs["band"] == "high"]
    assert len(high) > 100
    assert (high["score"] >= HIGH).all() and (high["conflict"] == "").all()
    evidence = (high["email_match"].isin(["identical", "same local part", "similar local part"])
                | high["phone_match"].eq("identical")
                | high["street_match"].isin(["identical", "similar", "close"])
                | high["locality_match"].isin(["postcode and suburb", "postcode", "suburb"]))
    assert evidence.all(), high.loc[~evidence, ["old_name", "wisenet_name", "reasons"]].head()
    rest = pairs[pairs["band"] != "high"]
    assert ((rest["band"] == "review") == (rest["score"] >= REVIEW)).all()
