"""ReviewTable, Python side: filters, ticks through the widget comm, bulk actions, persistence, 5,000 rows."""

from __future__ import annotations

import json
import time

import pytest
from synthetic import review_inputs

from wxsync import decisions
from wxsync.errors import InputError
from wxsync.review import ReviewTable


def _frontend_select(table, rows):
    """Exactly what the comm does when the browser sends a new selection."""
    table._handle_msg({"content": {"data": {"method": "update", "state": {"selected_rows": rows},
                                            "buffer_paths": []}}, "buffers": []})


@pytest.fixture
def inputs():
    return review_inputs(60)


@pytest.fixture
def rt(inputs, tmp_path):
    pairs, contacts, documents = inputs
    return ReviewTable(pairs, tmp_path / "decisions.csv", contacts=contacts, documents=documents, by="ana")


def test_table_is_multi_select_without_downsampling(rt):
    args = rt.table._dt_args
    assert args["select"] == "multi"
    assert not args.get("filtered_row_count") and "downsampling_warning" not in args
    assert len(json.loads(args["data_json"])) == 60
    assert rt.status.value.startswith("0 pairs ticked · 60 of 60 shown")
    assert "wxsync-status" in rt.status._dom_classes


def test_browser_ticks_are_saved_at_once(rt, tmp_path):
    _frontend_select(rt.table, [1, 3])
    assert rt.status.value.startswith("2 pairs ticked")
    saved = decisions.ticked_pairs(tmp_path / "decisions.csv")
    assert saved["old_contact_id"].tolist() == ["old-00001", "old-00003"]
    assert set(saved["ticked_by"]) == {"ana"}
    _frontend_select(rt.table, [3])  # untick row 1
    assert decisions.ticked_pairs(tmp_path / "decisions.csv")["old_contact_id"].tolist() == ["old-00003"]
    assert len(decisions.load(tmp_path / "decisions.csv")) == 2  # the untick is recorded too
    assert "Pair #" in rt.detail.value and "old-00003" in rt.detail.value


def test_ticks_restored_when_reopened(inputs, tmp_path):
    pairs, contacts, documents = inputs
    first = ReviewTable(pairs, tmp_path / "decisions.csv", contacts=contacts)
    _frontend_select(first.table, [4, 7, 9])
    again = ReviewTable(pairs, tmp_path / "decisions.csv", contacts=contacts)
    assert again.table.selected_rows == [4, 7, 9]
    assert again.ticked["old_contact_id"].tolist() == ["old-00004", "old-00007", "old-00009"]
    assert again.status.value.startswith("3 pairs ticked")


def test_filters_band_score_conflict_text(rt, inputs):
    pairs, _, _ = inputs
    rt.set_filters(bands=["high"])
    assert set(rt.visible["band"]) == {"high"} and len(rt.visible) == (pairs["band"] == "high").sum()
    rt.set_filters(bands=["high", "review", "low"], score_range=(0.4, 0.6))
    assert rt.visible["score"].between(0.4, 0.6).all()
    assert len(rt.visible) == pairs["score"].between(0.4, 0.6).sum()
    rt.set_filters(score_range=(0, 1), conflict="with conflict")
    assert (rt.visible["conflict"] != "").all() and len(rt.visible) == (pairs["conflict"] != "").sum()
    rt.set_filters(conflict="all pairs", text="0100012")
    assert rt.visible["learner_number"].tolist() == ["0100012"]
    # the table shown is the filtered one, and a click maps to the right pair
    assert len(rt.table.df) == 1
    _frontend_select(rt.table, [0])
    assert rt.ticked["learner_number"].tolist() == ["0100012"]


def test_ticks_hidden_by_a_filter_are_kept(rt):
    _frontend_select(rt.table, [0, 1, 2])
    rt.set_filters(text=rt.pairs.loc[1, "learner_number"])
    assert rt.table.selected_rows == [0]
    _frontend_select(rt.table, [])  # untick the only visible one
    assert set(rt.ticked["old_contact_id"]) == {"old-00000", "old-00002"}
    rt.set_filters(text="")
    assert rt.table.selected_rows == [0, 2]


