"""How one spreadsheet cell is read: units, dates, digits, Excel error values, numeric credit codes,
merged ranges. The one definition every batch reader uses (the row path and any fast path).

A number the program is not sure of is refused, never guessed: a cell is either read to the value
the clerk sees or refused with a message quoting what the clerk sees.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from zhuanyezhen.money import UNITS
from zhuanyezhen.profile.written import date_from_text, halfwidth, int_text

ERROR_VALUES = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"})
PERCENT = "%"
# Units a header or a number format may show for an amount, and the rate unit.
AMOUNT_UNITS = frozenset(u for u in UNITS if u)
# What a count may be typed with (120人, 40天): read as the bare number.
COUNT_WORDS = ("人次", "人", "天", "名", "个", "项", "次", "年", "位", "等")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, as Excel and WPS count serials
SERIAL_RANGE = range(36526, 73416)  # 2000-01-01 .. 2100-12-31 as serials


class CellError(ValueError):
    """A cell refused: the Chinese message says what the clerk sees and what to do."""


def refused(message: str) -> dict[str, str]:
    """A cell the reader could not read for sure, carried (JSON- and pickle-safe) to the scorer."""
    return {"refused": message}


def column_letter(index: int) -> str:
    """0 → ``A``, 27 → ``AB``: the column as Excel and WPS name it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def error_value(value: Any) -> str | None:
    """``#N/A`` and the other Excel error values, as the cell shows them; else ``None``."""
    if isinstance(value, str) and value[:1] == "#":
        text = value.strip().upper()
        if text in ERROR_VALUES:
            return value.strip()
    return None


# -- number formats ------------------------------------------------------------------------------
_QUOTED = re.compile(r'"([^"]*)"|\\(.)')
_BRACKET = re.compile(r"\[([^\]]*)\]")
_SCALE_COMMAS = re.compile(r"[0#?](,+)(?![0#?])")


@lru_cache(maxsize=512)
def format_unit(number_format: str) -> tuple[str, int, str]:
    """(unit shown, thousands-scaling commas, unknown text shown) of an Excel number format.

    ``0"万元"`` → ("万元", 0, ""); ``0.00%`` → ("%", 0, ""); ``#,##0,"千元"`` → ("千元", 1, "");
    ``0"美元"`` → ("", 0, "美元"). Only the first (positive) section counts.
    """
    if not number_format or number_format == "General":
        return "", 0, ""
    section = _first_section(number_format)
    shown = []
    currency = False
    for match in _BRACKET.finditer(section):
        inner = match.group(1)
        if inner.startswith("$") and ("¥" in inner or "￥" in inner or "RMB" in inner.upper()):
            currency = True
    body = _BRACKET.sub("", section)
    for match in _QUOTED.finditer(body):
        shown.append(match.group(1) if match.group(1) is not None else match.group(2))
    rest = _QUOTED.sub("", body)
    for char in rest:
        if "\u4e00" <= char <= "\u9fff" or char in "¥￥":
            shown.append(char)  # a unit typed without quotes, as WPS writes 0万元
    text = "".join(shown).replace(" ", "").replace("¥", "").replace("￥", "")
    text = text.removeprefix("RMB")
    commas = 0
    numeric = "".join(c for c in rest if not ("\u4e00" <= c <= "\u9fff"))
    found = _SCALE_COMMAS.findall(numeric.rstrip("_)( *"))
    if found and numeric.rstrip("_)( *%").endswith(","):
        commas = len(found[-1])
    if "%" in rest:
        return PERCENT, commas, text
    if not text:
        return ("元" if currency else ""), commas, ""
    if text in AMOUNT_UNITS:
        return text, commas, ""
    return "", commas, text


def _first_section(number_format: str) -> str:
    quoted = False
    for index, char in enumerate(number_format):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return number_format[:index]
    return number_format


