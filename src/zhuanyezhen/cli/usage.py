"""Usage errors and help in Chinese: a missing or unknown option, a bad value, a wrong count of
arguments are reported on stderr in Chinese with exit code 2; ``--help`` headings are Chinese.

typer parses the command line with click (bundled in recent typer, separate in older ones), whose
messages are English. The app's group class catches click's usage errors around the whole run and
words them from their attributes (which option, which parameter, which value); help text is
translated by a context class set on every command. Only public attributes of the exceptions are
read, so the same code works with either click.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from zhuanyezhen.cli.console import safe_streams

EXIT_USAGE = 2


def _exception_class(name: str) -> type[BaseException]:
    """click's ``UsageError`` / ``ClickException``, found through typer's public ``BadParameter``."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


UsageError = _exception_class("UsageError")
ClickException = _exception_class("ClickException")

_HELP_WORDS = [
    ("Usage:", "用法:"), ("Options:", "选项:"), ("Arguments:", "参数:"), ("Commands:", "命令:"),
    ("Show this message and exit.", "显示本帮助并退出"), ("[required]", "[必填]"),
    ("[default: ", "[默认: "), ("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."),
    ("[ARGS]...", "[参数]..."), ("<list[str]>", "<文字,可重复>"), ("<str>", "<文字>"), ("<path>", "<路径>"),
    ("<int>", "<整数>"), ("<date>", "<日期>"),
]
_TYPES = {"integer": "整数", "float": "数字", "boolean": "是/否", "path": "路径", "file": "文件",
          "choice": "可选值", "text": "文字", "date": "日期"}


def chinese_help(text: str) -> str:
    for english, chinese in _HELP_WORDS:
        text = text.replace(english, chinese)
    return text


class ChineseContext(typer.Context):
    """A click context whose help and usage lines are worded in Chinese."""

    def get_help(self) -> str:
        return chinese_help(super().get_help())

    def get_usage(self) -> str:
        return chinese_help(super().get_usage())


def _param_words(param: Any) -> str:
    """``--format`` or ``PROFILE(企业档案文件…)``: the parameter as the user would type it, with its help."""
    if param is None:
        return ""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
    name = "/".join(opts) if opts else (getattr(param, "human_readable_name", "") or getattr(param, "name", ""))
    name = str(name).strip("{}").upper() if not opts else name
    help_text = getattr(param, "help", None)
    return f"{name}({help_text})" if help_text else str(name)


def _choices(param: Any) -> str:
    choices = getattr(getattr(param, "type", None), "choices", None)
    if not choices:
        return ""
    return "可选:" + "、".join(str(getattr(c, "value", c)) for c in choices)


def usage_message(exc: BaseException) -> tuple[str, str | None]:
    """The Chinese message (and hint) for one click usage error."""
    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or exc)
    param = getattr(exc, "param", None)
    if kind == "NoSuchOption":
        option = getattr(exc, "option_name", "")
        close: Sequence[str] = getattr(exc, "possibilities", None) or []
        return f"没有选项 {option}", (f"是否应为 {'、'.join(close)}?" if close else None)
    if kind == "MissingParameter":
        what = "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"
        return f"缺少{what} {_param_words(param)}", _choices(param) or None
    if kind == "BadOptionUsage":
        option = getattr(exc, "option_name", "")
        if "requires an argument" in message or "requires" in message:
            return f"选项 {option} 后面需要一个取值", None
        return f"选项 {option} 用法不对", None
    if kind == "BadArgumentUsage" or "unexpected extra argument" in message:
        extra = re.search(r"\(([^()]*)\)\s*$", message)
        return f"多余的参数:{extra.group(1) if extra else message}", "文件名中有空格时请用引号括起来"
    if kind == "BadParameter":
        value = re.search(r"'(.*?)'", message)
        shown = f"“{value.group(1)}”" if value else "所给取值"
        type_name = getattr(getattr(param, "type", None), "name", "")
        listed = re.search(r"is not one of (.*?)\.?$", message)
        if _choices(param) or listed:
            names = re.findall(r"'(.*?)'", listed.group(1)) if listed else []
            return f"{_param_words(param)}:{shown}不是可选值", _choices(param) or "可选:" + "、".join(names)
        return f"{_param_words(param)}:{shown}不是有效的{_TYPES.get(type_name, '取值')}", None
    if message.startswith("No such command"):
        name = re.search(r"'(.*?)'", message)
        return f"没有命令“{name.group(1) if name else ''}”", "用 zyz --help 查看全部命令"
    if message.startswith("Missing command"):
        return "缺少命令", "用 zyz --help 查看全部命令"
    return f"命令行用法有误({message})", None


def show_usage_error(exc: BaseException) -> None:
    if type(exc).__name__ == "NoArgsIsHelpError":  # ``zyz`` alone: the help, as click would
        sys.stderr.write(chinese_help(str(getattr(exc, "message", "") or exc)).rstrip() + "\n")
        return
    message, hint = usage_message(exc)
    ctx = getattr(exc, "ctx", None)
    lines = [f"错误:{message}"]
    if hint:
        lines.append(f"  提示:{hint}")
    if ctx is not None:
        lines.append(chinese_help(ctx.get_usage()))
        lines.append(f"查看帮助:{ctx.command_path} --help")
    sys.stderr.write("\n".join(lines) + "\n")


def _chinese_contexts(command: Any) -> None:
    command.context_class = ChineseContext
    for sub in getattr(command, "commands", {}).values():
        _chinese_contexts(sub)


class ChineseGroup(TyperGroup):
    """The ``zyz`` group: click's English usage errors become Chinese ones, exit code 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone = kwargs.pop("standalone_mode", True)
        safe_streams()
        _chinese_contexts(self)
        try:
            kwargs["standalone_mode"] = False
            rv = super().main(*args, **kwargs)
        except UsageError as exc:
            show_usage_error(exc)
            if standalone:
                sys.exit(EXIT_USAGE)
            raise
        except ClickException as exc:
            sys.stderr.write(f"错误:{getattr(exc, 'message', exc)}\n")
            if standalone:
                sys.exit(getattr(exc, "exit_code", 1))
            raise
        except typer.Abort:
            sys.stderr.write("已中止\n")
            if standalone:
                sys.exit(1)
            raise
        if standalone:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv
