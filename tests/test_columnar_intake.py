"""Files as county offices make them, read by the columnar path exactly as the row path reads them.

Each case rewrites a generated sheet (``tests/columnar_data.py``) the way a clerk's file looks
(title rows above the header, 合计/小计/示例 rows, rows with only a 序号, blank rows of spaces,
GB18030 text, codes stored as numbers ...) and runs ``zyz batch`` twice: in columns, and wholly by
the row path (``run(columns=False)``). The result, rejected and summary files must be the same
bytes, and where the columnar path takes the file it must really have scored rows in columns.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from tests.columnar_data import both_paths, generate
from zhuanyezhen.batch.columnar.cells import credit_code
from zhuanyezhen.batch.columnar.frames import blank_rows, normalised_codes
from zhuanyezhen.batch.join import normalise_code
from zhuanyezhen.batch.runner import Options, run
from zhuanyezhen.profile.credit_code import ALPHABET, check_character

ROWS = 400
Table = list[list[str]]


def _rewrite(path: Path, change: Callable[[Table], Table], encoding: str = "utf-8-sig") -> None:
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(change(table))


def _at(table: Table, words: str) -> int:
    return next(i for i, h in enumerate(table[0]) if words in h)


def _blank(table: Table) -> list[str]:
    return [""] * len(table[0])


def _numbered(table: Table) -> Table:
    """A 序号 column in front, numbering the rows."""
    return [["序号", *table[0]], *([str(i), *row] for i, row in enumerate(table[1:], start=1))]


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return generate(tmp_path / "in", ROWS)


def _title_rows(table: Table) -> Table:
    title = ["2024年专业镇企业奖补申报汇总表", *[""] * (len(table[0]) - 1)]
    note = ["填报单位:某县工信局", "", "填报日期:2024-07-01", *[""] * (len(table[0]) - 3)]
    return [title, note, _blank(table), *table]


def _totals(table: Table) -> Table:
    revenue = _at(table, "营业收入")
    total = _blank(table)
    total[0], total[revenue] = "合计", "123456"  # differs from the sum: a warning the row path writes
    subtotal = _blank(table)
    subtotal[_at(table, "企业名称")] = "小 计:"
    return [*table[:50], subtotal, *table[50:], total]


def _example_and_number_only(table: Table) -> Table:
    table = _numbered(table)
    example = list(table[1])
    example[0] = "示例"
    only_number = ["7", *[""] * (len(table[0]) - 1)]
    return [table[0], example, *table[1:30], only_number, *table[30:]]


def _spaces(table: Table) -> Table:
    spaces = _blank(table)
    spaces[0], spaces[3] = "  ", "\u3000\x1c"
    return [*table[:10], spaces, _blank(table), *table[10:]]


def _numeric_codes(table: Table) -> Table:
    code = _at(table, "统一社会信用代码")
    for row in table[5:8]:
        row[code] = "9.11403E+17"
    table[9][code] = "９．１１４０３Ｅ＋１７"  # full-width, as WPS may show it
    return table


def test_list_rows_of_a_code_stored_as_a_number(sheet: Path, tmp_path: Path) -> None:
    """The row path reads such a row's list rows with it (their own problems are its problems too):
    the file goes whole to the row path."""
    _rewrite(sheet, _numeric_codes)
    projects = sheet.with_name("towns.projects.csv")

    def bad_project(table: Table) -> Table:
        row = list(table[1])
        row[_at(table, "统一社会信用代码")], row[_at(table, "投资完成日期")] = "9.11403E+17", "2024-02-30"
        return [*table, row]

    _rewrite(projects, bad_project)
    columns, _ = both_paths(sheet, tmp_path)
    assert columns.columnar == 0


def _spaced_codes(table: Table) -> Table:
    code = _at(table, "统一社会信用代码")
    for row in table[1:40:3]:
        row[code] = f" {row[code][:8]} {row[code][8:]}\t"
    return table


@pytest.mark.parametrize("change", [
    pytest.param(_title_rows, id="title-rows"),
    pytest.param(_totals, id="total-and-subtotal"),
    pytest.param(_example_and_number_only, id="example-and-number-only"),
    pytest.param(_spaces, id="rows-of-spaces"),
    pytest.param(_numeric_codes, id="codes-stored-as-numbers"),
    pytest.param(_spaced_codes, id="codes-with-spaces"),
])
def test_main_table_as_clerks_make_it(sheet: Path, tmp_path: Path, change: Callable[[Table], Table]) -> None:
    _rewrite(sheet, change)
    columns, rows = both_paths(sheet, tmp_path)
    assert rows.columnar == 0
    assert columns.columnar > 0


def _list_codes_written_differently(table: Table) -> Table:
    code = _at(table, "统一社会信用代码")
    for row in table[1::4]:
        row[code] = "'" + row[code].lower()
    for row in table[2::4]:
        row[code] = row[code].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})  # full-width digits
    return table


@pytest.mark.parametrize("change", [
    pytest.param(_title_rows, id="title-rows"),
    pytest.param(lambda t: [*t[:5], ["合计", *[""] * (len(t[0]) - 1)], *t[5:], ["总计", *[""] * (len(t[0]) - 1)]],
                 id="total-rows"),
    pytest.param(lambda t: _example_and_number_only(t), id="example-and-number-only"),
    pytest.param(_list_codes_written_differently, id="codes-written-differently"),
])
def test_list_tables_as_clerks_make_them(sheet: Path, tmp_path: Path, change: Callable[[Table], Table]) -> None:
    for name in ("projects", "standards", "honours"):
        _rewrite(sheet.with_name(f"towns.{name}.csv"), change)
    columns, _ = both_paths(sheet, tmp_path)
    assert columns.columnar > 0


def _in_wan(header: str) -> Callable[[Table], Table]:
    def change(table: Table) -> Table:
        at = _at(table, header)
        table[0][at] = table[0][at].replace("(元)", "(万元)")
        for row in table[1::7]:  # amounts in 万元 as clerks type them, some with more places than fen
            if row[at:at + 1] and row[at].replace(".", "").isdigit():
                row[at] = str(Decimal(row[at]) / 10000)
        return table
    return change


def _in_percent(table: Table) -> Table:
    at = _at(table, "就业率")
    table[0][at] = "培训后就业率(%)"
    for row in table[1:]:
        if row[at] and not row[at].endswith("%"):
            row[at] = str(Decimal(row[at]) * 100)
    return table


@pytest.mark.parametrize("name", ["营业收入", "设备"])
def test_unit_headers_in_the_main_table(sheet: Path, tmp_path: Path, name: str) -> None:
    _rewrite(sheet, _in_wan(name))
    columns, _ = both_paths(sheet, tmp_path)
    assert columns.columnar > 0
    assert any("万元" in note for note in columns.notes)


def test_unit_headers_in_list_tables(sheet: Path, tmp_path: Path) -> None:
    _rewrite(sheet.with_name("towns.projects.csv"), _in_wan("固定资产"))
    _rewrite(sheet.with_name("towns.training_programmes.csv"), _in_percent)
    columns, _ = both_paths(sheet, tmp_path)
    assert columns.columnar > 0
    assert any("百分数" in note for note in columns.notes)


def test_gb18030_files(sheet: Path, tmp_path: Path) -> None:
    for path in sheet.parent.glob("towns*.csv"):
        _rewrite(path, lambda t: t, encoding="gb18030")
    columns, _ = both_paths(sheet, tmp_path)
    assert columns.columnar > 0


def test_gb18030_forced_and_a_byte_it_cannot_read(sheet: Path, tmp_path: Path) -> None:
    for path in sheet.parent.glob("towns*.csv"):
        _rewrite(path, lambda t: t, encoding="gb18030")
    columns, _ = both_paths(sheet, tmp_path, encoding="gb18030")
    assert columns.columnar > 0
    broken = sheet.read_bytes() + b"\x81\x20,x\r\n"  # not GB18030: the row path's message, both ways
    sheet.write_bytes(broken)
    with pytest.raises(Exception) as first:
        run(Options(input=sheet, output=tmp_path / "a.csv", encoding="gb18030"), quiet=True)
    with pytest.raises(Exception) as second:
        run(Options(input=sheet, output=tmp_path / "b.csv", encoding="gb18030"), quiet=True, columns=False)
    assert str(first.value) == str(second.value)
    assert not (tmp_path / "a.csv").exists()


def test_small_blocks_give_the_same_bytes(sheet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks cut every few records (title rows, a 合计 row and GB18030 text across the cuts)."""
    from zhuanyezhen.batch.columnar import blocks

    monkeypatch.setattr(blocks, "BLOCK_BYTES", 2048)
    monkeypatch.setattr(blocks.read_blocks, "__defaults__", (2048, 1, "utf-8"))
    _rewrite(sheet, lambda t: _title_rows(_totals(t)), encoding="gb18030")
    columns, _ = both_paths(sheet, tmp_path)
    assert columns.columnar > 0


