"""Telling Wisenet-generated contacts from old ones, and the two reports."""

from __future__ import annotations

import pandas as pd
import pytest
from match_builders import contact, learners_for, wisenet

from wxsync.errors import InputError
from wxsync.match import classify_contacts, find_duplicates, learners_without_contact, unmatched_contact_codes
from wxsync.match.classify import CONTACT_COLUMNS, LEARNER_COLUMNS


def _learners(*numbers: str) -> pd.DataFrame:
    rows = [{**{c: "" for c in LEARNER_COLUMNS}, "learner_id": str(k), "learner_number": n}
            for k, n in enumerate(numbers)]
    return pd.DataFrame(rows, columns=list(LEARNER_COLUMNS))


def _contacts(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(CONTACT_COLUMNS))


def test_contact_code_equal_to_learner_number_is_wisenet():
    out = classify_contacts(_contacts(contact("a", "Jane Smith (00123)", contact_number="00123"),
                                      contact("b", "Jane Smith")), _learners("00123"))
    assert out["is_wisenet"].tolist() == [True, False]
    assert out["learner_number"].tolist() == ["00123", ""]
    assert out["wisenet_by"].tolist() == ["contact_number", ""]
    assert out["is_wisenet"].dtype == bool


def test_learner_numbers_are_opaque_leading_zeros_and_case_matter():
    out = classify_contacts(_contacts(contact("a", "A B", contact_number="123"),
                                      contact("b", "C D", contact_number="s0123"),
                                      contact("c", "E F", contact_number="S0123")), _learners("00123", "S0123"))
    assert out["is_wisenet"].tolist() == [False, False, True]
    assert out["learner_number"].tolist() == ["", "", "S0123"]


def test_learner_number_as_whole_name_token_is_the_flagged_fallback():
    out = classify_contacts(_contacts(contact("a", "Jane Smith [S0777]"), contact("b", "Unit S07770 Pty"),
                                      contact("c", "S0777 S0778 Family")), _learners("S0777", "S0778"))
    assert out["wisenet_by"].tolist() == ["name_token", "", ""]
    assert out["learner_number"].tolist() == ["S0777", "", ""]


def test_reports_unmatched_codes_and_learners_without_contact():
    contacts = _contacts(contact("a", "Jane (001)", contact_number="001"), contact("b", "Old", contact_number="CUST-9"),
                         contact("c", "Plain"))
    learners = _learners("001", "002", "003")
    out = classify_contacts(contacts, learners)
    assert out.attrs["n_unmatched_contact_codes"] == 1
    assert unmatched_contact_codes(out)["contact_id"].tolist() == ["b"]
    assert learners_without_contact(out, learners)["learner_number"].tolist() == ["002", "003"]
    assert out.attrs["n_learners_without_contact"] == 2
    pd.concat([out, out])  # attrs stay plain values: pandas can still combine classified frames


def test_missing_columns_raise_input_error_with_hint():
    with pytest.raises(InputError, match="contact_number"):
        classify_contacts(pd.DataFrame({"contact_id": ["a"], "name": ["x"]}), _learners("1"))


def test_builders_round_trip():
    rows = [wisenet("w1", "Ann", "Lee", "L1"), contact("o1", "Ann Lee")]
    out = classify_contacts(_contacts(*rows), learners_for(rows))
    assert out.set_index("contact_id")["is_wisenet"].to_dict() == {"w1": True, "o1": False}


def test_numeric_columns_read_from_a_csv_with_blanks_match_like_text(tmp_path):
    """pandas reads a numeric column with blank cells as floats (1001 -> 1001.0, 2000 -> 2000.0): the Contact
    Code still finds its learner, and the postcodes and phones still agree."""
    csv = tmp_path / "contacts.csv"
    csv.write_text("contact_id,name,first_name,last_name,email,phone,status,address_line1,city,postcode,"
                   "contact_number\n"
                   "w1,Jane Smith (1001),,,,412345678,ACTIVE,,,2000,1001\n"
                   "w2,Bob Jones (1002),,,,,ACTIVE,,,,1002\n"
                   "o1,Jane Smith,,,,412345678,ACTIVE,,,2000,\n", encoding="utf-8")
    contacts = pd.read_csv(csv)
    assert contacts["contact_number"].dtype == float and contacts["postcode"].dtype == float
    learners = pd.DataFrame({"learner_id": [1, 2], "learner_number": [1001, 1002]})
    out = classify_contacts(contacts, learners)
    assert out["learner_number"].tolist() == ["1001", "1002", ""]
    pairs = find_duplicates(out)
    row = pairs[pairs["old_contact_id"] == "o1"].iloc[0]
    assert row["learner_number"] == "1001"
    assert row["phone_match"] == "identical" and row["locality_match"] == "postcode"
