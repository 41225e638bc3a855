"""Rate limits (minute, day, concurrent, Wisenet per second) and Idempotency-Key replays."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import requests
from handmade_org import Xero, cid, small_org


def test_minute_limit_headers_and_window(sandbox_factory) -> None:
    sb = sandbox_factory(org=small_org(), minute_limit=3, minute_window_s=1.0)
    xero = Xero(sb.url)
    remaining = [xero.get("/Organisation").headers["X-MinLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    r = xero.get("/Organisation")
    assert r.status_code == 429
    assert r.headers["X-Rate-Limit-Problem"] == "minute" and int(r.headers["Retry-After"]) == 1
    assert r.headers["X-DayLimit-Remaining"] == "4997" and "X-AppMinLimit-Remaining" in r.headers
    time.sleep(1.05)
    assert xero.get("/Organisation").status_code == 200
    stats = requests.get(f"{sb.url}/sandbox/stats", timeout=10).json()
    assert stats["rate_limited"]["minute"] == 1


def test_day_limit(sandbox_factory) -> None:
    sb = sandbox_factory(org=small_org(), day_limit=2)
    xero = Xero(sb.url)
    assert [xero.get("/Organisation").status_code for _ in range(3)] == [200, 200, 429]
    r = xero.get("/Organisation")
    assert r.headers["X-Rate-Limit-Problem"] == "day" and int(r.headers["Retry-After"]) > 1
    assert r.headers["X-DayLimit-Remaining"] == "0"


def test_concurrent_limit(sandbox_factory) -> None:
    sb = sandbox_factory(org=small_org(), concurrent_limit=2, latency_s=0.4)
    xero = Xero(sb.url)
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: requests.get(xero.base + "/Organisation", headers=xero.http.headers,
                                                       timeout=10), range(6)))
    codes = sorted(r.status_code for r in results)
    assert codes.count(200) >= 2 and 429 in codes
    assert {r.headers["X-Rate-Limit-Problem"] for r in results if r.status_code == 429} == {"concurrent"}


def test_wisenet_per_second_limit(sandbox_factory) -> None:
    sb = sandbox_factory(org=small_org(), wisenet_per_second=3)
    s = requests.Session()
    s.headers["x-api-key"] = "k1"
    codes = [s.get(f"{sb.url}/v1/combos/states", timeout=10).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    time.sleep(1.05)
    assert s.get(f"{sb.url}/v1/combos/states", timeout=10).status_code == 200
    # limits are per key
    assert requests.get(f"{sb.url}/v1/combos/states", headers={"x-api-key": "k2"}, timeout=10).status_code == 200


def test_config_changes_limits_at_run_time(org_sandbox) -> None:
    r = requests.post(f"{org_sandbox.url}/sandbox/config", json={"minute_limit": 1}, timeout=10)
    assert r.json()["minute_limit"] == 1
    xero = Xero(org_sandbox.url)
    assert [xero.get("/Organisation").status_code for _ in range(2)] == [200, 429]
    assert requests.post(f"{org_sandbox.url}/sandbox/config", json={"bogus": 1}, timeout=10).status_code == 400


def test_idempotent_replay_applies_once(xero: Xero, org_sandbox) -> None:
    body = {"Contacts": [{"Name": "Once Only"}]}
    first = xero.put("/Contacts", body, headers={"Idempotency-Key": "k-1"})
    again = xero.put("/Contacts", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(xero.get("/Contacts", params={"where": 'Name=="Once Only"'}).json()["Contacts"]) == 1
    # a failed write is remembered too
    bad = {"Contacts": [{"ContactID": cid(13), "ContactStatus": "ARCHIVED"}]}
    r1 = xero.post(f"/Contacts/{cid(13)}", bad, headers={"Idempotency-Key": "k-2"})
    r2 = xero.post(f"/Contacts/{cid(13)}", bad, headers={"Idempotency-Key": "k-2"})
    assert r1.status_code == r2.status_code == 400 and r1.text == r2.text
    # without a key the same body is applied again (and fails on the now-taken name)
    assert xero.put("/Contacts", body).status_code == 400
    stats = requests.get(f"{org_sandbox.url}/sandbox/stats", timeout=10).json()
    assert stats["idempotency"] == {"k-1": 1, "k-2": 1}
    assert stats["writes_applied"] == 1
    assert stats["requests"]["PUT /api.xro/2.0/Contacts"] == 3


def test_wisenet_day_limit_and_faults(sandbox_factory) -> None:
    sb = sandbox_factory(org=small_org(), wisenet_day_limit=2)
    get = lambda: requests.get(f"{sb.url}/v1/combos/states", headers={"x-api-key": "k"}, timeout=10)  # noqa: E731
    assert [get().status_code for _ in range(3)] == [200, 200, 429]
    sb.configure(wisenet_day_limit=1000, faults=1.0, fault_seed=5)
    outcomes = set()
    for _ in range(3):
        try:
            outcomes.add(get().status_code)
        except requests.ConnectionError:
            outcomes.add("dropped")
    assert outcomes - {200}  # Wisenet requests are faulted too


def test_concurrent_replays_of_one_key_apply_once(xero: Xero, org_sandbox) -> None:
    body = {"Contacts": [{"Name": "Raced Person"}]}
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda _: requests.put(xero.base + "/Contacts", json=body, headers={
            **xero.http.headers, "Idempotency-Key": "race-1"}, timeout=10).status_code, range(4)))
    assert codes == [200] * 4
    assert len(xero.get("/Contacts", params={"where": 'Name=="Raced Person"'}).json()["Contacts"]) == 1
    assert requests.get(f"{org_sandbox.url}/sandbox/stats", timeout=10).json()["idempotency"]["race-1"] == 1
