"""Credit codes claimed for several claim years in one file, scored in columns year by year.

The row path keys a main row by code + claim year (``join.ListIndex``): the same code and year
twice is a duplicate of the first row; a code claimed for several years is scored year by year,
oldest first, each year's paid one-time and tier awards counting as received in the later years
(``Scorer.score`` with ``Task.earlier``, shown in 以前年度奖励), and a later year is refused when an
earlier year's row was rejected.

Here the rows of such codes (every row of the code, duplicates included) and their list rows are
found before any block is scored (``find``) and scored first (``SeveralYears.score_all``), in
rounds: round k holds each code's k-th claim year, scored in columns like any chunk, with the
awards the code's earlier rounds paid added to its history (``carried``). Whatever a round cannot
take in columns, and every later year of a code whose earlier row was rejected, is scored by
``Scorer.score`` with exactly the ``Task`` the row path builds. The outcomes wait, by row number,
until their block is written.

Memory: the rows of codes claimed in several years, their list rows and their outcomes (not the
rest of the file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from zhuanyezhen.batch.city_once import Claim
from zhuanyezhen.batch.columnar.blocks import Spill, read_blocks
from zhuanyezhen.batch.columnar.frames import blank_rows, normalised_code, raw_names
from zhuanyezhen.batch.columnar.provisions import PAID
from zhuanyezhen.batch.columns import CODE, Layout
from zhuanyezhen.batch.join import KIND_INDEX, ListRow
from zhuanyezhen.batch.scoring import Problem, Rejected, Scored, Scorer, Task, money
from zhuanyezhen.profile.glossary import subject_key

# (raw rows of one round, its block number, carried history by main row) → (columnar figures, routed)
ChunkScorer = Callable[[pl.DataFrame, int, pl.DataFrame], tuple[pl.DataFrame, list[Scored | Rejected]]]
HISTORY = {"_row": pl.Int64, "provision": pl.String, "h_tier": pl.String, "h_subject": pl.String}


@dataclass
class _Row:
    row: int
    year: str
    cells: list[Any]


@dataclass
class _Code:
    """One code's state through the rounds: awards carried, their notes, a rejected earlier year."""

    carried: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # provision, tier, subject
    notes: list[str] = field(default_factory=list)
    rejected: bool = False


