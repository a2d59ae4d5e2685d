"""Chinese wording for validation errors raised by pydantic."""

from __future__ import annotations

import difflib
from typing import Any

_TYPE_NAMES = {
    "int_type": "整数", "int_parsing": "整数", "bool_type": "是/否(true/false)",
    "bool_parsing": "是/否(true/false)", "string_type": "文字", "list_type": "列表",
    "dict_type": "键值表", "model_type": "键值表", "date_type": "日期(YYYY-MM-DD)",
    "date_parsing": "日期(YYYY-MM-DD)", "date_from_datetime_parsing": "日期(YYYY-MM-DD)",
    "decimal_type": "数字", "decimal_parsing": "数字", "int_from_float": "整数",
    "model_attributes_type": "键值表",
}


def describe_pydantic_error(err: Any, known_fields: list[str] | None = None) -> tuple[str, str | None]:
    """Return (message, hint) in Chinese for one pydantic error dict."""
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
                return f"{field}: 未知字段,是否指 {close[0]}?", None
            hint = "可用字段:" + "、".join(known_fields)
        return f"{field}: 未知字段", hint
    if kind == "missing":
        return "缺少必填字段", None
    if kind == "value_error":
        message = str(ctx.get("error", err.get("msg", "")))
        return message, None
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        return f"“{value}”不是可选值", f"可选:{expected}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{value} 太小", f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{value} 太大", f"应不大于 {ctx.get('le', ctx.get('lt'))}"
    if kind in ("string_too_short",):
        return "不能为空", None
    if kind in _TYPE_NAMES:
        return f"“{value}”不是{_TYPE_NAMES[kind]}", None
    return f"取值无效:{err.get('msg', kind)}", None
