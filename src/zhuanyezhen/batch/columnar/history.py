"""The two history lists in columns, and the item facts and bases that depend on them.

- ``awards_received`` (this policy's awards already paid) and ``other_policy_awards`` (就高不就低)
  as frames for ``score.steps``, their subjects read as the profile reads them (``subject_key``:
  a subject copied from a result's display is its key);
- ``item.first_insured_year`` of a premium (``profile.model._first_insured_year``): no premium of
  the same product in an earlier year, and no award of ``new_material_insurance`` received for it
  (subject ``保险:<product>:<year>``) for an earlier year;
- the items of one subject made one base (``sum_by_subject``, ``Evaluator._one_base``).
"""

from __future__ import annotations

import polars as pl

from zhuanyezhen.batch.columnar.cells import MONEY_DIGITS, fact_of
from zhuanyezhen.batch.columnar.frames import fill_missing
from zhuanyezhen.batch.columns import LIST_MODELS
from zhuanyezhen.policy.models import LoadedProvision
from zhuanyezhen.profile.glossary import subject_key
from zhuanyezhen.profile.model import NAMED_LISTS

INSURANCE = "new_material_insurance"  # the provision ``_first_insured_year`` reads history of
_UNREADABLE = -1  # a year tail ``str.isdigit`` accepts and ``int`` refuses: the engine fails on it


