"""Fixtures for the matching tests; the frame builders live in match_builders.py."""

from __future__ import annotations

import pytest
from match_builders import classified


@pytest.fixture
def build():
    """``build(rows)`` -> classified contacts frame (rows + a small background organisation)."""
    return classified
