"""Starting the sandbox: loopback only, the ``wxsync sandbox`` command, the generated default org, speed."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import requests
from handmade_org import Xero, small_org

from wxsync.cli import main
from wxsync.errors import SandboxError
from wxsync.sandbox.server import start_sandbox


def test_refuses_non_loopback_hosts(capsys) -> None:
    with pytest.raises(SandboxError, match="loopback"):
        start_sandbox(host="0.0.0.0", org=small_org())
    assert main(["sandbox", "--host", "192.168.1.10", "--learners", "5"]) == 2
    assert "only listens on loopback" in capsys.readouterr().err


def test_wxsync_sandbox_command_serves_until_interrupted(tmp_path) -> None:
    state = tmp_path / "s.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "wxsync.cli", "sandbox", "--port", "0", "--learners", "40",
                             "--state", str(state)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = []
        deadline = time.time() + 60
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Ctrl+C" in line:
                break
        text = "".join(lines)
        assert "/api.xro/2.0" in text and "/v1" in text and "/wisenet/settings/connected-apps/xero" in text
        url = next(w for w in text.split() if w.startswith("http://127.0.0.1:") and w.endswith("/api.xro/2.0"))
        base = url.rsplit("/api.xro", 1)[0]
        assert requests.get(f"{base}/sandbox/health", timeout=10).json()["status"] == "ok"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert state.exists()


def test_default_sandbox_serves_the_generated_org(sandbox) -> None:
    truth = requests.get(f"{sandbox.url}/sandbox/truth", timeout=10).json()
    assert truth["duplicates"] and set(truth) == {"duplicates", "lookalikes"}
    xero = Xero(sandbox.url, tenant=sandbox.tenant_id)
    learners = requests.get(f"{sandbox.url}/v1/learnersAU/list", headers={"x-api-key": "k"}, timeout=10).json()
    assert len(learners) == 200
    dup = truth["duplicates"][0]
    old = xero.get(f"/Contacts/{dup['old_contact_id']}").json()["Contacts"][0]
    kept = xero.get(f"/Contacts/{dup['learner_number']}").json()["Contacts"][0]
    assert old["ContactID"] != kept["ContactID"] and kept["ContactNumber"] == dup["learner_number"]
    if old["ContactStatus"] == "ACTIVE":
        r = requests.post(f"{sandbox.url}/sandbox/merge", timeout=10,
                          json={"old_contact_id": old["ContactID"], "into_contact_id": kept["ContactID"]})
        assert r.status_code == 200
        assert xero.get(f"/Contacts/{old['ContactID']}").json()["Contacts"][0]["MergedToContactID"] == kept["ContactID"]


def _big_org(n: int):
    org = small_org()
    template = org.contacts[0]
    contacts = []
    for i in range(n):
        c = copy.deepcopy(template)
        c.update(ContactID=str(uuid.UUID(int=10**6 + i)), Name=f"Learner {i:05d}", ContactNumber=f"N{i:05d}")
        contacts.append(c)
    org.contacts = contacts
    return org


def test_twenty_thousand_contacts_page_fast(sandbox_factory) -> None:
    started = time.perf_counter()
    sb = sandbox_factory(org=_big_org(20_000))
    seeded = time.perf_counter() - started
    xero = Xero(sb.url)
    timings = []
    for page in (1, 11, 20):
        t = time.perf_counter()
        body = xero.get("/Contacts", params={"page": page, "pageSize": 1000, "includeArchived": "true"}).json()
        timings.append(time.perf_counter() - t)
        assert len(body["Contacts"]) == 1000 and body["pagination"]["pageCount"] == 20
    assert max(timings) < 0.5, timings
    assert seeded < 6, seeded
