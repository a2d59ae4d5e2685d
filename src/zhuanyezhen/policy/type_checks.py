"""Type checks of rule conditions at load: a comparison that could only fail or crash is refused.

``revenue >= '1亿'`` names a real fact, so the name check passes, but comparing an amount with a
text would raise at calculation time, and ``town == 3`` would silently be false for everyone.
Both are rule-file mistakes; policy staff should hear about them when the rules load.
"""

from __future__ import annotations

import ast
import datetime as dt
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from zhuanyezhen.policy.conditions import Expression
from zhuanyezhen.profile.model import DERIVED_FACTS, ITEM_MODELS, OnJobTraining, Profile

NUMBER, TEXT, BOOL, DATE = "数字", "文字", "是/否", "日期"
_ITEMS: dict[str, type[BaseModel]] = {**ITEM_MODELS, "onjob_training": OnJobTraining}
_DERIVED_KINDS: dict[str, set[str]] = {"employed_trainees": {NUMBER}}


def _kinds_of_annotation(annotation: Any) -> set[str]:
    if annotation is type(None):
        return set()
    if annotation is bool:
        return {BOOL}
    if annotation in (int, Decimal, float):
        return {NUMBER}
    if annotation is str:
        return {TEXT}
    if annotation in (dt.date, dt.datetime):
        return {DATE}
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return {BOOL if isinstance(a, bool) else NUMBER if isinstance(a, int) else TEXT
                for a in typing.get_args(annotation)}
    if origin is typing.Annotated:
        return _kinds_of_annotation(typing.get_args(annotation)[0])
    kinds: set[str] = set()
    for arg in typing.get_args(annotation):
        kinds |= _kinds_of_annotation(arg)
    return kinds


def fact_kinds(path: str, for_each: str | None) -> set[str]:
    """What a fact holds, as a set of kinds; empty when it cannot be told (then nothing is checked)."""
    head, _, rest = path.partition(".")
    model: type[BaseModel] | None = Profile
    name = head
    if head == "item" and for_each is not None:
        model, name = _ITEMS.get(for_each), rest
    elif head in DERIVED_FACTS:
        return {BOOL}
    elif rest:
        model, name = _ITEMS.get(head), rest
    if model is None:
        return set()
    info = model.model_fields.get(name)
    if info is None:
        return set(_DERIVED_KINDS.get(name, set()))
    return _kinds_of_annotation(info.annotation)


def _constant_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | float | Decimal):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    return None


def type_problems(expression: Expression, for_each: str | None) -> list[str]:
    """Chinese messages for each comparison in ``expression`` whose two sides cannot match."""
    problems: list[str] = []

    def kinds(node: ast.expr) -> set[str]:
        if isinstance(node, ast.Constant):
            kind = _constant_kind(node.value)
            return {kind} if kind else set()
        if isinstance(node, ast.Name | ast.Attribute):
            path = ast.unparse(node)
            if path in ("True", "False"):
                return {BOOL}
            return fact_kinds(path, for_each)
        if isinstance(node, ast.BinOp | ast.UnaryOp) and not isinstance(getattr(node, "op", None), ast.Not):
            return {NUMBER}
        return set()

    for node in ast.walk(expression.tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, sides, sides[1:], strict=False):
            rights = right.elts if isinstance(op, ast.In | ast.NotIn) and isinstance(right, ast.List | ast.Tuple |
                                                                                      ast.Set) else [right]
            left_kinds = kinds(left)
            for element in rights:
                right_kinds = kinds(element)
                if left_kinds and right_kinds and not left_kinds & right_kinds:
                    problems.append(
                        f"条件“{expression.source}”把 {ast.unparse(left)}({'或'.join(sorted(left_kinds))})"
                        f"与 {ast.unparse(element)}({'或'.join(sorted(right_kinds))})比较,类型不符")
    return problems
