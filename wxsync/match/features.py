"""Per-contact comparison features, computed once per contact before any pair is looked at."""

from __future__ import annotations

import re

import jellyfish
import pandas as pd

from wxsync.frames import text_column
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
#: words that introduce a unit, level or lot number before the house number ("u 20 208 church rd")
_UNIT_WORDS = frozenset({"u", "unit", "apt", "apartment", "flat", "shop", "suite", "level", "lvl", "lot"})


def _display(name: str) -> str:
    """The name as typed, minus the removed learner number's leftover brackets and dashes."""
    return " ".join(_EDGE.sub("", _EMPTY_BRACKETS.sub("", name)).split())


def _street_no(street: str) -> str:
    """The house number: the last number before the street name, so "u 20 208 church rd", "20 208 church rd"
    and "208 church rd" all give 208 (the unit number is often left out or written without "u")."""
    number = ""
    for token in street.split():
        if token[0].isdigit():
            number = token
        elif number or token not in _UNIT_WORDS:
            break
    return number


def _street_word(street: str) -> str:
    """The first word of the street name after the numbers ("20 208 church rd" -> "church"); "" when short."""
    for token in street.split():
        if not token[0].isdigit() and token not in _UNIT_WORDS:
            return token if len(token) >= 3 else ""
    return ""


def _without_unit_word(street: str) -> str:
    """Drop a leading unit designator word ("u 20 208 church rd" -> "20 208 church rd")."""
    head, _, rest = street.partition(" ")
    return rest if head in _UNIT_WORDS and rest[:1].isdigit() else street


def _joined(name: pd.Series, middle: pd.Series, first: bool) -> pd.Series:
    """A name run together with its neighbouring middle token, for names split by a stray space
    ("ja cob" -> "jacob" as given name, "chab rel" -> "chabrel" as surname); "" without a middle token."""
    out = []
    for n, m in zip(name.tolist(), middle.tolist(), strict=True):
        if not n or not m:
            out.append("")
            continue
        parts = m.split()
        out.append(n + parts[0] if first else parts[-1] + n.replace(" ", ""))
    return pd.Series(out, index=name.index, dtype=object)


def contact_features(contacts: pd.DataFrame, company_check: bool = True) -> pd.DataFrame:
    """One row per contact (same index) with the folded fields the comparisons and blocking use.

    Columns: contact_id, display (name without learner number), given, middle, surname, given_joined,
    surname_joined (the name run together with its neighbouring middle token, "" when none), email,
    local_key, phone, street, street_no, street_word (first word of the street name), postcode, city, company (legal form or ""), given_mp,
    surname_mp (metaphone), surname_sx (soundex), surname_last. ``company_check=False`` skips the
    organisation-name test (Wisenet contacts are learners).
    """
    learner = text_column(contacts.get("learner_number", pd.Series("", index=contacts.index)))
    raw_name = strip_token(text_column(contacts["name"]), learner)
    display = map_unique(raw_name, _display)
    given, middle, surname = split_person_name(
        raw_name, text_column(contacts["first_name"]), text_column(contacts["last_name"])
    )
    emails = normalise_email(contacts["email"])
    street = map_unique(normalise_street(contacts["address_line1"]), _without_unit_word)
    street_no = map_unique(street, _street_no)
    street_word = map_unique(street, _street_word)
    surname_last = map_unique(surname, lambda x: x.rsplit(" ", 1)[-1])
    return pd.DataFrame(
        {
            "contact_id": contacts["contact_id"].astype(str),
            "display": display,
            "given": given,
            "middle": middle,
            "surname": surname,
            "surname_last": surname_last.astype(object),
            "given_joined": _joined(given, middle, first=True),
            "surname_joined": _joined(surname, middle, first=False),
            "email": emails["email"],
            "local_key": emails["local_key"],
            "phone": normalise_phone(contacts["phone"]),
            "street": street,
            "street_no": street_no.astype(object),
            "street_word": street_word.astype(object),
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
