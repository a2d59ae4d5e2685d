"""The typer app and what every command shares: options, error handling, exit codes.

Commands live one per module in ``commands/``; ``cli.py`` imports them so they register.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from zhuanyezhen import __version__
from zhuanyezhen.cli.usage import ChineseGroup
from zhuanyezhen.errors import InputError, InputProblem

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="zyz",
    help="阳泉市专业镇奖补计算器(阳政办发〔2023〕25号)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=ChineseGroup,  # usage errors and help headings in Chinese (cli/usage.py)
)

_state: dict[str, bool] = {"debug": False, "quiet": False}
F = TypeVar("F", bound=Callable[..., Any])


MAX_SHOWN_PROBLEMS = 50


def is_quiet() -> bool:
    """Whether ``--quiet`` was given: results only, no informational messages."""
    return _state["quiet"]


def fail(problems: list[InputProblem]) -> None:
    """Print every problem (the first 50 of a flood) on stderr and exit with code 2."""
    for p in problems[:MAX_SHOWN_PROBLEMS]:
        sys.stderr.write(f"错误:{p}\n")
    if len(problems) > MAX_SHOWN_PROBLEMS:
        sys.stderr.write(f"(另有 {len(problems) - MAX_SHOWN_PROBLEMS} 个错误未列出;请先改正以上错误)\n")
    raise typer.Exit(EXIT_BAD_INPUT)


def handles_input_errors(func: F) -> F:
    """Print ``InputError`` in Chinese on stderr and exit 2; ``--debug`` re-raises for a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            if _state["debug"]:
                raise
            fail(exc.problems)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if _state["debug"]:
                raise
            sys.stderr.write(f"内部错误:{type(exc).__name__}: {exc}(加 --debug 查看详情)\n")
            raise typer.Exit(EXIT_INTERNAL) from None
        return None

    return wrapper  # type: ignore[return-value]


def parse_assumptions(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    problems = []
    for text in values or []:
        name, sep, value = text.partition("=")
        if not sep or not name.strip() or not value.strip():
            problems.append(InputProblem(f"“{text}”格式应为 名称=取值,如 revenue_tier=cumulative",
                                         field="--assume"))
            continue
        out[name.strip()] = value.strip()
    if problems:
        raise InputError(problems)
    return out


def parse_date(text: str | None, example: str = "2025-03-31") -> dt.date:
    """A ``--date`` option: the day given, or today (read here in the CLI layer, never in the engine)."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError.one(f"“{text}”不是有效日期", field="--date", hint=f"格式 YYYY-MM-DD,如 {example}") from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zyz {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出结果,不输出提示信息")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="显示版本")] = False,
) -> None:
    """阳泉市专业镇奖补计算器(阳政办发〔2023〕25号)。"""
    _state["debug"] = debug
    _state["quiet"] = quiet


AssumeOption = Annotated[list[str] | None, typer.Option(
    "--assume", "-a", help="改变某项口径(政策解释),如 revenue_tier=cumulative;可重复")]
RulesOption = Annotated[Path | None, typer.Option("--rules", help="规则目录(默认使用随程序发布的 rules/)")]
PolicyOption = Annotated[str | None, typer.Option("--policy", help="政策编号;默认取申报年度有效的政策")]
