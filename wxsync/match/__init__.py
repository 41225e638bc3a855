"""Duplicate matching: find the old contact behind each Wisenet-generated one, with reasons.

* :func:`classify_contacts` - mark Wisenet-generated contacts (``is_wisenet``, ``learner_number``,
  ``wisenet_by``); reports in ``attrs`` and via :func:`unmatched_contact_codes` /
  :func:`learners_without_contact`.
* :func:`find_duplicates` - the pairs frame (columns ``PAIR_COLUMNS``, documented in
  :mod:`wxsync.match.pairs`).
"""

from wxsync.match.classify import classify_contacts, learners_without_contact, unmatched_contact_codes
from wxsync.match.pairs import PAIR_COLUMNS, find_duplicates

__all__ = [
    "PAIR_COLUMNS",
    "classify_contacts",
    "find_duplicates",
    "learners_without_contact",
    "unmatched_contact_codes",
]
