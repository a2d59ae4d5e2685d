"""Raw chunks of cells → typed frames of enterprise facts and item facts, with a flag per
enterprise saying whether every one of its cells was canonical (else: the row path)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl
from pydantic import BaseModel

from zhuanyezhen.batch.columnar.cells import DTYPES, Fact, by_distinct_cell, credit_code, fact_of, reading
from zhuanyezhen.batch.columnar.provisions import TOP_FACTS, item_facts
from zhuanyezhen.batch.columns import CODE, ONJOB_PREFIX, Column, Layout, normalise_header
from zhuanyezhen.profile.model import OnJobTraining, Profile


def raw_names(count: int) -> list[str]:
    return [f"c{i}" for i in range(count)]


# Python's whitespace (``str.strip``/``str.split``, which the row path uses): polars' own
# ``strip_chars()`` keeps U+001C..U+001F, which Python strips.
PY_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_SPACE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in PY_SPACE) + "]"
_ASCII_SPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in PY_SPACE if c.isascii()) + "]"


_NOT_SPACE = "[^" + _SPACE_CLASS[1:]


def blank_cell(name: str) -> pl.Expr:
    """An empty cell as the row path sees one: nothing, or only whitespace."""
    return pl.col(name).is_null() | ~pl.col(name).str.contains(_NOT_SPACE)


def blank_rows(frame: pl.DataFrame, count: int) -> pl.Series:
    """Rows whose every cell is empty or spaces (skipped, as the row path skips them)."""
    if count == 0:
        return pl.Series([True] * frame.height)
    return frame.select(pl.all_horizontal([blank_cell(c) for c in raw_names(count)])).to_series()


def _word(name: str) -> pl.Expr:
    """``rows._word`` of a text cell: a short cell without its spaces and a trailing colon."""
    text = pl.col(name).fill_null("")
    return pl.when(text.str.len_chars() <= 12).then(
        text.str.replace_all(_SPACE_CLASS, "").str.strip_chars_end(":：")).otherwise(pl.lit(""))


def unusual_rows(frame: pl.DataFrame, layout: Layout, count: int) -> pl.Series:
    """The ``_row`` numbers of rows ``rows.RowSorter`` might not call data (a 合计/小计/总计 or
    示例 word where it looks, or only a 序号): a superset, which the sorter itself then sorts."""
    from zhuanyezhen.batch.columns import EXAMPLE_MARK
    from zhuanyezhen.batch.rows import NUMBER_HEADERS, TOTAL_WORDS

    names = raw_names(count)
    if not names:
        return frame.get_column("_row").clear()
    numbering = {i for i, h in enumerate(layout.headers) if normalise_header(h) in NUMBER_HEADERS and i < count}
    looked = {i for i, c in enumerate(layout.columns) if c is not None and c.field in ("name", CODE) and i < count}
    # only a row with a 计 somewhere, a 示例 in a 序号 column, or a 序号 column may be odd at all
    maybe = pl.any_horizontal([pl.col(c).str.contains("计", literal=True) for c in names]).fill_null(False)
    if numbering:
        maybe = maybe | pl.any_horizontal(
            [pl.col(f"c{i}").str.contains("示例", literal=True) for i in numbering]).fill_null(False) \
            | ~pl.any_horizontal([~blank_cell(c) for i, c in enumerate(names) if i not in numbering] or [pl.lit(False)])
    frame = frame.filter(maybe)
    if frame.height == 0:
        return frame.get_column("_row")
    first = pl.coalesce([pl.when(~blank_cell(c)).then(pl.col(c)) for c in names]).alias("_first")
    frame = frame.select("_row", *names, first)
    words = list(TOTAL_WORDS)
    filled = pl.any_horizontal([~blank_cell(c) for i, c in enumerate(names) if i not in numbering] or [pl.lit(False)])
    odd = (~filled | _word("_first").is_in(words)
           | pl.any_horizontal([_word(f"c{i}").is_in(words) for i in looked] or [pl.lit(False)])
           | pl.any_horizontal([_word(f"c{i}") == EXAMPLE_MARK for i in numbering] or [pl.lit(False)]))
    return frame.filter(pl.col("_first").is_not_null() & odd).get_column("_row")


def normalised_codes(series: pl.Series) -> pl.Series:
    """Credit codes as the row path keys them (``cells.code_text``): no spaces anywhere,
    half-width, upper-case, no leading ``'``; ``""`` for none. Non-ASCII codes go through
    ``code_text`` itself (one call per distinct value)."""
    from zhuanyezhen.batch.cells import code_text

    text = series.fill_null("")
    ascii_codes = text.str.replace_all(_ASCII_SPACE, "").str.to_uppercase()
    out = pl.select(pl.when(ascii_codes.str.starts_with("'")).then(ascii_codes.str.slice(1))
                    .otherwise(ascii_codes)).to_series()
    wide = text.str.contains(r"[^\x00-\x7F]")
    if wide.any():
        odd = text.filter(wide).unique().to_list()
        mapped = text.replace_strict(odd, [code_text(v) for v in odd], default=None, return_dtype=pl.String)
        out = pl.select(pl.when(wide).then(mapped).otherwise(out)).to_series()
    return out.alias(series.name)


def extra_cells(frame: pl.DataFrame, layout: Layout, count: int) -> pl.Expr:
    """Text beyond the last named column (the row path reports it as a problem)."""
    names = raw_names(count)[len(layout.columns):]
    if not names:
        return pl.lit(False)
    return pl.any_horizontal([pl.col(c).is_not_null() & (pl.col(c) != "") for c in names])


@dataclass
class Typed:
    frame: pl.DataFrame  # the typed columns, one per fact, named with ``prefix``
    ok: pl.Series


def typed(raw: pl.DataFrame, layout: Layout, item_model: type[BaseModel] | None) -> Typed:
    """Typed fact columns of a raw chunk (``f:field`` for the main table, ``i:field`` for a list):
    every column's reading in one ``select`` (the distinct cells of the columns read by distinct
    cell gathered first, in one ``select`` too)."""
    main = item_model is None
    specs: list[tuple[str, int, type[BaseModel], Column, Fact | None]] = []
    for index, column in enumerate(layout.columns):
        if column is None or (not main and column.field == CODE):
            continue
        model: type[BaseModel]
        if main:
            if column.field.startswith(ONJOB_PREFIX):
                model, field = OnJobTraining, column.field[len(ONJOB_PREFIX):]
            else:
                model, field = Profile, column.field
            name = f"f:{column.field}"
        else:
            assert item_model is not None
            model, field, name = item_model, column.field, f"i:{column.field}"
        fact = fact_of(model, field) if column.field != CODE else None
        specs.append((name, index, model, column, fact))
    distinct = [f"c{index}" for _, index, _, column, fact in specs
                if fact is not None and by_distinct_cell(column, fact, layout.unit_at(index))]
    cells = dict(zip(distinct, raw.select(pl.col(c).drop_nulls().unique().implode() for c in distinct).row(0),
                     strict=True)) if distinct and raw.height else {}
    exprs: list[pl.Expr] = []
    checks: list[pl.Expr] = []
    codes: dict[str, tuple[pl.Series, pl.Series]] = {}
    for name, index, model, column, fact in specs:
        if fact is None:
            codes[name] = credit_code(raw.get_column(f"c{index}"))
            continue
        values, good = reading(f"c{index}", model, column, fact, layout.unit_at(index), layout.headers[index],
                               cells.get(f"c{index}", []))
        exprs.append(values.alias(name))
        if column.required:
            good = good & values.is_not_null()
        checks.append(good)
    every = pl.all_horizontal(checks) if checks else pl.repeat(True, pl.len())
    out = raw.select(*exprs, every.alias("_ok"))
    ok = out.get_column("_ok")
    for _, code_ok in codes.values():
        ok = ok & code_ok
    frame = out.drop("_ok").with_columns(code.alias(name) for name, (code, _) in codes.items())
    return Typed(frame.select(name for name, *_ in specs) if specs else pl.DataFrame(), ok)


def fill_missing(frame: pl.DataFrame, facts: Mapping[str, Fact], prefix: str) -> pl.DataFrame:
    """Facts with no column in the input: unknown (null) for every row."""
    missing = []
    for name, fact in facts.items():
        column = f"{prefix}{name}"
        if column not in frame.columns:
            assert isinstance(fact, Fact)
            missing.append(pl.lit(None, DTYPES[fact.kind]).alias(column))
    return frame.with_columns(missing) if missing else frame


def derive_top(frame: pl.DataFrame) -> pl.DataFrame:
    """in_town and small_or_micro, as ``profile.model.derived_facts`` makes them."""
    frame = fill_missing(frame, {k: v for k, v in TOP_FACTS.items() if k not in ("in_town", "small_or_micro")}, "f:")
    return frame.with_columns(
        pl.when(pl.col("f:town").is_null()).then(None).otherwise(pl.col("f:town") != "无").alias("f:in_town"),
        pl.when(pl.col("f:size").is_null()).then(None).otherwise(pl.col("f:size").is_in(["small", "micro"]))
        .alias("f:small_or_micro"))


def derive_items(kind: str, frame: pl.DataFrame) -> pl.DataFrame:
    facts = {k: v for k, v in item_facts(kind).items() if k not in ("first_of_kind", "employed_trainees")}
    frame = fill_missing(frame, facts, "i:")
    if kind == "honours":
        frame = frame.with_columns(
            (pl.col("i:date") == pl.col("i:date").min().over(["rid", "i:kind"])).alias("i:first_of_kind"))
    if kind == "training_programmes":
        frame = frame.with_columns(
            ((pl.col("i:trainees") * pl.col("i:employment_rate")) // 10**6).alias("i:employed_trainees"))
    return frame
