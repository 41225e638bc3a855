"""The whole consultant path in a real browser on the sandbox: tick two rows in the review notebook, open a
worklist link, merge on the sandbox's Xero page, press Verify and see the pair verified."""

from __future__ import annotations

import re

import papermill as pm
import pytest
from browser import open_notebook, run_all, shot
from playwright.sync_api import expect

from wxsync import decisions
from wxsync.clients import new_client
from wxsync.demo import run_notebooks


@pytest.fixture(scope="module")
def merge_lab(tmp_path_factory, lab_factory):
    from wxsync.sandbox.server import start_sandbox

    with pytest.MonkeyPatch.context() as mp, start_sandbox(seed=2, learners=300, minute_limit=100_000) as sb:
        mp.setenv("WXSYNC_SECRETS_DIR", str(tmp_path_factory.mktemp("secrets")))  # the Lab's kernels inherit it
        data = tmp_path_factory.mktemp("data")
        ws = new_client("ui-merge", data, sandbox_url=sb.url)
        run_notebooks(ws, sb.url, sb.state.organisation["Name"], only=("00_connect", "01_load"))
        merge_nb = ws.notebooks_dir / "03_merge.ipynb"  # every ticked pair goes to Xero's own merge
        pm.execute_notebook(str(merge_nb), str(merge_nb), prepare_only=True, kernel_name="python3",
                            parameters={"client": ws.name, "data_dir": str(data), "policy": "xero_ui_only"})
        yield lab_factory(data), ws, sb


def test_tick_merge_in_xero_page_and_verify(page, merge_lab):
    lab, ws, sb = merge_lab
    # 1. review: tick two rows with the mouse; the kernel saves them
    open_notebook(page, lab, "ui-merge/notebooks/02_review_duplicates.ipynb")
    run_all(page)
    rows = page.locator(".wxsync-pairs tbody tr")
    status = page.locator(".wxsync-status")
    expect(status).to_have_text(re.compile(r"^0 pairs ticked"), timeout=60_000)
    rows.nth(0).click()
    rows.nth(2).click()
    expect(status).to_have_text(re.compile(r"^2 pairs ticked"), timeout=15_000)
    shot(page, "merge-01-review-two-ticked")
    ticked = decisions.ticked_pairs(ws.decisions_csv)
    assert len(ticked) == 2

    # 2. merge notebook: the worklist lists both pairs with links and a status column
    open_notebook(page, lab, "ui-merge/notebooks/03_merge.ipynb")
    run_all(page)
    work_rows = page.locator(".wxsync-worklist tr[data-old-contact-id]")
    expect(work_rows).to_have_count(2, timeout=60_000)
    expect(page.locator(".wxsync-verify-status")).to_contain_text("Press Verify", timeout=30_000)
    shot(page, "merge-02-worklist")
    first = work_rows.first
    old_id = first.get_attribute("data-old-contact-id")
    into_id = first.get_attribute("data-wisenet-contact-id")
    assert {old_id} <= set(ticked["old_contact_id"]) and into_id
    merge_into = first.locator("td").nth(2).inner_text().strip()

    # 3. open the link (a new tab) and merge on the sandbox's Xero contact page
    with page.context.expect_page() as popup_info:
        first.locator("a.wxsync-worklist-link").click()
    xero = popup_info.value
    xero.wait_for_load_state()
    expect(xero.locator("#contact-status")).to_have_text("ACTIVE")
    xero.fill("#merge-search", merge_into)
    xero.click("#merge-search-go")
    xero.locator(f"input[name=into_contact_id][value='{into_id}']").check()
    shot(xero, "merge-03-xero-search")
    xero.click("#merge-submit")
    expect(xero.locator("#merge-summary")).to_contain_text(merge_into)
    xero.click("#merge-confirm")
    expect(xero.locator("#merge-result")).to_contain_text("Merged into")
    shot(xero, "merge-04-xero-merged")
    xero.close()

    # 4. back in the notebook: Verify shows that pair verified, the other still to do
    page.bring_to_front()
    page.locator(".wxsync-verify").click()
    verify_status = page.locator(".wxsync-verify-status")
    expect(verify_status).to_have_text(re.compile(r"^1 of 2 pairs verified"), timeout=60_000)
    row = page.locator(f".wxsync-worklist tr[data-old-contact-id='{old_id}'] .wxsync-worklist-status")
    expect(row).to_have_text("done")
    other = page.locator(f".wxsync-worklist tr[data-old-contact-id]:not([data-old-contact-id='{old_id}']) .wxsync-worklist-status")
    expect(other.first).to_contain_text("to do")
    shot(page, "merge-05-verified")
    merged = sb.store.get("contact", old_id)
    assert merged["ContactStatus"] == "ARCHIVED" and merged["MergedToContactID"] == into_id
    assert (ws.evidence_dir / "merges.csv").exists()
