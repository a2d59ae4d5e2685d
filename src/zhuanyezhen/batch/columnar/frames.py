"""Raw chunks of cells → typed frames of enterprise facts and item facts, with a flag per
enterprise saying whether every one of its cells was canonical (else: the row path)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl
from pydantic import BaseModel

from zhuanyezhen.batch.columnar.cells import DTYPES, Fact, credit_code, fact_of, read_column
from zhuanyezhen.batch.columnar.provisions import TOP_FACTS, item_facts
from zhuanyezhen.batch.columns import CODE, ONJOB_PREFIX, Layout
from zhuanyezhen.profile.model import OnJobTraining, Profile


def raw_names(count: int) -> list[str]:
    return [f"c{i}" for i in range(count)]


def blank_rows(frame: pl.DataFrame, count: int) -> pl.Series:
    """Rows whose every cell is empty or spaces (skipped, as the row path skips them)."""
    if count == 0:
        return pl.Series([True] * frame.height)
    return frame.select(pl.all_horizontal(
        [pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in raw_names(count)])).to_series()


def extra_cells(frame: pl.DataFrame, layout: Layout, count: int) -> pl.Expr:
    """Text beyond the last named column (the row path reports it as a problem)."""
    names = raw_names(count)[len(layout.columns):]
    if not names:
        return pl.lit(False)
    return pl.any_horizontal([pl.col(c).is_not_null() & (pl.col(c) != "") for c in names])


def normalised_code(name: str) -> pl.Expr:
    return pl.col(name).fill_null("").str.strip_chars().str.to_uppercase()


@dataclass
class Typed:
    frame: pl.DataFrame  # the typed columns, one per fact, named with ``prefix``
    ok: pl.Series


def typed(raw: pl.DataFrame, layout: Layout, item_model: type[BaseModel] | None) -> Typed:
    """Typed fact columns of a raw chunk (``f:field`` for the main table, ``i:field`` for a list)."""
    columns: dict[str, pl.Series] = {}
    ok = pl.Series([True] * raw.height)
    main = item_model is None
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
        if fact is None:
            values, good = credit_code(raw.get_column(f"c{index}"))
        else:
            values, good = read_column(raw, f"c{index}", model, column, fact)
            if column.required:
                good = good & values.is_not_null()
        columns[name] = values.alias(name)
        ok = ok & good
    return Typed(pl.DataFrame(list(columns.values())) if columns else pl.DataFrame(), ok)


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
