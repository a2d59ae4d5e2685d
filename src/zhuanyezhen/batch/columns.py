"""The batch input layout: which columns and sheets exist, their English and Chinese headers.

The main table holds one row per enterprise with every one-value fact of ``Profile`` (plus the two
facts of on-the-job training). Each list fact (projects, standards, ...) has its own table, joined
to the main table on 统一社会信用代码. Headers are the field names (English) or the field titles
(Chinese, as ``zyz template`` writes them); either is accepted, in any order.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from zhuanyezhen.batch.cells import AMOUNT_UNITS, PERCENT, read_cell
from zhuanyezhen.errors import InputError, InputProblem
from zhuanyezhen.profile.model import ITEM_MODELS, OnJobTraining, OtherPolicyAward, Profile, ReceivedAward

CODE = "credit_code"
CODE_TITLE = "统一社会信用代码"
# The template's example enterprise: its rows are marked 示例 in the 序号 column and skipped if a
# clerk leaves them in (its code is not a real one).
EXAMPLE_CODE = "91140300MA0K0XXXXC"
EXAMPLE_MARK = "示例"
ONJOB_PREFIX = "onjob_training."

# Columns a user may keep for their own bookkeeping; they are read and ignored.
IGNORED_HEADERS = frozenset({"序号", "备注", "no", "note", "notes", "remark", "remarks"})


@dataclass(frozen=True)
class Column:
    """One input column: the profile field it fills, its Chinese header and how cells are read."""

    field: str  # field name in the profile (main) or in the item model (lists)
    title: str  # the Chinese header the template writes
    kind: str  # "bool", "date", "text", "int", "money", "rate" or "value" (choices, areas: pydantic)
    required: bool


@dataclass(frozen=True)
class ListKind:
    """A list fact: the profile field, its item model, its Chinese sheet name and its columns."""

    name: str  # profile field, also the English sheet name and companion file suffix
    title: str  # Chinese sheet name / file suffix
    model: type[BaseModel]
    columns: tuple[Column, ...]


def _kind(annotation: Any, metadata: list[Any] | None = None, title: str = "") -> str:
    """Classify a field's type for the cell reader: bool / date / text / int / money / rate / value.

    ``money`` is an amount in 元 (its title ends in ``(元)``), so a unit in a header or a number
    format scales it; ``rate`` is a fraction read by ``parse_rate``; ``value`` is anything else
    (choices, areas) left to pydantic.
    """
    seen: list[Any] = [annotation]
    found: set[str] = set()
    while seen:
        current = seen.pop()
        if current is bool:
            found.add("bool")
        elif current is dt.date:
            found.add("date")
        elif current is str:
            found.add("text")
        elif current is int or current is type(None):
            found.add("int" if current is int else "none")
        elif current is Decimal:
            found.add("decimal")
        elif typing.get_origin(current) is typing.Annotated:
            metadata = [*(metadata or []), *current.__metadata__]
            seen.append(typing.get_args(current)[0])
        elif typing.get_origin(current) in (typing.Union, types.UnionType):
            seen.extend(typing.get_args(current))
        else:
            found.add("other")
            seen.extend(typing.get_args(current))
    if "bool" in found:
        return "bool"
    if "date" in found:
        return "date"
    if found <= {"text", "none"}:
        return "text"
    if found <= {"int", "none"}:
        return "int"
    if found <= {"decimal", "none"}:
        parsers = {getattr(getattr(m, "func", None), "__name__", "") for m in metadata or []}
        if "parse_rate" in parsers:
            return "rate"
        if "parse_amount" in parsers and title.endswith("(元)"):
            return "money"
    return "value"


def _columns(model: type[BaseModel], prefix: str = "", titles: dict[str, str] | None = None,
             skip: frozenset[str] = frozenset()) -> list[Column]:
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        title = (titles or {}).get(name) or info.title or name
        out.append(Column(prefix + name, title, _kind(info.annotation, info.metadata, title),
                          info.is_required()))
    return out


# Every list of the profile: the item lists the rules read, plus the two history lists.
LIST_MODELS: dict[str, type[BaseModel]] = {
    **ITEM_MODELS,
    "awards_received": ReceivedAward,
    "other_policy_awards": OtherPolicyAward,
}

MAIN_COLUMNS: tuple[Column, ...] = (
    *_columns(Profile, skip=frozenset({*LIST_MODELS, "onjob_training"})),
    *[Column(c.field, c.title, c.kind, False) for c in _columns(
        OnJobTraining, ONJOB_PREFIX, {"trainees": "在岗培训职工人数", "finished": "在岗培训完成日期"})],
)

LIST_KINDS: tuple[ListKind, ...] = tuple(
    ListKind(name, Profile.model_fields[name].title or name, model,
             (Column(CODE, CODE_TITLE, "text", True), *_columns(model)))
    for name, model in LIST_MODELS.items()
)
LIST_BY_NAME: dict[str, ListKind] = {k.name: k for k in LIST_KINDS}

MAIN_SHEET_NAMES = ("企业", "enterprises")
README_SHEET_NAMES = ("说明", "readme")

_FULLWIDTH = str.maketrans({"\uff08": "(", "\uff09": ")", "\u3000": " ", "\ufeff": None, "\uff3f": "_"})
_UNIT_SUFFIX = re.compile(r"\([^()]*\)$")


def normalise_header(text: Any) -> str:
    """Header text as compared: no BOM, half-width brackets, no spaces, English lower-case."""
    if text is None:
        return ""
    return str(text).translate(_FULLWIDTH).replace(" ", "").strip().lower()


# Headers county offices write for a column besides its template title.
HEADER_ALIASES: dict[str, str] = {"营业收入": "revenue", "年营业收入": "revenue", "营收": "revenue",
                                  "社会信用代码": "credit_code", "信用代码": "credit_code"}
_HEADER_UNIT = re.compile(r"^(.*?)\((" + "|".join(sorted({*AMOUNT_UNITS, PERCENT}, key=len, reverse=True))
                          + r")\)$")


def split_unit(key: str) -> tuple[str, str]:
    """``营业收入(万元)`` → (``营业收入``, ``万元``); a header naming no unit → (header, "")."""
    match = _HEADER_UNIT.match(key)
    return (match.group(1), match.group(2)) if match else (key, "")


def header_map(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Every accepted spelling of every column: English name, Chinese title, title without unit."""
    out: dict[str, Column] = {}
    short: dict[str, list[Column]] = {}
    for c in columns:
        out[normalise_header(c.field)] = c
        out[normalise_header(c.title)] = c
        bare = _UNIT_SUFFIX.sub("", normalise_header(c.title))
        short.setdefault(bare, []).append(c)
    for bare, cols in short.items():
        if len(cols) == 1 and bare and bare not in out:
            out[bare] = cols[0]
    by_field = {c.field: c for c in columns}
    for alias, field in HEADER_ALIASES.items():
        if field in by_field and alias not in out:
            out[alias] = by_field[field]
    return out


