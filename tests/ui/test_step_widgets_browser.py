"""Step 0's masked key prompt and step 4's date confirmation, driven in a real browser."""

from __future__ import annotations

import re

import pytest
from browser import open_notebook, run_all, shot, wait_idle
from playwright.sync_api import expect

from wxsync.clients import new_client
from wxsync.demo import run_notebooks
from wxsync.resync import resync_start
from wxsync.secrets import SecretStore

KEY = "wk-browser-0c8e41d7a9b35f62-7788"


@pytest.fixture(scope="module")
def steps_lab(tmp_path_factory, lab_factory):
    from wxsync.sandbox.server import start_sandbox

    secrets = tmp_path_factory.mktemp("secrets")
    with pytest.MonkeyPatch.context() as mp, start_sandbox(seed=4, learners=200, minute_limit=100_000) as sb:
        mp.setenv("WXSYNC_SECRETS_DIR", str(secrets))  # the Lab's kernels inherit it
        data = tmp_path_factory.mktemp("data")
        ws = new_client("ui-steps", data, sandbox_url=sb.url)
        run_notebooks(ws, sb.url, sb.state.organisation["Name"], only=("00_connect", "01_load"))
        yield lab_factory(data), ws, secrets


def test_key_typed_in_the_browser_is_stored_cleared_and_never_saved(page, steps_lab):
    lab, ws, secrets = steps_lab
    open_notebook(page, lab, "ui-steps/notebooks/00_connect.ipynb")
    run_all(page)
    field = page.locator(".wxsync-secret input[type=password]").first
    expect(field).to_be_visible(timeout=60_000)
    field.fill(KEY)
    page.locator(".wxsync-secret-save").first.click()
    status = page.locator(".wxsync-secret-status").first
    expect(status).to_contain_text("…7788", timeout=15_000)
    expect(field).to_have_value("")
    shot(page, "steps-01-key-saved")
    assert SecretStore(ws.name, root=secrets).get("wisenet_api_key") == KEY
    wait_idle(page)
    path = ws.notebooks_dir / "00_connect.ipynb"
    before = path.stat().st_mtime_ns
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    for _ in range(50):
        if path.stat().st_mtime_ns != before:
            break
        page.wait_for_timeout(100)
    assert path.stat().st_mtime_ns != before  # the notebook was saved from the browser
    assert KEY not in path.read_text()  # neither its outputs nor its saved widget state hold the key


def test_date_confirmed_in_the_browser_then_the_checklist_shows(page, steps_lab):
    lab, ws, secrets = steps_lab
    open_notebook(page, lab, "ui-steps/notebooks/04_resync.ipynb")
    run_all(page)  # stops at the cell that needs the confirmed date
    button = page.locator(".wxsync-confirm-date")
    expect(button).to_be_visible(timeout=60_000)
    expect(page.locator(".wxsync-resync-plan")).to_have_text("")
    assert not ws.settings.get("resync")
    button.click()
    plan = page.locator(".wxsync-resync-plan")
    expect(plan).to_contain_text("Resync invoices from", timeout=15_000)
    shot(page, "steps-02-date-confirmed")
    first = ws.settings["resync"]["first_connection_date"]
    from datetime import date

    expect(plan).to_contain_text(resync_start(date.fromisoformat(first)).isoformat())
    expect(plan).to_contain_text(re.compile("Connected Apps"))