# -- the column checks themselves, against the row path's own functions -------------------------

def test_blank_rows_use_pythons_whitespace() -> None:
    frame = pl.DataFrame({"c0": [" ", "\x1c", "\u3000", "\u200b", None, "a"], "c1": [None, "", " \x1f", None, None, ""]})
    expected = [all((c or "").strip() == "" for c in row) for row in zip(frame["c0"], frame["c1"], strict=True)]
    assert blank_rows(frame, 2).to_list() == expected == [True, True, True, False, True, False]


def test_codes_are_keyed_as_the_row_path_keys_them() -> None:
    cells = [" 91140300 ma0k\t", "'911403000000000000", "９１１４", "\x1c9114\u3000x", None, "", "''1"]
    assert normalised_codes(pl.Series(cells)).to_list() == [normalise_code(c) for c in cells]


def test_credit_code_check_agrees_with_the_check_character() -> None:
    body = "91140300MA0K0XXXX"
    right = body + check_character(body)
    wrong = body + next(c for c in ALPHABET if c != check_character(body))
    values, ok = credit_code(pl.Series([right, wrong, right.lower(), right[:-1], None, "Ｘ" + right[1:]]))
    assert ok.to_list() == [True, False, False, False, False, False]
    assert values.to_list()[0] == right


def test_a_total_row_is_checked_and_noted_as_the_row_path_does(sheet: Path, tmp_path: Path) -> None:
    _rewrite(sheet, lambda t: _example_and_number_only(_title_rows(_totals(t))[3:]))
    columns, _ = both_paths(sheet, tmp_path)
    assert columns.totals == 2 and columns.examples == 1
    assert any("“合计”" in note for note in columns.notes)  # 不符, or 未核对 where a cell above is unreadable
    assert any("示例" in note for note in columns.notes)


