"""Normalisation of names, emails, phones, addresses and company names."""

from __future__ import annotations

import pandas as pd
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from match_builders import contact

from wxsync.match.features import contact_features
from wxsync.match.nicknames import are_nicknames, nickname_pairs
from wxsync.match.normalize import (
    e164_one,
    fold,
    looks_like_company,
    normalise_email,
    normalise_phone,
    normalise_street,
    split_person_name,
)


def S(*values: str) -> pd.Series:  # noqa: N802 - short builder
    return pd.Series(list(values), dtype=object)


def test_fold_case_spacing_diacritics_apostrophes():
    assert fold(S("  Zoë   MÜLLER ", "O'Brien", "José-María", "")).tolist() == [
        "zoe muller", "obrien", "jose maria", ""]


@pytest.mark.parametrize("name", [
    "Jane Smith (10234)", "10234 - Jane Smith", "Smith, Jane [10234]", "Jane Smith #10234",
    "JANE SMITH 10234", "Jane Smith-10234",
])
def test_learner_number_stripped_from_any_template(name):
    row = contact("c1", name, learner_number="10234")
    f = contact_features(pd.DataFrame([row]))
    assert (f["given"].iloc[0], f["surname"].iloc[0]) == ("jane", "smith")
    assert "10234" not in f["display"].iloc[0]


def test_learner_number_with_letters_and_leading_zeros_is_removed_as_a_whole_token():
    rows = [contact("c1", "Ann Lee (S00123)", learner_number="S00123"),
            contact("c2", "Ann Lee S001234", learner_number="S00123")]
    f = contact_features(pd.DataFrame(rows))
    assert f["display"].tolist() == ["Ann Lee", "Ann Lee S001234"]


@pytest.mark.parametrize(("name", "first", "last", "expected"), [
    ("Smith, Jane", "", "", ("jane", "", "smith")),
    ("Mr John A. Smith Jr", "", "", ("john", "a", "smith")),
    ("Andrew Smith-Cook", "", "", ("andrew", "", "smith cook")),
    ("whatever", "Mary Jane", "O'Neil", ("mary", "jane", "oneil")),
    ("Cher", "", "", ("", "", "cher")),
    ("", "", "", ("", "", "")),
])
def test_split_person_name(name, first, last, expected):
    g, m, s = split_person_name(S(name), S(first), S(last))
    assert (g.iloc[0], m.iloc[0], s.iloc[0]) == expected


def test_email_normalisation_and_local_key():
    e = normalise_email(S(" Jane.Smith+tafe@Gmail.COM ", "info@acme.com.au", "not-an-email", "", "j_s@x.io"))
    assert e["email"].tolist() == ["jane.smith+tafe@gmail.com", "info@acme.com.au", "", "", "j_s@x.io"]
    assert e["local_key"].tolist() == ["janesmith", "", "", "", ""]  # role address and too short: no key


@pytest.mark.parametrize(("raw", "e164"), [
    ("0412 345 678", "+61412345678"), ("+61 412 345 678", "+61412345678"), ("61412345678", "+61412345678"),
    ("412345678", "+61412345678"), ("(02) 9876 5432", "+61298765432"), ("1300 123 456", "+611300123456"),
    ("+64 21 123 4567", "+64211234567"), ("", ""), ("n/a", ""), ("12", ""),
])
def test_phone_e164_au_default(raw, e164):
    assert normalise_phone(S(raw)).iloc[0] == e164


@settings(max_examples=300, deadline=None)
@given(prefix=st.sampled_from(["0", "+61", "61", "", "+61 (0)"]), first=st.sampled_from("2345789"),
       rest=st.text(alphabet="0123456789", min_size=6, max_size=9), sep=st.sampled_from(["", " ", "-", "."]))
def test_phone_fast_path_agrees_with_phonenumbers(prefix, first, rest, sep):
    raw = prefix + first + sep + rest[:4] + sep + rest[4:]
    try:
        num = phonenumbers.parse(raw, "AU")
        expected = (phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
                    if phonenumbers.is_possible_number(num) else "")
    except phonenumbers.NumberParseException:
        expected = ""
    assert e164_one(raw) == expected


def test_street_abbreviations():
    s = normalise_street(S("12 Smith Street", "12 smith st.", "Unit 3, 4 Long Road", "3/4 Long Rd"))
    assert s.iloc[0] == s.iloc[1]
    assert s.tolist()[2:] == ["u 3 4 long rd", "3 4 long rd"]


@pytest.mark.parametrize(("name", "company"), [
    ("Acme Training Pty Ltd", True), ("ABC P/L", True), ("Smith Family Trust", True),
    ("The Trustee for the Lee Trust", True), ("Widgets Inc", True), ("Bright Sparks Limited", True),
    ("Jane Smith", False), ("Jane Smith (10234)", False), ("Dean Trustworthy", False),
])
def test_company_names(name, company):
    assert (looks_like_company(S(name)).iloc[0] != "") is company


@pytest.mark.parametrize(("a", "b", "related"), [
    ("bob", "robert", True), ("robert", "bob", True), ("liz", "elizabeth", True), ("bill", "william", True),
    ("kate", "katherine", True), ("jim", "james", True), ("jane", "mary", False), ("bob", "bob", False),
    ("", "robert", False),
])
def test_nicknames_from_package(a, b, related):
    assert are_nicknames(a, b) is related
    import numpy as np

    assert nickname_pairs(np.array([a], dtype=object), np.array([b], dtype=object))[0] == related
