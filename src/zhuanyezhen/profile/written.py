"""Numbers, counts, years and dates as Chinese offices type them, shared by profiles and batch.

Full-width digits and punctuation (２０２４年６月１日, １２０) are read as their ASCII forms, and a
date may be written 2024-06-01, 2024年6月1日, 2024/6/1, 2024.6.1 or 20240601. Messages always quote
the text as it was typed, never the normalised copy.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

# NFKC leaves these as they are; offices type them in dates and numbers all the same.
_EXTRA = str.maketrans({"。": ".", "、": "/", "－": "-", "—": "-", "–": "-", "〇": "0"})

_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_INT_RE = re.compile(r"^[+-]?\d+$")


def halfwidth(text: str) -> str:
    """``"１２,０００"`` → ``"12,000"``: full-width digits, letters and punctuation as ASCII."""
    return unicodedata.normalize("NFKC", text).translate(_EXTRA).strip()


def date_from_text(text: str) -> dt.date | None:
    """The date a text means, or ``None`` when it is not written as a date at all.

    Raises ``ValueError`` (Chinese, quoting ``text``) for a date-shaped text that names no real day.
    """
    plain = halfwidth(text)
    match = _DATE_RE.match(plain) or _COMPACT_DATE_RE.match(plain)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期;没有这一天") from None


def int_text(value: Any) -> Any:
    """A count or year typed as text (``"１２０"``, ``"120人"`` is not accepted) as an ``int``."""
    if isinstance(value, str):
        plain = halfwidth(value).replace(",", "")
        if _INT_RE.match(plain):
            return int(plain)
    return value
