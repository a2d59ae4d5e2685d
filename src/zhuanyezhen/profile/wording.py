"""Chinese wording for validation errors raised by pydantic."""

from __future__ import annotations

import difflib
import re
import typing
from decimal import Decimal
from typing import Any

from zhuanyezhen.errors import InputProblem
from zhuanyezhen.files.documents import LineMap, Path_, dotted
from zhuanyezhen.profile import glossary

_UNIT = re.compile(r"[(（][^()（）]*[)）]$")
_TYPE_NAMES = {
    "int_type": "整数", "int_parsing": "整数", "bool_type": "是/否(true/false)",
    "bool_parsing": "是/否(true/false)", "string_type": "文字", "list_type": "列表",
    "dict_type": "键值表", "model_type": "键值表", "date_type": "日期(YYYY-MM-DD)",
    "date_parsing": "日期(YYYY-MM-DD)", "date_from_datetime_parsing": "日期(YYYY-MM-DD)",
    "decimal_type": "数字", "decimal_parsing": "数字", "int_from_float": "整数",
    "model_attributes_type": "键值表",
}


def show(value: Any, limit: int = 40) -> str:
    """A value as a user wrote it, shortened; lists and mappings by their kind, not their dump."""
    if isinstance(value, list | dict):
        return describe_kind(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = f"{value:f}" if isinstance(value, Decimal) and value.is_finite() else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(value: Any) -> str:
    return show(value) if isinstance(value, list | dict) else f"“{show(value)}”"


def _choices(expected: str) -> str:
    """pydantic's ``'large', 'medium' or 'small'`` as ``large(大型)、medium(中型)、small(小型)``."""
    labels = glossary.VALUE_LABELS
    names = [n.strip().strip("'") for n in expected.replace(" or ", ", ").split(",") if n.strip()]
    return "、".join(f"{n}({labels[n]})" if n in labels else n for n in names)


def short_title(title: str) -> str:
    """``申报年度营业收入(元)`` → ``申报年度营业收入``: a field's Chinese name without its unit."""
    return _UNIT.sub("", title) or title


def named(key: str, titles: dict[str, str] | None) -> str:
    """``revenue`` → ``revenue(申报年度营业收入)``: a field's key with its Chinese name beside it."""
    title = (titles or {}).get(key)
    return f"{key}({short_title(title)})" if title else key


def describe_pydantic_error(
    err: Any, known_fields: list[str] | None = None, title: str | None = None, description: str | None = None,
    field_titles: dict[str, str] | None = None,
) -> tuple[str, str | None]:
    """Return (message, hint) in Chinese for one pydantic error dict.

    ``title`` and ``description`` are the field's own Chinese words, used to say what is missing.
    """
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    loc = err.get("loc", ())
    field = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        hint = None
        if known_fields:
            close = difflib.get_close_matches(field, known_fields, n=1, cutoff=0.6)
            if close:
                return f"未知字段“{show(field)}”,是否应为 {named(close[0], field_titles)}?", None
            hint = "可用字段:" + "、".join(named(k, field_titles) for k in known_fields)
        return (f"未知字段“{show(field)}”" if field else "字段名为空"), hint
    if kind == "missing":
        return "缺少必填字段", description  # the field (key and Chinese name) is named where it is located
    if kind == "duplicate_name":  # profile.model.duplicate_names
        return str(err.get("msg", "")), (str(ctx["hint"]) if "hint" in ctx else None)
    if kind == "value_error":
        message = str(ctx.get("error", err.get("msg", "")))
        return message, None
    if kind in ("literal_error", "enum"):
        return f"{_quoted(value)}不是可选值", f"可选:{_choices(str(ctx.get('expected', '')))}"
    if kind == "finite_number":
        return "数值必须是有限数字,不能是 NaN 或无穷大", None
    if kind in ("greater_than_equal", "greater_than"):
        return f"{show(value)} 太小", f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{show(value)} 太大", f"应不大于 {ctx.get('le', ctx.get('lt'))}"
    if kind in ("too_short", "too_long"):
        return f"{show(value)}的项数不对", f"应为 {ctx.get('min_length', ctx.get('max_length'))} 项"
    if kind in ("string_too_short",):
        return "不能为空", (f"请填写{title}" if title else None)
    if kind in _TYPE_NAMES and isinstance(value, list | dict):
        return f"这里是{describe_kind(value)},应为{_TYPE_NAMES[kind]}", (
            f"{title}:{description}" if title and description else None)
    if kind in _TYPE_NAMES:
        return f"{_quoted(value)}不是{_TYPE_NAMES[kind]}", (f"{title}:{description}" if title and description else None)
    return f"取值无效:{err.get('msg', kind)}", None


def describe_kind(value: Any) -> str:
    """What a parsed value is, in words a user knows: 列表, 文字, 数字 ..."""
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "键值表"
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, str):
        return "一段文字"
    if value is None:
        return "空值"
    return "一个数字" if isinstance(value, int | Decimal) else "一个值"


def problems_from_pydantic(
    exc: Any, source: str, lines: LineMap, model: Any = None, prefix: Path_ = ()
) -> list[InputProblem]:
    """Turn a pydantic ``ValidationError`` into located Chinese problems.

    ``model`` (the pydantic class validated) lets an unknown field be matched to a likely one.
    """
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        full = (*prefix, *loc)
        known = _fields_at(model, loc[:-1]) if model is not None else None
        info = _field_info(model, loc) if model is not None else None
        title = getattr(info, "title", None)
        description = getattr(info, "description", None)
        parent = _model_at(model, loc[:-1]) if model is not None else None
        titles = {k: v.title for k, v in getattr(parent, "model_fields", {}).items() if v.title}
        message, hint = describe_pydantic_error(err, known, title, description, titles)
        problems.append(
            InputProblem(
                message,
                file=source,
                line=lines.line_of(full),
                field=(dotted(full) + (f"({short_title(title)})" if title else "")) if full else None,
                hint=hint,
            )
        )
    problems.sort(key=lambda p: p.line or 0)
    return problems


def _model_at(model: Any, loc: tuple[Any, ...]) -> Any:
    """The pydantic model found by following ``loc`` down from ``model`` (list indexes skipped)."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return None
        current = None
        for candidate in (info.annotation, *typing.get_args(info.annotation)):
            for inner in (candidate, *typing.get_args(candidate)):
                if hasattr(inner, "model_fields"):
                    current = inner
        if current is None:
            return None
    return current


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str] | None:
    """The field names of the model found by following ``loc`` down from ``model``."""
    return list(getattr(_model_at(model, loc), "model_fields", {})) or None


def _field_info(model: Any, loc: tuple[Any, ...]) -> Any:
    """pydantic's ``FieldInfo`` of the field ``loc`` names, for its Chinese title and description."""
    names = [p for p in loc if not isinstance(p, int)]
    if not names:
        return None
    parent = _model_at(model, tuple(loc[: len(loc) - 1 - [*reversed(loc)].index(names[-1])]))
    return getattr(parent, "model_fields", {}).get(names[-1])
