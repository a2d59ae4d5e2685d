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

from zhuanyezhen.batch.columns import CODE, LIST_KINDS, Layout, ListKind, read_header
from zhuanyezhen.batch.reader import Table, is_blank

KIND_INDEX = {kind.name: i for i, kind in enumerate(LIST_KINDS)}

# (kind index, layout index, row number, cells)
ListRow = tuple[int, int, int, list[Any]]


def normalise_code(value: Any) -> str:
    return "" if value is None else str(value).strip().upper()


class ListIndex:
    def __init__(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="zyz-batch-", suffix=".sqlite")
        os.close(handle)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8000", "temp_store=FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("CREATE TABLE items (code TEXT, kind INT, layout INT, row INT, cells TEXT)")
        self.db.execute("CREATE TABLE main (code TEXT PRIMARY KEY, row INT) WITHOUT ROWID")
        self.layouts: list[Layout] = []
        self.count = 0
        self.db.execute("BEGIN")

    def add(self, kind: ListKind, table: Table) -> None:
        """Read one list table whole into the index; a header problem stops the run."""
        layout = read_header(table.source, table.header, kind.columns, f"清单“{kind.title}”")
        self.layouts.append(layout)
        layout_index = len(self.layouts) - 1
        code_at = next(i for i, c in enumerate(layout.columns) if c is not None and c.field == CODE)
        kind_index = KIND_INDEX[kind.name]
        batch: list[tuple[str, int, int, int, str]] = []
        for number, cells in table.rows:
            if is_blank(cells):
                continue
            code = normalise_code(cells[code_at]) if code_at < len(cells) else ""
            batch.append((code, kind_index, layout_index, number, json.dumps(cells, ensure_ascii=False)))
            if len(batch) >= 5000:
                self._flush(batch)
        self._flush(batch)

    def _flush(self, batch: list[tuple[str, int, int, int, str]]) -> None:
        self.db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?)", batch)
        self.count += len(batch)
        batch.clear()

    def ready(self) -> None:
        self.db.execute("CREATE INDEX items_code ON items (code)")
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def claim(self, code: str, row: int) -> int | None:
        """Record a main-table code; return the earlier row when the code was already used."""
        try:
            self.db.execute("INSERT INTO main VALUES (?, ?)", (code, row))
        except sqlite3.IntegrityError:
            found = self.db.execute("SELECT row FROM main WHERE code = ?", (code,)).fetchone()
            return int(found[0])
        return None

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
            "SELECT i.code, i.layout, i.row FROM items i LEFT JOIN main m ON i.code = m.code "
            "WHERE m.code IS NULL ORDER BY i.rowid")
        for code, layout, row in cursor:
            yield code, self.layouts[layout], row

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
