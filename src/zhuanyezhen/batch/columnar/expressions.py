"""The condition language compiled to polars expressions, with polars' null as *unknown*.

Polars' ``&`` and ``|`` follow Kleene's three-valued logic, which is what ``policy.conditions``
does: ``and`` with one false part is false even when another is unknown. A comparison or a sum
with an unknown operand is unknown there as here. Numbers are exact integers with a number of
decimals (money in fen, rates in millionths); anything this compiler does not know how to keep
exact (a chained comparison, ``-x``, a float that does not fit the decimals) raises
``NotCompiled`` and the provision falls back to the row path.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from zhuanyezhen.batch.columnar.cells import Fact
from zhuanyezhen.policy.conditions import Expression, dotted_name

LIMIT = 2**62  # the largest integer a compiled product may reach (Int64 with room to compare)


class NotCompiled(Exception):
    """This rule (or part of one) is not expressed in columns; its rows take the row path."""


@dataclass(frozen=True)
class Value:
    """A compiled sub-expression: its column, kind (bool/num/str/date) and exact-number scale."""

    expr: pl.Expr
    kind: str
    decimals: int = 0
    bound: int = 0

    def scaled(self, decimals: int) -> pl.Expr:
        """The integer of a number at more decimals (exact: only ever multiplied)."""
        if decimals < self.decimals:
            raise AssertionError("scaled down")
        factor = 10 ** (decimals - self.decimals)
        if self.bound * factor > LIMIT:
            raise NotCompiled("number too large to compare exactly")
        return self.expr if factor == 1 else self.expr * factor


def number(value: Decimal | int) -> Value:
    """A rule constant as an exact integer with decimals."""
    d = Decimal(value).normalize()
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int)
    decimals = max(0, -exponent)
    integer = int(d.scaleb(decimals))
    return Value(pl.lit(integer, dtype=pl.Int64), "num", decimals, abs(integer))


def fact_value(expr: pl.Expr, fact: Fact) -> Value:
    if fact.numeric:
        return Value(expr, "num", fact.decimals, fact.bound)
    if fact.kind in ("bool", "date"):
        return Value(expr, fact.kind)
    if fact.kind in ("text", "choice"):
        return Value(expr, "str")
    raise NotCompiled(f"fact of kind {fact.kind}")


Resolver = Callable[[str], Value]


def compile_expression(expression: Expression, resolve: Resolver) -> Value:
    return _node(expression.tree, resolve)


def truth(value: Value) -> pl.Expr:
    if value.kind != "bool":
        raise NotCompiled("truth of a non-boolean")
    return value.expr


def _constant(value: Any) -> Value:
    if isinstance(value, bool):
        return Value(pl.lit(value, dtype=pl.Boolean), "bool")
    if isinstance(value, int | Decimal):
        return number(value)
    if isinstance(value, str):
        return Value(pl.lit(value, dtype=pl.String), "str")
    if value is None:
        return Value(pl.lit(None, dtype=pl.Boolean), "bool")
    raise NotCompiled(f"constant {value!r}")


def _node(node: ast.expr, resolve: Resolver) -> Value:
    if isinstance(node, ast.Constant):
        return _constant(node.value)
    if isinstance(node, ast.Name | ast.Attribute):
        path = dotted_name(node)
        assert path is not None
        if path in ("True", "False", "None"):
            return _constant({"True": True, "False": False, "None": None}[path])
        return resolve(path)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return Value(~truth(_node(node.operand, resolve)), "bool")
    if isinstance(node, ast.BoolOp):
        parts = [truth(_node(v, resolve)) for v in node.values]
        out = parts[0]
        for part in parts[1:]:
            out = (out & part) if isinstance(node.op, ast.And) else (out | part)
        return Value(out, "bool")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult):
        left, right = _node(node.left, resolve), _node(node.right, resolve)
        if left.kind != "num" or right.kind != "num":
            raise NotCompiled("arithmetic on a non-number")
        if isinstance(node.op, ast.Mult):
            bound = left.bound * right.bound
            if bound > LIMIT:
                raise NotCompiled("product too large")
            return Value(left.expr * right.expr, "num", left.decimals + right.decimals, bound)
        if isinstance(node.op, ast.Sub):
            raise NotCompiled("subtraction may go negative")  # every number here is ≥ 0
        d = max(left.decimals, right.decimals)
        return Value(left.scaled(d) + right.scaled(d), "num", d, 2 * max(left.bound, right.bound) * 10**d)
    if isinstance(node, ast.Compare):
        if len(node.ops) != 1:
            raise NotCompiled("chained comparison")
        return _compare(node.ops[0], _node(node.left, resolve), node.comparators[0], resolve)
    raise NotCompiled(type(node).__name__)


def _compare(op: ast.cmpop, left: Value, right_node: ast.expr, resolve: Resolver) -> Value:
    if isinstance(op, ast.In | ast.NotIn):
        if not isinstance(right_node, ast.List | ast.Tuple | ast.Set):
            raise NotCompiled("in over a non-list")
        items = [_node(e, resolve) for e in right_node.elts]
        if left.kind != "str" or any(i.kind != "str" or not isinstance(e, ast.Constant)
                                     for i, e in zip(items, right_node.elts, strict=True)):
            raise NotCompiled("in over non-text")
        words = [e.value for e in right_node.elts if isinstance(e, ast.Constant)]
        found = pl.when(left.expr.is_null()).then(None).otherwise(left.expr.is_in(words))
        return Value(found if isinstance(op, ast.In) else ~found, "bool")
    right = _node(right_node, resolve)
    if left.kind != right.kind:
        raise NotCompiled("comparison of different kinds")
    a, b = left.expr, right.expr
    if left.kind == "num":
        d = max(left.decimals, right.decimals)
        a, b = left.scaled(d), right.scaled(d)
    elif left.kind in ("bool", "str") and not isinstance(op, ast.Eq | ast.NotEq):
        raise NotCompiled("ordering of non-numbers")
    table = {ast.Eq: a.__eq__, ast.NotEq: a.__ne__, ast.Lt: a.__lt__, ast.LtE: a.__le__,
             ast.Gt: a.__gt__, ast.GtE: a.__ge__}
    return Value(table[type(op)](b), "bool")
