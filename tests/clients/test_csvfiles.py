"""The one CSV writer: Excel-friendly, owner-only, atomic, and read back as text."""

from __future__ import annotations

import stat

import pandas as pd
import pytest

from wxsync.csvfiles import read_excel_csv, write_excel_csv


def test_written_csv_is_excel_friendly_owner_only_and_round_trips(tmp_path):
    frame = pd.DataFrame({"learner_number": ["007", "L-1"], "name": ["Zoë Müller", "O’Brien, Seán"],
                          "note": ["line one\nline two", ""]})
    path = write_excel_csv(frame, tmp_path / "evidence" / "x.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                       # BOM: Excel shows the accents
    assert b"learner_number,name,note\r\n" in raw                  # RFC 4180 line ends
    assert stat.S_IMODE(path.stat().st_mode) == 0o600              # personal data: owner only
    back = read_excel_csv(path)
    assert back.to_dict("records") == frame.to_dict("records")     # leading zeros and unicode kept
    assert [p.name for p in path.parent.iterdir()] == ["x.csv"]    # no temp file left behind


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    path = write_excel_csv(pd.DataFrame({"a": ["old"]}), tmp_path / "x.csv")

    class Boom(pd.DataFrame):
        def to_csv(self, *args, **kwargs):  # noqa: ANN002, ANN003
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_excel_csv(Boom({"a": ["new"]}), path)
    assert read_excel_csv(path)["a"].tolist() == ["old"]
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
