"""Output files appear whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhuanyezhen.errors import InputError
from zhuanyezhen.files.atomic import atomic_output, write_atomically


def test_written_file_appears_whole(tmp_path: Path) -> None:
    target = tmp_path / "报告.md"
    write_atomically(target, "合计 4,516,000.00 元\n")
    assert target.read_text(encoding="utf-8") == "合计 4,516,000.00 元\n"
    assert [p.name for p in tmp_path.iterdir()] == ["报告.md"]


def test_failed_run_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with pytest.raises(InputError), atomic_output(target) as stream:
        stream.write('{"half": ')
        raise InputError.one("档案有误")
    assert list(tmp_path.iterdir()) == []  # neither the target nor the temporary file


def test_failed_run_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as stream:
        stream.write("new, half")
        raise RuntimeError("renderer failed")
    assert target.read_text(encoding="utf-8") == "old"


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="输出文件所在的目录不存在"):
        write_atomically(tmp_path / "no-such-dir" / "out.md", "x")
