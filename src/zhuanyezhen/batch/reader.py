"""Streaming readers for CSV and XLSX tables, and the discovery of list tables beside the main one.

CSV text may be UTF-8, UTF-8 with BOM or GB18030 (what Excel and WPS write on Chinese Windows);
the encoding is decided from the first non-ASCII bytes, or forced with ``--encoding``. XLSX is read
with openpyxl in read-only mode, so rows stream and memory stays flat (the shared-strings table of
the workbook is the one thing openpyxl keeps whole).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from zhuanyezhen.batch.cells import fill_merged, merged_ranges, shown_number
from zhuanyezhen.batch.columns import (
    IGNORED_HEADERS,
    LIST_KINDS,
    MAIN_COLUMNS,
    MAIN_SHEET_NAMES,
    README_SHEET_NAMES,
    Column,
    ListKind,
    header_map,
    match_header,
    normalise_header,
)
from zhuanyezhen.errors import InputError

CHUNK = 1 << 16
SNIFF = 1 << 12
csv.field_size_limit(1 << 20)


def detect_encoding(stream: BinaryIO, source: str) -> str:
    """``utf-8-sig``, ``utf-8`` or ``gb18030``, judged on the first non-ASCII bytes; rewinds."""
    start = stream.read(4)
    stream.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError.one("文件是 UTF-16 编码(Excel“Unicode 文本”);请另存为“CSV UTF-8(逗号分隔)”",
                             file=source)
    try:
        while True:
            block = stream.read(CHUNK)
            if not block:
                return "utf-8"  # all ASCII: UTF-8 reads it exactly
            if block.isascii():
                continue
            first = next(i for i, b in enumerate(block) if b >= 0x80)
            window = block[first:first + SNIFF] + stream.read(SNIFF)
            for name in ("utf-8", "gb18030"):
                try:
                    codecs.getincrementaldecoder(name)().decode(window[:SNIFF], final=False)
                except UnicodeDecodeError:
                    continue
                return name
            raise InputError.one("无法识别文件编码;请保存为 UTF-8 或 GB18030(GBK),或用 --encoding 指定",
                                 file=source)
    finally:
        stream.seek(0)


def check_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InputError.one(f"不认识的编码“{name}”;可用 utf-8、utf-8-sig、gb18030",
                             field="--encoding") from None


@dataclass
class Table:
    """A table being read: its display name, header row and a stream of (row number, cells).

    Row numbers are as a spreadsheet shows them (the first row is 1). ``find_header`` moves the
    stream past any title or note rows above the header row.
    """

    source: str
    header: list[Any]
    rows: Iterator[tuple[int, list[Any]]]
    size: int | None = None  # bytes (CSV) or rows (XLSX), for the progress bar
    position: Any = None  # callable giving progress so far, in the same unit as size
    closers: list[Any] = field(default_factory=list)
    header_line: int = 0
    titles: int = 0  # non-blank rows above the header (a title, notes), skipped
    blank_above: int = 0  # blank rows above the header, skipped
    notes: list[str] = field(default_factory=list)  # what was done to read it (merged ranges)

    def close(self) -> None:
        for close in self.closers:
            close()

    def find_header(self, columns: tuple[Column, ...]) -> None:
        """The header is the first row that matches the known headers; rows above it are a title
        or notes (``2024年专业镇企业奖补申报汇总表``) and are skipped. When no row within the first
        ``HEADER_SEARCH`` matches, the first non-blank row is taken, so its unknown columns are named."""
        accepted = header_map(columns)
        self.take_header(lambda cells: _looks_like_header(cells, accepted))

    def take_header(self, looks_like: Callable[[list[Any]], bool]) -> None:
        """``find_header`` for any table: the first row ``looks_like`` accepts, else the first non-blank."""
        seen: list[tuple[int, list[Any]]] = []
        for number, cells in self.rows:
            seen.append((number, cells))
            if looks_like(cells):
                self._take(seen, len(seen) - 1)
                return
            if len(seen) >= HEADER_SEARCH:
                break
        first = next((i for i, (_, cells) in enumerate(seen) if not is_blank(cells)), None)
        if first is None:
            raise InputError.one("表是空的,没有表头", file=self.source)
        self._take(seen, first)

    def _take(self, seen: list[tuple[int, list[Any]]], at: int) -> None:
        self.header_line, self.header = seen[at]
        for _, cells in seen[:at]:
            if is_blank(cells):
                self.blank_above += 1
            else:
                self.titles += 1
        rest = seen[at + 1:]
        self.rows = itertools.chain(rest, self.rows)


HEADER_SEARCH = 30


def _looks_like_header(cells: list[Any], accepted: dict[str, Column]) -> bool:
    filled = [normalise_header(c) for c in cells if c is not None and str(c).strip()]
    if len(filled) < 2:
        return False
    known = sum(1 for key in filled if key in IGNORED_HEADERS or match_header(key, accepted)[0] is not None)
    return known >= 2 and known * 2 >= len(filled)


def _csv_rows(reader: Any, source: str, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    row_number = 0
    try:
        for cells in reader:
            row_number += 1
            yield row_number, cells
    except UnicodeDecodeError:
        raise InputError.one(
            f"按 {encoding} 编码读取失败(约第{row_number + 1}行);文件可能混用了编码,"
            "请统一另存为 UTF-8,或用 --encoding 指定", file=source) from None
    except csv.Error as exc:
        raise InputError.one(f"CSV 格式错误(第{row_number + 1}行):{exc}", file=source) from None


def open_csv(path: Path, encoding: str | None, display: str | None = None) -> Table:
    source = display or path.name
    try:
        raw = path.open("rb")
    except FileNotFoundError:
        raise InputError.one("文件不存在", file=str(path)) from None
    except OSError as exc:
        raise InputError.one(f"无法读取文件:{exc.strerror}", file=str(path)) from None
    chosen = check_encoding(encoding) if encoding else detect_encoding(raw, source)
    if chosen == "utf-8":
        head = raw.read(3)
        raw.seek(0)
        if head == codecs.BOM_UTF8:
            chosen = "utf-8-sig"
    text = io.TextIOWrapper(raw, encoding=chosen, newline="")
    reader = csv.reader(text)
    rows = _csv_rows(reader, source, chosen)
    return Table(source, [], rows, size=path.stat().st_size, position=raw.tell, closers=[text.close])


def _plain(value: Any) -> Any:
    """XLSX cell values as text, numbers or booleans: dates become ISO text."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """Values as the clerk sees them: a number whose format shows a unit (``0"万元"``) becomes
    that text (``12000万元``), so the unit is never lost (see ``cells.shown_number``)."""
    for number, row in enumerate(sheet.iter_rows(), start=1):
        values: list[Any] = []
        for cell in row:
            value = cell.value
            if value is None:
                values.append(None)
                continue
            kind = type(value)
            if kind is int or kind is float:
                fmt = cell.number_format
                if fmt and fmt != "General":
                    value = shown_number(value, fmt)
            elif kind is not str:
                value = _plain(value)
            values.append(value)
        yield number, values


def _merged(sheet: Any) -> list[tuple[int, int, int, int, str]]:
    """The sheet's merged ranges, read from its XML (openpyxl's read-only mode does not give them)."""
    archive = getattr(sheet.parent, "_archive", None)
    path = getattr(sheet, "_worksheet_path", None)
    if archive is None or path is None:
        return []
    with archive.open(path) as stream:
        return merged_ranges(stream)


def _sheet_table(sheet: Any, source: str) -> Table:
    ranges = _merged(sheet)
    rows = fill_merged(_sheet_rows(sheet), ranges)
    counter = {"row": 1}

    def counted() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in rows:
            counter["row"] = number
            yield number, cells

    max_row = sheet.max_row if isinstance(sheet.max_row, int) else None
    notes = []
    filled = [text for r1, _, r2, _, text in sorted(ranges) if r2 > r1]
    if filled:
        notes.append(f"{source}:合并单元格 {'、'.join(filled)} 的内容已填入其覆盖的每一行")
    return Table(source, [], counted(), size=max_row, position=lambda: counter["row"], notes=notes)


def _is_empty_sheet(sheet: Any) -> bool:
    return all(is_blank(cells) for _, cells in _sheet_rows(sheet))


def list_kind_for(name: str) -> ListKind | None:
    key = normalise_header(name)
    for kind in LIST_KINDS:
        if key in (normalise_header(kind.name), normalise_header(kind.title)):
            return kind
    return None


@dataclass
class Source:
    """The main table and the list tables (each with its kind) of one input."""

    main: Table
    lists: list[tuple[ListKind, Table]]
    files: list[Path]  # every file read, so that outputs never overwrite one
    closers: list[Any] = field(default_factory=list)

    def close(self) -> None:
        self.main.close()
        for _, table in self.lists:
            table.close()
        for close in self.closers:
            close()


def companion_paths(path: Path) -> list[tuple[ListKind, Path]]:
    """``towns.csv`` → ``towns.projects.csv`` or ``towns.项目.csv`` (and so on) beside it."""
    found: list[tuple[ListKind, Path]] = []
    problems = []
    for kind in LIST_KINDS:
        names = [path.with_name(f"{path.stem}.{n}{path.suffix}") for n in (kind.name, kind.title)]
        present = [p for p in names if p.is_file()]
        if len(present) > 1:
            problems.append(f"{present[0].name} 与 {present[1].name} 是同一张清单,只能保留一个")
        elif present:
            found.append((kind, present[0]))
    if problems:
        raise InputError.one(";".join(problems), file=str(path.parent))
    return found


OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # old binary Excel (.xls) and other OLE files
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx is a zip package
SAVE_AS = "请在 Excel 或 WPS 中另存为 .xlsx"


def check_file_kind(path: Path) -> None:
    """Refuse, with what to do, a file that is not what its name says (.xls, a binary file named
    .xlsx, a workbook named .csv)."""
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as exc:
        raise InputError.one(f"无法读取文件:{exc.strerror}", file=str(path)) from None
    if suffix == ".xls" or (head == OLE_MAGIC and suffix in (".xlsx", ".csv")):
        raise InputError.one(f"这是旧版 Excel 工作簿(.xls),无法直接读取;{SAVE_AS}", file=str(path))
    if suffix == ".xlsx" and not head.startswith(ZIP_MAGIC):
        raise InputError.one(f"文件名是 .xlsx,但内容不是 Excel 工作簿;{SAVE_AS}", file=str(path))
    if suffix == ".csv" and head.startswith(ZIP_MAGIC):
        raise InputError.one(f"文件名是 .csv,但内容是 Excel 工作簿;{SAVE_AS}(或另存为 CSV UTF-8)",
                             file=str(path))


def open_source(path: Path, encoding: str | None) -> Source:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError.one("文件不存在" if not path.exists() else "这不是一个文件", file=str(path))
    check_file_kind(path)
    if suffix == ".csv":
        main = open_csv(path, encoding)
        lists: list[tuple[ListKind, Table]] = []
        files = [path]
        try:
            main.find_header(MAIN_COLUMNS)
            for kind, companion in companion_paths(path):
                check_file_kind(companion)
                table = open_csv(companion, encoding)
                lists.append((kind, table))
                files.append(companion)
                table.find_header(kind.columns)
        except InputError:
            main.close()
            for _, table in lists:
                table.close()
            raise
        return Source(main, lists, files)
    if suffix == ".xlsx":
        return _open_workbook(path)
    raise InputError.one("输入文件应为 .csv 或 .xlsx", file=str(path))


def _open_workbook(path: Path) -> Source:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError.one(f"无法读取 Excel 文件(.xlsx):{exc}", file=str(path)) from None
    names = list(book.sheetnames)
    main_name = next((n for n in names if normalise_header(n) in MAIN_SHEET_NAMES), names[0])
    lists = []
    problems = []
    seen: dict[str, str] = {}
    for name in names:
        if name == main_name or normalise_header(name) in README_SHEET_NAMES:
            continue
        kind = list_kind_for(name)
        if kind is None and _is_empty_sheet(book[name]):
            continue  # Sheet2, Sheet3 left empty by Excel and WPS
        if kind is None:
            accepted = "、".join(f"{k.title}({k.name})" for k in LIST_KINDS)
            problems.append(f"不认识的工作表“{name}”;清单工作表可用名称:{accepted};说明页请命名为“说明”")
            continue
        if kind.name in seen:
            problems.append(f"工作表“{name}”与“{seen[kind.name]}”是同一张清单,只能保留一个")
            continue
        seen[kind.name] = name
        lists.append((kind, _sheet_table(book[name], f"{path.name}[{name}]")))
    if problems:
        book.close()
        raise InputError.one(";".join(problems), file=path.name)
    main = _sheet_table(book[main_name], f"{path.name}[{main_name}]")
    try:
        main.find_header(MAIN_COLUMNS)
        for kind, table in lists:
            table.find_header(kind.columns)
    except InputError:
        book.close()
        raise
    return Source(main, lists, [path], closers=[book.close])


def is_blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)
