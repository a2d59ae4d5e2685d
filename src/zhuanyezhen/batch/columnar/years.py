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

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from zhuanyezhen.batch.city_once import Claim
from zhuanyezhen.batch.columnar.blocks import Spill
from zhuanyezhen.batch.columnar.frames import raw_names
from zhuanyezhen.batch.columnar.provisions import PAID
from zhuanyezhen.batch.columns import Layout
from zhuanyezhen.batch.join import KIND_INDEX, ListRow
from zhuanyezhen.batch.scoring import Rejected, Scored, Scorer, Task, money, repeated_claim
from zhuanyezhen.profile.glossary import subject_key

# (raw rows of one round, its block number, carried history by main row) → (columnar figures, routed)
ChunkScorer = Callable[[pl.DataFrame, int, pl.DataFrame], tuple[pl.DataFrame, list[Scored | Rejected]]]
ROUND_ROWS = 4096
HISTORY = {"_row": pl.Int64, "provision": pl.String, "h_year": pl.Int64, "h_tier": pl.String,
           "h_subject": pl.String, "k": pl.Int32}


@dataclass
class _Row:
    row: int
    year: str
    at: int  # its place in ``SeveralYears.main``


@dataclass
class _Code:
    """One code's state through the rounds: awards carried, their notes, a rejected earlier year."""

    # (provision, year, tier, subject)
    carried: list[tuple[str, int, str | None, str | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected: bool = False


@dataclass
class SeveralYears:
    """The rows of codes claimed for several years, their list rows, and (once scored) outcomes."""

    layout: Layout
    main: pl.DataFrame = field(default_factory=pl.DataFrame)  # their main rows: _row, c0…
    rows: dict[str, list[_Row]] = field(default_factory=dict)  # code → its rows in file order
    lists: dict[int, tuple[Any, pl.DataFrame]] = field(default_factory=dict)  # list index → (file, rows)
    outcomes: dict[int, Scored | Rejected] = field(default_factory=dict)  # scored by ``Scorer.score``
    in_columns: pl.DataFrame | None = None  # scored in columns: figures, claims, once, carried text
    n: int = 0  # the output's provision columns

    @property
    def codes(self) -> list[str]:
        return list(self.rows)

    def take(self, raw: pl.DataFrame) -> tuple[pl.DataFrame, list[int]]:
        """(the block without the rows of these codes, the row numbers taken out)."""
        if not self.rows:
            return raw, []
        mine = raw.get_column("_row").is_in(self.main.get_column("_row").implode())
        taken = raw.filter(mine).get_column("_row").to_list()
        return (raw.filter(~mine), taken) if taken else (raw, [])

    def keep_list(self, f: Any, parts: list[pl.DataFrame]) -> None:
        """The list rows of these codes, as ``runner._partition`` set them aside (``_row``, the raw
        cells, ``code``), rows the sorter skips already dropped."""
        schema = {"_row": pl.Int64, **{c: pl.String for c in raw_names(f.width)}, "code": pl.String}
        self.lists[f.index] = (f, pl.concat(parts) if parts else pl.DataFrame(schema=schema))

    def score(self, numbers: list[int]) -> tuple[list[Scored | Rejected], int]:
        """(the outcomes of the rows taken out of a block, in row order; how many were in columns)."""
        if not numbers:
            return [], 0
        out = [self.outcomes.pop(r) for r in numbers if r in self.outcomes]
        columnar = 0
        if self.in_columns is not None and len(out) < len(numbers):
            mine = self.in_columns.filter(pl.col("_row").is_in(numbers))
            columnar = mine.height
            out += [scored(record, self.n)._replace(carried=record["carried"] or "")
                    for record in mine.iter_rows(named=True)]
        return sorted(out, key=lambda x: x.row), columnar

    # -- the rounds ----------------------------------------------------------------------------------
    def _cells(self, r: _Row) -> list[Any]:
        return list(self.main.row(r.at)[1:])

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
            return Task(r.row, self._cells(r), [], (repeated_claim(self.layout, r.row, code, r.year, earlier.row),))
        items = self._items(code)
        before: tuple[Task, ...] = ()
        if r.year.isdigit():  # ListIndex.earlier_claims: ordered by the year's text, digits only
            claims = sorted((y, x) for y, x in first.items() if y != r.year)
            before = tuple(Task(x.row, self._cells(x), items, ()) for y, x in claims
                           if y.isdigit() and int(y) < int(r.year))
        return Task(r.row, self._cells(r), items, (), before)

    def score_all(self, scorer: Scorer, chunk: ChunkScorer, spill: Spill, n: int) -> None:
        """Every row's outcome: duplicates and odd years by ``Scorer.score``, the claim years of each
        code in rounds, oldest first."""
        self.n = n
        rounds: dict[str, list[_Row]] = {}
        for code, rows in self.rows.items():
            first: dict[str, _Row] = {}
            for r in rows:
                if first.setdefault(r.year, r) is not r:
                    self.outcomes[r.row] = scorer.score(self._task(code, r))  # the same code and year twice
            if all(len(y) == 4 and y.isdigit() for y in first):
                rounds[code] = sorted(first.values(), key=lambda r: r.year)
            else:  # a year that is not one: its text order is not the year order (Scorer.score decides)
                for r in first.values():
                    self.outcomes[r.row] = scorer.score(self._task(code, r))
        states = {code: _Code() for code in rounds}
        done: list[pl.DataFrame] = []
        k = pieces = 0
        while True:
            now = [(code, rows[k]) for code, rows in rounds.items() if len(rows) > k]
            if not now:
                break
            in_columns = []
            for code, r in now:
                if states[code].rejected:  # refused, naming the earlier row: the row path's own words
                    self.outcomes[r.row] = scorer.score(self._task(code, r))
                else:
                    in_columns.append((code, r))
            for at in range(0, len(in_columns), ROUND_ROWS):  # a round in pieces the size of a block
                pieces += 1
                done.extend(self._round(k, pieces, in_columns[at:at + ROUND_ROWS], states, scorer, chunk, spill))
            k += 1
        self.in_columns = pl.concat(done, how="diagonal_relaxed") if done else None

    def _round(self, k: int, piece: int, now: list[tuple[str, _Row]], states: dict[str, _Code], scorer: Scorer,
               chunk: ChunkScorer, spill: Spill) -> list[pl.DataFrame]:
        """Round ``k``: each code's k-th claim year, in columns, with what its earlier years paid."""
        if not now:
            return []
        block = -piece  # the spill's key for this piece's list rows (main blocks count from 0)
        codes = [code for code, _ in now]
        for index, (f, frame) in self.lists.items():
            part = frame.filter(pl.col("code").is_in(codes))
            if part.height:
                spill.add(f"list-{index}", block, part.select("_row", *raw_names(f.width), "code"))
        wanted = {r.row: (code, r) for code, r in now}
        raw = self.main.filter(pl.col("_row").is_in(list(wanted))).sort("_row")
        history = [(r.row, provision, year, tier, None if subject is None else subject_key(subject), k)
                   for code, r in now for k, (provision, year, tier, subject) in enumerate(states[code].carried)]
        out, routed = chunk(raw, block, pl.DataFrame(history, schema=HISTORY, orient="row"))
        for outcome in routed:
            code, r = wanted[outcome.row]
            # at the first year the routed row's Task is the row path's; later, its earlier years too
            self.outcomes[r.row] = outcome if k == 0 else scorer.score(self._task(code, r))
        carried: dict[int, str] = {}
        paid: dict[int, tuple[int, list[tuple[str, str | None, str | None]]]] = {}  # row → (year, once)
        if out.height:
            listed = pl.col("once") if "once" in out.columns else pl.lit(None).alias("once")
            for row, year, awards in out.select("_row", "f:claim_year", listed).iter_rows():
                code, _ = wanted[row]
                if states[code].notes:  # Scorer.score's words for the awards carried
                    carried[row] = "视为已获(同表以前年度应付):" + "、".join(states[code].notes)
                paid[row] = (year, [(c["provision"], c["tier"], c["subject"]) for c in awards or ()])
        for code, r in now:
            state = states[code]
            found = self.outcomes.get(r.row)
            if isinstance(found, Rejected):
                state.rejected = True
                continue
            year, paid_once = paid[r.row] if found is None else (found.claim_year, list(found.once))
            for provision, tier, subject in paid_once:
                state.carried.append((provision, year, tier, subject))
                state.notes.append(f"{year}年 {provision}" + (f"({tier})" if tier else "")
                                   + (f"[{subject}]" if subject else ""))
        if not out.height:
            return []
        return [out.with_columns(pl.col("_row").replace_strict(carried, default=None, return_dtype=pl.String)
                                 .alias("carried"))]


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


def history(carried: pl.DataFrame, enterprises: pl.DataFrame, received: pl.DataFrame) -> pl.DataFrame:
    """``received`` (``columnar.history.history`` of the list) with the carried awards after each
    enterprise's own entries, as ``Scorer._score_one`` appends them: no amount, the earlier claim
    year as the year."""
    if carried.height == 0:
        return received
    count = received.group_by("rid").agg(pl.len().cast(pl.Int32).alias("n"))
    rows = enterprises.select("rid", "_row").join(carried, on="_row", how="inner") \
        .join(count, on="rid", how="left").with_columns(pl.col("n").fill_null(0))
    added = rows.select("rid", "provision", "h_year", "h_tier", "h_subject",
                        pl.lit(None, pl.Int64).alias("h_amount"), (pl.col("n") + pl.col("k")).alias("h_index"))
    return pl.concat([received, added], how="vertical_relaxed")


def find(layout: Layout, claimed: pl.DataFrame | None) -> SeveralYears:
    """The codes claimed for more than one year, with their main rows, from ``claimed``: the data
    rows of every code used by more than one row (``_row``, the raw cells, ``code``, ``year`` as
    the row path keys it), found by ``runner._prepass``. Their list rows are added by
    ``runner._partition`` (``SeveralYears.keep_list``)."""
    found = SeveralYears(layout)
    if claimed is None or claimed.height == 0:
        return found
    several = claimed.group_by("code").agg(pl.col("year").n_unique().alias("n")).filter(pl.col("n") > 1) \
        .get_column("code")
    main = claimed.filter(pl.col("code").is_in(several.implode())).sort("_row")
    if main.height == 0:
        return found
    found.main = main.drop("code", "year")
    for at, (row, code, year) in enumerate(main.select("_row", "code", "year").iter_rows()):
        found.rows.setdefault(code, []).append(_Row(row, year, at))
    return found


__all__ = ["SeveralYears", "find", "history", "once", "scored"]
