"""Cells → typed columns, vectorised, accepting only a strict canonical form.

A column is read one of three ways:
- money: plain ASCII decimals (at most two places, below 1万亿元) become integer fen;
- free text: kept as written when it has no surrounding space;
- everything else (booleans, dates, codes, whole numbers, rates, towns, counties): each distinct
  value of the chunk goes through the very reading of the row path (``convert_cell`` and the
  profile's own field validation); a value it refuses, or cannot give exactly, is not canonical.

A row with any cell not canonical is scored by the row path, so that its own intake rules and
messages apply.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

import polars as pl
from pydantic import BaseModel, ConfigDict, TypeAdapter

from zhuanyezhen.batch.cells import CellError
from zhuanyezhen.batch.columns import Column, convert_cell
from zhuanyezhen.money import parse_amount, parse_rate
from zhuanyezhen.profile.credit_code import ALPHABET, WEIGHTS
from zhuanyezhen.profile.places import normalise_county, normalise_town

NEVER = -1  # "never" of market_rank_best_before (ranks are ≥ 1, money ≥ 0)
MONEY_DIGITS = 12  # canonical money < 10**12 元: every product the rules form stays in Int64
RATE_DECIMALS = 6
INT_LIMIT = 10**9
_MONEY_RE = rf"^[0-9]{{1,{MONEY_DIGITS}}}(\.[0-9]{{1,2}})?$"
_SPACE_EDGE = r"^[\s\x1c-\x1f\x85\u200b\ufeff]|[\s\x1c-\x1f\x85\u200b\ufeff]$"


@dataclass(frozen=True)
class Fact:
    """How a field is held in a column: its kind and, for numbers, the decimals of its integer."""

    kind: str  # money / rate / int / int_or_never / bool / date / text / choice
    decimals: int = 0
    bound: int = 0  # the largest absolute integer the column can hold

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "rate", "int")


def _has(info: Any, function: Any) -> bool:
    return any(getattr(m, "func", None) is function for m in info.metadata)


@functools.cache
def fact_of(model: type[BaseModel], field: str) -> Fact:
    info = model.model_fields[field]
    annotation = info.annotation
    text = repr(annotation)
    if _has(info, parse_amount) or "parse_amount" in text:
        return Fact("money", 2, 10 ** (MONEY_DIGITS + 2))
    if _has(info, parse_rate) or "parse_rate" in text:
        return Fact("rate", RATE_DECIMALS, 10**RATE_DECIMALS)
    if "Literal['never']" in text:
        return Fact("int_or_never", 0, INT_LIMIT)
    if "Literal[" in text:
        return Fact("choice")
    core = _core(annotation)
    if core is bool:
        return Fact("bool")
    if core is int:
        limits = [m.le for m in info.metadata if hasattr(m, "le")] + [INT_LIMIT]
        return Fact("int", 0, min(limits))
    if core is dt.date:
        return Fact("date")
    if core is str:
        return Fact("text")
    raise TypeError(f"{model.__name__}.{field}: {text}")


def _core(annotation: Any) -> Any:
    """``Optional[Annotated[T, ...]]`` → ``T``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


_CONFIG = ConfigDict(str_strip_whitespace=True)
_ADAPTERS: dict[tuple[type[BaseModel], str], TypeAdapter[Any]] = {}


def _adapter(model: type[BaseModel], field: str) -> TypeAdapter[Any]:
    key = (model, field)
    if key not in _ADAPTERS:
        info = model.model_fields[field]
        annotated: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        _ADAPTERS[key] = TypeAdapter(annotated, config=_CONFIG)
    return _ADAPTERS[key]


class _Refused(Exception):
    pass


_UNSEEN, _REFUSED = object(), object()
SEEN_LIMIT = 50_000  # distinct cells remembered per column, from one block to the next
_SEEN: dict[tuple[type[BaseModel], str, str], dict[str, Any]] = {}


def _canonical(model: type[BaseModel], column: Column, fact: Fact, raw: str, unit: str = "",
               header: str = "") -> Any:
    """One distinct cell as the row path reads it, held as the column holds it; ``_Refused`` else.
    ``unit``: the unit the column's header names (``营业收入(万元)``), as the row path applies it."""
    try:
        value = convert_cell(column, raw, unit, header)
    except CellError:  # the row path refuses the cell, with its own message
        raise _Refused from None
    if value is None:
        return None
    field = column.field.rsplit(".", 1)[-1]
    try:
        if field == "town" and model.__name__ == "Profile":
            return normalise_town(str(value))
        if field == "county" and model.__name__ == "Profile":
            return normalise_county(str(value))
        checked = _adapter(model, field).validate_python(value)
    except ValueError:  # pydantic's ValidationError is one
        raise _Refused from None
    if checked is None:
        return None
    if fact.kind == "money":  # only a column whose header names a unit is read here
        assert isinstance(checked, Decimal)
        fen = checked * 100
        if fen != fen.to_integral_value() or not 0 <= fen < fact.bound:
            raise _Refused  # a fraction of a fen, or beyond what the columns hold: the row path
        return int(fen)
    if fact.kind == "rate":
        assert isinstance(checked, Decimal)
        scaled = checked * 10**RATE_DECIMALS
        if scaled != scaled.to_integral_value():
            raise _Refused
        return int(scaled)
    if fact.kind == "int_or_never":
        return NEVER if checked == "never" else int(checked)
    if fact.kind == "int" and abs(int(checked)) >= INT_LIMIT:
        raise _Refused
    return checked


