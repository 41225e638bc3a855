"""Per-contact comparison features, computed once per contact before any pair is looked at."""

from __future__ import annotations

import re

import jellyfish
import pandas as pd

from wxsync.match.normalize import (
    fold,
    looks_like_company,
    map_unique,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_street,
    split_person_name,
    strip_token,
)


def _codes(values: pd.Series, fn) -> pd.Series:  # noqa: ANN001 - a str -> str function
    uniq = pd.unique(values)
    table = {u: (fn(u) if u else "") for u in uniq}
    return values.map(table).astype(object)


_NO_DIGITS = str.maketrans("", "", "0123456789")


def name_like(local: str, given: str, middle: str, surname: str) -> bool:
    """The email local part is just the person's name (any order, initials, digits ignored)."""
    core = local.translate(_NO_DIGITS) if local else ""
    if len(core) < 2:
        return False
    parts = [t for t in (given, *middle.split(), *surname.split()) if t]
    if not parts:
        return False
    words = sorted({*parts, *(t[0] for t in parts)}, key=len, reverse=True)
    pos = 0
    while pos < len(core):  # greedy cover of the local part by name words and initials
        for w in words:
            if core.startswith(w, pos):
                pos += len(w)
                break
        else:
            return False
    return True


_EDGE = re.compile(r"^[\s()\[\]{}\-–:#|,]+|[\s()\[\]{}\-–:#|,]+$")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_STREET_NO = re.compile(r"^(?:u \d+\w* )?(\d+\w*)")


def _display(name: str) -> str:
    """The name as typed, minus the removed learner number's leftover brackets and dashes."""
    return " ".join(_EDGE.sub("", _EMPTY_BRACKETS.sub("", name)).split())


def _street_no(street: str) -> str:
    m = _STREET_NO.match(street)
    return m.group(1) if m else ""


def contact_features(contacts: pd.DataFrame, company_check: bool = True) -> pd.DataFrame:
    """One row per contact (same index) with the folded fields the comparisons and blocking use.

    Columns: contact_id, display (name without learner number), given, middle, surname, email,
    local_key, phone, street, street_no, postcode, city, company (legal form or ""), given_mp,
    surname_mp (metaphone), surname_sx (soundex), surname_last. ``company_check=False`` skips the
    organisation-name test (Wisenet contacts are learners).
    """
    learner = contacts.get("learner_number", pd.Series("", index=contacts.index)).fillna("").astype(str)
    raw_name = strip_token(contacts["name"].fillna("").astype(str), learner)
    display = map_unique(raw_name, _display)
    given, middle, surname = split_person_name(
        raw_name, contacts["first_name"].fillna("").astype(str), contacts["last_name"].fillna("").astype(str)
    )
    emails = normalise_email(contacts["email"])
    street = normalise_street(contacts["address_line1"])
    street_no = map_unique(street, _street_no)
    surname_last = map_unique(surname, lambda x: x.rsplit(" ", 1)[-1])
    return pd.DataFrame(
        {
            "contact_id": contacts["contact_id"].astype(str),
            "display": display,
            "given": given,
            "middle": middle,
            "surname": surname,
            "surname_last": surname_last.astype(object),
            "email": emails["email"],
            "local_key": emails["local_key"],
            "phone": normalise_phone(contacts["phone"]),
            "street": street,
            "street_no": street_no.astype(object),
            "postcode": normalise_postcode(contacts["postcode"]),
            "city": fold(contacts["city"]),
            "company": (looks_like_company(contacts["name"]) if company_check
                        else pd.Series("", index=contacts.index, dtype=object)),
            "given_mp": _codes(given, jellyfish.metaphone),
            "surname_mp": _codes(surname_last, jellyfish.metaphone),
            "surname_sx": _codes(surname_last, jellyfish.soundex),
        },
        index=contacts.index,
    )
