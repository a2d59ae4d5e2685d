"""Which rows of a table are enterprises (or list items) and which are skipped: blank rows, 合计
and 小计 rows, the template's example row. A 合计 row's amounts are checked against the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from zhuanyezhen.batch.cells import CellError, read_cell
from zhuanyezhen.batch.columns import CODE, EXAMPLE_CODE, EXAMPLE_MARK, Layout, normalise_header
from zhuanyezhen.money import AmountError, parse_amount, yuan

TOTAL_WORDS = {"合计": "total", "总计": "total", "小计": "subtotal"}
NUMBER_HEADERS = frozenset({"序号", "no"})

DATA, BLANK, TOTAL, SUBTOTAL, EXAMPLE = "data", "blank", "total", "subtotal", "example"


def _word(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 12:
        return ""  # 合计, 小计, 示例, with a few spaces at most
    return "".join(value.split()).rstrip(":：")


def example_note(layout: Layout, number: int) -> str:
    """The note for a row the sorter calls ``EXAMPLE`` (skipped, not scored)."""
    return f"{layout.source} 第{number}行是模板自带的示例企业(标为“示例”),未计分"


class RowSorter:
    """Sorts the rows of one table; a 合计 row is kept and checked afterwards (``check_totals``)
    against the rows above it, so that a sheet without one costs nothing."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.numbering = {i for i, h in enumerate(layout.headers) if normalise_header(h) in NUMBER_HEADERS}
        self.name_at = {i for i, c in enumerate(layout.columns) if c is not None and c.field in ("name", CODE)}
        self.code_at = layout.position(CODE)
        self.money = [(i, c) for i, c in enumerate(layout.columns) if c is not None and c.kind == "money"]
        self.totals: list[tuple[int, list[Any]]] = []
        self.warnings: list[str] = []

    def sort(self, number: int, cells: list[Any]) -> str:
        first = None
        filled = False
        for index, value in enumerate(cells):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if first is None:
                first = value
            if index not in self.numbering:
                filled = True
        if first is None:
            return BLANK
        words = {_word(first)} | {_word(cells[i]) for i in self.name_at if i < len(cells)}
        kinds = {TOTAL_WORDS[w] for w in words if w in TOTAL_WORDS}
        if "total" in kinds:
            if self.money:
                self.totals.append((number, cells))
            return TOTAL
        if kinds:
            return SUBTOTAL
        if not filled:
            return BLANK  # only a 序号
        if any(_word(cells[i]) == EXAMPLE_MARK for i in self.numbering if i < len(cells)) or (
                self.code_at is not None and self.code_at < len(cells)
                and _word(cells[self.code_at]).upper() == EXAMPLE_CODE):
            return EXAMPLE
        return DATA

    def _amount(self, index: int, column: Any, value: Any) -> Decimal | None:
        converted = read_cell(column.kind, column.field, value, self.layout.unit_at(index),
                              self.layout.headers[index])
        return None if converted is None else parse_amount(converted)

    def check_totals(self, rows: Iterable[tuple[int, list[Any]]]) -> None:
        """Compare each 合计 row's amounts with the sum of the data ``rows`` above it (``rows``: the
        table's data rows, in order, as kept) and warn where they differ."""
        if not self.totals:
            return
        sums = {i: Decimal(0) for i, _ in self.money}
        unread: set[int] = set()
        pending = list(self.totals)
        for number, cells in rows:
            while pending and pending[0][0] < number:
                self._check(*pending.pop(0), sums, unread)
            for index, column in self.money:
                if index >= len(cells) or index in unread:
                    continue
                try:
                    amount = self._amount(index, column, cells[index])
                except (CellError, AmountError, ValueError):
                    unread.add(index)
                    continue
                if amount is not None:
                    sums[index] += amount
        for number, cells in pending:
            self._check(number, cells, sums, unread)

    def _check(self, number: int, cells: list[Any], sums: dict[int, Decimal], unread: set[int]) -> None:
        for index, column in self.money:
            if index >= len(cells):
                continue
            header = self.layout.headers[index]
            try:
                total = self._amount(index, column, cells[index])
            except (CellError, AmountError, ValueError):
                self.warnings.append(f"{self.layout.source} 第{number}行“合计”的“{header}”无法读取,未核对")
                continue
            if total is None:
                continue
            if index in unread:
                self.warnings.append(f"{self.layout.source} 第{number}行“合计”的“{header}”未核对:"
                                     "有的行该列无法读取(见拒绝清单)")
            elif total != sums[index]:
                self.warnings.append(
                    f"{self.layout.source} 第{number}行“合计”的“{header}”为 {yuan(total)} 元,"
                    f"而各行之和为 {yuan(sums[index])} 元,两者不符;请核对是否漏行、重复或单位不同")
