"""Fixtures of the sandbox tests: a sandbox serving the hand-made organisation, and a signed-in client."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from handmade_org import Xero, small_org


@pytest.fixture
def org_sandbox(sandbox_factory: Callable[..., Any]) -> Any:
    """A sandbox serving :func:`small_org`."""
    return sandbox_factory(org=copy.deepcopy(small_org()))


@pytest.fixture
def xero(org_sandbox: Any) -> Xero:
    """A signed-in ``requests`` helper on :func:`org_sandbox`."""
    return Xero(org_sandbox.url)