def test_bulk_tick_high_without_conflict_and_clear(rt, tmp_path):
    rt.set_filters(bands=["low"])  # bulk action ignores filters
    n = rt.tick_high_without_conflict()
    expect = rt.pairs[(rt.pairs["band"] == "high") & (rt.pairs["conflict"] == "")]
    assert n == len(expect) > 0
    saved = decisions.ticked_pairs(tmp_path / "decisions.csv")
    assert set(saved["old_contact_id"]) == set(expect["old_contact_id"])
    assert rt.table.selected_rows == []  # none of them is in the low band view
    rt.set_filters(bands=["high"])
    assert len(rt.table.selected_rows) == n
    rt.clear_button.click()
    assert decisions.ticked_pairs(tmp_path / "decisions.csv").empty
    assert rt.table.selected_rows == [] and rt.status.value.startswith("0 pairs ticked")


def test_out_of_range_selection_is_guarded(rt, tmp_path):
    rt.set_filters(bands=["high"])
    n_view = len(rt.visible)
    _frontend_select(rt.table, [0, n_view + 5, -1])
    assert len(rt.ticked) == 1
    assert rt.table.selected_rows == [0]
    assert "ignored 2 row(s)" in rt.status.value
    with pytest.raises(InputError, match="no pair #999"):
        rt.tick([999])


def test_detail_panel_compares_both_contacts_and_documents(rt):
    rt.show_detail(0)
    html = rt.detail.value
    assert "old-00000" in html and "wis-00000" in html
    assert "INV-00000" in html  # old contact's document
    assert rt.pairs.loc[0, "reasons"].split(";")[0] in html
    rt.show_detail(10_000)
    assert "no pair" in rt.detail.value


def test_missing_columns_are_refused(inputs, tmp_path):
    pairs, _, _ = inputs
    with pytest.raises(InputError, match="band"):
        ReviewTable(pairs.drop(columns=["band"]), tmp_path / "d.csv")


def test_five_thousand_pairs_all_rows_sent_and_fast(tmp_path):
    pairs, contacts, documents = review_inputs(5000)
    start = time.perf_counter()
    rt = ReviewTable(pairs, tmp_path / "decisions.csv", contacts=contacts, documents=documents)
    built = time.perf_counter() - start
    assert not rt.table._dt_args.get("filtered_row_count")  # nothing downsampled
    assert len(json.loads(rt.table._dt_args["data_json"])) == 5000
    assert len(rt.table.df) == 5000
    start = time.perf_counter()
    _frontend_select(rt.table, [0, 4999])
    rt.set_filters(bands=["review"])
    reacted = time.perf_counter() - start
    assert rt.ticked["old_contact_id"].tolist() == ["old-00000", "old-04999"]
    assert built < 5 and reacted < 3, (built, reacted)


def test_no_pairs_is_a_valid_empty_table(inputs, tmp_path):
    pairs, contacts, _ = inputs
    rt = ReviewTable(pairs.iloc[0:0], tmp_path / "d.csv", contacts=contacts)
    assert rt.status.value.startswith("0 pairs ticked · 0 of 0 shown")
    assert rt.tick_high_without_conflict() == 0 and rt.clear() == 0
    assert not (tmp_path / "d.csv").exists()


def test_review_table_step_restores_and_auto_ticks(inputs, tmp_path):
    from wxsync import steps
    from wxsync.clients import new_client

    ws = new_client("steps-review", tmp_path)
    with pytest.raises(InputError, match="01_load"):
        steps.review_table(ws)
    steps.save_review_inputs(ws, *inputs)
    rt = steps.review_table(ws, by="ana", auto_tick_high=True)
    pairs = inputs[0]
    n_high = int(((pairs["band"] == "high") & (pairs["conflict"] == "")).sum())
    assert len(rt.ticked) == n_high
    summary = steps.review_summary(ws).set_index("band")["ticked"]
    assert summary["high"] == n_high and summary["review"] == 0
    assert (ws.root / "review" / "pairs.csv").exists()
