"""What the generator did to each record (for tests and benchmarks; the sandbox does not serve it)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GenerationNotes:
    """What the generator did, keyed by contact id or learner number (not served by the sandbox)."""

    number_format: str = ""
    learner_status: dict[str, str] = field(default_factory=dict)
    """learner number -> contact | missing | archived_holder | name_taken | not_synced | inactive |
    inactive_contact | no_last_name | no_address | invalid_email"""
    wisenet_contact_of: dict[str, str] = field(default_factory=dict)
    variations: dict[str, list[str]] = field(default_factory=dict)
    """duplicate old contact id -> variation kinds applied (see gen_variants.VARIATION_KINDS)."""
    lookalike_kind: dict[str, str] = field(default_factory=dict)
    """look-alike old contact id -> same_name | near_name | parent | employer | sibling"""
    routes: dict[str, str] = field(default_factory=dict)
    """old contact id -> the merge route its documents imply (archive | repoint | xero_ui)."""
    special: dict[str, str] = field(default_factory=dict)
    """contact id -> archived_holder | name_taken"""
    siblings: list[tuple[str, str]] = field(default_factory=list)
