"""Fixtures for client tests against a real sandbox: a workspace, a PKCE sign-in, clients."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from wxsync.auth import TokenSource, sign_in_pkce
from wxsync.config import WisenetSettings, Workspace, XeroSettings
from wxsync.secrets import SecretStore
from wxsync.wisenet import WisenetClient
from wxsync.xero import XeroClient


def follow_redirects(url: str) -> None:
    """Headless 'browser': the sandbox consents at once and redirects to our loopback listener."""
    requests.get(url, timeout=30)


def configure(sandbox: Any, **changes: Any) -> dict[str, Any]:
    resp = requests.post(f"{sandbox.url}/sandbox/config", json=changes, timeout=10)
    resp.raise_for_status()
    return resp.json()


@pytest.fixture(name="configure")
def configure_fixture() -> Callable[..., dict[str, Any]]:
    """``configure(sandbox, minute_limit=3, ...)`` changes a running sandbox's limits and faults."""
    return configure


@pytest.fixture(name="sign_in")
def sign_in_fixture() -> Callable[..., TokenSource]:
    """``sign_in(sandbox, client="acme")``: a PKCE sign-in through the sandbox's consent page."""
    return sign_in


@pytest.fixture
def workspace(tmp_path: Path, sandbox: Any) -> Workspace:
    return Workspace.create("acme", tmp_path / "data", settings={"sandbox": {"url": sandbox.url}})


def sign_in(sandbox: Any, client: str = "acme") -> TokenSource:
    return sign_in_pkce(XeroSettings.for_sandbox(sandbox.url), "test-client-id", store=SecretStore(client),
                        open_browser=follow_redirects, timeout_s=30)


@pytest.fixture
def make_xero() -> Callable[..., XeroClient]:
    def make(sandbox: Any, tokens: TokenSource | None = None, **kwargs: Any) -> XeroClient:
        kwargs.setdefault("progress", False)
        return XeroClient(XeroSettings.for_sandbox(sandbox.url), tokens or sign_in(sandbox), **kwargs)
    return make


@pytest.fixture
def xero(sandbox: Any, make_xero: Callable[..., XeroClient], workspace: Workspace) -> XeroClient:
    client = make_xero(sandbox)
    client.connect(workspace=workspace)
    return client


@pytest.fixture
def wisenet(sandbox: Any) -> WisenetClient:
    return WisenetClient(WisenetSettings.for_sandbox(sandbox.url), "test-wisenet-key", progress=False)