def match_header(key: str, accepted: dict[str, Column]) -> tuple[Column | None, str]:
    """The column a normalised header names and the unit it states (``""`` when none)."""
    column = accepted.get(key)
    if column is not None:
        return column, split_unit(key)[1] if column.kind in ("money", "rate") else ""
    bare, unit = split_unit(key)
    if unit:
        column = accepted.get(bare)
        if column is not None:
            return column, unit
    return None, ""


@dataclass(frozen=True)
class Layout:
    """The columns of one table as found in its header row: position → column (None = ignored)."""

    source: str  # file name, or "file[sheet]"
    headers: tuple[str, ...]  # as written, for messages
    columns: tuple[Column | None, ...]
    units: tuple[str, ...] = ()  # the unit each header names ("" = none, or as the template: 元)
    line: int = 1  # the header's row in the sheet or file

    def unit_at(self, index: int) -> str:
        return self.units[index] if index < len(self.units) else ""

    def scaled(self) -> list[tuple[str, str]]:
        """(header as written, unit) of every column whose header names a unit other than 元."""
        return [(h, u) for h, u in zip(self.headers, self.units, strict=False) if u and u != "元"]

    def position(self, field: str) -> int | None:
        """The index of ``field``'s column, or None if the table has no such column."""
        return next((i for i, c in enumerate(self.columns) if c is not None and c.field == field), None)

    def header_of(self, field: str) -> str:
        for written, column in zip(self.headers, self.columns, strict=True):
            if column is not None and column.field == field:
                return written
        return ""


def read_header(source: str, cells: list[Any], columns: tuple[Column, ...],
                what: str, line: int = 1) -> Layout:
    """Match a header row to the columns; unknown or repeated headers stop the run (exit 2),
    because a column we did not understand would be a fact silently dropped."""
    accepted = header_map(columns)
    found: list[Column | None] = []
    units: list[str] = []
    written: list[str] = []
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells = cells[:-1]  # trailing empty header cells (Excel often leaves some)
    for index, cell in enumerate(cells, start=1):
        text = "" if cell is None else str(cell).replace("\ufeff", "").strip()
        written.append(text)
        units.append("")
        key = normalise_header(text)
        if key in IGNORED_HEADERS:
            found.append(None)
            continue
        if not key:
            problems.append(InputProblem(f"第{index}列没有列名", file=source, line=line,
                                         hint="删除空列,或填写列名"))
            found.append(None)
            continue
        column, unit = match_header(key, accepted)
        if column is None:
            import difflib

            near = difflib.get_close_matches(split_unit(key)[0], list(accepted), n=1, cutoff=0.6)
            hint = f"是否指“{near[0]}”?" if near else "可用列名见 zyz template 生成的模板"
            problems.append(InputProblem(f"{what}中有不认识的列“{text}”", file=source, line=line,
                                         field=text, hint=hint))
            found.append(None)
            continue
        if unit and not ((column.kind == "money" and unit != PERCENT)
                         or (column.kind == "rate" and unit == PERCENT)):
            problems.append(InputProblem(
                f"列“{text}”写明的单位“{unit}”不适用于{column.title},无法确定如何换算", file=source,
                line=line, field=text, hint="删去列名中的单位,或按模板列名填写"))
        # 元 is the template's own unit: cells may still show theirs (350万), as they always could.
        units[-1] = "" if unit == "元" else unit
        if column.field in seen:
            problems.append(InputProblem(
                f"列“{text}”与第{seen[column.field]}列是同一项({column.title}),只能出现一次",
                file=source, line=line, field=text))
        seen[column.field] = index
        found.append(column)
    for column in columns:
        if column.required and column.field not in seen:
            problems.append(InputProblem(f"{what}缺少必需的列“{column.title}”({column.field})",
                                         file=source, line=line, field=column.title))
    if problems:
        raise InputError(problems)
    return Layout(source, tuple(written), tuple(found), tuple(units), line)


def convert_cell(column: Column, value: Any, unit: str = "", header: str = "") -> Any:
    """A cell as the profile model reads it; ``None`` for an empty cell (unknown, never zero).

    ``unit`` is the unit the column's header names (``营业收入(万元)``). The reading itself is
    ``cells.read_cell``, the one definition of how a cell is read; ``CellError`` refuses a cell.
    """
    return read_cell(column.kind, column.field, value, unit, header)