def test_every_row_the_sorter_skips_is_among_the_unusual_rows() -> None:
    """``unusual_rows`` is a superset of what ``rows.RowSorter`` does not call data (seeded cells)."""
    import random

    from zhuanyezhen.batch.columnar.frames import unusual_rows
    from zhuanyezhen.batch.columns import MAIN_COLUMNS, read_header
    from zhuanyezhen.batch.rows import DATA, RowSorter

    header = ["序号", *(c.title for c in MAIN_COLUMNS)]
    layout = read_header("t.csv", header, MAIN_COLUMNS, "企业表")
    rng = random.Random(7)
    words = ["合计", "总计", "小计", " 合 计：", "小计:", "示例", " 示例 ", "合计行", "计", "\u3000", " ", "\x1c", "",
             None, "1", "甲公司", "91140300MA0K0XXXXC", "x" * 13 + "合计"]
    cells = []
    for _ in range(3000):  # mostly sparse rows: a word or two, the rest empty
        filled = set(rng.sample(range(len(header)), rng.choice((1, 1, 2, 3, len(header)))))
        cells.append([rng.choice(words) if i in filled else None for i in range(len(header))])
    frame = pl.DataFrame({f"c{i}": [row[i] for row in cells] for i in range(len(header))},
                         schema={f"c{i}": pl.String for i in range(len(header))}).with_row_index("_row")
    flagged = set(unusual_rows(frame, layout, len(header)).to_list())
    sorter = RowSorter(layout)
    skipped = {n for n, row in enumerate(cells) if not all(c is None or not c.strip() for c in row)
               and sorter.sort(n, ["" if c is None else c for c in row]) != DATA}
    assert skipped <= flagged
    assert len(skipped) > 300 and len(flagged) < len(cells)  # the check is not vacuous
