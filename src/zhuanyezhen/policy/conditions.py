"""Rule conditions: a tiny, safe expression language parsed with ``ast`` and a whitelist.

A condition such as ``item.key_project and item.field in ['foundation', 'green_manufacturing']``
is parsed once, at load, into Python's syntax tree; any node outside the whitelist is refused,
and every name is checked against the profile's facts. Nothing is ever passed to ``eval``.
Evaluation uses three-valued logic: a fact left out of the profile is *unknown*, and an ``and``
with one false part is false even if another part is unknown.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}


class Unknown(Exception):
    """Raised inside evaluation when a fact the expression needs is not in the profile."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = tuple(paths)
        super().__init__(", ".join(self.paths))


class ExpressionError(ValueError):
    """A condition that is not allowed or names an unknown fact; Chinese message."""


@dataclass
class Trace:
    """The facts an evaluation read, in order, with their values (``None`` = unknown)."""

    values: dict[str, Any] = field(default_factory=dict)


# A compiled condition: ``(lookup, values)`` → value, where ``values`` is the trace's dict.
_Compiled = Callable[[Callable[[str], Any], dict[str, Any]], Any]


@dataclass(frozen=True)
class Expression:
    source: str
    tree: ast.expr
    names: tuple[str, ...]
    # Built once from ``tree`` (nested closures, no eval): the same evaluation without walking
    # the syntax tree each time.
    compiled: _Compiled = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", _compile(self.tree))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (policy cache) without the closures, which cannot be; they are rebuilt from the tree."""
        return (Expression, (self.source, self.tree, self.names))

    def evaluate(self, lookup: Callable[[str], Any], trace: Trace | None = None) -> Any:
        """Evaluate; raise ``Unknown`` naming every missing fact when the outcome depends on them."""
        return self.compiled(lookup, (trace if trace is not None else Trace()).values)


def dotted_name(node: ast.expr) -> str | None:
    """``item.key_project`` for the node of that name; ``None`` for anything but a dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def parse(source: str, known: Callable[[str], bool]) -> Expression:
    """Parse a condition; ``known(path)`` says whether a dotted fact name exists."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ExpressionError(f"条件“{source}”写法有误:{exc.msg}") from None
    names: list[str] = []

    def check(node: ast.AST) -> None:
        if isinstance(node, ast.Name | ast.Attribute):
            path = dotted_name(node)
            if path is None:
                raise ExpressionError(f"条件“{source}”中的 {ast.unparse(node)} 不是档案字段")
            if path in ("True", "False", "None"):
                return
            if not known(path):
                raise ExpressionError(f"条件“{source}”引用了不存在的档案字段 {path}")
            names.append(path)
            return
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, bool | int | float | str) and node.value is not None:
                raise ExpressionError(f"条件“{source}”中不允许常量 {node.value!r}")
            return
        if isinstance(node, ast.BoolOp | ast.List | ast.Tuple | ast.Set):
            for child in ast.iter_child_nodes(node):
                if not isinstance(child, ast.boolop | ast.expr_context):
                    check(child)
            return
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
            check(node.operand)
            return
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult):
            check(node.left)
            check(node.right)
            return
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            check(node.left)
            for comp in node.comparators:
                check(comp)
            return
        raise ExpressionError(
            f"条件“{source}”中不允许 {type(node).__name__};只能用字段、数字、文字、比较、and/or/not、+ - *"
        )

    check(tree)
    return Expression(source.strip(), _exact_numbers(tree, source), tuple(dict.fromkeys(names)))


def _exact_numbers(tree: ast.expr, source: str) -> ast.expr:
    """Replace float literals with ``Decimal`` built from their own text, so 0.8 is exactly 0.8."""

    class Exact(ast.NodeTransformer):
        def visit_Constant(self, node: ast.Constant) -> ast.Constant:
            if isinstance(node.value, float):
                text = ast.get_source_segment(source.strip(), node) or repr(node.value)
                return ast.copy_location(ast.Constant(Decimal(text)), node)  # type: ignore[arg-type]
            return node

    result = Exact().visit(tree)
    assert isinstance(result, ast.expr)
    return result


_NAMED_CONSTANTS = {"True": True, "False": False, "None": None}


def _compile(node: ast.expr) -> _Compiled:
    """Turn a checked tree into closures with the semantics of the tree walk it replaced.

    Facts are read left to right and recorded in the trace as they are read; a missing fact raises
    ``Unknown``; ``and``/``or`` use three-valued logic; comparisons chain and stop at the first
    false link, reading no more facts.
    """
    if isinstance(node, ast.Constant):
        constant = node.value
        return lambda lookup, values: constant
    if isinstance(node, ast.Name | ast.Attribute):
        path = dotted_name(node)
        assert path is not None
        if path in _NAMED_CONSTANTS:
            named = _NAMED_CONSTANTS[path]
            return lambda lookup, values: named

        def fact(lookup: Callable[[str], Any], values: dict[str, Any]) -> Any:
            value = lookup(path)
            values[path] = value
            if value is None:
                raise Unknown([path])
            return value
        return fact
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        elements = [_compile(e) for e in node.elts]
        return lambda lookup, values: [e(lookup, values) for e in elements]
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda lookup, values: not operand(lookup, values)
        return lambda lookup, values: -operand(lookup, values)
    if isinstance(node, ast.BinOp):
        left, right = _compile(node.left), _compile(node.right)
        if isinstance(node.op, ast.Add):
            return lambda lookup, values: left(lookup, values) + right(lookup, values)
        if isinstance(node.op, ast.Sub):
            return lambda lookup, values: left(lookup, values) - right(lookup, values)
        return lambda lookup, values: left(lookup, values) * right(lookup, values)
    if isinstance(node, ast.BoolOp):
        return _compile_bool(isinstance(node.op, ast.And), [_compile(v) for v in node.values])
    if isinstance(node, ast.Compare):
        first = _compile(node.left)
        links = [(_COMPARE[type(op)], _compile(comp)) for op, comp in zip(node.ops, node.comparators, strict=True)]
        if len(links) == 1:
            (compare, second), = links
            return lambda lookup, values: bool(compare(first(lookup, values), second(lookup, values)))

        def chain(lookup: Callable[[str], Any], values: dict[str, Any]) -> bool:
            left = first(lookup, values)
            for compare, comp in links:
                right = comp(lookup, values)
                if not compare(left, right):
                    return False
                left = right
            return True
        return chain
    raise AssertionError(f"unchecked node {type(node).__name__}")  # parse() refuses these


def _compile_bool(is_and: bool, parts: list[_Compiled]) -> _Compiled:
    def boolean(lookup: Callable[[str], Any], values: dict[str, Any]) -> bool:
        missing: list[str] = []
        for part in parts:
            try:
                value = bool(part(lookup, values))
            except Unknown as exc:
                missing.extend(exc.paths)
                continue
            if is_and and not value:
                return False
            if not is_and and value:
                return True
        if missing:
            raise Unknown(dict.fromkeys(missing))
        return is_and
    return boolean
