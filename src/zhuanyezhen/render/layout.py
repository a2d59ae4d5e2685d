"""Drawing sections on a terminal or into a pipe: tables that fit, or one block per row.

* On a terminal, a section is a rich table when its columns fit the width; otherwise (a narrow
  window) each row becomes a block of ``名称:值`` lines, wrapped to the width.
* Piped or redirected output is plain: the block layout with no wrapping, no colour, no boxes —
  and without importing rich at all, so a script calling ``zyz`` pays nothing for it.
* ``NO_COLOR`` turns colour off and changes nothing else.
* An amount is never broken across lines: money cells do not wrap, and the block wrapper keeps
  every run of digits (with its 元/万元) together.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from zhuanyezhen.render.sections import Cell, Money, Section

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

MIN_COLUMN = 6  # the narrowest a wrapped text column may become before the table gives up
TEXT_COLUMN_CAP = 16  # a long text column may be wrapped down to about this width in a table


@dataclass(frozen=True)
class Screen:
    """Where output goes: a terminal (with its width and whether colour is wanted) or a pipe."""

    stream: TextIO
    terminal: bool
    width: int | None  # None: a pipe or file, nothing is wrapped
    color: bool


def screen_for(stream: TextIO | None = None) -> Screen:
    out = stream or sys.stdout
    try:
        terminal = out.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if not terminal:
        return Screen(out, False, None, False)
    width = max(shutil.get_terminal_size((100, 24)).columns, 20)
    return Screen(out, True, width, not os.environ.get("NO_COLOR"))


def display_width(text: str) -> int:
    """Columns a text takes on a terminal: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# An unbreakable token: a run of ASCII (a number such as 1,008,000.00, with its unit and bracket),
# or one other character. Lines break only between tokens.
_TOKEN = re.compile(r"[\x21-\x7e]+(?:万元|亿元|元|万|亿|名|人|天|年度|年)?[)）]?|\s+|.")


_NO_LINE_START = set(",;:、。)）!?，；：！？”")


def wrap(text: str, width: int | None, indent: int = 0) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns (continuations indented);
    a line never starts with a closing punctuation mark, and a number is never split."""
    if width is None or display_width(text) <= width:
        return [text]
    lines: list[str] = []
    line: list[str] = []
    for token in _TOKEN.findall(text):
        if line and display_width("".join(line) + token) > width:
            carried = []
            if token[0] in _NO_LINE_START and len(line) > 1:
                carried = [line.pop()]  # take the last character along with the punctuation
            lines.append("".join(line).rstrip())
            line = [" " * indent, *(t.lstrip() for t in carried)]
            token = token.lstrip() if not carried else token
        line.append(token)
    if "".join(line).strip():
        lines.append("".join(line).rstrip())
    return lines


def _cell_text(cell: Cell) -> str:
    return cell.one_line() if isinstance(cell, Money) else cell


def section_block(section: Section, width: int | None) -> list[str]:
    """One section as plain lines: its heading, then one block per row (or ``:无``)."""
    if not section.rows:
        return [f"{section.title}:无"]
    out = [section.title]
    if section.line_format:
        for row in section.rows:
            out += wrap("  " + section.line_format.format(*(_cell_text(c) for c in row)), width, 4)
        return out
    skip = {0, section.heading_column}
    for row in section.rows:
        head = "".join(_cell_text(row[i]) for i in sorted(skip))
        out += wrap(head, width, 2)
        for index, (column, cell) in enumerate(zip(section.columns, row, strict=True)):
            text = _cell_text(cell)
            if index not in skip and text:
                out += wrap(f"  {column.replace('(元)', '')}:{text}", width, 4)
    return out


def _natural(cell: Cell) -> int:
    if isinstance(cell, Money):
        return max(display_width(x) for x in cell.lines())
    return max((display_width(x) for x in cell.split("\n")), default=0)


def without_empty_columns(section: Section) -> Section:
    """The section without columns that are empty in every row (e.g. 事项 for whole-enterprise items)."""
    keep = [i for i in range(len(section.columns))
            if i == 0 or any(_cell_text(row[i]) for row in section.rows)]
    if len(keep) == len(section.columns):
        return section
    return Section(section.title, [section.columns[i] for i in keep],
                   [[row[i] for i in keep] for row in section.rows],
                   heading_column=min(section.heading_column, len(keep) - 1), line_format=section.line_format)


def table_fits(section: Section, width: int) -> bool:
    """Whether the section's columns fit side by side: money and short columns whole, long text
    columns wrapped at about ``TEXT_COLUMN_CAP``."""
    total = 0
    for index, column in enumerate(section.columns):
        natural = max([display_width(column), *(_natural(row[index]) for row in section.rows)])
        money = any(isinstance(row[index], Money) for row in section.rows)
        total += natural if money or natural <= TEXT_COLUMN_CAP else max(TEXT_COLUMN_CAP, MIN_COLUMN)
    return total + 2 * (len(section.columns) - 1) + 2 <= width


def _rich_table(section: Section, console: Console) -> object:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=section.title, title_justify="left", box=box.SIMPLE_HEAVY, show_lines=False,
                  title_style="bold", header_style="bold", pad_edge=False, expand=False)
    for index, column in enumerate(section.columns):
        money = any(isinstance(row[index], Money) for row in section.rows)
        numeric = money or column in ("金额(元)", "万元", "优惠(元)")
        table.add_column(column, no_wrap=numeric, overflow="fold", justify="right" if numeric else "left")
    for row in section.rows:
        table.add_row(*(Text("\n".join(x for x in c.lines() if x)) if isinstance(c, Money) else Text(c)
                        for c in row))
    return table


@dataclass(frozen=True)
class Line:
    """A plain line between sections; ``style`` (e.g. ``bold``) is used only on a colour terminal."""

    text: str
    style: str | None = None


Part = Section | Line


def draw(parts: Sequence[Part], screen: Screen) -> None:
    """Write the parts: rich on a terminal, plain text in a pipe."""
    if not screen.terminal:
        lines: list[str] = []
        for part in parts:
            lines += section_block(part, None) if isinstance(part, Section) else [part.text]
        screen.stream.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    assert screen.width is not None
    console = Console(file=screen.stream, width=screen.width, no_color=not screen.color,
                      color_system="auto" if screen.color else None, highlight=False, soft_wrap=False,
                      emoji=False, force_terminal=True)
    for part in parts:
        if isinstance(part, Line):
            for line in wrap(part.text, screen.width, len(part.text) - len(part.text.lstrip()) + 2):
                console.print(Text(line, style=part.style or ""))
        elif part.rows and table_fits(without_empty_columns(part), screen.width):
            console.print(_rich_table(without_empty_columns(part), console))
        else:
            for line in section_block(part, screen.width):
                console.print(Text(line, style="bold" if line == part.title else ""))