@dataclass
class SeveralYears:
    """The rows of codes claimed for several years, their list rows, and (once scored) outcomes."""

    layout: Layout
    rows: dict[str, list[_Row]] = field(default_factory=dict)  # code → its rows in file order
    lists: dict[int, tuple[Any, pl.DataFrame]] = field(default_factory=dict)  # list index → (file, rows)
    outcomes: dict[int, Scored | Rejected] = field(default_factory=dict)
    in_columns: set[int] = field(default_factory=set)

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

    def score(self, numbers: Iterable[int]) -> tuple[list[Scored | Rejected], int]:
        """(the outcomes of the rows taken out of a block, in row order; how many were in columns)."""
        rows = sorted(numbers)
        return [self.outcomes.pop(r) for r in rows], sum(r in self.in_columns for r in rows)

    # -- the rounds ----------------------------------------------------------------------------------
    def _items(self, code: str) -> list[ListRow]:
        """The code's list rows as ``ListIndex.rows_for`` gives them (list files in order, rows in order)."""
        out: list[ListRow] = []
        for index, (f, frame) in sorted(self.lists.items()):
            for record in frame.filter(pl.col("code") == code).select("_row", *raw_names(f.width)).iter_rows():
                out.append((KIND_INDEX[f.kind.name], index, record[0], list(record[1:])))
        return out

    def _task(self, code: str, r: _Row) -> Task:
        """The row path's ``Task`` for ``r`` (``runner._tasks``)."""
        first: dict[str, _Row] = {}
        for other in self.rows[code]:
            first.setdefault(other.year, other)
        earlier = first[r.year]
        if earlier.row != r.row:
            problems = (Problem(self.layout.source, r.row, self.layout.header_of(CODE),
                                f"统一社会信用代码 {code} 申报年度 {r.year} 与第{earlier.row}行重复;"
                                f"清单行已归第{earlier.row}行,本行不计分"),)
            return Task(r.row, r.cells, [], problems)
        items = self._items(code)
        before: tuple[Task, ...] = ()
        if r.year.isdigit():  # ListIndex.earlier_claims: ordered by the year's text, digits only
            claims = sorted((y, x) for y, x in first.items() if y != r.year)
            before = tuple(Task(x.row, x.cells, items, ()) for y, x in claims
                           if y.isdigit() and int(y) < int(r.year))
        return Task(r.row, r.cells, items, (), before)

    def score_all(self, scorer: Scorer, chunk: ChunkScorer, spill: Spill, width: int, n: int) -> None:
        """Every row's outcome: duplicates and odd years by ``Scorer.score``, the claim years of each
        code in rounds, oldest first."""
        rounds: dict[str, list[_Row]] = {}
        for code, rows in self.rows.items():
            first: dict[str, _Row] = {}
            for r in rows:
                if first.setdefault(r.year, r) is not r:
                    self.outcomes[r.row] = scorer.score(self._task(code, r))  # the same code and year twice
            plain = all(len(y) == 4 and y.isdigit() for y in first)  # else text order ≠ year order
            for r in first.values():
                if not plain:
                    self.outcomes[r.row] = scorer.score(self._task(code, r))
            if plain:
                rounds[code] = sorted(first.values(), key=lambda r: r.year)
        states = {code: _Code() for code in rounds}
        main = self._main(width)
        k = 0
        while True:
            now = [(code, rows[k]) for code, rows in rounds.items() if len(rows) > k]
            if not now:
                return
            in_columns = []
            for code, r in now:
                if states[code].rejected:  # refused, naming the earlier row: the row path's own words
                    self.outcomes[r.row] = scorer.score(self._task(code, r))
                else:
                    in_columns.append((code, r))
            self._round(k, in_columns, states, main, scorer, chunk, spill, n)
            k += 1

    def _main(self, width: int) -> pl.DataFrame:
        records = [[r.row, *r.cells] for rows in self.rows.values() for r in rows]
        return pl.DataFrame(records, schema={"_row": pl.Int64, **{c: pl.String for c in raw_names(width)}},
                            orient="row")

    def _round(self, k: int, now: list[tuple[str, _Row]], states: dict[str, _Code], main: pl.DataFrame,
               scorer: Scorer, chunk: ChunkScorer, spill: Spill, n: int) -> None:
        if not now:
            return
        block = -1 - k  # the spill's key for this round's list rows (main blocks count from 0)
        codes = [code for code, _ in now]
        for index, (f, frame) in self.lists.items():
            part = frame.filter(pl.col("code").is_in(codes))
            if part.height:
                spill.add(f"list-{index}", block, part.select("_row", *raw_names(f.width)))
        wanted = {r.row: code for code, r in now}
        raw = main.filter(pl.col("_row").is_in(list(wanted))).sort("_row")
        history = [(r.row, provision, tier, None if subject is None else subject_key(subject))
                   for code, r in now for provision, tier, subject in states[code].carried]
        carried = pl.DataFrame(history, schema=HISTORY, orient="row")
        out, routed = chunk(raw, block, carried)
        outcomes: dict[int, Scored | Rejected] = {}
        if out.height:
            for record in out.iter_rows(named=True):
                outcomes[record["_row"]] = scored(record, n)
                self.in_columns.add(record["_row"])
        for outcome in routed:
            code = wanted[outcome.row]
            by_row = {r.row: r for _, r in now}
            if k == 0:  # no earlier year: the routed row's Task is the row path's
                outcomes[outcome.row] = outcome
            else:
                outcomes[outcome.row] = scorer.score(self._task(code, by_row[outcome.row]))
        for code, r in now:
            outcome = outcomes[r.row]
            state = states[code]
            if isinstance(outcome, Rejected):
                state.rejected = True
            else:
                if r.row in self.in_columns and state.notes:  # Scorer.score's words for the carried awards
                    outcome = outcome._replace(carried="视为已获(同表以前年度应付):" + "、".join(state.notes))
                for provision, tier, subject in outcome.once:
                    state.carried.append((provision, tier, subject))
                    state.notes.append(f"{outcome.claim_year}年 {provision}" + (f"({tier})" if tier else "")
                                       + (f"[{subject}]" if subject else ""))
            self.outcomes[r.row] = outcome


