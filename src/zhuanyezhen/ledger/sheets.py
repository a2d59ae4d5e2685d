"""The spreadsheets the ledger reads (paid awards to import, decided amounts, batch scores) and
writes (the public notice, the full export). CSV or XLSX, read with batch's readers, written with
batch's safe writers (formula cells neutralised, whole files or nothing)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhuanyezhen.batch.columns import normalise_header
from zhuanyezhen.batch.reader import Table, is_blank, open_csv
from zhuanyezhen.errors import InputError, InputProblem
from zhuanyezhen.money import AmountError, parse_amount

FEN = Decimal("0.01")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def open_table(path: Path, sheet: str | None = None) -> tuple[Table, Any]:
    """The first sheet of a workbook (or ``sheet``), or a CSV file; (table, closer)."""
    if not path.is_file():
        raise InputError.one("文件不存在" if not path.exists() else "这不是一个文件", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = open_csv(path, None, path.name)
        return table, table.close
    if suffix != ".xlsx":
        raise InputError.one("文件应为 .csv 或 .xlsx", file=str(path))
    import zipfile

    from openpyxl import load_workbook

    from zhuanyezhen.batch.reader import _sheet_table

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError.one(f"无法读取 Excel 文件(.xlsx):{exc}", file=str(path)) from None
    name = sheet if sheet in book.sheetnames else book.sheetnames[0]
    try:
        return _sheet_table(book[name], f"{path.name}[{name}]"), book.close
    except InputError:
        book.close()
        raise


@dataclass(frozen=True)
class Field:
    name: str
    title: str  # the Chinese header written in templates and exports
    required: bool
    also: tuple[str, ...] = ()


def header_positions(table: Table, fields: tuple[Field, ...], what: str) -> dict[str, int]:
    """Field name → column index. Unknown headers stop the run: a column not understood would be
    a fact silently dropped."""
    accepted: dict[str, str] = {}
    for f in fields:
        for spelling in (f.name, f.title, *f.also):
            accepted[normalise_header(spelling)] = f.name
    if not table.header_line:  # title or note rows above the header are skipped, as batch does
        table.take_header(lambda cells: sum(
            1 for c in cells if c is not None and normalise_header(c).replace("\ufeff", "") in accepted) >= 2)
    found: dict[str, int] = {}
    problems: list[InputProblem] = []
    for index, cell in enumerate(table.header):
        key = normalise_header(cell).replace("\ufeff", "")
        if not key or key in ("序号", "no"):
            continue
        name = accepted.get(key)
        if name is None:
            problems.append(InputProblem(f"不认识的列名“{cell}”", file=table.source, line=1,
                                         hint="可用列名:" + "、".join(f.title for f in fields)))
        elif name in found:
            problems.append(InputProblem(f"列“{cell}”重复", file=table.source, line=1))
        else:
            found[name] = index
    for f in fields:
        if f.required and f.name not in found:
            problems.append(InputProblem(f"{what}缺少必填列“{f.title}”", file=table.source, line=1))
    if problems:
        raise InputError(problems)
    return found


def rows(table: Table, positions: dict[str, int]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, field → cell text or value, blanks left out); blank rows skipped."""
    for number, cells in table.rows:
        if is_blank(cells):
            continue
        values: dict[str, Any] = {}
        for name, index in positions.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, str):
                value = value.strip()
            if value is not None and value != "":
                values[name] = value
        yield number, values


def amount_of(value: Any) -> Decimal:
    """An amount in 元 to the fen; ``AmountError`` (Chinese) otherwise."""
    if isinstance(value, float):
        value = repr(value)  # an Excel number cell: read through its shortest decimal text
    amount = parse_amount(value)
    if amount != amount.quantize(FEN):
        raise AmountError(f"金额 {amount} 元超过两位小数(分)")
    return amount.quantize(FEN)


# -- reading the decided amounts for ``zyz ledger approve --amounts`` -----------------------------

