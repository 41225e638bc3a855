"""CSV files a consultant opens in Excel: UTF-8 with a byte-order mark, every cell read back as text.

Every CSV wxsync writes (evidence, preflight, resync, pairs) goes through :func:`write_excel_csv`: the
files hold learners' names, emails and phones, so they are readable by their owner only, and they use the
CRLF line ends of RFC 4180 (what Excel itself writes).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

EXCEL_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark, so Excel shows accented names correctly."""


def write_excel_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` (without its index) to ``path`` atomically (a crash never leaves a torn file), owner
    read/write only, CRLF line ends."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "w", encoding=EXCEL_ENCODING, newline="") as fh:
            frame.to_csv(fh, index=False, lineterminator="\r\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_excel_csv(path: Path) -> pd.DataFrame:
    """A CSV written by wxsync (or saved by Excel) with every cell as a string and blanks as ``""``."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=EXCEL_ENCODING)
