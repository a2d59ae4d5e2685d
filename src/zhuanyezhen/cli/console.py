"""Output that a Chinese Windows console (GBK, code page 936) or a redirect to one can take.

A character the stream's encoding cannot hold is replaced, never allowed to raise
``UnicodeEncodeError``: first by a Chinese or ASCII equivalent (``−`` → ``-``, ``㎡`` → ``平方米``),
then by its compatibility form, and only then by ``?``. Files written with ``--output`` are UTF-8
and untouched.
"""

from __future__ import annotations

import codecs
import contextlib
import sys
import unicodedata

ERRORS = "zyz-replace"
REPLACEMENTS = {
    "\u2212": "-",  # minus sign
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2015": "—",
    "\u33a1": "平方米",  # ㎡
    "\u2264": "≤", "\u2265": "≥",
    "\u00a0": " ", "\u2009": " ", "\u200b": "",
    "\u2713": "√", "\u2717": "×",
}


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        for candidate in (REPLACEMENTS.get(ch), unicodedata.normalize("NFKC", ch)):
            if candidate is not None and candidate != ch and _encodable(candidate, exc.encoding):
                out.append(candidate)
                break
        else:
            out.append("?")
    return "".join(out), exc.end


codecs.register_error(ERRORS, _replace)


def safe_streams() -> None:
    """Make stdout and stderr replace what their encoding cannot hold instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a closed or unusual stream
                reconfigure(errors=ERRORS)
