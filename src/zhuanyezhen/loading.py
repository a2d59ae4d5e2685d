"""Reading profiles from files, bytes or dicts into the ``Profile`` model, with located errors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import InputError
from .profile import Profile
from .yamlio import LineMap, load_document, problems_from_pydantic, read_document


def profile_from_data(data: Any, source: str = "<profile>", lines: LineMap | None = None) -> Profile:
    """Validate already-parsed data as a profile; every problem is reported, not only the first."""
    if not isinstance(data, dict):
        raise InputError.one("企业档案应为键值表(字段: 值)", file=source)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_pydantic(exc, source, lines or LineMap(), Profile)) from None


def load_profile(path: str | Path) -> Profile:
    """Read a profile from a YAML or JSON file, or from standard input when ``path`` is ``-``."""
    if str(path) == "-":
        raw = sys.stdin.buffer.read()
        data, lines = load_document(raw, "<标准输入>")
        return profile_from_data(data, "<标准输入>", lines)
    file = Path(path)
    data, lines = read_document(file)
    return profile_from_data(data, str(path), lines)
