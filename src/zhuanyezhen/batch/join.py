"""List rows indexed by credit code in a temporary SQLite file, so memory stays flat.

Chosen design: list tables (projects, standards, ...) are read once, before the main table, into an
on-disk SQLite table indexed by 统一社会信用代码; each main row then fetches its own list rows with one
indexed query. Nothing has to be sorted, memory does not grow with the input (SQLite keeps a small
page cache), and the main table's codes go into the same file, so that repeated codes and list rows
that match no enterprise are found without holding a million codes in memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from typing import Any

from zhuanyezhen.batch.cells import code_text
from zhuanyezhen.batch.columns import CODE, LIST_KINDS, Layout, ListKind, read_header
from zhuanyezhen.batch.reader import Table
from zhuanyezhen.batch.rows import DATA, RowSorter

KIND_INDEX = {kind.name: i for i, kind in enumerate(LIST_KINDS)}

# (kind index, layout index, row number, cells)
ListRow = tuple[int, int, int, list[Any]]


def normalise_code(value: Any) -> str:
    return code_text(value)


class ListIndex:
    def __init__(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="zyz-batch-", suffix=".sqlite")
        os.close(handle)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8000", "temp_store=FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("CREATE TABLE items (code TEXT, kind INT, layout INT, row INT, cells TEXT)")
        # The main table, read whole before scoring: one enterprise may claim for several years,
        # scored in year order, and its earlier claim may come later in the file.
        self.db.execute("CREATE TABLE main (row INT PRIMARY KEY, code TEXT, year TEXT, cells TEXT)")
        self.db.execute("CREATE TABLE claims (code TEXT, year TEXT, row INT, PRIMARY KEY (code, year)) WITHOUT ROWID")
        self.layouts: list[Layout] = []
        self.count = 0
        self.skipped: dict[str, int] = {}  # list rows skipped, by kind (blank, total, example ...)
        self.warnings: list[str] = []
        self.duplicates: dict[int, int] = {}  # main row → the earlier row with the same code and year
        self.db.execute("BEGIN")

    def add(self, kind: ListKind, table: Table) -> None:
        """Read one list table whole into the index; a header problem stops the run."""
        layout = read_header(table.source, table.header, kind.columns, f"清单“{kind.title}”",
                             table.header_line)
        self.layouts.append(layout)
        layout_index = len(self.layouts) - 1
        code_at = layout.position(CODE)
        assert code_at is not None  # a list table without its code column is refused by read_header
        kind_index = KIND_INDEX[kind.name]
        batch: list[tuple[str, int, int, int, str]] = []
        sorter = RowSorter(layout)
        for number, cells in table.rows:
            sort = sorter.sort(number, cells)
            if sort != DATA:
                self.skipped[sort] = self.skipped.get(sort, 0) + 1
                continue
            code = normalise_code(cells[code_at]) if code_at < len(cells) else ""
            batch.append((code, kind_index, layout_index, number, json.dumps(cells, ensure_ascii=False)))
            if len(batch) >= 5000:
                self._flush(batch)
        self._flush(batch)
        if sorter.totals:
            kept = self.db.execute("SELECT row, cells FROM items WHERE layout = ? ORDER BY rowid", (layout_index,))
            sorter.check_totals((r, json.loads(c)) for r, c in kept)
        self.warnings.extend(sorter.warnings)

    def _flush(self, batch: list[tuple[str, int, int, int, str]]) -> None:
        self.db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?)", batch)
        self.count += len(batch)
        batch.clear()

    def ready(self) -> None:
        self.db.execute("CREATE INDEX items_code ON items (code)")
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def add_main(self, row: int, code: str, year: str, cells: list[Any], claim: bool = True) -> int | None:
        """Keep a main-table row; return the earlier row when its code and claim year were used.
        ``claim=False``: a code that cannot be trusted (stored as a number) claims nothing."""
        self.db.execute("INSERT INTO main VALUES (?, ?, ?, ?)",
                        (row, code, year, json.dumps(cells, ensure_ascii=False)))
        if not code or not claim:
            return None
        try:
            self.db.execute("INSERT INTO claims VALUES (?, ?, ?)", (code, year, row))
        except sqlite3.IntegrityError:
            found = self.db.execute("SELECT row FROM claims WHERE code = ? AND year = ?", (code, year)).fetchone()
            return int(found[0])
        return None

    def main_rows(self) -> Iterator[tuple[int, str, str, list[Any]]]:
        """The kept main-table rows in file order: (row, code, claim year as read, cells)."""
        reader = self.db.cursor()
        for row, code, year, cells in reader.execute("SELECT row, code, year, cells FROM main ORDER BY row"):
            yield row, code, year, json.loads(cells)

    def earlier_claims(self, code: str, year: str) -> list[tuple[int, str, list[Any]]]:
        """The same enterprise's claims for earlier years, oldest first: (row, year, cells)."""
        if not code or not year.isdigit():
            return []
        found = self.db.execute(
            "SELECT c.row, c.year, m.cells FROM claims c JOIN main m ON m.row = c.row "
            "WHERE c.code = ? AND c.year != ? ORDER BY c.year", (code, year)).fetchall()
        return [(r, y, json.loads(c)) for r, y, c in found if y.isdigit() and int(y) < int(year)]

    def main_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM main").fetchone()[0])

    def has_several_years(self) -> bool:
        found = self.db.execute("SELECT 1 FROM claims GROUP BY code HAVING COUNT(*) > 1 LIMIT 1").fetchone()
        return found is not None

    def rows_for(self, code: str) -> list[ListRow]:
        if not self.count or not code:
            return []
        cursor = self.db.execute(
            "SELECT kind, layout, row, cells FROM items WHERE code = ? ORDER BY rowid", (code,))
        return [(k, lay, r, json.loads(c)) for k, lay, r, c in cursor]

    def orphans(self) -> Iterator[tuple[str, Layout, int]]:
        """List rows whose code is empty or names no enterprise of the main table, in file order."""
        if not self.count:
            return
        cursor = self.db.execute(
            "SELECT i.code, i.layout, i.row FROM items i "
            "WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.code = i.code) ORDER BY i.rowid")
        for code, layout, row in cursor:
            yield code, self.layouts[layout], row

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
