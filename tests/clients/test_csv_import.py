"""Learners CSV import: aliases, mapping, encodings and clear errors naming rows/columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from wxsync.errors import InputError
from wxsync.frames import learners_frame
from wxsync.wisenet import read_learners_csv

HEADER = "Learner Number,First Name,Surname,Email,Mobile,Postcode,State,Active,Sync to Xero\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "learners.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_default_aliases_and_exact_numbers(tmp_path: Path) -> None:
    p = write(tmp_path, HEADER + "00042,Robert,Smith,bob@example.com,0412 000 111,3220,VIC,Yes,TRUE\n"
              "\n"
              "A-7,Sam,Lee,,,4000,QLD,No,false\n")
    recs = read_learners_csv(p)
    assert [r["LearnerNumber"] for r in recs] == ["00042", "A-7"]
    df = learners_frame(recs)
    assert df["learner_number"].tolist() == ["00042", "A-7"]
    assert df["is_active"].tolist() == [True, False]
    assert df["sync_to_xero"].tolist() == [True, False]
    assert df.iloc[0]["state"] == "VIC" and df.iloc[0]["postcode"] == "3220"


def test_refinternal_alias_utf8_bom_and_semicolons(tmp_path: Path) -> None:
    p = write(tmp_path, "RefInternal;FirstName;LastName\n9;Zoë;Ñúñez\n", encoding="utf-8-sig")
    recs = read_learners_csv(p)
    assert recs == [{"LearnerNumber": "9", "FirstName": "Zoë", "LastName": "Ñúñez",
                     "SyncToXero": True, "IsActive": True}]


def test_cp1252_export(tmp_path: Path) -> None:
    p = write(tmp_path, "Student Number,First Name,Last Name\r\n12,Ren\xe9e,O\u2019Brien\r\n", encoding="cp1252")
    recs = read_learners_csv(p)
    assert recs[0]["FirstName"] == "Renée" and recs[0]["LastName"] == "O’Brien"


def test_explicit_mapping(tmp_path: Path) -> None:
    p = write(tmp_path, "ID,Given,Family\n1,A,B\n")
    recs = read_learners_csv(p, mapping={"LearnerNumber": "ID", "FirstName": "Given", "LastName": "Family"})
    assert recs[0]["LearnerNumber"] == "1"
    with pytest.raises(InputError, match="no column 'Nope'"):
        read_learners_csv(p, mapping={"LearnerNumber": "Nope"})


def test_missing_or_renamed_columns_named(tmp_path: Path) -> None:
    p = write(tmp_path, "Learner Code,First Name,Surname\n1,A,B\n")
    with pytest.raises(InputError) as err:
        read_learners_csv(p)
    msg = str(err.value)
    assert "LearnerNumber" in msg and "'Learner Code'" in msg and "What to do next" in msg


def test_blank_number_rows_and_duplicates_named(tmp_path: Path) -> None:
    p = write(tmp_path, HEADER + "1,A,B,,,,,,\n,C,D,,,,,,\n\n2,E,F,,,,,,\n1,G,H,,,,,,\n")
    with pytest.raises(InputError) as err:
        read_learners_csv(p)
    msg = str(err.value)
    assert "rows 3 have no learner number" in msg
    assert "'1' on rows 2 and 6" in msg


@pytest.mark.parametrize("content", ["", "\n\n", HEADER])
def test_empty_files(tmp_path: Path, content: str) -> None:
    with pytest.raises(InputError):
        read_learners_csv(write(tmp_path, content))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Cannot read"):
        read_learners_csv(tmp_path / "nope.csv")
