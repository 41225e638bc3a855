"""The matching benchmark's own arithmetic: the high-recall ceiling and the met/missed verdicts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("recordlinkage")
_spec = importlib.util.spec_from_file_location(
    "bench_matching", Path(__file__).resolve().parents[2] / "benchmarks" / "matching.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _pair(old: str, number: str, **levels: str) -> dict:
    row = {"old_contact_id": old, "learner_number": number, "email_match": "missing", "phone_match": "missing",
           "street_match": "missing", "locality_match": "missing"}
    return row | levels


def test_ceiling_counts_true_pairs_with_evidence_besides_the_name():
    pairs = pd.DataFrame([
        _pair("o1", "L1", email_match="identical"),
        _pair("o2", "L2", locality_match="postcode"),
        _pair("o3", "L3", email_match="differs", phone_match="differs"),   # the name alone
        _pair("o4", "L9", phone_match="identical"),                       # not a true pair
    ])
    truth = {("o1", "L1"), ("o2", "L2"), ("o3", "L3"), ("o5", "L5")}      # o5 is not even a candidate
    share, name_only = bench._high_ceiling(pairs, truth)
    assert share == pytest.approx(0.5) and name_only == 2


def test_verdicts_say_met_missed_and_when_the_ceiling_decides():
    r = {"pc": 0.996, "high": (0.999, 0.95, 0.97, 100), "p>0.5": (0.98, 0.97, 0.975, 100), "ceiling": (0.96, 4)}
    assert bench._verdicts(r) == ["candidate recall >= 0.995 met", "high precision >= 0.998 met",
                                  "high recall >= 0.97 MISSED (ceiling 0.960)", "score > 0.5 F1 >= 0.99 MISSED"]
    r["ceiling"] = (0.99, 1)
    assert bench._verdicts(r)[2] == "high recall >= 0.97 MISSED"
