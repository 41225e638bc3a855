"""Fixtures for tests in a real browser: JupyterLab on loopback, Debian's Chromium, review workspaces."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "notebooks"))

from browser import CHROMIUM, launch  # noqa: E402


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason="needs Debian's Chromium: apt-get install chromium"))


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(chromium, request):
    """A fresh browser tab; on failure a screenshot of every open tab is saved under artifacts/ui/."""
    from browser import shot

    context = chromium.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for i, open_page in enumerate(context.pages):
            shot(open_page, f"FAILED-{request.node.name}-{i}")
    context.close()


@pytest.fixture(scope="module")
def lab_factory(tmp_path_factory):
    from wxsync.lab import start_lab

    servers = []

    def start(root_dir, **kwargs):
        server = start_lab(root_dir, state_dir=tmp_path_factory.mktemp("labstate"), **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