def derive_missing(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Every field of the list as a column (a field without a column in the input is unknown)."""
    model = LIST_MODELS[kind]
    return fill_missing(frame, {name: fact_of(model, name) for name in model.model_fields}, "i:")


def _keys(series: pl.Series) -> pl.Series:
    """Subjects as ``ReceivedAward`` / ``OtherPolicyAward`` keep them (``subject_key``)."""
    distinct = [s for s in series.drop_nulls().unique().to_list() if subject_key(s) != s]
    if not distinct:
        return series
    return series.replace(distinct, [subject_key(s) for s in distinct])


def with_subject_keys(frame: pl.DataFrame) -> pl.DataFrame:
    if "i:subject" not in frame.columns or frame.height == 0:
        return frame
    return frame.with_columns(_keys(frame.get_column("i:subject")).alias("i:subject"))


def history(frame: pl.DataFrame) -> pl.DataFrame:
    """``awards_received`` rows: (rid, provision, h_year, h_tier, h_subject, h_amount, h_index)."""
    frame = derive_missing(frame, "awards_received")
    return frame.select("rid", pl.col("i:provision").alias("provision"), pl.col("i:year").alias("h_year"),
                        pl.col("i:tier").alias("h_tier"), pl.col("i:subject").alias("h_subject"),
                        pl.col("i:amount").alias("h_amount"), pl.col("item").alias("h_index"))


def others(frame: pl.DataFrame) -> pl.DataFrame:
    """``other_policy_awards`` rows: (rid, subject, amount)."""
    frame = derive_missing(frame, "other_policy_awards")
    return frame.select("rid", pl.col("i:subject").alias("subject"), pl.col("i:amount").alias("amount"))


def _year_of(tail: str) -> int | None:
    if not tail.isdigit():
        return None
    try:
        return int(tail)
    except ValueError:
        return _UNREADABLE


def unreadable_tails(premiums: pl.DataFrame, received: pl.DataFrame) -> pl.Series:
    """The enterprises whose insurance history has a year ``int`` cannot read (``_first_insured_year``
    raises on it, and the row path rejects the row): they take the row path."""
    pairs = _insurance_pairs(premiums, received)
    return pairs.filter(pl.col("tail_year") == _UNREADABLE).get_column("rid").unique()


def _insurance_pairs(premiums: pl.DataFrame, received: pl.DataFrame) -> pl.DataFrame:
    """(rid, item, year, tail_year) for each premium and each insurance award naming its product."""
    empty = pl.DataFrame(schema={"rid": pl.Int64, "item": pl.Int32, "year": pl.Int32, "tail_year": pl.Int64})
    if premiums.height == 0 or received.height == 0:
        return empty
    received = derive_missing(received, "awards_received")
    awards = received.filter((pl.col("i:provision") == INSURANCE) & pl.col("i:subject").is_not_null()) \
        .select("rid", pl.col("i:subject").alias("s"))
    if awards.height == 0:
        return empty
    pairs = premiums.select("rid", "item", pl.col("i:date").dt.year().alias("year"),
                            ("保险:" + pl.col("i:product") + ":").alias("prefix")) \
        .join(awards, on="rid", how="inner").filter(pl.col("s").str.starts_with(pl.col("prefix")))
    if pairs.height == 0:
        return empty
    pairs = pairs.with_columns(pl.col("s").str.slice(pl.col("prefix").str.len_chars()).alias("tail"))
    tails = pairs.get_column("tail").unique().to_list()
    years = {t: _year_of(t) for t in tails}
    return pairs.select("rid", "item", "year", pl.col("tail").replace_strict(
        list(years), list(years.values()), return_dtype=pl.Int64).alias("tail_year"))


def first_insured_year(premiums: pl.DataFrame, received: pl.DataFrame) -> pl.DataFrame:
    """``i:first_insured_year`` of each premium (never unknown: product and date are required)."""
    year = pl.col("i:date").dt.year()
    earlier = year.min().over(["rid", "i:product"]) < year
    pairs = _insurance_pairs(premiums, received)
    renewed = pairs.filter(pl.col("tail_year").is_not_null() & (pl.col("tail_year") < pl.col("year"))) \
        .select("rid", "item").unique()
    out = premiums.with_columns(earlier.alias("_earlier"))
    if renewed.height:
        out = out.join(renewed.with_columns(pl.lit(True).alias("_renewed")), on=["rid", "item"], how="left",
                       maintain_order="left")
    else:
        out = out.with_columns(pl.lit(None, pl.Boolean).alias("_renewed"))
    return out.with_columns((~(pl.col("_earlier") | pl.col("_renewed").fill_null(False)))
                            .alias("i:first_insured_year")).drop("_earlier", "_renewed")


def too_large_sums(frame: pl.DataFrame, provisions: list[LoadedProvision], kind: str) -> pl.Series:
    """Enterprises whose summed bases could leave the exact integer range the compiler assumes for
    one item (each money cell < 10**12 元): they take the row path."""
    fields = {p.rule.amount.of.removeprefix("item.") for p in provisions
              if p.rule.sum_by_subject and p.rule.for_each == kind and p.rule.amount and p.rule.amount.of}
    bad = [frame.filter(pl.col(f"i:{f}").sum().over("rid") >= 10 ** (MONEY_DIGITS + 2)).get_column("rid")
           for f in fields if f"i:{f}" in frame.columns]
    return pl.concat(bad).unique() if bad else pl.Series("rid", [], dtype=pl.Int64)


def one_base(base: pl.LazyFrame, p: LoadedProvision, subject: pl.Expr, item_fields: list[str]) -> pl.LazyFrame:
    """``sum_by_subject``: the items of one enterprise that agree in subject and in every field but
    the base and the date are one item: the base their sum, the date the earliest, at the first
    item's place (``Evaluator._one_base``). Items that differ otherwise stay apart."""
    assert p.rule.amount is not None and p.rule.amount.of is not None
    field = "i:" + p.rule.amount.of.removeprefix("item.")
    keys = ["rid", "_subject", *(f"i:{name}" for name in item_fields if f"i:{name}" not in (field, "i:date"))]
    base = base.with_columns(subject.alias("_subject"))  # a window groups unknown (null) keys together
    return base.with_columns(pl.col("item").min().over(keys).alias("_first"), pl.col(field).sum().over(keys),
                             pl.col("i:date").min().over(keys)) \
        .filter(pl.col("item") == pl.col("_first")).drop("_subject", "_first")


def same_names(frame: pl.DataFrame, kind: str) -> pl.Series:
    """Enterprises with two items of one list sharing a name (honours: of one kind), which the row
    path refuses (``profile.model.duplicate_names``)."""
    if kind not in NAMED_LISTS or "i:name" not in frame.columns or frame.height == 0:
        return pl.Series("rid", [], dtype=pl.Int64)
    keys = ["rid", "i:name", *(["i:kind"] if "i:kind" in frame.columns else [])]
    named = frame.filter(pl.col("i:name").is_not_null() & (pl.col("i:name") != ""))
    return named.filter(pl.len().over(keys) > 1).get_column("rid").unique()