DTYPES = {"money": pl.Int64, "rate": pl.Int64, "int": pl.Int64, "int_or_never": pl.Int64,
           "bool": pl.Boolean, "date": pl.Date, "text": pl.String, "choice": pl.String}


def by_distinct_cell(column: Column, fact: Fact, unit: str = "") -> bool:
    """Whether a column is read cell by distinct cell (through the row path's reading), rather
    than by a column expression (plain money, free text)."""
    if column.field == "credit_code":
        return False
    if fact.kind == "money" and not unit:
        return False
    return not (fact.kind == "text" and column.field not in ("county", "town"))


def reading(raw: str, model: type[BaseModel], column: Column, fact: Fact, unit: str = "", header: str = "",
            cells: list[str] | None = None) -> tuple[pl.Expr, pl.Expr]:
    """(typed values, canonical?) of one raw string column as expressions; null = unknown.
    ``unit`` and ``header``: the unit the header names; ``cells``: the column's distinct cells in
    the chunk, for a column read by distinct cell (``by_distinct_cell``)."""
    series = pl.col(raw)
    if fact.kind == "money" and not unit:
        ok = series.is_null() | series.str.contains(_MONEY_RE)
        parts = series.str.split_exact(".", 1)
        whole = parts.struct.field("field_0").cast(pl.Int64, strict=False)
        frac = parts.struct.field("field_1").str.pad_end(2, "0").cast(pl.Int64, strict=False).fill_null(0)
        return pl.when(ok).then(whole * 100 + frac).otherwise(None), ok
    if fact.kind == "text" and column.field not in ("county", "town"):
        blank = series.str.strip_chars().str.len_chars() == 0
        ok = series.is_null() | blank | ~series.str.contains(_SPACE_EDGE)
        return pl.when(blank).then(None).otherwise(series), ok
    mapping: dict[str, Any] = {}
    refused: list[str] = []
    known = _SEEN.setdefault((model, column.field, unit), {})
    for cell in cells or ():
        value = known.get(cell, _UNSEEN)
        if value is _UNSEEN:
            try:
                value = _canonical(model, column, fact, cell, unit, header)
            except _Refused:
                value = _REFUSED
            if len(known) < SEEN_LIMIT:
                known[cell] = value
        if value is _REFUSED:
            refused.append(cell)
        else:
            mapping[cell] = value
    dtype = DTYPES[fact.kind]
    values = series.replace_strict(list(mapping), list(mapping.values()), default=None, return_dtype=dtype) \
        if mapping else pl.repeat(None, pl.len(), dtype=dtype)
    ok = (~series.is_in(refused)).fill_null(True) if refused else pl.repeat(True, pl.len(), dtype=pl.Boolean)
    return values, ok


def read_column(frame: pl.DataFrame, raw: str, model: type[BaseModel], column: Column,
                fact: Fact, unit: str = "", header: str = "") -> tuple[pl.Series, pl.Series]:
    """``reading`` of one column of a chunk, as two series."""
    if column.field == "credit_code":
        return credit_code(frame.get_column(raw))
    cells = frame.get_column(raw).drop_nulls().unique().to_list() if by_distinct_cell(column, fact, unit) else None
    values, ok = reading(raw, model, column, fact, unit, header, cells)
    out = frame.select(values.alias(raw), ok.alias("ok"))
    return out.get_column(raw), out.get_column("ok")


_CODE_VALUES = pl.Series([ALPHABET.find(chr(b)) for b in range(256)], dtype=pl.Int64)  # byte → value


def credit_code(series: pl.Series) -> tuple[pl.Series, pl.Series]:
    """GB 32100-2015, checked in columns: 18 characters of the alphabet and the check character
    (weighted sum of the first 17 values, over the bytes of all well-shaped codes at once)."""
    codes = series.fill_null("")
    shape = codes.str.contains(f"^[{ALPHABET}]{{18}}$")
    shaped = codes.filter(shape)
    n = shaped.len()
    valid = pl.Series([False] * codes.len())
    if n:
        values = _CODE_VALUES.gather(
            shaped.cast(pl.Binary).bin.reinterpret(dtype=pl.Array(pl.UInt8, 18)).explode().cast(pl.Int64))
        weights = pl.Series([*WEIGHTS, 0], dtype=pl.Int64)
        total = (values * weights.gather(pl.int_range(0, n * 18, eager=True) % 18)).reshape((n, 18)).arr.sum()
        check = values.gather(pl.int_range(17, n * 18, 18, eager=True))
        good = ((31 - total % 31) % 31) == check
        valid = valid.scatter(shape.arg_true(), good)
    ok = series.is_not_null() & shape & valid
    return series, ok.fill_null(False)
