"""The review notebook in a real browser: run all, tick two rows with the mouse, the kernel saves them."""

from __future__ import annotations

import re
import time

import pytest
from browser import open_notebook, run_all, shot
from playwright.sync_api import expect
from synthetic import review_inputs

from wxsync import decisions, steps
from wxsync.clients import new_client


@pytest.fixture(scope="module")
def review_lab(tmp_path_factory, lab_factory):
    data = tmp_path_factory.mktemp("data")
    ws = new_client("ui-review", data)
    pairs, contacts, documents = review_inputs(40)
    steps.save_review_inputs(ws, pairs, contacts, documents)
    lab = lab_factory(data)
    return lab, ws


def test_tick_two_rows_reaches_kernel_and_decisions(page, review_lab):
    lab, ws = review_lab
    open_notebook(page, lab, "ui-review/notebooks/02_review_duplicates.ipynb")
    shot(page, "review-01-opened")
    run_all(page)
    rows = page.locator(".wxsync-pairs tbody tr")
    expect(rows.first).to_be_visible(timeout=60_000)
    status = page.locator(".wxsync-status")
    expect(status).to_have_text(re.compile(r"^0 pairs ticked · 40 of 40 shown"), timeout=30_000)
    shot(page, "review-02-table")
    rows.nth(1).click()
    rows.nth(3).click()
    # the text can only change through browser -> kernel observer -> decisions.csv -> label -> browser
    expect(status).to_have_text(re.compile(r"^2 pairs ticked"), timeout=15_000)
    expect(page.locator(".wxsync-detail")).to_contain_text("old-00003")
    shot(page, "review-03-two-ticked")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(decisions.ticked_pairs(ws.decisions_csv)) < 2:
        time.sleep(0.2)
    ticked = decisions.ticked_pairs(ws.decisions_csv)
    assert ticked["old_contact_id"].tolist() == ["old-00001", "old-00003"]
    rows.nth(1).click()  # untick
    expect(status).to_have_text(re.compile(r"^1 pairs ticked"), timeout=15_000)
    assert decisions.ticked_pairs(ws.decisions_csv)["old_contact_id"].tolist() == ["old-00003"]
    shot(page, "review-04-one-unticked")
    # reopening: restart the kernel and run all again; the tick comes back from decisions.csv
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")  # no await
    page.locator(".jp-Dialog-button.jp-mod-accept").click(timeout=15_000)  # "Restart the kernel?"
    expect(status).to_have_text(re.compile(r"^1 pairs ticked · 40 of 40 shown$"), timeout=60_000)
    selected = page.locator(".wxsync-pairs tbody tr.selected")
    expect(selected).to_have_count(1)
    expect(selected.first.locator("td").first).to_have_text("3")
    shot(page, "review-05-restored")
    # a filter builds a fresh table: clicks on it must still reach the kernel
    search = page.locator(".wxsync-review input[placeholder^='name, email']")
    search.fill("0100005")
    search.press("Enter")
    expect(status).to_have_text(re.compile(r"^1 pairs ticked · 1 of 40 shown"), timeout=15_000)
    page.locator(".wxsync-pairs tbody tr").first.click()
    expect(status).to_have_text(re.compile(r"^2 pairs ticked · 1 of 40 shown"), timeout=15_000)
    assert decisions.ticked_pairs(ws.decisions_csv)["old_contact_id"].tolist() == ["old-00003", "old-00005"]
    shot(page, "review-06-filtered-tick")
