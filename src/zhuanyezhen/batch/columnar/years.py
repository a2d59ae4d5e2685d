"""Credit codes claimed for several claim years in one file: their rows go to the row path's scorer,
the rest of the file stays in columns.

The row path keys a main row by code + claim year (``join.ListIndex``): the same code and year
twice is a duplicate of the first row; a code claimed for several years is scored year by year,
oldest first, each year's paid one-time and tier awards counting as received in the later years
(``Scorer.score`` with ``Task.earlier``, shown in 以前年度奖励), and a later year is refused when an
earlier year's row was rejected. Here the rows of such codes (every row of the code, duplicates
included) and their list rows are kept aside, found before any block is scored, and each is
scored, when its block comes, by ``Scorer.score`` with exactly the ``Task`` the row path builds.

Memory: the cells of the rows of codes claimed in several years, and their list rows (not the
rest of the file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from zhuanyezhen.batch.columnar.blocks import read_blocks
from zhuanyezhen.batch.columnar.frames import normalised_code, raw_names
from zhuanyezhen.batch.columns import CODE, Layout
from zhuanyezhen.batch.join import KIND_INDEX, ListRow
from zhuanyezhen.batch.scoring import Problem, Rejected, Scored, Scorer, Task


@dataclass
class _Row:
    row: int
    year: str
    cells: list[Any]


@dataclass
class SeveralYears:
    """The rows of codes claimed for several years, and their list rows, by code."""

    layout: Layout
    rows: dict[str, list[_Row]] = field(default_factory=dict)  # code → its rows in file order
    items: dict[str, list[ListRow]] = field(default_factory=dict)  # code → list rows, as rows_for gives

    @property
    def codes(self) -> list[str]:
        return list(self.rows)

    def take(self, raw: pl.DataFrame, code_at: int | None) -> tuple[pl.DataFrame, list[int]]:
        """(the block without the rows of these codes, the row numbers taken out)."""
        if not self.rows or code_at is None:
            return raw, []
        mine = normalised_code(f"c{code_at}").is_in(self.codes)
        taken = raw.filter(mine).get_column("_row").to_list()
        return (raw.filter(~mine), taken) if taken else (raw, [])

    def score(self, numbers: Iterable[int], scorer: Scorer) -> list[Scored | Rejected]:
        """Each taken row scored as the row path scores it (``runner._tasks``)."""
        wanted = set(numbers)
        out: list[Scored | Rejected] = []
        for code, rows in self.rows.items():
            for r in rows:
                if r.row in wanted:
                    out.append(scorer.score(self._task(code, r)))
        return sorted(out, key=lambda x: x.row)

    def _task(self, code: str, r: _Row) -> Task:
        first: dict[str, _Row] = {}
        for other in self.rows[code]:
            first.setdefault(other.year, other)
        earlier = first[r.year]
        if earlier.row != r.row:
            problems = (Problem(self.layout.source, r.row, self.layout.header_of(CODE),
                                f"统一社会信用代码 {code} 申报年度 {r.year} 与第{earlier.row}行重复;"
                                f"清单行已归第{earlier.row}行,本行不计分"),)
            return Task(r.row, r.cells, [], problems)
        items = self.items.get(code, [])
        before: tuple[Task, ...] = ()
        if r.year.isdigit():  # ListIndex.earlier_claims: ordered by the year's text, digits only
            claims = sorted((y, x) for y, x in first.items() if y != r.year)
            before = tuple(Task(x.row, x.cells, items, ()) for y, x in claims
                           if y.isdigit() and int(y) < int(r.year))
        return Task(r.row, r.cells, items, (), before)


def find(path: Path, width: int, layout: Layout, code_at: int | None, repeated: dict[str, int],
         lists: Iterable[Any], year_of: Callable[[list[Any], Layout], str]) -> SeveralYears:
    """The codes of ``repeated`` (used by more than one row) claimed for more than one year, with
    their rows and list rows; nothing is read when no code repeats."""
    found = SeveralYears(layout)
    if not repeated or code_at is None:
        return found
    codes = list(repeated)
    names = raw_names(width)
    seen: dict[str, list[_Row]] = {}
    for raw in read_blocks(path, width):
        part = raw.with_columns(normalised_code(f"c{code_at}").alias("code")).filter(pl.col("code").is_in(codes))
        for record in part.select("_row", "code", *names).iter_rows():
            cells = list(record[2:])
            seen.setdefault(record[1], []).append(_Row(record[0], year_of(cells, layout), cells))
    found.rows = {code: rows for code, rows in seen.items() if len({r.year for r in rows}) > 1}
    if not found.rows:
        return found
    several = list(found.rows)
    for f in lists:
        list_code = next(i for i, c in enumerate(f.layout.columns) if c is not None and c.field == CODE)
        for raw in read_blocks(f.path, f.width):
            part = raw.with_columns(normalised_code(f"c{list_code}").alias("code")) \
                .filter(pl.col("code").is_in(several))
            for record in part.select("_row", "code", *raw_names(f.width)).iter_rows():
                cells = list(record[2:])
                if all(c is None or str(c).strip() == "" for c in cells):
                    continue
                found.items.setdefault(record[1], []).append((KIND_INDEX[f.kind.name], f.index, record[0], cells))
    for rows in found.items.values():
        rows.sort(key=lambda x: (x[1], x[2]))
    return found


__all__ = ["SeveralYears", "find"]
