"""What scripts rely on: stdout vs stderr, exit codes, --output, --quiet, no colour off a terminal."""

from __future__ import annotations

import io
import os
import re

import pytest
from typer.testing import CliRunner

from zhuanyezhen import calculate, load_profile
from zhuanyezhen.cli import main as _registers_commands  # noqa: F401
from zhuanyezhen.cli.app import app
from zhuanyezhen.files.atomic import write_atomically
from zhuanyezhen.render.table import render_result

from .conftest import EXAMPLES
from .scripting_helpers import parse_json, run_zyz

EXAMPLE = str(EXAMPLES / "refractory-leader.yaml")
BOX = set("─━│┃┏┓┗┛┡┩╇╈┳┻╋═║╔╗╚╝")


def test_output_file_gets_the_result_and_stdout_stays_empty(tmp_path):
    target = tmp_path / "result.json"
    done = run_zyz("calc", EXAMPLE, "--format", "json", "--output", str(target))
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b""
    assert "已写入" in done.stderr.decode()
    assert parse_json(target.read_bytes())["totals"]["total"] == "4516000.00"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temporary file left


def test_quiet_hides_the_written_message(tmp_path):
    done = run_zyz("--quiet", "calc", EXAMPLE, "--format", "json", "--output", str(tmp_path / "r.json"))
    assert done.returncode == 0 and done.stderr == b""


def test_bad_profile_exits_2_with_chinese_message_and_leaves_output_untouched(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: 甲公司\nclaim_year: 2024\nrevenue: 很多\n", encoding="utf-8")
    target = tmp_path / "result.json"
    target.write_text("previous result\n", encoding="utf-8")
    done = run_zyz("calc", str(bad), "--format", "json", "--output", str(target))
    assert done.returncode == 2
    assert done.stdout == b""
    err = done.stderr.decode()
    assert "第3行" in err and "revenue" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "result.json"]


def test_output_into_missing_folder_exits_2(tmp_path):
    done = run_zyz("calc", EXAMPLE, "--output", str(tmp_path / "no-such-dir" / "r.txt"))
    assert done.returncode == 2
    assert "目录不存在" in done.stderr.decode()


def test_interrupted_write_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "r.json"
    target.write_text("old\n", encoding="utf-8")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "new and complete\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_written_file_has_normal_permissions(tmp_path):
    target = tmp_path / "r.txt"
    write_atomically(target, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_internal_error_exits_1_without_traceback(monkeypatch):
    import zhuanyezhen.engine.calculation as engine

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "calculate", broken)
    done = CliRunner().invoke(app, ["calc", EXAMPLE])
    assert done.exit_code == 1
    assert "内部错误" in done.output and "Traceback" not in done.output


def test_table_through_a_pipe_has_no_colour_or_boxes():
    done = run_zyz("calc", EXAMPLE)
    text = done.stdout.decode()
    assert done.returncode == 0
    assert "4,516,000.00" in text
    assert "\x1b[" not in text
    assert not BOX & set(text)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def leader_result(policy):
    return calculate(load_profile(EXAMPLE), policy)


def test_terminal_gets_boxes_without_no_color(leader_result, policy, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    screen = _Terminal()
    render_result(leader_result, screen, policy.interpretations)
    assert BOX & set(screen.getvalue())


COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]")


def test_no_color_on_a_terminal_changes_colour_only(leader_result, policy, monkeypatch):
    # NO_COLOR (no-color.org) turns colour off; the layout (width, boxes) stays what the terminal gets.
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = _Terminal()
    render_result(leader_result, coloured, policy.interpretations)
    monkeypatch.setenv("NO_COLOR", "1")
    screen = _Terminal()
    render_result(leader_result, screen, policy.interpretations)
    text = screen.getvalue()
    assert "4,516,000.00" in text
    assert not COLOUR.search(text)
    plain = re.compile(r"\x1b\[[0-9;]*m")
    assert plain.sub("", text) == plain.sub("", coloured.getvalue())
    assert max(len(line) for line in plain.sub("", text).splitlines()) <= 200


def test_unknown_format_is_bad_input():
    done = run_zyz("calc", EXAMPLE, "--format", "xml")
    assert done.returncode == 2
    assert done.stdout == b""
