"""The batch input layout: which columns and sheets exist, their English and Chinese headers.

The main table holds one row per enterprise with every one-value fact of ``Profile`` (plus the two
facts of on-the-job training). Each list fact (projects, standards, ...) has its own table, joined
to the main table on 统一社会信用代码. Headers are the field names (English) or the field titles
(Chinese, as ``zyz template`` writes them); either is accepted, in any order.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from zhuanyezhen.errors import InputError, InputProblem
from zhuanyezhen.profile.model import ITEM_MODELS, OnJobTraining, OtherPolicyAward, Profile, ReceivedAward

CODE = "credit_code"
CODE_TITLE = "统一社会信用代码"
ONJOB_PREFIX = "onjob_training."

# Columns a user may keep for their own bookkeeping; they are read and ignored.
IGNORED_HEADERS = frozenset({"序号", "备注", "no", "note", "notes", "remark", "remarks"})


@dataclass(frozen=True)
class Column:
    """One input column: the profile field it fills, its Chinese header and how cells are read."""

    field: str  # field name in the profile (main) or in the item model (lists)
    title: str  # the Chinese header the template writes
    kind: str  # "bool", "date", "text" or "value" (numbers, money, choices: left to pydantic)
    required: bool


@dataclass(frozen=True)
class ListKind:
    """A list fact: the profile field, its item model, its Chinese sheet name and its columns."""

    name: str  # profile field, also the English sheet name and companion file suffix
    title: str  # Chinese sheet name / file suffix
    model: type[BaseModel]
    columns: tuple[Column, ...]


def _kind(annotation: Any) -> str:
    """Classify a field's type: the converter needs only bool / date / plain text / other."""
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
        else:
            found.add("other")
            seen.extend(typing.get_args(current))
    if "bool" in found:
        return "bool"
    if "date" in found:
        return "date"
    if found <= {"text", "none"}:
        return "text"
    return "value"


def _columns(model: type[BaseModel], prefix: str = "", titles: dict[str, str] | None = None,
             skip: frozenset[str] = frozenset()) -> list[Column]:
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        title = (titles or {}).get(name) or info.title or name
        out.append(Column(prefix + name, title, _kind(info.annotation), info.is_required()))
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
    return out


@dataclass(frozen=True)
class Layout:
    """The columns of one table as found in its header row: position → column (None = ignored)."""

    source: str  # file name, or "file[sheet]"
    headers: tuple[str, ...]  # as written, for messages
    columns: tuple[Column | None, ...]

    def header_of(self, field: str) -> str:
        for written, column in zip(self.headers, self.columns, strict=True):
            if column is not None and column.field == field:
                return written
        return ""


def read_header(source: str, cells: list[Any], columns: tuple[Column, ...],
                what: str) -> Layout:
    """Match a header row to the columns; unknown or repeated headers stop the run (exit 2),
    because a column we did not understand would be a fact silently dropped."""
    accepted = header_map(columns)
    found: list[Column | None] = []
    written: list[str] = []
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells = cells[:-1]  # trailing empty header cells (Excel often leaves some)
    for index, cell in enumerate(cells, start=1):
        text = "" if cell is None else str(cell).replace("\ufeff", "").strip()
        written.append(text)
        key = normalise_header(text)
        if key in IGNORED_HEADERS:
            found.append(None)
            continue
        if not key:
            problems.append(InputProblem(f"第{index}列没有列名", file=source, line=1,
                                         hint="删除空列,或填写列名"))
            found.append(None)
            continue
        column = accepted.get(key)
        if column is None:
            import difflib

            near = difflib.get_close_matches(key, list(accepted), n=1, cutoff=0.6)
            hint = f"是否指“{near[0]}”?" if near else "可用列名见 zyz template 生成的模板"
            problems.append(InputProblem(f"{what}中有不认识的列“{text}”", file=source, line=1,
                                         field=text, hint=hint))
            found.append(None)
            continue
        if column.field in seen:
            problems.append(InputProblem(
                f"列“{text}”与第{seen[column.field]}列是同一项({column.title}),只能出现一次",
                file=source, line=1, field=text))
        seen[column.field] = index
        found.append(column)
    for column in columns:
        if column.required and column.field not in seen:
            problems.append(InputProblem(f"{what}缺少必需的列“{column.title}”({column.field})",
                                         file=source, line=1, field=column.title))
    if problems:
        raise InputError(problems)
    return Layout(source, tuple(written), tuple(found))


_BOOL_WORDS = {
    "是": True, "否": False, "true": True, "false": False, "yes": True, "no": False,
    "y": True, "n": False, "1": True, "0": False, "√": True, "×": False, "对": True, "错": False,
}
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def convert_cell(column: Column, value: Any) -> Any:
    """A cell as the profile model reads it; ``None`` for an empty cell (unknown, never zero).

    Excel and WPS write dates as ``2024/6/30`` when saving CSV and booleans as 是/否; those are
    turned into ISO dates and true/false. Anything not recognised is passed on unchanged so that
    the model's own Chinese message says what is wrong.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if column.kind == "bool":
            word = _BOOL_WORDS.get(text.lower())
            return text if word is None else word
        if column.kind == "date":
            match = _DATE_RE.match(text)
            if match:
                y, m, d = match.groups()
                return f"{y}-{int(m):02d}-{int(d):02d}"
        return text
    if isinstance(value, float) and value.is_integer() and column.kind != "text":
        return int(value)
    if column.kind == "text" and not isinstance(value, bool):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return value
