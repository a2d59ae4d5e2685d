"""Safe writers for CSV and XLSX output.

- CSV: every text cell that Excel or WPS would read as a formula (it begins with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return) is neutralised with a leading apostrophe (OWASP's advice
  for CSV injection). XLSX: every text is written as a string cell, which never runs, so it keeps
  its text exactly, with no visible apostrophe.
- XLSX is laid out for the office: amounts as numbers in ``#,##0.00``, a bold frozen header row,
  columns wide enough for their Chinese headers, landscape printing fit to the page width with
  the header row repeated on every page.
- Every file is written under a temporary name in its target folder and renamed into place only
  when the whole run has succeeded, so an interrupted run leaves no half-written file.
- CSV is UTF-8 with BOM, so that Excel on Chinese Windows opens it correctly.
"""

from __future__ import annotations

import contextlib
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


AMOUNT_FORMAT = "#,##0.00"


def display_width(text: str) -> int:
    """Columns a text takes in Excel: a Chinese character is about two Latin ones wide."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def as_text_cell(cell: Any) -> None:
    """A formula-looking text written to a workbook stays a plain string cell: shown as typed, never
    run, and with no visible apostrophe (the apostrophe is for CSV only)."""
    if isinstance(cell.value, str):
        cell.value = _XML_ILLEGAL.sub("\ufffd", cell.value)
        if cell.value.startswith("="):
            cell.data_type = "s"


class XlsxSheet(Sheet):
    def __init__(self, sheet: Any, header: list[str], source: str) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        self.sheet = sheet
        self.rows = 0
        self.source = source
        self._cell = WriteOnlyCell
        for index, title in enumerate(header, start=1):
            width = min(max(display_width(str(title)) + 2, 8), 80)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.print_title_rows = "1:1"
        bold = Font(bold=True)
        cells = []
        for title in header:
            cell = WriteOnlyCell(sheet, value=_XML_ILLEGAL.sub("\ufffd", str(title)))
            cell.font = bold
            cells.append(cell)
        self._append(cells)

    def _append(self, row: list[Any]) -> None:
        self.rows += 1
        if self.rows > XLSX_MAX_ROWS:
            raise InputError.one(f"结果超过 Excel 单个工作表 {XLSX_MAX_ROWS:,} 行的上限;请改为输出 .csv",
                                 file=self.source)
        self.sheet.append(row)

    def write(self, row: list[Any]) -> None:
        out: list[Any] = []
        for value in row:
            if isinstance(value, str):
                value = _XML_ILLEGAL.sub("\ufffd", value)
                if value.startswith("="):
                    cell = self._cell(self.sheet, value=value)
                    cell.data_type = "s"  # a string cell: shown as typed, never run
                    value = cell
            elif isinstance(value, Decimal):
                cell = self._cell(self.sheet, value=value)  # type: ignore[arg-type]  # openpyxl takes Decimal
                cell.number_format = AMOUNT_FORMAT
                value = cell
            out.append(value)
        self._append(out)

    def close(self) -> None:
        """Abandon the sheet (called only when a run stops early; a finished book is saved whole by
        ``Workbook.close``): openpyxl's row stream is ended while its temporary file is still open
        and the file removed, so nothing is written, or printed as a traceback, at interpreter exit."""
        with contextlib.suppress(Exception):
            self.sheet.close()
        writer = getattr(self.sheet, "_writer", None)
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.cleanup()


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
