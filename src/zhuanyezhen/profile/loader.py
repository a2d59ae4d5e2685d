"""Reading profiles from files, bytes or dicts into the ``Profile`` model, with located errors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from zhuanyezhen.errors import InputError
from zhuanyezhen.files.documents import LineMap, load_document, read_document, read_limited
from zhuanyezhen.profile.keys import english_keys
from zhuanyezhen.profile.model import Profile
from zhuanyezhen.profile.wording import describe_kind, problems_from_pydantic


def profile_from_data(data: Any, source: str = "<profile>", lines: LineMap | None = None) -> Profile:
    """Validate already-parsed data as a profile; every problem is reported, not only the first."""
    if data is None:
        raise InputError.one("文件是空的,没有企业档案", file=source,
                             hint="至少写明 name(企业名称)和 claim_year(申报年度)")
    if not isinstance(data, dict):
        raise InputError.one(f"企业档案应为键值表(每行“字段: 值”),而这里是{describe_kind(data)}", file=source,
                             line=(lines or LineMap()).get(()),
                             hint="如 name: 某某公司 换行 claim_year: 2024")
    lines = lines or LineMap()
    data, problems = english_keys(data, Profile, lines, source)
    if problems:
        raise InputError(problems)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_pydantic(exc, source, lines or LineMap(), Profile)) from None


def load_profile(path: str | Path) -> Profile:
    """Read a profile from a YAML or JSON file, or from standard input when ``path`` is ``-``."""
    if str(path) == "-":
        raw = read_limited(sys.stdin.buffer, "<标准输入>")
        data, lines = load_document(raw, "<标准输入>")
        return profile_from_data(data, "<标准输入>", lines)
    file = Path(path)
    data, lines = read_document(file)
    return profile_from_data(data, str(path), lines)
