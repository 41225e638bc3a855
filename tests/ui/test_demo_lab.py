"""`wxsync demo` (interactive): sandbox + JupyterLab on the demo client's notebooks; Ctrl-C stops both."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

from browser import run_all, shot, wait_idle
from playwright.sync_api import expect


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_demo_opens_lab_on_the_demo_client_and_ctrl_c_stops_both(tmp_path, page):
    env = dict(os.environ, BROWSER="true", WXSYNC_SECRETS_DIR=str(tmp_path / "secrets"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jcfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "jrt"))
    proc = subprocess.Popen([sys.executable, "-m", "wxsync.cli", "demo", "--data-dir", str(tmp_path / "data"),
                             "--learners", "100"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        lines: list[str] = []
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            found = re.search(r"JupyterLab: (http://127\.0\.0\.1:\d+/\S+)", line)
            url = found.group(1) if found else None
        assert url, "".join(lines)
        sandbox_port = int(re.search(r"sandbox http://127\.0\.0\.1:(\d+)", "".join(lines)).group(1))
        lab_port = int(re.search(r"127\.0\.0\.1:(\d+)/", url).group(1))
        assert (tmp_path / "data" / "demo" / "sandbox.sqlite").exists()

        page.goto(url.replace("?", "?reset&", 1))
        expect(page.locator(".jp-Notebook")).to_be_visible(timeout=60_000)
        expect(page.locator(".lm-TabBar-tabLabel", has_text="00_connect.ipynb")).to_be_visible()
        page.wait_for_function("() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel"
                               "?.status === 'idle'", timeout=60_000)
        run_all(page)
        wait_idle(page)
        # signed in to the sandbox without a click; the organisation waits for the consultant's confirmation
        expect(page.locator(".jp-OutputArea-output", has_text="into confirm_org_name")).to_be_visible(timeout=30_000)
        shot(page, "demo-00-connect")

        os.kill(proc.pid, signal.SIGINT)  # Ctrl-C
        assert proc.wait(30) == 0
        assert not _listening(lab_port) and not _listening(sandbox_port)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
