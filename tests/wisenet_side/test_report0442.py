"""Report #0442 CSV import: aliases, mapping, encodings and clear messages for odd files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from wxsync.errors import InputError
from wxsync.report0442 import parse_amount, read_report_0442

GOOD = ("Invoice Number,Learner Number,Learner Name,Amount,Date,Status\n"
        "INV-0001,00123,Zoë Adams,\"$1,234.50\",31/03/2024,PAID\n"
        "\n"
        "CN-0002,00123,Zoë Adams,(20.00),2024-04-02,AUTHORISED\n"
        ",,,,,\n"
        "INV-0003,L77,Bo Chen,99,1/4/2024,authorised\n")


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "r0442.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_default_aliases_blank_rows_amounts_and_dates(tmp_path: Path) -> None:
    frame = read_report_0442(write(tmp_path, GOOD))
    assert list(frame["number"]) == ["INV-0001", "CN-0002", "INV-0003"]
    assert list(frame["learner_number"]) == ["00123", "00123", "L77"]  # leading zeros kept
    assert list(frame["total"]) == [1234.5, -20.0, 99.0]
    assert list(frame["date"]) == [date(2024, 3, 31), date(2024, 4, 2), date(2024, 4, 1)]  # dd/mm/yyyy
    assert list(frame["status"]) == ["PAID", "AUTHORISED", "AUTHORISED"]
    assert set(frame["source"]) == {"report0442"}


def test_bom_and_cp1252(tmp_path: Path) -> None:
    bom = read_report_0442(write(tmp_path, "\ufeff" + GOOD, name="bom.csv"))
    assert list(bom["number"])[0] == "INV-0001"
    win = read_report_0442(write(tmp_path, GOOD.replace("Zoë", "Zoë’s"), encoding="cp1252", name="win.csv"))
    assert len(win) == 3 and win.attrs["encoding"] == "cp1252"


def test_title_lines_semicolons_and_other_aliases(tmp_path: Path) -> None:
    text = ("Report #0442 Synced Invoices\nPrinted 01/05/2024\n\n"
            "RefInternal;InvoiceNumber;Invoice Date;AmountTotal\n"
            "A1;INV-9;2024-05-01;10,50\n")
    with pytest.raises(InputError, match=r"row 5 column 'AmountTotal': amount '10,50'"):
        read_report_0442(write(tmp_path, text))
    frame = read_report_0442(write(tmp_path, text.replace("10,50", "10.50")))
    assert frame.iloc[0]["learner_number"] == "A1" and frame.iloc[0]["total"] == 10.5


def test_mapping_renamed_columns(tmp_path: Path) -> None:
    text = "Inv #,Student Ref,Inv Total,When\nINV-1,S1,5,2024-01-01\n"
    with pytest.raises(InputError) as err:
        read_report_0442(write(tmp_path, text))
    assert "learner_number" in str(err.value) and "Student Ref" in str(err.value)
    frame = read_report_0442(write(tmp_path, text), mapping={"number": "Inv #", "learner_number": "Student Ref",
                                                              "total": "Inv Total", "date": "When"})
    assert frame.iloc[0][["number", "learner_number", "total"]].tolist() == ["INV-1", "S1", 5.0]
    reverse = read_report_0442(write(tmp_path, text), mapping={"Inv #": "number", "Student Ref": "learner_number",
                                                                "Inv Total": "total"})
    assert reverse.iloc[0]["learner_number"] == "S1"


def test_mapping_to_a_column_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such column"):
        read_report_0442(write(tmp_path, GOOD), mapping={"total": "Grand Total"})
    with pytest.raises(InputError, match="no known field"):
        read_report_0442(write(tmp_path, GOOD), mapping={"Amount": "money"})


def test_missing_amount_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no column for total .*Its columns are: Invoice Number, Learner Number"):
        read_report_0442(write(tmp_path, "Invoice Number,Learner Number,Date\nINV-1,1,2024-01-01\n"))


def test_bad_amounts_and_dates_name_every_row(tmp_path: Path) -> None:
    text = ("Invoice Number,Learner Number,Amount,Date\n"
            "INV-1,1,abc,2024-01-01\nINV-2,1,5,31/31/2024\nINV-3,,5,2024-01-01\nINV-4,1,5,2024-01-01\n")
    with pytest.raises(InputError) as err:
        read_report_0442(write(tmp_path, text))
    msg = str(err.value)
    assert "row 2 column 'Amount': amount 'abc'" in msg
    assert "row 3 column 'Date': date '31/31/2024'" in msg
    assert "row 4 column 'Learner Number': no learner number" in msg
    assert "INV-4" not in msg and "What to do next" in msg


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read_report_0442(write(tmp_path, ""))
    with pytest.raises(InputError, match="no invoice rows"):
        read_report_0442(write(tmp_path, "Invoice Number,Learner Number,Amount\n\n"))
    with pytest.raises(InputError, match="not found"):
        read_report_0442(tmp_path / "nope.csv")


@pytest.mark.parametrize(("text", "value"), [("12", 12.0), ("$1,234.50", 1234.5), ("(5.00)", -5.0),
                                             ("5.00 CR", -5.0), ("-3", -3.0), ("AUD 7.10", 7.1), ("", None),
                                             ("n/a", None), ("1.2.3", None),
                                             ("1,234,567.8", 1234567.8), ("10,50", None)])
def test_parse_amount(text: str, value: float | None) -> None:
    assert parse_amount(text) == value
