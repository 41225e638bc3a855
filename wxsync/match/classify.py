"""Tell Wisenet-generated contacts from older ones.

A contact is Wisenet-generated when its Contact Code (``contact_number``) equals a learner's
``learner_number`` exactly (an opaque, case-sensitive string: leading zeros matter). Fallback: the
learner number stands as a whole token in the contact name (``wisenet_by == "name_token"``; the pair
is flagged for review later).

Reports (also available as functions):

* :func:`unmatched_contact_codes` - contacts with a non-empty Contact Code that matches no learner
  (their count in ``classified.attrs["n_unmatched_contact_codes"]``);
* :func:`learners_without_contact` - learners no contact points to, often because ``sync_to_xero`` is off
  or Wisenet has not pushed them yet (their count in ``classified.attrs["n_learners_without_contact"]``).

``attrs`` hold only these two integers: pandas deep-copies attrs on every operation, so lists or frames
there would slow everything down (and frames there break ``pd.concat``).
"""

from __future__ import annotations

import re

import pandas as pd

from wxsync.errors import InputError
from wxsync.frames import text_column

CONTACT_COLUMNS = (
    "contact_id", "name", "first_name", "last_name", "email", "phone", "contact_number", "account_number",
    "status", "merged_to_contact_id", "is_customer", "is_supplier", "updated_utc", "address_line1", "city",
    "region", "postcode", "country", "ar_outstanding", "n_documents",
)
LEARNER_COLUMNS = (
    "learner_id", "learner_number", "first_name", "last_name", "email", "mobile", "date_of_birth",
    "is_active", "sync_to_xero", "address_line1", "city", "state", "postcode",
)
#: Columns :func:`find_duplicates` needs on the classified contacts frame.
REQUIRED_FOR_MATCHING = (
    "contact_id", "name", "first_name", "last_name", "email", "phone", "status", "address_line1", "city",
    "postcode", "is_wisenet", "learner_number",
)

_TOKEN_SPLIT = re.compile(r"[\s()\[\]{}<>,;:#|/\\\"']+")


def require_columns(df: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    """Raise :class:`InputError` naming the missing columns."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            f"The {what} frame lacks column(s): {', '.join(missing)}.",
            f"Build it with wxsync.frames ({what}_frame) or add the missing columns (empty strings are fine).",
        )


def _name_tokens(name: str) -> list[str]:
    parts = [p.strip(".-_") for p in _TOKEN_SPLIT.split(name)]
    parts += re.findall(r"[0-9A-Za-z]+", name)
    return [p for p in parts if p]


def classify_contacts(contacts: pd.DataFrame, learners: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``contacts`` with ``is_wisenet`` (bool), ``learner_number`` (str, "" for old
    contacts) and ``wisenet_by`` ("contact_number" | "name_token" | "")."""
    require_columns(contacts, ("contact_id", "name", "contact_number"), "contacts")
    require_columns(learners, ("learner_number",), "learners")
    out = contacts.copy()
    numbers = set(text_column(learners["learner_number"]).str.strip()) - {""}
    code = text_column(out["contact_number"]).str.strip()
    by_code = code.isin(numbers) & code.ne("")
    learner_number = code.where(by_code, "")
    wisenet_by = pd.Series("", index=out.index, dtype=object).mask(by_code, "contact_number")
    names = text_column(out["name"]).tolist()
    numbers_arr, by_arr = learner_number.tolist(), wisenet_by.tolist()
    for k, (name, coded) in enumerate(zip(names, by_code.tolist(), strict=True)):
        if coded or not name:
            continue
        hits = sorted({t for t in _name_tokens(name) if t in numbers})
        if len(hits) == 1:  # two different learner numbers in one name: not a Wisenet name
            numbers_arr[k], by_arr[k] = hits[0], "name_token"
    learner_number = pd.Series(numbers_arr, index=out.index, dtype=object)
    wisenet_by = pd.Series(by_arr, index=out.index, dtype=object)
    out["is_wisenet"] = wisenet_by.ne("").astype(bool)
    out["learner_number"] = learner_number.astype(object)
    out["wisenet_by"] = wisenet_by.astype(object)
    out.attrs["n_unmatched_contact_codes"] = len(unmatched_contact_codes(out))
    out.attrs["n_learners_without_contact"] = len(learners_without_contact(out, learners))
    return out


def unmatched_contact_codes(classified: pd.DataFrame) -> pd.DataFrame:
    """Contacts whose non-empty Contact Code matches no learner (columns contact_id, name,
    contact_number, status), sorted by contact_number."""
    code = text_column(classified["contact_number"]).str.strip()
    mask = code.ne("") & ~(classified["wisenet_by"].eq("contact_number"))
    cols = [c for c in ("contact_id", "name", "contact_number", "status") if c in classified.columns]
    return classified.loc[mask, cols].sort_values(["contact_number", "contact_id"]).reset_index(drop=True)


def learners_without_contact(classified: pd.DataFrame, learners: pd.DataFrame) -> pd.DataFrame:
    """Learners that no contact carries (by Contact Code or name token), sorted by learner_number."""
    have = set(classified.loc[classified["is_wisenet"], "learner_number"])
    mask = ~text_column(learners["learner_number"]).str.strip().isin(have)
    cols = [c for c in ("learner_id", "learner_number", "first_name", "last_name", "email", "is_active",
                        "sync_to_xero") if c in learners.columns]
    return learners.loc[mask, cols].sort_values("learner_number").reset_index(drop=True)
