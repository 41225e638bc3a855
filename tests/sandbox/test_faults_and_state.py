"""Fault injection at a high rate, and state kept across a restart with the same file."""

from __future__ import annotations

from collections import Counter

import requests
from handmade_org import TENANT, Xero, cid, small_org


def test_faults_at_high_rate(sandbox_factory) -> None:
    sb = sandbox_factory(org=small_org(), faults=0.9, fault_seed=3)
    xero = Xero(sb.url)
    seen: Counter = Counter()
    for _ in range(12):
        try:
            r = xero.get("/Organisation", timeout=5)
            seen[r.status_code] += 1
            if r.status_code == 429:
                assert r.headers["Retry-After"] == "1" and r.headers["X-Rate-Limit-Problem"] == "minute"
        except requests.ConnectionError:
            seen["dropped"] += 1
    assert seen["dropped"] >= 1 and (seen[500] + seen[503]) >= 1 and seen[429] >= 1
    # /sandbox, identity and pages are never faulted
    for _ in range(10):
        assert requests.get(f"{sb.url}/sandbox/health", timeout=5).status_code == 200
        assert requests.post(f"{sb.url}/connect/token", data={"grant_type": "client_credentials"},
                             timeout=5).status_code == 200
    stats = requests.get(f"{sb.url}/sandbox/stats", timeout=5).json()
    assert sum(stats["faults"][k] for k in ("429", "500", "503", "slow", "drop")) >= 8


def test_dropped_write_then_replay_applies_once(sandbox_factory) -> None:
    sb = sandbox_factory(org=small_org(), faults=0.0)
    xero = Xero(sb.url)
    created = 0
    for n in range(10):
        key, body = f"w-{n}", {"Contacts": [{"Name": f"Retry Person {n}"}]}
        sb.configure(faults=1.0, fault_seed=n)
        try:
            xero.put("/Contacts", body, headers={"Idempotency-Key": key}, timeout=5)
        except requests.ConnectionError:
            pass
        sb.configure(faults=0.0)
        r = xero.put("/Contacts", body, headers={"Idempotency-Key": key})
        assert r.status_code == 200, r.text
        created += 1
    names = [c["Name"] for c in xero.get("/Contacts", params={"searchTerm": "Retry Person"}).json()["Contacts"]]
    assert len(names) == created == len(set(names))
    stats = requests.get(f"{sb.url}/sandbox/stats", timeout=5).json()
    assert all(stats["idempotency"][f"w-{n}"] == 1 for n in range(10))
    assert stats["faults"]["drop_after_write"] >= 1  # some writes were applied before the drop


def test_state_file_survives_restart(sandbox_factory, tmp_path) -> None:
    state = tmp_path / "sandbox.sqlite"
    sb = sandbox_factory(org=small_org(), state=state)
    xero = Xero(sb.url)
    xero.put("/Contacts", {"Contacts": [{"Name": "Persisted"}]}, headers={"Idempotency-Key": "p-1"})
    requests.post(f"{sb.url}/sandbox/merge", json={"old_contact_id": cid(11), "into_contact_id": cid(1)}, timeout=5)
    day_left = xero.get("/Organisation").headers["X-DayLimit-Remaining"]
    sb.stop()
    sb2 = sandbox_factory(seed=99, state=state)  # no org: the file is used, the generator is not called
    xero2 = Xero(sb2.url)
    old_token = xero.http.headers["Authorization"]  # tokens issued before the restart still work
    assert requests.get(f"{sb2.url}/api.xro/2.0/Organisation", timeout=5,
                        headers={"Authorization": old_token, "xero-tenant-id": TENANT}).status_code == 200
    assert xero2.get("/Contacts", params={"where": 'Name=="Persisted"'}).json()["Contacts"]
    assert xero2.get(f"/Contacts/{cid(11)}").json()["Contacts"][0]["MergedToContactID"] == cid(1)
    replay = xero2.put("/Contacts", {"Contacts": [{"Name": "Persisted"}]}, headers={"Idempotency-Key": "p-1"})
    assert replay.status_code == 200
    assert int(xero2.get("/Organisation").headers["X-DayLimit-Remaining"]) == int(day_left) - 5  # five calls since
    assert requests.get(f"{sb2.url}/sandbox/health", timeout=5).json()["tenant_id"] == TENANT
