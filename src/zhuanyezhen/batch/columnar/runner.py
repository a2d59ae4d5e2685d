"""A ``zyz batch`` run in columns, chunk by chunk, with the row path for every row it cannot take.

- Only CSV input is read here (polars' reader; GB18030 text decoded block by block); XLSX, or a
  file polars cannot parse exactly (a stray quote), is read whole by the row path
  (``batch.runner``), before any output.
- The main table is read in blocks of whole records (``blocks``). A first pass keeps a 64-bit
  hash of each row's code: repeated codes are found from it (then checked exactly), and each list
  row is spilled to disk beside the block of the main row that owns its code, so each block reads
  only its own list rows and memory does not grow with the input. List rows no enterprise claims
  are kept aside and reported at the end, in file order.
- Each chunk's rows are scored in columns when every cell is canonical and every provision that
  could touch them is compiled; the others are scored by ``Scorer.score`` exactly as before, and
  the two are merged back into input order.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from zhuanyezhen.batch.columnar import city_once, years
from zhuanyezhen.batch.columnar.blocks import Spill, Unreadable, read_blocks
from zhuanyezhen.batch.columnar.frames import (
    blank_rows,
    derive_items,
    derive_top,
    extra_cells,
    normalised_codes,
    raw_names,
    typed,
    unusual_rows,
)
from zhuanyezhen.batch.columnar.history import (
    first_insured_year,
    history,
    others,
    same_names,
    too_large_sums,
    unreadable_tails,
    with_subject_keys,
)
from zhuanyezhen.batch.columnar.score import CompiledPolicy, candidates, compile_policy, figures, steps
from zhuanyezhen.batch.columns import CODE, MAIN_COLUMNS, Layout, ListKind, read_header
from zhuanyezhen.batch.join import KIND_INDEX
from zhuanyezhen.batch.reader import check_encoding, detect_encoding, open_source
from zhuanyezhen.batch.scoring import Problem, Rejected, Scored, Scorer, Task, missing_code, repeated_claim
from zhuanyezhen.batch.summary import Summary
from zhuanyezhen.engine.calculation import resolve_assumptions
from zhuanyezhen.files.atomic import PendingFiles
from zhuanyezhen.policy.choice import choose_policy

HISTORY_LISTS = ("awards_received", "other_policy_awards")
# Provisions always left to the row path (every row they could touch goes there): the lever for a
# reading the engine changes before the compiler is taught it. None today: every provision is
# compiled, history and other policies' awards included (``columnar/history``, ``score.steps``),
# and the cross-row readings are settled across rows (``columnar/city_once``, ``columnar/years``).
ROW_PATH_PROVISIONS: frozenset[str] = frozenset()


@dataclass
class ListFile:
    kind: ListKind
    path: Path
    layout: Layout
    index: int  # as ListIndex numbers layouts: the order of the list files
    width: int
    skip: int = 1  # records before the first row: the header and any title rows above it
    encoding: str = "utf-8"

    def blocks(self) -> Iterator[pl.DataFrame]:
        return read_blocks(self.path, self.width, skip=self.skip, encoding=self.encoding)


@dataclass
class Intake:
    """What the first pass over the main table found, for the run to take the rows as the row path does."""

    path: Path
    width: int
    skip: int
    encoding: str
    repeated: dict[str, int] = field(default_factory=dict)  # code used by several rows → its first row
    kinds: dict[int, str] = field(default_factory=dict)  # row → BLANK/TOTAL/SUBTOTAL/EXAMPLE (not wholly blank)
    numeric: set[int] = field(default_factory=set)  # rows whose code Excel stored as a number (claim nothing)
    blank: dict[int, pl.Series] = field(default_factory=dict)  # block → its wholly blank rows (if any)
    numeric_codes: set[str] = field(default_factory=set)  # those rows' codes, as keyed
    notes: list[str] = field(default_factory=list)  # examples and 合计 checks, as the row path notes them
    claimed: pl.DataFrame | None = None  # the data rows of repeated codes, with their claim years

    def blocks(self) -> Iterator[pl.DataFrame]:
        return read_blocks(self.path, self.width, skip=self.skip, encoding=self.encoding)


def _encoding(path: Path, forced: str | None) -> str:
    """The codec the row path reads ``path`` with (``reader.open_csv``)."""
    if forced is not None:
        return check_encoding(forced)
    with path.open("rb") as stream:
        return detect_encoding(stream, path.name)


def _sorted_rows(raw: pl.DataFrame, layout: Layout, width: int, sorter: Any) -> dict[int, str]:
    """Rows the row path's ``RowSorter`` skips though not wholly blank (a 序号 alone, 合计, 示例):
    found in columns as a superset, sorted by the sorter itself (which also keeps 合计 rows)."""
    from zhuanyezhen.batch.rows import DATA

    odd = raw.filter(pl.col("_row").is_in(unusual_rows(raw, layout, width).implode()))
    kinds: dict[int, str] = {}
    for record in odd.select("_row", *raw_names(width)).iter_rows():
        kind = sorter.sort(record[0], ["" if c is None else c for c in record[1:]])
        if kind != DATA:
            kinds[record[0]] = kind
    return kinds


def _data_rows(raw: pl.DataFrame, width: int, kinds: dict[int, str], blank: pl.Series | None = None) -> pl.DataFrame:
    keep = ~(blank_rows(raw, width) if blank is None else blank)
    if kinds:
        keep = keep & ~raw.get_column("_row").is_in(list(kinds))
    return raw if keep.all() else raw.filter(keep)


def _check_totals(blocks: Iterator[pl.DataFrame], width: int, kinds: dict[int, str], sorter: Any) -> None:
    """The sorter's 合计 checks over the table's data rows in order (only when it has a 合计 row)."""
    names = raw_names(width)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for raw in blocks:
            for record in _data_rows(raw, width, kinds).select("_row", *names).iter_rows():
                yield record[0], ["" if c is None else c for c in record[1:]]

    sorter.check_totals(rows())


def _prepass(intake: Intake, layout: Layout, code_at: int | None, year_of: Any) -> pl.DataFrame:
    """The main table's rows sorted as the row path sorts them (``intake.kinds``, ``intake.notes``),
    codes stored as numbers found, repeated codes found (``intake.repeated``); returns each code's
    hash with the block of its first row (sorted by hash).

    One pass keeps only a 64-bit hash and a block number per row; the rows of hashes seen twice
    are then read again and compared exactly; their rows are kept with their claim years
    (``intake.claimed``) for ``years.find``.
    """
    from zhuanyezhen.batch.cells import numeric_code_message
    from zhuanyezhen.batch.join import normalise_code
    from zhuanyezhen.batch.rows import EXAMPLE, RowSorter, example_note

    sorter = RowSorter(layout)
    parts = []
    for block, raw in enumerate(intake.blocks()):
        intake.kinds.update(_sorted_rows(raw, layout, intake.width, sorter))
        blank = blank_rows(raw, intake.width)
        if blank.any():
            intake.blank[block] = raw.get_column("_row").filter(blank)
        if code_at is None:
            continue
        data = _data_rows(raw, intake.width, intake.kinds, blank)
        cells = data.get_column(f"c{code_at}")
        maybe = cells.str.contains(r"[^\x00-\x7F]|\+").fill_null(False)
        if maybe.any():  # numeric_code_message only ever reads a "+" or a non-ASCII cell as a number
            for row, cell in data.filter(maybe).select("_row", f"c{code_at}").iter_rows():
                if numeric_code_message(cell) is not None:
                    intake.numeric.add(row)
                    intake.numeric_codes.add(normalise_code(cell))
            if intake.numeric:
                data = data.filter(~pl.col("_row").is_in(list(intake.numeric)))
        codes = normalised_codes(data.get_column(f"c{code_at}"))
        parts.append(pl.DataFrame({"h": codes.hash(seed=7), "b": pl.Series([block] * codes.len(), dtype=pl.UInt32)})
                     .filter(codes != ""))
        del raw, data, cells, codes  # before the next block is read
    for row in sorted(r for r, kind in intake.kinds.items() if kind == EXAMPLE):
        intake.notes.append(example_note(layout, row))
    if sorter.totals:
        _check_totals(intake.blocks(), intake.width, intake.kinds, sorter)
    intake.notes.extend(sorter.warnings)
    if not parts:
        return pl.DataFrame(schema={"h": pl.UInt64, "b": pl.UInt32})
    # sorted, not hashed: a sort needs one copy, a hash table several times the column
    hashes = pl.concat(parts).sort(["h", "b"])
    del parts
    h = hashes.get_column("h")
    starts = h != h.shift(1)
    twice = h.filter(~starts).unique()
    owners = hashes.filter(starts.fill_null(True))  # each hash with the first block using it
    del hashes, h, starts
    if twice.len() == 0:
        return owners
    seen: dict[str, int] = {}
    first: dict[str, int] = {}
    kept: list[pl.DataFrame] = []
    names = raw_names(intake.width)
    for raw in intake.blocks():
        data = _data_rows(raw, intake.width, intake.kinds)
        if intake.numeric:
            data = data.filter(~pl.col("_row").is_in(list(intake.numeric)))
        data = data.with_columns(normalised_codes(data.get_column(f"c{code_at}")).alias("code"))
        found = data.filter(pl.col("code").hash(seed=7).is_in(twice.implode()) & (pl.col("code") != ""))
        claim_years = []
        for record in found.select("_row", "code", *names).iter_rows():
            row, value = record[0], record[1]
            claim_years.append(year_of(["" if c is None else c for c in record[2:]], layout))
            seen[value] = seen.get(value, 0) + 1
            first.setdefault(value, row)
        if found.height:
            kept.append(found.select("_row", *names, "code").with_columns(
                pl.Series("year", claim_years, dtype=pl.String)))
    intake.repeated = {value: first[value] for value, n in seen.items() if n > 1}
    # the row path keys by code and claim year: codes claimed for several years (columnar/years)
    intake.claimed = pl.concat(kept) if kept else None
    return owners


def _owner_block(owners: pl.DataFrame, hashes: pl.Series) -> pl.Series:
    """The block owning each hash (null if none), by binary search in the sorted owners."""
    known = owners.get_column("h")
    if known.len() == 0:
        return pl.Series([None] * hashes.len(), dtype=pl.UInt32)
    at = known.search_sorted(hashes).clip(0, known.len() - 1)
    found = known.gather(at) == hashes
    return pl.select(pl.when(found).then(owners.get_column("b").gather(at))).to_series()


def _partition(f: ListFile, owners: pl.DataFrame, spill: Spill, numeric_codes: set[str],
               several: years.SeveralYears) -> list[str]:
    """Each list row to the spill of the main block that owns its code; the rest are orphans.
    Rows the row path's sorter skips are dropped; returns its 合计 warnings. A list row with the
    code of a main row whose code was stored as a number sends the file to the row path (which
    reads such a row's list rows with it, for their own problems). The rows of codes claimed in
    several years are set aside for ``several`` (``years``)."""
    from zhuanyezhen.batch.rows import RowSorter

    code_at = f.layout.position(CODE)
    assert code_at is not None  # a list table without its code column is refused by read_header
    names = ["_row", *raw_names(f.width)]
    sorter = RowSorter(f.layout)
    kinds: dict[int, str] = {}
    aside: list[pl.DataFrame] = []
    for raw in f.blocks():
        kinds.update(_sorted_rows(raw, f.layout, f.width, sorter))
        raw = _data_rows(raw, f.width, kinds)
        keyed = raw.with_columns(normalised_codes(raw.get_column(f"c{code_at}")).alias("code"))
        if numeric_codes and keyed.get_column("code").is_in(list(numeric_codes)).any():
            raise _RowPath
        if several.rows:
            mine = keyed.get_column("code").is_in(several.codes)
            if mine.any():
                aside.append(keyed.filter(mine).select(*names, "code"))
                keyed = keyed.filter(~mine)
        keyed = keyed.with_columns(pl.col("code").hash(seed=7).alias("h"))
        keyed = keyed.with_columns(_owner_block(owners, keyed.get_column("h")).alias("b"))
        lost = keyed.filter(pl.col("b").is_null() | (pl.col("code") == ""))
        if lost.height:
            spill.add(f"orphans-{f.index}", 0, lost.select("_row", "code"))
        for (block,), part in keyed.filter(pl.col("b").is_not_null() & (pl.col("code") != "")) \
                .partition_by("b", as_dict=True).items():
            spill.add(f"list-{f.index}", int(block), part.select(*names, "code"))
    if several.rows:
        several.keep_list(f, aside)
    if sorter.totals:
        _check_totals(f.blocks(), f.width, kinds, sorter)
    return sorter.warnings


def run(options: Any, quiet: bool, rows: Any) -> Any:
    """Score in columns; ``None`` when the input must go whole through the row path.

    ``rows`` is the module ``batch.runner`` (its writers, counts and checks), passed in rather
    than imported, since it is the one that calls this.
    """

    if options.input.suffix.lower() != ".csv" or not options.input.is_file():
        return None
    # a check-only run; a ledger's history; --jobs N asks for the row path in N processes
    if options.output is None or options.received or options.jobs > 1:
        return None
    source = open_source(options.input, options.encoding)
    try:
        encodings = [_encoding(p, options.encoding) for p in source.files]
        rows._check_paths(options, source.files)
        if not _plain(source.main):
            return None
        layout = read_header(source.main.source, source.main.header, MAIN_COLUMNS, "企业表",
                             source.main.header_line)
        lists: list[ListFile] = []
        for index, ((kind, table), path) in enumerate(zip(source.lists, source.files[1:], strict=True)):
            if not _plain(table):
                return None
            list_layout = read_header(table.source, table.header, kind.columns, f"清单“{kind.title}”",
                                      table.header_line)
            lists.append(ListFile(kind, path, list_layout, index, len(table.header), table.header_line,
                                  encodings[index + 1]))
        intake = Intake(options.input, len(source.main.header), source.main.header_line, encodings[0])
        notes = rows._reading_notes(source, layout) + rows._list_notes(_Layouts([f.layout for f in lists]))
        above = (source.main.titles, source.main.blank_above)
    finally:
        source.close()
    try:
        return _run(options, rows, layout, intake, lists, notes, above, quiet)
    except (Unreadable, pl.exceptions.PolarsError, _RowPath):  # e.g. a stray quote, which csv.reader reads
        return None


@dataclass
class _Layouts:
    layouts: list[Layout]  # what ``runner._list_notes`` reads of a ``ListIndex``


class _RowPath(Exception):
    """Found while scoring: the whole file goes through the row path (the outputs are discarded)."""


def _plain(table: Any) -> bool:
    """A table read exactly as the columnar path reads it: nothing the reader had to do to it
    (merged cells, which CSV never has)."""
    return not table.notes


def _run(options: Any, rows: Any, layout: Layout, intake: Intake, lists: list[ListFile], notes: list[str],
         above: tuple[int, int], quiet: bool) -> Any:

    scorer = Scorer(options.rules, options.policy_id, options.assumptions or {}, layout,
                    [f.layout for f in lists])
    chosen = {pid: resolve_assumptions(p, options.assumptions or {}) for pid, p in scorer.policies.items()}
    positions = {p.id: i for i, p in enumerate(scorer.provisions)}
    compiled: dict[str, CompiledPolicy] = {}
    code_at = layout.position(CODE)
    spill = Spill()
    try:
        return _score_all(options, rows, layout, intake, lists, scorer, chosen, positions, compiled, code_at, spill,
                          notes, above, quiet)
    finally:
        spill.close()


def _score_all(options: Any, rows: Any, layout: Layout, intake: Intake, lists: list[ListFile], scorer: Scorer,
               chosen: dict[str, dict[str, str]], positions: dict[str, int], compiled: dict[str, CompiledPolicy],
               code_at: int | None, spill: Spill, notes: list[str], above: tuple[int, int], quiet: bool) -> Any:
    owners = _prepass(intake, layout, code_at, rows._claim_year)
    several = years.find(layout, intake.claimed)  # codes claimed for several years, scored first
    intake.claimed = None
    warnings = [w for f in lists for w in _partition(f, owners, spill, intake.numeric_codes, several)]
    del owners

    def round_of(raw: pl.DataFrame, block: int, carried: pl.DataFrame) -> tuple[pl.DataFrame, list[Scored | Rejected]]:
        return _Chunk(raw, layout, intake, code_at, lists, scorer, chosen, positions, compiled, spill, block,
                      rows._claim_year, carried, repeated={}).score()

    several.score_all(scorer, round_of, spill, len(scorer.provisions))  # before any block: years.py
    outputs = PendingFiles()
    counts = rows.Counts()
    counts.notes.extend([*notes, *intake.notes, *warnings])  # in the row path's order
    if not quiet:
        for note in counts.notes:
            sys.stderr.write(f"提示:{note}\n")
    counts.titles, counts.blank = above
    counts.read = sum(above)
    summary = Summary(scorer.provisions, rows._budget(scorer), ledger_held=options.ledger_held)
    results, rejected, closers, xlsx = rows._open_writers(options, outputs, scorer, counts.notes, counts)
    held = city_once.Held(spill.folder)
    try:
        for block, raw in enumerate(intake.blocks()):
            raw, taken = several.take(raw)  # a code claimed for several years: scored already (years)
            chunk = _Chunk(raw, layout, intake, code_at, lists, scorer, chosen, positions, compiled,
                           spill, block, rows._claim_year)
            out, routed = chunk.score()
            out, claiming = city_once.split(out, len(scorer.provisions))  # settled once all rows are read
            mine, in_columns = several.score(taken)
            counts.columnar += len(claiming) + in_columns
            if claiming or mine:
                routed = sorted([*routed, *claiming, *mine], key=lambda r: r.row)
            counts.blank += chunk.blank
            counts.totals += chunk.totals
            counts.examples += chunk.examples
            counts.read += chunk.read + chunk.blank + chunk.totals + chunk.examples + len(taken)
            table, scored = _write(out, routed, rejected, xlsx, summary, counts, scorer, rows)
            if held.wants(scored):  # from here, rows wait until every row is read (as in the row path)
                held.hold(table, scored, lambda t, rest: _with_routed(t, rest, xlsx))
            else:
                _emit(table, scored, results, xlsx, len(scorer.provisions), rows)
            del raw, chunk, out, routed, table, scored  # before the next block is read
        if held.active:
            _settle_city_once(held, results, xlsx, summary, scorer, rows)
        for f in lists:
            _orphans(f, spill, rejected, counts)
        return rows._finish(options, outputs, summary, counts, closers)
    except BaseException:
        for sheet in (results, rejected):
            sheet.close()
        outputs.discard()
        raise


class _Chunk:
    def __init__(self, raw: pl.DataFrame, layout: Layout, intake: Intake, code_at: int | None,
                 lists: list[ListFile], scorer: Scorer,
                 chosen: dict[str, dict[str, str]], positions: dict[str, int],
                 compiled: dict[str, CompiledPolicy], spill: Spill, block: int, year_of: Any,
                 carried: pl.DataFrame | None = None, repeated: dict[str, int] | None = None) -> None:
        from zhuanyezhen.batch.rows import BLANK, EXAMPLE

        self.spill, self.block, self.year_of = spill, block, year_of
        self.carried = carried  # a round of codes claimed in several years: earlier years' awards (years.py)
        width = intake.width
        blank = intake.blank.get(block)
        skip = raw.get_column("_row").is_in(blank.implode()) if blank is not None else \
            pl.Series([False] * raw.height)
        self.blank = int(skip.sum())
        self.totals = self.examples = 0
        if intake.kinds:
            sorted_out = raw.get_column("_row").is_in(list(intake.kinds))
            for row in raw.get_column("_row").filter(sorted_out).to_list():
                kind = intake.kinds[row]
                if kind == BLANK:
                    self.blank += 1
                elif kind == EXAMPLE:
                    self.examples += 1
                else:
                    self.totals += 1
            skip = skip | sorted_out
        self.raw = raw.filter(~skip) if skip.any() else raw  # a filter copies every column
        self.read = self.raw.height
        self.numeric = intake.numeric
        self.layout, self.width, self.code_at = layout, width, code_at
        self.repeated = intake.repeated if repeated is None else repeated  # a round's codes are its own
        self.lists, self.scorer, self.chosen, self.positions, self.compiled = lists, scorer, chosen, positions, compiled

    def score(self) -> tuple[pl.DataFrame, list[Scored | Rejected]]:
        raw = self.raw.with_row_index("rid").with_columns(pl.col("rid").cast(pl.Int64))
        code = normalised_codes(raw.get_column(f"c{self.code_at}")) if self.code_at is not None else \
            pl.Series([""] * raw.height, dtype=pl.String)
        raw = raw.with_columns(code.alias("code"))
        first = pl.col("code").replace_strict(self.repeated, default=None, return_dtype=pl.Int64) \
            if self.repeated else pl.lit(None, pl.Int64)
        raw = raw.with_columns(first.alias("first"))
        later = pl.col("first").is_not_null() & (pl.col("first") != pl.col("_row"))
        owner = (pl.col("code") != "") & ~later
        if self.numeric:  # a code stored as a number claims nothing (the row path refuses the row)
            owner = owner & ~pl.col("_row").is_in(list(self.numeric))
        raw = raw.with_columns(owner=owner)
        owners = raw.filter(pl.col("owner")).select("rid", "code")
        items = {f.kind.name: self._list_rows(f, owners) for f in self.lists}
        main = typed(raw, self.layout, None)
        ok = main.ok & raw.select(pl.col("owner") & ~extra_cells(raw, self.layout, self.width)).to_series()
        facts = derive_top(pl.concat([raw.select("rid", "_row"), main.frame], how="horizontal"))
        ok = ok & facts.select(pl.col("f:onjob_training.trainees").is_null()
                               == pl.col("f:onjob_training.finished").is_null()).to_series()
        good_items: dict[str, pl.DataFrame] = {}
        for f in self.lists:
            frame = items[f.kind.name]
            if frame.height == 0:
                good_items[f.kind.name] = frame
                continue
            t = typed(frame, f.layout, f.kind.model)
            rows_ok = t.ok & frame.select(~extra_cells(frame, f.layout, f.width)).to_series()
            bad = frame.filter(~rows_ok).get_column("rid").unique()
            ok = ok & ~raw.get_column("rid").is_in(bad.implode())
            typed_frame = pl.concat([frame.select("rid", "item"), t.frame], how="horizontal")
            twice = same_names(typed_frame, f.kind.name)
            if twice.len():  # the row path refuses the enterprise (Profile._distinct_names)
                ok = ok & ~raw.get_column("rid").is_in(twice.implode())
            good_items[f.kind.name] = with_subject_keys(typed_frame)
        if "premiums" in good_items and "awards_received" in good_items:
            odd = unreadable_tails(good_items["premiums"], good_items["awards_received"])
            ok = ok & ~raw.get_column("rid").is_in(odd.implode())
        policies = self._policies(facts)
        ok = ok & policies.is_not_null()
        for pid in policies.drop_nulls().unique().to_list():
            c = self._compiled(pid)
            touched = pl.Series([c.uncovered_all] * raw.height)
            for name in c.uncovered_lists:
                if name == "onjob_training":
                    touched = touched | facts.get_column("f:onjob_training.trainees").is_not_null()
                elif name in good_items and good_items[name].height:
                    having = good_items[name].get_column("rid").unique().implode()
                    touched = touched | raw.get_column("rid").is_in(having)
            for name, wheres in c.uncovered_where.items():
                if name in good_items and good_items[name].height:
                    chosen = derive_items(name, good_items[name]).filter(pl.any_horizontal(wheres))
                    touched = touched | raw.get_column("rid").is_in(chosen.get_column("rid").unique().implode())
            for kind, frame in good_items.items():  # summed bases beyond the exact range
                touched = touched | raw.get_column("rid").is_in(
                    too_large_sums(frame, c.policy.provisions, kind).implode())
            ok = ok & ~((policies == pid) & touched)
        columnar = self._columnar(raw, facts.with_columns(policy=policies), ok, good_items)
        routed = self._row_path(raw, ~ok, items)
        return columnar, routed

    def _policies(self, facts: pl.DataFrame) -> pl.Series:
        years = facts.get_column("f:claim_year")
        mapping = {y: choose_policy(self.scorer.policies, y, self.scorer.policy_id).info.id
                   for y in years.drop_nulls().unique().to_list()}
        if not mapping:
            return pl.Series([None] * facts.height, dtype=pl.String)
        return years.replace_strict(list(mapping), list(mapping.values()), default=None, return_dtype=pl.String)

    def _compiled(self, pid: str) -> CompiledPolicy:
        if pid not in self.compiled:
            policy = self.scorer.policies[pid]
            self.compiled[pid] = compile_policy(policy, self.chosen[pid], self.positions, ROW_PATH_PROVISIONS)
        return self.compiled[pid]

    def _list_rows(self, f: ListFile, owners: pl.DataFrame) -> pl.DataFrame:
        found = self.spill.take(f"list-{f.index}", self.block)
        if found is None:
            found = pl.DataFrame(schema={"_row": pl.Int64, **{n: pl.String for n in raw_names(f.width)},
                                         "code": pl.String})
        stray = found.join(owners, on="code", how="anti")  # a hash that matched another code
        if stray.height:
            self.spill.add(f"orphans-{f.index}", 0, stray.select("_row", "code"))
        found = found.join(owners, on="code", how="inner", maintain_order="left").sort("_row")
        return found.with_columns(pl.col("rid").cum_count().over("rid").cast(pl.Int32).sub(1).alias("item"))

    def _columnar(self, raw: pl.DataFrame, facts: pl.DataFrame, ok: pl.Series,
                  items: dict[str, pl.DataFrame]) -> pl.DataFrame:
        chosen = facts.filter(ok)
        outs = []
        for pid in chosen.get_column("policy").unique().to_list():
            c = self._compiled(pid)
            enterprises = chosen.filter(pl.col("policy") == pid)
            rids = enterprises.get_column("rid").implode()
            frames = {}
            for kind in (*(n for n in item_kinds()), *HISTORY_LISTS):
                frame = items.get(kind)
                if frame is None or frame.height == 0:
                    frame = pl.DataFrame({"rid": [], "item": []}, schema={"rid": pl.Int64, "item": pl.Int32})
                frame = frame.filter(pl.col("rid").is_in(rids))
                frames[kind] = derive_items(kind, frame) if kind not in HISTORY_LISTS else frame
            frames["premiums"] = first_insured_year(frames["premiums"], frames["awards_received"])
            cands, needs = candidates(c, enterprises.lazy(), {k: v.lazy() for k, v in frames.items()})
            received = history(frames["awards_received"])
            if self.carried is not None:  # a round of codes claimed in several years (years.py)
                received = years.history(self.carried, enterprises, received)
            settled = steps(cands, c, self.chosen[pid], received,
                            others(frames["other_policy_awards"]), enterprises.select("rid", "f:claim_year"))
            sums = figures(settled, needs, c, len(self.scorer.provisions))
            sums = sums.join(city_once.claims(settled, c.provisions, self.chosen[pid], frames), on="rid", how="left")
            if self.carried is not None:
                sums = sums.join(years.once(settled, c.provisions, self.scorer.one_time), on="rid", how="left")
            outs.append(enterprises.select("rid", "_row", "f:credit_code", "f:name", "f:county", "f:town",
                                           "f:claim_year").join(sums, on="rid", how="left"))
        if not outs:
            return pl.DataFrame()
        return pl.concat(outs, how="diagonal_relaxed")

    def _row_path(self, raw: pl.DataFrame, routed: pl.Series,
                  items: dict[str, pl.DataFrame]) -> list[Scored | Rejected]:
        chosen = raw.filter(routed)
        if chosen.height == 0:
            return []
        by_rid: dict[int, list[tuple[int, int, int, list[Any]]]] = {}
        for f in self.lists:
            frame = items[f.kind.name]
            if frame.height == 0:
                continue
            frame = frame.filter(pl.col("rid").is_in(chosen.get_column("rid").implode()))
            names = raw_names(f.width)
            for record in frame.select("rid", "_row", *names).iter_rows():
                by_rid.setdefault(record[0], []).append((KIND_INDEX[f.kind.name], f.index, record[1],
                                                         list(record[2:])))
        out: list[Scored | Rejected] = []
        names = raw_names(self.width)
        for record in chosen.select("rid", "_row", "code", "first", *names).iter_rows():
            rid, row, code, first = record[:4]
            cells = list(record[4:])
            problems: tuple[Problem, ...] = ()
            if not code:
                problems = (missing_code(self.layout, row),)
            elif first is not None and first != row:
                problems = (repeated_claim(self.layout, row, code, self.year_of(cells, self.layout), first),)
            task_items = [] if problems else sorted(by_rid.get(rid, []), key=lambda x: (x[1], x[2]))
            out.append(self.scorer.score(Task(row, cells, task_items, problems)))
        return out


def item_kinds() -> tuple[str, ...]:
    from zhuanyezhen.profile.model import ITEM_MODELS

    return tuple(ITEM_MODELS)


def _money(column: str) -> pl.Expr:
    fen = pl.col(column)
    return pl.when(fen.is_null()).then(None).otherwise(
        (fen // 100).cast(pl.String) + "." + (fen % 100).cast(pl.String).str.zfill(2))


def _safe(column: str, xlsx: bool = False) -> pl.Expr:
    """Text as ``writer.CsvSheet`` writes it: a formula start neutralised; empty stays empty (null,
    which polars writes as nothing, where it would write ``""`` for an empty string). For a
    workbook the text is kept as it is (``XlsxSheet`` makes a formula-looking text a string cell)."""
    text = pl.col(column)
    if xlsx:
        return pl.when(text == "").then(None).otherwise(text)
    return pl.when(text == "").then(None).when(text.str.contains(r"^[=+\-@\t\r]")).then("'" + text) \
        .otherwise(text)


def _write(out: pl.DataFrame, routed: list[Scored | Rejected], rejected: Any, xlsx: bool,
           summary: Summary, counts: Any, scorer: Scorer, rows: Any) -> tuple[pl.DataFrame, list[Scored]]:
    """Rejections written, counts and summary taken (but for rows claiming a city-once award, whose
    amounts wait for ``batch/city_once``); returns the columnar rows' table and the routed rows."""
    n = len(scorer.provisions)
    scored_rows = [r for r in routed if isinstance(r, Scored)]
    for r in routed:
        if isinstance(r, Rejected):
            counts.rejected += 1
            for problem in r.problems:
                rejected.write([r.row, problem.source, problem.row, problem.column,
                                r.code if xlsx else rows.csv_code(r.code), r.name, problem.reason])
    for r in scored_rows:
        if not r.claims:
            summary.add(r)
    counts.scored += len(scored_rows) + out.height
    counts.columnar += out.height
    if out.height:
        out = out.with_columns([pl.col(c).fill_null(0) for c in ("exact", "up_to_sum", "others", "land",
                                                                  "excluded", "needs")])
        _summarise(out, summary, n, scorer)
    return _table(out, n, xlsx), scored_rows


def _emit(table: pl.DataFrame, scored_rows: list[Scored], results: Any, xlsx: bool, n: int, rows: Any) -> None:
    """One chunk's result rows in input order: the columnar rows' table and the routed rows."""
    table = _with_routed(table, scored_rows, xlsx)
    if xlsx:
        for record in table.iter_rows():
            row = _as_scored(record, n)
            results.write(rows._result_row(row, True))
        return
    if table.height:
        results.file.write(table.write_csv(include_header=False, line_terminator="\r\n"))


def _settle_city_once(held: city_once.Held, results: Any, xlsx: bool, summary: Summary, scorer: Scorer,
                      rows: Any) -> None:
    """Held chunks written once every row is read: the rows claiming an award paid once in the whole
    city settled among themselves by the row path's own step (``runner._city_once``); the other rows
    are untouched by it (its losses fall only on claiming rows), and already summed."""
    for r in held.settle(lambda claiming: rows._city_once(claiming, scorer)):
        summary.add(r)
    for table, claiming in held.chunks():
        _emit(table, claiming, results, xlsx, len(scorer.provisions), rows)


def _with_routed(table: pl.DataFrame, scored_rows: list[Scored], xlsx: bool) -> pl.DataFrame:
    """A chunk's columnar table with the rows the row path scored, in input order."""
    if not scored_rows:
        return table
    extra = pl.DataFrame([_routed_row(r, xlsx) for r in scored_rows], schema=table.schema, orient="row")
    return pl.concat([table, extra]).sort("行号")


def _table(out: pl.DataFrame, n: int, xlsx: bool) -> pl.DataFrame:
    """The columnar rows as the result sheet's cells: CSV text (formula starts and all-digit codes
    marked as the row path's CSV marks them) or, for a workbook, the plain values."""
    schema: dict[str, Any] = {"行号": pl.Int64, "code": pl.String, "name": pl.String, "county": pl.String,
                              "town": pl.String, "year": pl.Int64, "exact": pl.String, "up_to": pl.String,
                              "total": pl.String, **{f"a{i}": pl.String for i in range(n)},
                              "others": pl.String, "land": pl.String, "excluded": pl.Int64, "needs": pl.Int64,
                              "carried": pl.String, "note": pl.String}
    if out.height == 0:
        return pl.DataFrame(schema=schema)
    out = out.with_columns((pl.col("exact") + pl.col("up_to_sum")).alias("total"),
                           ((pl.col("land")).alias("land")))
    return out.select(
        pl.col("_row").alias("行号"), _code("f:credit_code", xlsx).alias("code"), _safe("f:name", xlsx).alias("name"),
        _safe("f:county", xlsx).alias("county"), _safe("f:town", xlsx).alias("town"),
        pl.col("f:claim_year").alias("year"),
        _money("exact").alias("exact"), _money("up_to_sum").alias("up_to"), _money("total").alias("total"),
        *[_money(f"a{i}").alias(f"a{i}") for i in range(n)],
        _money("others").alias("others"), _money("land").alias("land"),
        pl.col("excluded"), pl.col("needs"), pl.lit(None, pl.String).alias("carried"),
        pl.lit(None, pl.String).alias("note"))


def _code(column: str, xlsx: bool) -> pl.Expr:
    """A credit code as ``runner.csv_code`` writes it: all digits get a leading ``'`` (in a
    workbook the code is a text cell instead)."""
    if xlsx:
        return _safe(column, True)
    text = pl.col(column)
    return pl.when(text.str.contains(r"^[0-9]+$")).then("'" + text).otherwise(_safe(column))


def _routed_row(r: Scored, xlsx: bool = False) -> list[Any]:
    """A row scored by the row path, as ``_table`` gives the columnar rows."""
    def text(value: str) -> str | None:
        if not value:
            return None
        if xlsx:
            return value
        return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value

    code = "'" + r.code if r.code.isdigit() and not xlsx else text(r.code)
    return [r.row, code, text(r.name), text(r.county), text(r.town), r.claim_year, r.exact, r.up_to,
            r.total, *[a or None for a in r.amounts], r.payable_to_others, r.land_benefit, r.excluded, r.needs_info,
            text(r.carried), text(r.note)]


def _as_scored(record: tuple[Any, ...], n: int) -> Scored:
    """A row of a workbook's table (``_table`` with ``xlsx``: values unmarked) as a ``Scored``."""
    def plain(value: Any) -> Any:
        return "" if value is None else value

    row, code, name, county, town, year, exact, up_to, total = record[:9]
    amounts = tuple(a or "" for a in record[9:9 + n])
    others, land, excluded, needs, carried, note = record[9 + n:]
    return Scored(row, plain(code), plain(name), plain(county), plain(town), year, exact, up_to, total,
                  amounts, ("",) * n, others, land, excluded, needs, note=plain(note) or "",
                  carried=plain(carried) or "")


def _summarise(out: pl.DataFrame, summary: Summary, n: int, scorer: Scorer) -> None:
    """``Summary.add`` for the columnar rows, in sums: its parts (enterprises by county and town,
    awards by provision, awarded enterprises by the set of provisions awarded) fed groups of rows
    summed in integer fen, so its counts come from the one function, not a copy."""
    def yuan(fen: Any) -> Decimal:
        return Decimal(int(fen or 0)).scaleb(-2)

    amounts = [f"a{i}" for i in range(n)]
    fen = ["exact", "up_to_sum", "others", *amounts, *[f"o{i}" for i in range(n)]]
    largest = out.select(pl.max_horizontal([pl.col(c).abs().max() for c in fen])).item() or 0
    if largest * max(out.height, 1) >= 2**62:  # pragma: no cover - a sum in Int64 might overflow
        raise _RowPath
    places = out.group_by("f:county", "f:town").agg(
        pl.len().alias("count"), pl.col("exact").sum(), pl.col("up_to_sum").sum(), pl.col("others").sum())
    for county, town, count, exact, up_to, to_others in places.iter_rows():
        summary.add_enterprises(county, town, count, yuan(exact), yuan(up_to), yuan(to_others))
    awards = out.select(*[pl.struct(pl.col(a).is_not_null().sum().alias("count"), pl.col(a).sum().alias("amount"),
                                    pl.col(f"o{i}").filter(pl.col(a).is_not_null()).fill_null(0).sum().alias("others"))
                          .alias(a) for i, a in enumerate(amounts)]).row(0)
    for index, found in enumerate(awards):
        if found["count"]:
            summary.add_awards(index, found["count"], yuan(found["amount"]), yuan(found["others"]))
    mask = pl.sum_horizontal([pl.col(a).is_not_null().cast(pl.Int64) * (1 << i) for i, a in enumerate(amounts)]) \
        if amounts else pl.lit(0, pl.Int64)
    for bits, count in out.group_by(mask.alias("mask")).agg(pl.len()).iter_rows():
        summary.add_awarded([i for i in range(n) if bits >> i & 1], count)


def _orphans(f: ListFile, spill: Spill, rejected: Any, counts: Any) -> None:
    """List rows that no enterprise claims, in file order (blank rows are not rows)."""
    frame = spill.take(f"orphans-{f.index}", 0)
    if frame is None:
        return
    for row, code in frame.select("_row", pl.col("code").fill_null("")).iter_rows():
        counts.orphans += 1
        reason = ("清单行缺少统一社会信用代码,无法对应到企业" if not code
                  else f"统一社会信用代码 {code} 在企业表中不存在,本行未计入任何企业")
        if code.isdigit() and code.endswith("000"):
            reason += ";若该代码被 Excel 存成了数字,后几位已丢失,请把该列设为“文本”格式后重新输入代码"
        rejected.write(["", f.layout.source, row, f.layout.header_of(CODE), code, "", reason])


__all__ = ["run"]
