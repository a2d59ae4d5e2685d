"""Safe writers for CSV and XLSX output.

- Every text cell that Excel or WPS would read as a formula (it begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) is neutralised with a leading apostrophe (OWASP's advice for
  CSV injection), in every file we write.
- Every file is written under a temporary name in its target folder and renamed into place only
  when the whole run has succeeded, so an interrupted run leaves no half-written file.
- CSV is UTF-8 with BOM, so that Excel on Chinese Windows opens it correctly.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhuanyezhen.errors import InputError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """A text cell that could start a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Sheet:
    """One table being written: a CSV file, or one sheet of a workbook."""

    def write(self, row: list[Any]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the table (CSV: close the file; workbook sheets are finished by the book)."""


class CsvSheet(Sheet):
    def __init__(self, path: Path, header: list[str]) -> None:
        self.file = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.file)
        self.write(list(header))

    def write(self, row: list[Any]) -> None:
        # neutralise() inlined: this runs for every cell of every row of a batch.
        self.writer.writerow([("'" + v) if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
                              for v in row])

    def close(self) -> None:
        self.file.close()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(_XML_ILLEGAL.sub("\ufffd", value))
    return value


class XlsxSheet(Sheet):
    def __init__(self, sheet: Any, header: list[str], source: str) -> None:
        self.sheet = sheet
        self.rows = 0
        self.source = source
        self.write(list(header))

    def write(self, row: list[Any]) -> None:
        self.rows += 1
        if self.rows > XLSX_MAX_ROWS:
            raise InputError.one(f"结果超过 Excel 单个工作表 {XLSX_MAX_ROWS:,} 行的上限;请改为输出 .csv",
                                 file=self.source)
        self.sheet.append([_xlsx_value(v) for v in row])


class Workbook:
    """A write-only (streaming) workbook saved to its temporary name on ``close``."""

    def __init__(self, temp: Path, display: str) -> None:
        from openpyxl import Workbook as OpenpyxlWorkbook

        self.book = OpenpyxlWorkbook(write_only=True)
        self.temp = temp
        self.display = display

    def sheet(self, title: str, header: list[str]) -> XlsxSheet:
        return XlsxSheet(self.book.create_sheet(title), header, self.display)

    def close(self) -> None:
        self.book.save(self.temp)


def amount_cell(text: str, xlsx: bool) -> Any:
    """Amounts are exact decimal text; in a workbook they become numbers Excel can sum."""
    if xlsx and text:
        return Decimal(text)
    return text


def output_kind(path: Path, what: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError.one(f"{what}应为 .csv 或 .xlsx 文件", file=str(path))
    return suffix[1:]
