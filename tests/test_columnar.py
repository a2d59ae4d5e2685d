"""The columnar path of ``zyz batch`` against the reference, ``engine.calculate``, cell for cell.

20,000 generated rows (``tests/columnar_data.py``) are scored by ``zyz batch`` (the columnar path,
with the row path for the rows it hands over) under the default readings and under every other
option of every interpretation; each row is also built into a profile exactly as the row path
builds it and scored by ``calculate``. Every figure of every row must be the same, the same rows
must be rejected, and most rows must really have been scored in columns.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.columnar_data import generate
from zhuanyezhen.batch.columns import MAIN_COLUMNS, read_header
from zhuanyezhen.batch.join import ListIndex
from zhuanyezhen.batch.reader import open_source
from zhuanyezhen.batch.runner import Counts, Options, _tasks, run
from zhuanyezhen.batch.scoring import Scorer, money
from zhuanyezhen.engine.calculation import calculate
from zhuanyezhen.policy.choice import choose_policy
from zhuanyezhen.policy.loader import load_policies
from zhuanyezhen.profile.model import Profile

ROWS = 20_000
POLICY = next(iter(load_policies(None).values()))
DEFAULTS = {name: i.default for name, i in POLICY.interpretations.items()}
# Every interpretation has two options: the defaults, then every other option at once.
OTHERS = {name: next(o for o in i.options if o != i.default) for name, i in POLICY.interpretations.items()}


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("columnar"), ROWS)


def _reference(main: Path, assumptions: dict[str, str]) -> tuple[dict[int, list[str]], set[int]]:
    """Every row's output cells by ``engine.calculate``, and the rows the row path rejects."""
    source = open_source(main, None)
    index = ListIndex()
    try:
        layout = read_header(source.main.source, source.main.header, MAIN_COLUMNS, "企业表")
        for kind, table in source.lists:
            index.add(kind, table)
        index.ready()
        scorer = Scorer(None, None, assumptions, layout, index.layouts)
        positions = {p.id: i for i, p in enumerate(scorer.provisions)}
        expected: dict[int, list[str]] = {}
        rejected: set[int] = set()
        for task in _tasks(source, layout, index, Counts()):
            data, _, problems = scorer._data(task)
            try:
                profile = Profile.model_validate(data)
            except ValidationError:
                rejected.add(task.row)
                continue
            if problems or task.problems:
                rejected.add(task.row)
                continue
            result = calculate(profile, choose_policy(scorer.policies, profile.claim_year), assumptions)
            amounts: list[Decimal | None] = [None] * len(positions)
            excluded = needs = 0
            for o in result.outcomes:
                if o.status == "paid" and o.amount is not None and o.provision in positions:
                    at = positions[o.provision]
                    amounts[at] = (amounts[at] or Decimal(0)) + o.amount
                excluded += o.status == "excluded"
                needs += o.status == "needs_info"
            t = result.totals
            expected[task.row] = [
                str(task.row), profile.credit_code or "", profile.name, profile.county or "", profile.town or "",
                str(profile.claim_year), money(t.exact), money(t.up_to), money(t.total),
                *("" if a is None else money(a) for a in amounts),
                money(t.payable_to_others), money(t.land_benefit), str(excluded), str(needs)]
        return expected, rejected
    finally:
        source.close()
        index.close()


@pytest.mark.parametrize("assumptions", [DEFAULTS, OTHERS], ids=["defaults", "other-options"])
def test_columnar_path_equals_calculate_cell_for_cell(sheet: Path, assumptions: dict[str, str]) -> None:
    out = sheet.parent / f"scores-{len(assumptions)}-{hash(tuple(assumptions.values())) & 0xffff}.csv"
    counts = run(Options(input=sheet, output=out, assumptions=assumptions), quiet=True)
    expected, rejected = _reference(sheet, assumptions)
    with out.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        got = {int(r[0]): r for r in reader}
    assert set(got) == set(expected)
    with out.with_name(f"{out.stem}.rejected.csv").open(encoding="utf-8-sig", newline="") as f:
        assert {int(r[0]) for r in list(csv.reader(f))[1:] if r[0]} == rejected
    wrong = [(row, [(h, a, b) for h, a, b in zip(header, got[row], cells, strict=True) if a.lstrip("'") != b])
             for row, cells in expected.items() if [c.lstrip("'") for c in got[row]] != cells]
    assert not wrong[:5]
    # the point of the exercise: nearly every row was scored in columns, not handed back
    assert counts.columnar >= 0.8 * counts.scored, counts
    assert counts.scored >= 0.95 * ROWS


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
def test_jobs_is_retired_and_no_process_outlives_the_run(tmp_path: Path) -> None:
    main = generate(tmp_path, 300)
    marker = f"ZYZ_TEST_MARKER_{uuid.uuid4().hex}"
    env = {**os.environ, marker: "1", "PYTHONIOENCODING": "utf-8"}
    args = [sys.executable, "-m", "zhuanyezhen", "batch", str(main), "-o"]
    two = subprocess.run([*args, str(tmp_path / "two.csv"), "--jobs", "2"], env=env, capture_output=True, text=True)
    one = subprocess.run([*args, str(tmp_path / "one.csv")], env=env, capture_output=True, text=True)
    assert two.returncode == one.returncode == 0, two.stderr
    assert "--jobs 已停用" in two.stderr and "--jobs" not in one.stderr
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


