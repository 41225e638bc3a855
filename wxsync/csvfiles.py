"""CSV files a consultant opens in Excel: UTF-8 with a byte-order mark, every cell read back as text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

EXCEL_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark, so Excel shows accented names correctly."""


def write_excel_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` (without its index) to ``path`` atomically: a crash never leaves a torn file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        frame.to_csv(tmp, index=False, encoding=EXCEL_ENCODING)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def read_excel_csv(path: Path) -> pd.DataFrame:
    """A CSV written by wxsync (or saved by Excel) with every cell as a string and blanks as ``""``."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=EXCEL_ENCODING)
