"""Driving JupyterLab in Debian's Chromium through Playwright (no browser download, ever)."""

from __future__ import annotations

import re
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "ui"
KERNEL_IDLE = ("() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'")


def launch(playwright):
    """Debian's Chromium, headless, with the flags an offline CI box needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def shot(page, name: str) -> Path:
    """Save a screenshot as a test artifact (``artifacts/ui/NAME.png``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def open_notebook(page, lab, path: str, timeout_ms: int = 60_000) -> None:
    """Open a notebook (fresh layout) and wait until its kernel is idle."""
    page.goto(lab.url_for(path))
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)


def run_all(page) -> float:
    """Run all cells; returns the time the command was issued (``time.perf_counter``)."""
    started = time.perf_counter()
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    return started


def wait_idle(page, timeout_ms: int = 120_000) -> None:
    """Wait until the kernel has finished (busy first, then idle)."""
    page.wait_for_timeout(300)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)