def plain_number(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return text


def shown_number(value: int | float, number_format: str | None) -> Any:
    """An XLSX number as the clerk sees it when its format shows a unit: ``12000`` with ``0"万元"``
    becomes the text ``12000万元`` (read later as 120,000,000 元); other numbers are unchanged.

    The stored value is used, not the rounded display, so no digit typed is lost.
    """
    if not number_format or number_format == "General":
        return value
    unit, commas, unknown = format_unit(number_format)
    if not unit and not unknown and not commas:
        return value
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if unit == PERCENT:
        return f"{plain_number(number * 100 / Decimal(1000) ** commas)}%{unknown}"
    scaled = number / Decimal(1000) ** commas
    if commas and not unit:
        return refused(f"单元格显示为“{plain_number(scaled)}{unknown}”,数字格式把数值按千缩小显示而未写单位,"
                       f"无法确定金额单位;请把数字格式改为“常规”并按元填写,或在列名中写明单位")
    return f"{plain_number(scaled)}{unit or unknown}"


# -- reading one cell for one column ---------------------------------------------------------------
# How Excel shows a long number: 9.11403E+17. The "+" tells it from a real code with an E in it
# (911403005E10000006), which never has a "+" or a ".".
_SCIENTIFIC = re.compile(r"\s*\d(\.\d+)?[eE]\+\d+\s*")


def numeric_code_message(value: Any) -> str | None:
    """The message for a credit code that Excel stored as a number (and so lost its last digits)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        seen = f"{value:.6G}" if isinstance(value, float) and abs(value) >= 1e15 else _number_text(value)
    elif isinstance(value, str) and ("+" in value or not value.isascii()) and _SCIENTIFIC.fullmatch(
            halfwidth(value)):
        seen = value.strip()
    else:
        return None
    return (f"统一社会信用代码被 Excel 存成了数字(显示为“{seen}”),后几位已丢失;"
            "请把该列设为“文本”格式后重新输入代码")


def code_text(value: Any) -> str:
    """A credit code as compared and joined: no spaces anywhere, half-width, upper-case."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    text = "".join((text if text.isascii() else halfwidth(text)).split()).upper()
    return text[1:] if text.startswith("'") else text  # our own CSV output marks all-digit codes


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, float):
        return plain_number(Decimal(repr(value)))
    return plain_number(Decimal(value))


def serial_date(number: int) -> dt.date | None:
    """An Excel date serial (45444 → 2024-06-01) or a compact date (20240601); else ``None``."""
    if number in SERIAL_RANGE:
        return EXCEL_EPOCH + dt.timedelta(days=number)
    if 20000101 <= number <= 21001231:
        return date_from_text(str(number))
    return None


_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def with_unit(number_text: str, typed: str, column_title: str, unit: str) -> str:
    """A cell of a column whose header names a unit: a bare number takes the header's unit; a cell
    that shows its own unit is taken when it is the same one and refused otherwise."""
    plain = halfwidth(number_text).replace(" ", "")
    shown = ""
    if unit == PERCENT:
        shown = "%" if plain.endswith("%") else ""
    else:
        for word in sorted(AMOUNT_UNITS, key=len, reverse=True):
            if plain.endswith(word):
                if word != unit:
                    raise CellError(f"单元格“{typed}”自带单位“{word}”,而列名“{column_title}”写明单位为{unit},"
                                    f"无法确定金额;请只填数字(按{unit})")
                shown = word
                break
    number = plain[: len(plain) - len(shown)] if shown else plain
    if not _PLAIN_NUMBER.match(number.replace(",", "")):
        raise CellError(f"“{typed}”不是数字;列名“{column_title}”已写明单位为{unit},请只填数字")
    return number + unit


