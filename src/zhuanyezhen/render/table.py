"""The Chinese report of ``zyz calc`` on a terminal or into a pipe (see ``layout``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from zhuanyezhen.engine.result import Result
from zhuanyezhen.render.layout import Line, Part, Screen, draw, screen_for
from zhuanyezhen.render.sections import assumptions_line, calc_sections, header_lines

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console


def make_console(file: TextIO | None = None) -> Console:
    """A rich console for the terminal: its own width, colour unless NO_COLOR; plain in a pipe."""
    from rich.console import Console

    screen = screen_for(file)
    return Console(file=screen.stream, no_color=not screen.color, color_system="auto" if screen.color else None,
                   highlight=False, soft_wrap=False, width=screen.width or 10_000, emoji=False,
                   force_terminal=screen.terminal)


def result_parts(result: Result, interpretations: Any) -> list[Part]:
    head, basis = header_lines(result)
    parts: list[Part] = [Line(head, "bold"), Line(basis)]
    parts += [Line(f"注意:{notice}", "bold red") for notice in result.notices]
    parts += calc_sections(result)
    parts.append(Line(assumptions_line(result, interpretations), "dim"))
    return parts


def render_result(result: Result, file: TextIO | None, interpretations: Any) -> None:
    """Print the report; ``interpretations`` (the policy's) give the 口径 line its words."""
    draw(result_parts(result, interpretations), screen_for(file))


def result_text(result: Result, interpretations: Any) -> str:
    """The report as plain text, for ``--output`` to a file."""
    import io

    buffer = io.StringIO()
    draw(result_parts(result, interpretations), Screen(buffer, False, None, False))
    return buffer.getvalue()



