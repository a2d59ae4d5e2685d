"""An interrupted write leaves no half file, for every command that writes a file (issue 15).

Every command writes through ``files/atomic.py``. Here the run is interrupted (Ctrl-C) at the
last moment before the rename, when the whole content already sits in the temporary file: the
target must not appear, an existing target must keep its old content, and no temporary file may
be left in the folder. A structural test checks that no other module opens a file for writing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zhuanyezhen.files.atomic as atomic
from zhuanyezhen.cli import app

from .conftest import EXAMPLES, ROOT

PROFILE = EXAMPLES / "refractory-leader.yaml"


def _batch_input(folder: Path) -> Path:
    from .test_batch import write_input

    return write_input(folder)


# command name → (arguments given the work folder, the files it writes there)
COMMANDS: dict[str, tuple[Callable[[Path], list[str]], list[str]]] = {
    "calc": (lambda d: ["calc", str(PROFILE), "-f", "json", "-o", str(d / "out.json")], ["out.json"]),
    "report": (lambda d: ["report", str(PROFILE), "-o", str(d / "report.html"), "--date", "2024-12-01"],
               ["report.html"]),
    "init": (lambda d: ["init", str(d / "profile.yaml"), "--force"], ["profile.yaml"]),
    "template-csv": (lambda d: ["template", str(d / "batch.csv"), "--force"], ["batch.csv"]),
    "template-xlsx": (lambda d: ["template", str(d / "batch.xlsx"), "--force"], ["batch.xlsx"]),
    "batch": (lambda d: ["batch", str(_batch_input(d / "in")), "-o", str(d / "scores.csv")], ["scores.csv"]),
    "batch-xlsx": (lambda d: ["batch", str(_batch_input(d / "in")), "-o", str(d / "scores.xlsx")],
                   ["scores.xlsx"]),
}


def _invoke(args: list[str]) -> int:
    try:
        result = CliRunner().invoke(app, args)
    except KeyboardInterrupt:
        return 130
    return result.exit_code


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_runs_whole_when_not_interrupted(tmp_path: Path, command: str) -> None:
    args, written = COMMANDS[command]
    (tmp_path / "in").mkdir()
    assert _invoke(args(tmp_path)) == 0
    for name in written:
        assert (tmp_path / name).stat().st_size > 0
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("existing", [False, True])
def test_interrupted_command_leaves_no_half_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 command: str, existing: bool) -> None:
    args, written = COMMANDS[command]
    (tmp_path / "in").mkdir()
    if existing:  # a file from an earlier run, which must survive untouched
        for name in written:
            (tmp_path / name).write_bytes(b"earlier run")
    monkeypatch.setattr(atomic.os, "replace", _interrupt)
    assert _invoke(args(tmp_path)) != 0
    for name in written:
        target = tmp_path / name
        if existing:
            assert target.read_bytes() == b"earlier run"
        else:
            assert not target.exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def test_commands_that_write_are_all_listed_here() -> None:
    # Every CLI module that imports the atomic writer (or batch code that does) has a case above.
    cli = ROOT / "src" / "zhuanyezhen" / "cli"
    writers = sorted(p.stem for p in cli.glob("*.py")
                     if re.search(r"write_atomically|atomic_output|write_template|batch\.runner", p.read_text("utf-8")))
    assert writers, "no command writes a file any more?"
    # validate reads a batch input through batch.runner with output=None: it writes nothing
    assert set(writers) - {"validate"} <= {c.split("-")[0] for c in COMMANDS}, writers


def test_only_the_atomic_module_opens_files_for_writing() -> None:
    # files/atomic.py is the one mechanism. The batch writers (writer.py) open only the temporary
    # path that PendingFiles.reserve gave them; json_schema.write_all is a maintainer's tool that
    # regenerates the package's own schema files, not a command; ledger/sheets.py saves a workbook
    # to the temporary path PendingFiles.reserve gave it; batch/columnar/blocks.py appends scratch
    # list rows (Spill) in its own temporary folder, removed when the run ends, never an output.
    src = ROOT / "src" / "zhuanyezhen"
    pattern = re.compile(r"""\.write_(text|bytes)\(|open\([^)]*["'][wax]b?\+?["']|\.save\(""")
    found = {str(p.relative_to(src)) for p in src.rglob("*.py") if pattern.search(p.read_text("utf-8"))}
    assert found == {"batch/columnar/blocks.py", "batch/writer.py", "ledger/sheets.py", "render/json_schema.py"}, found
