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
