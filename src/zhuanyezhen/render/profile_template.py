"""The profile template ``zyz init`` writes: every field, each with a Chinese comment.

The comment on each field is built from the model (title, description, type) and from the rule
files (which clauses read it), so the template cannot drift from either.
"""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from zhuanyezhen.money import parse_amount, parse_rate
from zhuanyezhen.policy.field_usage import ENGINE_USES, describe_users, fact_users
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile.model import Profile

PLACEHOLDER_NAME = "请填写企业全称"


def _validators(info: FieldInfo) -> list[Any]:
    """Every validator function on the field, including those inside ``Annotated`` in ``X | None``."""
    found = [getattr(m, "func", None) for m in info.metadata]

    def walk(annotation: Any) -> None:
        if typing.get_origin(annotation) is typing.Annotated:
            found.extend(getattr(m, "func", None) for m in annotation.__metadata__)
        for arg in typing.get_args(annotation):
            walk(arg)

    walk(info.annotation)
    return found


def _inner(annotation: Any) -> list[Any]:
    """The types inside ``X | None``, ``Annotated[...]`` and ``Literal[...]``, flattened."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                out.extend(_inner(arg))
        return out
    return [annotation]


def _list_model(info: FieldInfo) -> type[BaseModel] | None:
    for t in _inner(info.annotation):
        if typing.get_origin(t) is list:
            arg = typing.get_args(t)[0]
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return arg
    return None


def _object_model(info: FieldInfo) -> type[BaseModel] | None:
    for t in _inner(info.annotation):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def unit_of(info: FieldInfo) -> str:
    """The unit or form a value is written in, in Chinese."""
    title = info.title or ""
    funcs = _validators(info)
    types = _inner(info.annotation)
    if _list_model(info) is not None:
        return "列表,每个事项一组"
    if _object_model(info) is not None:
        return "一组字段"
    if "(平方米)" in title:
        return "平方米"
    if parse_amount in funcs:
        return "元(可写 2.8亿、950万 等)"
    if parse_rate in funcs:
        return "比例(0 到 1 的小数,或 \"85%\")"
    if dt.date in types:
        return "日期 YYYY-MM-DD"
    if bool in types:
        return "是/否(也可写 有/无、true/false)"
    literals = [a for t in types if typing.get_origin(t) is typing.Literal for a in typing.get_args(t)]
    if int in types:
        for word, unit in (("人数", "人"), ("天数", "天"), ("排名", "名次,1 为第一"), ("年度", "年"), ("等别", "等")):
            if word in title:
                extra = ";或 never(从未进入)" if "never" in literals else ""
                return unit + extra
        return "整数"
    if literals:
        return "代码,可选:" + " / ".join(str(x) for x in literals)
    if Decimal in types:
        return "数字"
    return "文字"


class _Writer:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.users = fact_users(policy)
        self.all_ids = {p.id for p in policy.provisions}
        self.lines: list[str] = []

    def used_by(self, path: str) -> str:
        rules = self.users.get(path, [])
        parts = [ENGINE_USES[path]] if path in ENGINE_USES else []
        if rules and {p.id for p in rules} >= self.all_ids:
            parts.append("全部条款")
        elif rules:
            parts.append(describe_users(rules))
        return ";".join(parts) or "仅供显示与核对"

    def comment(self, info: FieldInfo, path: str, required: bool, prefix: str) -> None:
        if required:
            need = "必填"
        elif _list_model(info) is not None:
            need = "选填,没有就保持 []"
        else:
            need = "选填,不知道就留空"
        self.lines.append(f"{prefix}# {info.title}【单位:{unit_of(info)};{need}】")
        if info.description:
            self.lines.append(f"{prefix}#   含义:{info.description}")
        self.lines.append(f"{prefix}#   用于:{self.used_by(path)}")

    def block(self, name: str, model: type[BaseModel], is_list: bool) -> None:
        """A commented-out example: delete the ``name: ...`` line above it and uncomment it."""
        self.lines.append(f"# {name}:")
        first = True
        for key, info in model.model_fields.items():
            self.comment(info, f"{name}.{key}", info.is_required(), "#   " if not is_list or first else "#     ")
            lead = ("#   - " if first else "#     ") if is_list else "#   "
            self.lines.append(f"{lead}{key}: ~")
            first = False

    def write(self) -> str:
        info = self.policy.info
        self.lines = [
            f"# zyz 企业档案模板:{info.document_number}《{info.title}》",
            "# 由 zyz init 生成;每个字段上方的注释写明单位、含义和用到它的条款。",
            "# 填写说明:",
            "#   - 不知道的字段保持 ~(空),表示“未知”,不是“否”或“零”;相关条款会列为“需补充信息”。",
            "#   - 金额单位为元,可写 2.8亿、950万;比例写 0.85 或 \"85%\";日期写 2024-06-30。",
            "#   - 列表字段(荣誉、项目等)下方有注释掉的示例:删去 “字段: []” 这一行,把示例各行开头的",
            "#     “# ” 去掉后填写;有多个事项时,从 “- ” 开始整段复制。",
            "#   - 字段名可写英文键(如 name),也可写注释中的中文名(如 企业名称),同一字段只写一种。",
            "#   - 填好后运行:zyz validate 本文件  检查;zyz calc 本文件  计算。",
            "",
        ]
        for key, field in Profile.model_fields.items():
            self.comment(field, key, field.is_required(), "")
            item_model = _list_model(field)
            object_model = _object_model(field)
            if item_model is not None:
                self.lines.append(f"{key}: []")
                self.block(key, item_model, is_list=True)
            elif object_model is not None:
                self.lines.append(f"{key}: ~")
                self.block(key, object_model, is_list=False)
            elif key == "name":
                self.lines.append(f"name: {PLACEHOLDER_NAME}")
            elif key == "claim_year":
                self.lines.append(f"claim_year: {info.in_force_until.year}")
            else:
                self.lines.append(f"{key}: ~")
            self.lines.append("")
        return "\n".join(self.lines)


def profile_template(policy: Policy) -> str:
    """A YAML profile with every field and its comment; as written it loads, with all facts unknown."""
    return _Writer(policy).write()