def scored(r: dict[str, Any], n: int) -> Scored:
    """One columnar row as ``Scorer._scores`` would have made it (amounts as money text), with its
    city-once claims and its paid one-time awards when the row has them."""
    def fen(value: Any) -> str:
        return money(Decimal(int(value or 0)) / 100)

    exact, up_to = int(r["exact"] or 0), int(r["up_to_sum"] or 0)
    amounts = tuple("" if r[f"a{i}"] is None else fen(r[f"a{i}"]) for i in range(n))
    others = tuple(fen(r[f"o{i}"]) if r[f"o{i}"] else "" for i in range(n))
    claims = tuple(Claim(c["provision"], c["subject"], Decimal(c["amount"]) / 100, c["applicant"])
                   for c in r.get("claims") or ())
    once = tuple((c["provision"], c["tier"], c["subject"]) for c in r.get("once") or ())
    return Scored(r["_row"], r["f:credit_code"] or "", r["f:name"] or "", r["f:county"] or "", r["f:town"] or "",
                  r["f:claim_year"], fen(exact), fen(up_to), fen(exact + up_to), amounts, others, fen(r["others"]),
                  fen(r["land"]), int(r["excluded"] or 0), int(r["needs"] or 0), claims=claims, once=once)


def once(settled: pl.DataFrame, provisions: list[Any], one_time: set[str]) -> pl.DataFrame:
    """(rid, once): each enterprise's paid one-time and tier awards (provision, tier, subject), in
    the engine's order of outcomes, as ``Scorer._scores`` lists them for a later year."""
    ids = {c.pidx: c.p.id for c in provisions if c.p.id in one_time}
    paid = settled.filter(pl.col("pidx").is_in(list(ids)) & (pl.col("status") == PAID))
    if paid.height == 0:
        return pl.DataFrame(schema={"rid": pl.Int64, "once": pl.List(pl.Struct(
            {"provision": pl.String, "tier": pl.String, "subject": pl.String}))})
    paid = paid.with_columns(pl.col("pidx").replace_strict(ids, return_dtype=pl.String).alias("provision"))
    return paid.sort(["rid", "pidx", "item", "tier"]).group_by("rid", maintain_order=True).agg(
        pl.struct("provision", pl.col("tier_id").alias("tier"), "subject").alias("once"))


def history(carried: pl.DataFrame, enterprises: pl.DataFrame) -> pl.DataFrame:
    """The carried awards as history rows (``runner._history``'s columns) of the chunk's enterprises."""
    return enterprises.select("rid", "_row").join(carried, on="_row", how="inner").select(
        "rid", "provision", "h_tier", "h_subject")


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
        parts = []
        for raw in read_blocks(f.path, f.width):
            raw = raw.filter(~blank_rows(raw, f.width))
            parts.append(raw.with_columns(normalised_code(f"c{list_code}").alias("code"))
                         .filter(pl.col("code").is_in(several)))
        frame = pl.concat(parts) if parts else pl.DataFrame(
            schema={"_row": pl.Int64, **{c: pl.String for c in raw_names(f.width)}, "code": pl.String})
        found.lists[f.index] = (f, frame)
    return found


__all__ = ["SeveralYears", "find", "history", "once", "scored"]