def test_output_files_are_byte_identical_to_the_row_path(tmp_path: Path) -> None:
    """Results, rejected rows (with list rows no enterprise claims) and the summary, byte for byte."""
    main = generate(tmp_path, 3_000, seed=5)
    for name, columns in (("col", True), ("row", False)):
        run(Options(input=main, output=tmp_path / f"{name}.csv", summary=tmp_path / f"{name}.s.csv",
                    assumptions=OTHERS), quiet=True, columns=columns)
    for suffix in (".csv", ".rejected.csv", ".s.csv"):
        assert (tmp_path / f"col{suffix}").read_bytes() == (tmp_path / f"row{suffix}").read_bytes(), suffix


def test_provisions_and_lists_switched_to_the_row_path_change_nothing(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The switches that keep the two paths equal while an engine reading changes: the rows they
    send to the row path come out exactly as before."""
    from zhuanyezhen.batch.columnar import runner as columnar

    monkeypatch.setattr(columnar, "ROW_PATH_PROVISIONS", frozenset({"new_material_insurance"}))
    monkeypatch.setattr(columnar, "ROW_PATH_LISTS", frozenset({"awards_received"}))
    main = generate(tmp_path, 1_500, seed=9)
    counts = run(Options(input=main, output=tmp_path / "col.csv"), quiet=True)
    run(Options(input=main, output=tmp_path / "row.csv"), quiet=True, columns=False)
    assert (tmp_path / "col.csv").read_bytes() == (tmp_path / "row.csv").read_bytes()
    assert 0 < counts.columnar < counts.scored  # rows with premiums or history went row by row


@pytest.mark.parametrize("ending", [b"\r", b"\n", b"\r\n"], ids=["cr", "lf", "crlf"])
def test_files_polars_reads_otherwise_go_whole_to_the_row_path(tmp_path: Path, ending: bytes) -> None:
    """A stray quote in a cell, or lines ended by a lone carriage return: csv.reader reads both;
    the run gives exactly what the row path gives, whichever way it was read."""
    main = generate(tmp_path, 200, seed=3)
    text = main.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", ending)
    main.write_bytes(text.replace("示例企业7(".encode(), '示例"企业7('.encode(), 1))
    counts = run(Options(input=main, output=tmp_path / "col.csv"), quiet=True)
    run(Options(input=main, output=tmp_path / "row.csv"), quiet=True, columns=False)
    assert (tmp_path / "col.csv").read_bytes() == (tmp_path / "row.csv").read_bytes()
    assert (tmp_path / "col.rejected.csv").read_bytes() == (tmp_path / "row.rejected.csv").read_bytes()
    assert counts.scored > 150


def test_every_shipped_provision_is_compiled_and_an_unknown_rule_key_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhuanyezhen.batch.columnar import provisions
    from zhuanyezhen.batch.columnar.score import compile_policy

    compiled = compile_policy(POLICY, DEFAULTS, {})
    assert compiled.not_compiled == {} and len(compiled.provisions) == len(POLICY.provisions)
    # as if the rule models had gained ``cap_per_enterprise`` after the compiler was written
    known = {**provisions.KNOWN_KEYS, "Amount": provisions.KNOWN_KEYS["Amount"] - {"cap_per_enterprise"}}
    monkeypatch.setattr(provisions, "KNOWN_KEYS", known)
    compiled = compile_policy(POLICY, DEFAULTS, {})
    assert set(compiled.not_compiled) == {"rd_equipment", "new_material_insurance"}
    assert compiled.uncovered_all and compiled.uncovered_lists == {"premiums"}
