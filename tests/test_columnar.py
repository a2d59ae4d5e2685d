"""The columnar path of ``zyz batch`` against the row path, byte for byte.

Generated rows (``tests/columnar_data.py``) are scored by ``zyz batch`` twice, in columns (with the
row path for every row the columnar path hands over) and wholly by the row path
(``run(columns=False)``), under the default readings and under every other option of every
interpretation: the results, the rejected rows and the summary must be the same files. Inputs the
columnar path must not take (title rows, units in headers, 合计 rows, awards carried from a ledger)
go whole to the row path (a code in two claim years: tests/test_columnar_crossrow.py).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.columnar_data import generate
from zhuanyezhen.batch.runner import Counts, Options, run
from zhuanyezhen.policy.loader import load_policies

ROWS = 6_000
POLICY = next(iter(load_policies(None).values()))
DEFAULTS = {name: i.default for name, i in POLICY.interpretations.items()}
# Every interpretation has two options: the defaults, then every other option at once.
OTHERS = {name: next(o for o in i.options if o != i.default) for name, i in POLICY.interpretations.items()}
# The other options with the first day in force the compiler knows (day_after_period sends the
# whole file to the row path).
OTHERS_SAME_START = {**OTHERS, "effective_date": DEFAULTS["effective_date"]}
OUTPUTS = ("{}.csv", "{}.rejected.csv", "{}.s.csv")


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("columnar"), ROWS)


def _both(main: Path, folder: Path, **options: object) -> tuple[Counts, Counts]:
    """(the columnar run's counts, the row path's counts); asserts the outputs are the same bytes."""
    counts = []
    for name, columns in (("columns", True), ("rows", False)):
        counts.append(run(Options(input=main, output=folder / f"{name}.csv", summary=folder / f"{name}.s.csv",
                                  **options), quiet=True, columns=columns))  # type: ignore[arg-type]
    for pattern in OUTPUTS:
        assert (folder / pattern.format("columns")).read_bytes() == (folder / pattern.format("rows")).read_bytes(), \
            pattern
    return counts[0], counts[1]


@pytest.mark.parametrize(("assumptions", "in_columns"), [(DEFAULTS, True), (OTHERS_SAME_START, True), (OTHERS, False)],
                         ids=["defaults", "other-options", "other-first-day"])
def test_columnar_path_equals_the_row_path_byte_for_byte(sheet: Path, tmp_path: Path,
                                                         assumptions: dict[str, str], in_columns: bool) -> None:
    columns, rows = _both(sheet, tmp_path, assumptions=assumptions)
    assert rows.columnar == 0
    assert columns.scored == rows.scored and columns.rejected == rows.rejected
    # the path is really exercised (most generated rows carry a list the row path must take)
    assert (columns.columnar > 0) is in_columns, columns
    assert columns.scored >= 0.85 * ROWS


def _rewrite(main: Path, change: object) -> None:
    with main.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    table = change(table)  # type: ignore[operator]
    with main.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)


def _column(table: list[list[str]], field: str) -> int:
    return next(i for i, h in enumerate(table[0]) if field in h)


@pytest.mark.parametrize("change", [
    pytest.param(lambda t: [["2024年专业镇企业奖补申报汇总表"] + [""] * (len(t[0]) - 1), *t], id="title-row"),
    pytest.param(lambda t: [*t, ["合计", *[""] * (len(t[0]) - 1)]], id="total-row"),
])
def test_inputs_the_row_path_reads_differently_go_whole_to_it(tmp_path: Path, change: object) -> None:
    main = generate(tmp_path / "in", 300)
    _rewrite(main, change)
    columns, rows = _both(main, tmp_path)
    assert columns.columnar == 0
    assert columns.read == rows.read


def test_a_ledger_sends_the_file_to_the_row_path(tmp_path: Path) -> None:
    main = generate(tmp_path / "in", 300)
    with main.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    code = table[1][_column(table, "统一社会信用代码")]
    held = {code: ({"provision": "standard", "year": 2023, "subject": "标准:甲", "amount": "1000"},)}
    columns, _ = _both(main, tmp_path, received=held)
    assert columns.columnar == 0


def test_unit_in_a_header_sends_the_file_to_the_row_path(tmp_path: Path) -> None:
    main = generate(tmp_path / "in", 300)

    def in_wan(table: list[list[str]]) -> list[list[str]]:
        at = _column(table, "营业收入")
        table[0][at] = table[0][at].replace("(元)", "(万元)")
        return table

    _rewrite(main, in_wan)
    columns, _ = _both(main, tmp_path)
    assert columns.columnar == 0


def test_calc_never_imports_polars() -> None:
    code = ("import sys\nfrom typer.testing import CliRunner\nimport zhuanyezhen.cli\n"
            "from zhuanyezhen.cli.app import app\n"
            "r = CliRunner().invoke(app, ['calc', 'examples/refractory-leader.yaml'])\n"
            "assert r.exit_code == 0, r.output\n"
            "print('polars' in sys.modules)\n")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_two_jobs_give_the_same_output_and_no_process_outlives_the_run(tmp_path: Path) -> None:
    main = generate(tmp_path, 300)
    marker = f"ZYZ_TEST_MARKER_{uuid.uuid4().hex}"
    env = {**os.environ, marker: "1", "PYTHONIOENCODING": "utf-8"}
    args = [sys.executable, "-m", "zhuanyezhen", "batch", str(main), "-o"]
    two = subprocess.run([*args, str(tmp_path / "two.csv"), "--jobs", "2"], env=env, capture_output=True, text=True)
    one = subprocess.run([*args, str(tmp_path / "one.csv")], env=env, capture_output=True, text=True)
    assert two.returncode == one.returncode == 0, two.stderr
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    left = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    left.append(entry.name)
            except OSError:
                continue
    assert left == []
