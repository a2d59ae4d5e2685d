"""The condition language on its own: every operator it admits, three-valued logic, the trace of
facts read, and what it refuses. The shipped rules use only part of it; a rule author may use all.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhuanyezhen.policy.conditions import ExpressionError, Trace, Unknown, dotted_name, parse

FACTS: dict[str, Any] = {
    "revenue": Decimal("120000000"), "rank": 3, "zero": 0, "rate": Decimal("0.8"), "kind": "order",
    "yes": True, "no": False, "missing": None, "other_missing": None, "item.days": 12,
    "item.field": "foundation",
}


def known(path: str) -> bool:
    return path in FACTS


def value(source: str, facts: dict[str, Any] | None = None) -> Any:
    lookup = (facts or FACTS).__getitem__
    return parse(source, known).evaluate(lookup)


@pytest.mark.parametrize(("source", "expected"), [
    ("rank == 3", True), ("rank != 3", False), ("rank < 3", False), ("rank <= 3", True),
    ("rank > 2", True), ("rank >= 4", False), ("rank > 3", False), ("rank < 4", True),
    ("kind in ['order', 'project']", True), ("kind not in ['order', 'project']", False),
    ("kind in ('directed',)", False), ("kind in {'order'}", True),
    ("1 <= rank <= 5", True), ("1 <= rank <= 2", False), ("4 <= rank <= 5", False), ("0 < zero < 1", False),
    ("rank + 2 == 5", True), ("rank - 1 == 2", True), ("rank * 2 == 6", True), ("-rank == -3", True),
    ("-rank < 0", True), ("rank + rank == 6", True), ("rank - zero == 3", True), ("rank * rank == 9", True),
    ("rank <= 5 <= revenue", True), ("rank <= 2 <= revenue", False),
    ("not yes", False), ("not no", True), ("yes == True", True), ("no == False", True), ("kind != None", True),
    ("revenue >= 100000000", True), ("rate >= 0.80", True), ("rate > 0.8", False),
    ("item.days > 10 and item.field == 'foundation'", True),
])
def test_each_operator(source: str, expected: Any) -> None:
    assert value(source) is expected


def test_decimal_literals_are_exact() -> None:
    # 0.1 + 0.2 == 0.3 only with exact decimals; 0.8 is Decimal("0.8"), so rate == 0.8 is exact
    assert value("rate == 0.8") is True
    assert parse("0.1 + 0.2 == 0.3", known).evaluate(FACTS.__getitem__) is True
    assert value("rate * 100 == 80") is True
    # the literal's own digits, not the float nearest to them (which is exactly 0.8)
    assert value("rate == 0.80000000000000000001") is False


@pytest.mark.parametrize(("source", "paths"), [
    ("missing", ("missing",)), ("missing > 3", ("missing",)), ("rank > missing", ("missing",)),
    ("not missing", ("missing",)), ("-missing == 1", ("missing",)), ("missing + 1 == 2", ("missing",)),
    ("kind in [missing]", ("missing",)), ("1 < missing < 3", ("missing",)), ("missing < 3 < 5", ("missing",)),
    ("rank + missing == 1", ("missing",)), ("rank - missing == 1", ("missing",)), ("rank * missing == 1", ("missing",)),
    ("missing and other_missing", ("missing", "other_missing")),
    ("missing or other_missing or no", ("missing", "other_missing")),
    ("missing and missing", ("missing",)),  # named once
])
def test_unknown_names_every_fact_the_answer_needs(source: str, paths: tuple[str, ...]) -> None:
    with pytest.raises(Unknown) as caught:
        value(source)
    assert caught.value.paths == paths
    assert str(caught.value) == ", ".join(paths)


def test_a_chain_stops_at_its_first_false_link() -> None:
    # 5 <= rank is false, so the unknown fact after it is never read
    assert value("5 <= rank <= missing") is False


def test_and_or_return_booleans_and_their_empty_answers() -> None:
    assert value("yes and rank") is True and value("no or zero") is False
    assert value("rank or missing") is True and value("zero and missing") is False


def test_the_trace_records_facts_in_reading_order() -> None:
    trace = Trace()
    with pytest.raises(Unknown):
        parse("rank > 1 and kind == 'order' and missing", known).evaluate(FACTS.__getitem__, trace)
    assert list(trace.values.items()) == [("rank", 3), ("kind", "order"), ("missing", None)]
    expression = parse("rank > 1", known)
    assert expression.evaluate(FACTS.__getitem__) is True  # no trace given: none needed
    compiled: dict[str, Any] = {}
    assert expression.compiled(FACTS.__getitem__, compiled) is True and compiled == {"rank": 3}


def test_the_trace_records_facts_on_both_sides_of_arithmetic_and_chains() -> None:
    for source in ("zero + rank == 3", "zero - rank == -3", "zero * rank == 0", "zero <= rank <= 9"):
        trace = Trace()
        assert parse(source, known).evaluate(FACTS.__getitem__, trace) is True
        assert trace.values == {"zero": 0, "rank": 3}, source


def test_parse_keeps_the_source_and_the_names() -> None:
    expression = parse("  rank > 1 and item.days >= rank and rank < 9  ", known)
    assert expression.source == "rank > 1 and item.days >= rank and rank < 9"
    assert expression.names == ("rank", "item.days")


@pytest.mark.parametrize(("source", "says"), [
    ("rank >", "写法有误"),
    ("unknown_fact > 1", "unknown_fact"),
    ("item.unknown == 1", "item.unknown"),
    ("rank.__class__ == 1", "rank.__class__"),
    ("f(rank)", "Call"),
    ("rank / 2 == 1", "BinOp"),
    ("rank ** 2 == 9", "BinOp"),
    ("~rank == 1", "UnaryOp"),
    ("rank is 3", "Compare"),
    ("[x for x in rank]", "ListComp"),
    ("rank if yes else 1", "IfExp"),
    ("b'x' == kind", "b'x'"),
    ("(rank)[0] == 1", "Subscript"),
    ("{'a': 1} == kind", "Dict"),
])
def test_what_the_language_refuses(source: str, says: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(source, known)
    assert source.strip() in str(caught.value) and says in str(caught.value)


def test_a_refused_attribute_base_is_named() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("'x'.upper == kind", known)
    assert "'x'.upper" in str(caught.value)


def test_dotted_names() -> None:
    import ast

    assert dotted_name(ast.parse("item.days", mode="eval").body) == "item.days"
    assert dotted_name(ast.parse("a.b.c", mode="eval").body) == "a.b.c"
    assert dotted_name(ast.parse("f().b", mode="eval").body) is None
    assert dotted_name(ast.parse("1", mode="eval").body) is None


def test_named_constants_are_not_facts() -> None:
    expression = parse("kind != None and yes == True and no == False", known)
    assert expression.names == ("kind", "yes", "no")
    assert expression.evaluate(FACTS.__getitem__) is True
