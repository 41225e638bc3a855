"""decisions.csv: record, update, load, ticked pairs, atomic writes."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pandas as pd
import pytest
from synthetic import review_inputs

from wxsync import decisions
from wxsync.errors import InputError


def test_record_then_load_keeps_who_when_and_leading_zeros(tmp_path):
    path = tmp_path / "decisions.csv"
    pairs, _, _ = review_inputs(5)
    at = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    decisions.record(path, pairs.iloc[[0, 2]], True, by="ana", at=at)
    frame = decisions.load(path)
    assert list(frame.columns) == decisions.COLUMNS
    assert frame["old_contact_id"].tolist() == ["old-00000", "old-00002"]
    assert frame["learner_number"].tolist() == ["0100000", "0100002"]
    assert frame["ticked"].tolist() == [True, True]
    assert set(frame["ticked_by"]) == {"ana"}
    assert set(frame["ticked_at"]) == {"2026-11-26T09:30:00+00:00"}
    assert frame["score"].tolist() == pytest.approx(pairs["score"].iloc[[0, 2]].tolist())


def test_untick_updates_the_row_in_place(tmp_path):
    path = tmp_path / "decisions.csv"
    pairs, _, _ = review_inputs(5)
    decisions.record(path, pairs.iloc[[0, 1, 2]], True, by="ana")
    decisions.record(path, pairs.iloc[[1]], False, by="ben")
    frame = decisions.load(path)
    assert len(frame) == 3
    row = frame.set_index("old_contact_id").loc["old-00001"]
    assert not row["ticked"] and row["ticked_by"] == "ben"
    assert decisions.ticked_pairs(path)["old_contact_id"].tolist() == ["old-00000", "old-00002"]
    assert decisions.ticked_keys(path) == {("old-00000", "wis-00000"), ("old-00002", "wis-00002")}


def test_missing_file_is_empty_and_bad_file_is_an_input_error(tmp_path):
    assert decisions.load(tmp_path / "none.csv").empty
    assert decisions.ticked_pairs(tmp_path / "none.csv").empty
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="lacks the column"):
        decisions.load(bad)


def test_write_is_atomic_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "decisions.csv"
    pairs, _, _ = review_inputs(3)
    decisions.record(path, pairs.iloc[[0]], True, by="ana")
    before = path.read_bytes()

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        decisions.record(path, pairs.iloc[[1]], True, by="ana")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["decisions.csv"]  # no temp file left behind


def test_rows_without_key_columns_are_refused(tmp_path):
    with pytest.raises(InputError):
        decisions.record(tmp_path / "d.csv", pd.DataFrame({"x": [1]}), True)


def test_current_user_from_environment(monkeypatch):
    monkeypatch.setenv("WXSYNC_USER", "consultant@firm")
    assert decisions.current_user() == "consultant@firm"
