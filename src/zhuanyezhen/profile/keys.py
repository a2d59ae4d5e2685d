"""Chinese field names as aliases of a profile's English keys, as ``zyz init`` prints them.

A profile may write ``企业名称: 甲公司`` for ``name: 甲公司``, at the top level and inside list
items (``项目名称`` for a project's ``name``). Each field's Chinese name is its ``title`` in
``model.py`` (the words ``zyz init`` writes above it), with or without a unit in brackets
(``申报年度营业收入(元)`` or ``申报年度营业收入``). Writing both forms of one field is an error.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel

from zhuanyezhen.errors import InputProblem
from zhuanyezhen.files.documents import LineMap

_UNIT = re.compile(r"[(（][^()（）]*[)）]$")


def chinese_names(model: type[BaseModel]) -> dict[str, str]:
    """Chinese name → English key for one model's fields."""
    out: dict[str, str] = {}
    for key, info in model.model_fields.items():
        if info.title:
            out.setdefault(info.title, key)
            out.setdefault(_UNIT.sub("", info.title), key)
    return out


def _item_model(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    info = model.model_fields.get(key)
    if info is None:
        return None
    for candidate in (info.annotation, *typing.get_args(info.annotation)):
        for inner in (candidate, *typing.get_args(candidate)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def english_keys(data: Any, model: type[BaseModel], lines: LineMap, source: str,
                 path: tuple[Any, ...] = ()) -> tuple[Any, list[InputProblem]]:
    """``data`` with Chinese field names turned into English keys (lines moved along with them)."""
    if not isinstance(data, dict):
        return data, []
    names = chinese_names(model)
    out: dict[Any, Any] = {}
    problems: list[InputProblem] = []
    written: dict[str, Any] = {}
    for key, value in data.items():
        english = names.get(key.strip(), key) if isinstance(key, str) else key
        if english in written:
            problems.append(InputProblem(
                f"字段“{key}”与“{written[english]}”是同一字段({english}),只能写一个",
                file=source, line=lines.line_of((*path, key)), field=".".join(str(p) for p in (*path, key))))
            continue
        written[english] = key
        if english != key:
            _move_lines(lines, (*path, key), (*path, english))
        inner = _item_model(model, english) if isinstance(english, str) else None
        if inner is not None and isinstance(value, list):
            converted = []
            for index, item in enumerate(value):
                item_out, item_problems = english_keys(item, inner, lines, source, (*path, english, index))
                converted.append(item_out)
                problems += item_problems
            value = converted
        elif inner is not None:
            value, inner_problems = english_keys(value, inner, lines, source, (*path, english))
            problems += inner_problems
        out[english] = value
    return out, problems


def _move_lines(lines: LineMap, old: tuple[Any, ...], new: tuple[Any, ...]) -> None:
    for path in [p for p in lines if p[: len(old)] == old]:
        lines[(*new, *path[len(old):])] = lines[path]