def read_cell(kind: str, field: str, value: Any, unit: str = "", header: str = "") -> Any:
    """One cell as the profile model reads it; ``None`` for an empty cell (unknown, never zero).

    ``kind`` is the column's kind (see ``columns.Column``), ``unit`` the unit its header names.
    Raises ``CellError`` for a cell that cannot be read for sure. Anything else not recognised is
    passed on as typed, so the model's own Chinese message quotes it.
    """
    if value is None:
        return None
    if isinstance(value, dict):
        raise CellError(str(value.get("refused", value)))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if error_value(text):
            raise CellError(f"单元格是 Excel 错误值 {text}(公式出错);请改正公式或填入数值")
        if kind == "text":
            if field == "credit_code":
                message = numeric_code_message(text)
                if message:
                    raise CellError(message)
                return code_text(text)
            return text
        plain = text if text.isascii() else halfwidth(text)
        if kind == "bool":
            word = _BOOL_WORDS.get(plain.lower())
            return text if word is None else word
        if kind == "date":
            try:
                found = date_from_text(text)
            except ValueError as exc:
                raise CellError(str(exc)) from None
            if found is not None:
                return found.isoformat()
            if plain.isdigit():
                serial = serial_date(int(plain))
                if serial is not None:
                    return serial.isoformat()
            return text
        if kind == "int":
            for unit_word in COUNT_WORDS:
                if plain.endswith(unit_word) and plain[: -len(unit_word)].strip().isdigit():
                    return int(plain[: -len(unit_word)].strip())
            return int_text(text)
        if unit and kind in ("money", "rate"):
            return with_unit(plain, text, header, unit)
        return text
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise CellError(f"单元格“{value.isoformat(sep=' ')}”含时刻;日期只写到日")
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat() if kind in ("date", "text") else value
    if kind == "text":
        if field == "credit_code":
            message = numeric_code_message(value)
            if message:
                raise CellError(message)
        return _number_text(value) if isinstance(value, int | float | Decimal) else str(value)
    if kind == "date" and isinstance(value, int | float) and float(value).is_integer():  # float-ok: date serial
        serial = serial_date(int(value))
        if serial is not None:
            return serial.isoformat()
        return str(int(value))
    if unit and kind in ("money", "rate") and isinstance(value, int | float | Decimal):
        return with_unit(_number_text(value), _number_text(value), header, unit)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_BOOL_WORDS = {
    "是": True, "否": False, "true": True, "false": False, "yes": True, "no": False,
    "y": True, "n": False, "1": True, "0": False, "√": True, "×": False, "对": True, "错": False,
}


# -- merged ranges ---------------------------------------------------------------------------------
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')
_REF = re.compile(r"([A-Z]+)([0-9]+)")


def _ref(text: str) -> tuple[int, int]:
    match = _REF.fullmatch(text)
    assert match is not None
    letters, digits = match.groups()
    column = 0
    for char in letters:
        column = column * 26 + ord(char) - 64
    return int(digits), column


def merged_ranges(stream: Any) -> list[tuple[int, int, int, int, str]]:
    """(first row, first column, last row, last column, ``B3:B5``) of every merged range of a
    worksheet's XML, read in blocks so a large sheet is never held whole."""
    found = []
    tail = b""
    while True:
        block = stream.read(1 << 20)
        if not block:
            break
        data = tail + block
        last_end = 0
        for match in _MERGE.finditer(data):
            first, last = match.group(1).decode(), match.group(2).decode()
            r1, c1 = _ref(first)
            r2, c2 = _ref(last)
            found.append((r1, c1, r2, c2, f"{first}:{last}"))
            last_end = match.end()
        tail = data[max(last_end, len(data) - 200):]
    return found


def fill_merged(rows: Iterator[tuple[int, list[Any]]],
                ranges: list[tuple[int, int, int, int, str]]) -> Iterator[tuple[int, list[Any]]]:
    """Every row a merged range spans gets the range's value in each of its columns (a spreadsheet
    stores it only in the top-left cell)."""
    if not ranges:
        yield from rows
        return
    starts: dict[int, list[tuple[int, int, int]]] = {}
    for r1, c1, r2, c2, _ in ranges:
        if r2 > r1:
            starts.setdefault(r1, []).append((c1, c2, r2))
    active: dict[int, tuple[Any, int]] = {}  # column index (0-based) → (value, last row)
    for number, cells in rows:
        if active:
            for index, (value, last) in list(active.items()):
                if number > last:
                    del active[index]
                    continue
                while len(cells) <= index:
                    cells.append(None)
                if cells[index] is None:
                    cells[index] = value
        for c1, _c2, r2 in starts.get(number, ()):
            # Down only: a range across several columns shows one value over different facts,
            # which no reading can split; its other columns stay empty (unknown).
            active[c1 - 1] = (cells[c1 - 1] if c1 - 1 < len(cells) else None, r2)
        yield number, cells