AMOUNT_FIELDS = (
    Field("line", "台账行号", True, ("行号", "line_id", "id")),
    Field("amount", "审定金额(元)", False, ("审定金额", "approved_amount")),
    Field("enterprise", "企业名称", False, ("enterprise",)),
    Field("provision", "条款项目", False, ("条款项目编号",)),
    Field("subject", "事项", False, ()),
    Field("computed", "计算金额(元)", False, ("computed_amount", "上限(元)")),
    Field("note", "备注", False, ()),
)


def read_amounts(path: Path) -> dict[int, tuple[Decimal | None, str]]:
    """Line id → (decided amount or None for 'as computed', where it was written)."""
    table, close = open_table(path)
    try:
        positions = header_positions(table, AMOUNT_FIELDS, "审定金额表")
        out: dict[int, tuple[Decimal | None, str]] = {}
        problems: list[InputProblem] = []
        for number, values in rows(table, positions):
            where = f"{table.source} 第{number}行"
            try:
                line_id = int(str(values.get("line", "")).strip())
            except ValueError:
                problems.append(InputProblem("台账行号应为整数", file=table.source, row=number, field="台账行号"))
                continue
            amount = None
            if "amount" in values:
                try:
                    amount = amount_of(values["amount"])
                except AmountError as exc:
                    problems.append(InputProblem(str(exc), file=table.source, row=number, field="审定金额(元)"))
                    continue
            if line_id in out:
                problems.append(InputProblem(f"台账行号 {line_id} 重复(另见 {out[line_id][1]})",
                                             file=table.source, row=number, field="台账行号"))
                continue
            out[line_id] = (amount, where)
        if problems:
            raise InputError(problems)
        if not out:
            raise InputError.one("审定金额表没有数据行", file=table.source)
        return out
    finally:
        close()


# -- writing ---------------------------------------------------------------------------------------

def write_table(path: Path, title: str, header: list[str], data: Iterator[list[Any]],
                widths: list[int] | None = None, print_title: str | None = None) -> int:
    """Write one table to ``path`` (.csv or .xlsx) whole or not at all; rows written."""
    from zhuanyezhen.batch.writer import CsvSheet, output_kind
    from zhuanyezhen.files.atomic import PendingFiles

    kind = output_kind(path, "输出文件")
    pending = PendingFiles()
    count = 0
    try:
        temp = pending.reserve(path)
        if kind == "csv":
            sheet = CsvSheet(temp, header)
            for row in data:
                sheet.write(row)
                count += 1
            sheet.close()
        else:
            count = _write_xlsx(temp, str(path), title, header, data, widths, print_title)
        pending.commit()
        return count
    finally:
        pending.discard()


def _write_xlsx(temp: Path, shown: str, title: str, header: list[str], data: Iterator[list[Any]],
                widths: list[int] | None, print_title: str | None) -> int:
    """A normal (not streaming) workbook when it is to be printed: page set-up, widths, titles."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from zhuanyezhen.batch.writer import XLSX_MAX_ROWS, as_text_cell

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    start = 1
    if print_title:
        sheet.append([print_title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.cell(1, 1).font = Font(size=16, bold=True)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center")
        start = 2
    sheet.append(header)
    thin = Side(style="thin")
    for cell in sheet[start]:
        cell.font = Font(bold=True)
    count = 0
    for row in data:
        count += 1
        if count + start > XLSX_MAX_ROWS:
            raise InputError.one("超过 Excel 单个工作表的行数上限;请改为输出 .csv", file=shown)
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            as_text_cell(cell)
    if print_title:
        for line in sheet.iter_rows(min_row=start, max_row=start + count):
            for cell in line:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        sheet.print_title_rows = f"{start}:{start}"
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        from openpyxl.worksheet.properties import PageSetupProperties

        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.print_options.horizontalCentered = True
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{start + 1}"
    book.save(temp)
    return count
