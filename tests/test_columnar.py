"""The columnar path of ``zyz batch`` against the row path, byte for byte.

Generated rows (``tests/columnar_data.py``) are scored by ``zyz batch`` twice, in columns (with the
row path for every row the columnar path hands over) and wholly by the row path
(``run(columns=False)``): 20,000 rows under each set of ``option_sets`` (together they run every
option of every interpretation), and 5,000 rows of another seed under mixed sets. The results,
the rejected rows and the summary must be the same files. Inputs the
columnar path must not take (title rows, units in headers, 合计 rows, awards carried
from a ledger) go whole to the row path (a code in two claim years: tests/test_columnar_crossrow.py).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.columnar_data import both_paths, credit_code, generate
from zhuanyezhen.batch.columns import LIST_BY_NAME, MAIN_COLUMNS
from zhuanyezhen.policy.loader import load_policies
from zhuanyezhen.policy.models import Policy

ROWS = 20_000  # each option set: the row path scores ~1,000-3,000 rows/s on a shared 2-core machine
MIX_ROWS = 5_000  # the mixed option sets, on a sheet of another seed
POLICY = next(iter(load_policies(None).values()))


def option_sets(policy: Policy) -> dict[str, dict[str, str]]:
    """Every option of every interpretation in at least one set: set k takes each interpretation's
    k-th option (its default first; its last where it has fewer), so with at most N options
    there are N sets. The first set is the defaults."""
    options = {name: [i.default, *(o for o in i.options if o != i.default)]
               for name, i in policy.interpretations.items()}
    most = max((len(o) for o in options.values()), default=1)
    return {("defaults" if k == 0 else f"option-{k}"): {n: o[min(k, len(o) - 1)] for n, o in options.items()}
            for k in range(most)}


def mixed_sets(policy: Policy) -> dict[str, dict[str, str]]:
    """Options that meet only when some interpretations are switched and others are not (e.g.
    insurance renewals paid every year under a cap per claim year): every other interpretation
    at its second option, the rest at their defaults, and the other way round."""
    sets: dict[str, dict[str, str]] = {}
    for parity in (0, 1):
        chosen = {}
        for index, (name, i) in enumerate(policy.interpretations.items()):
            others = [o for o in i.options if o != i.default]
            chosen[name] = others[0] if others and index % 2 == parity else i.default
        sets[f"mixed-{parity}"] = chosen
    return sets


OPTION_SETS = option_sets(POLICY)
MIXED_SETS = mixed_sets(POLICY)


def test_every_option_of_every_interpretation_is_run() -> None:
    for name, interpretation in POLICY.interpretations.items():
        for option in interpretation.options:
            assert any(chosen[name] == option for chosen in OPTION_SETS.values()), (name, option)
    assert len({tuple(sorted(c.items())) for c in (*OPTION_SETS.values(), *MIXED_SETS.values())}) \
        == len(OPTION_SETS) + len(MIXED_SETS)


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("columnar"), ROWS)


@pytest.fixture(scope="module")
def mix_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("columnar-mix"), MIX_ROWS, seed=31)


@pytest.mark.parametrize("assumptions", list(OPTION_SETS.values()), ids=list(OPTION_SETS))
def test_columnar_path_equals_the_row_path_byte_for_byte(sheet: Path, tmp_path: Path,
                                                         assumptions: dict[str, str]) -> None:
    columns, rows = both_paths(sheet, tmp_path, assumptions=assumptions)
    assert rows.columnar == 0
    assert columns.scored == rows.scored and columns.rejected == rows.rejected
    assert columns.scored >= 0.85 * ROWS
    # the columnar path really scores: rows with history, other policies' awards, premiums and
    # projects are no longer handed over (gi_zone/gi_china_eu and land_price still are: every
    # row with an honour of those kinds or a land plot, and every row with a cell not canonical)
    assert columns.columnar >= 0.4 * columns.scored, columns


@pytest.mark.parametrize("assumptions", list(MIXED_SETS.values()), ids=list(MIXED_SETS))
def test_mixed_options_equal_the_row_path(mix_sheet: Path, tmp_path: Path, assumptions: dict[str, str]) -> None:
    columns, rows = both_paths(mix_sheet, tmp_path, assumptions=assumptions)
    assert columns.scored == rows.scored and columns.columnar >= 0.4 * columns.scored


def test_without_the_lists_still_routed_nearly_every_row_is_scored_in_columns(mix_sheet: Path,
                                                                             tmp_path: Path) -> None:
    """With no honours and no land plots (read by the provisions still left to the row path),
    only rows with a cell the columnar path does not take (300万, 2024/6/30, a bad cell) and
    rejected rows remain for the row path."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in mix_sheet.parent.iterdir():
        if not path.name.endswith((".honours.csv", ".land.csv")):
            shutil.copy(path, folder / path.name)
    columns, rows = both_paths(folder / mix_sheet.name, tmp_path)
    assert columns.scored == rows.scored
    assert columns.columnar >= 0.85 * columns.scored, columns


def _rewrite(main: Path, change: object) -> None:
    with main.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    table = change(table)  # type: ignore[operator]
    with main.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)


def _column(table: list[list[str]], field: str) -> int:
    return next(i for i, h in enumerate(table[0]) if field in h)


@pytest.mark.parametrize(("change", "in_columns"), [
    # title and 合计 rows: read in columns as the row path reads them (tests/test_columnar_intake.py);
    # a code in two claim years: scored year by year in columns (tests/test_columnar_crossrow.py)
    pytest.param(lambda t: [["2024年专业镇企业奖补申报汇总表"] + [""] * (len(t[0]) - 1), *t], True, id="title-row"),
    pytest.param(lambda t: [*t, ["合计", *[""] * (len(t[0]) - 1)]], True, id="total-row"),
    pytest.param(lambda t: [t[0], *t[1:], [*t[1][:_column(t, "申报年度")], str(int(t[1][_column(t, "申报年度")]) - 1),
                                           *t[1][_column(t, "申报年度") + 1:]]], True, id="code-in-two-years"),
])
def test_title_and_total_rows_and_a_code_in_two_years_give_the_row_paths_bytes(tmp_path: Path, change: object,
                                                              in_columns: bool) -> None:
    main = generate(tmp_path / "in", 300)
    _rewrite(main, change)
    columns, rows = both_paths(main, tmp_path)
    assert (columns.columnar > 0) is in_columns
    assert columns.read == rows.read


def test_a_ledger_sends_the_file_to_the_row_path(tmp_path: Path) -> None:
    main = generate(tmp_path / "in", 300)
    with main.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    code = table[1][_column(table, "统一社会信用代码")]
    held = {code: ({"provision": "standard", "year": 2023, "subject": "标准:甲", "amount": "1000"},)}
    columns, _ = both_paths(main, tmp_path, received=held)
    assert columns.columnar == 0


def test_unit_in_a_header_is_read_as_the_row_path_reads_it(tmp_path: Path) -> None:
    main = generate(tmp_path / "in", 300)

    def in_wan(table: list[list[str]]) -> list[list[str]]:
        at = _column(table, "营业收入")
        table[0][at] = table[0][at].replace("(元)", "(万元)")
        return table

    _rewrite(main, in_wan)
    columns, _ = both_paths(main, tmp_path)
    assert columns.columnar > 0  # scaled as the row path scales it (tests/test_columnar_intake.py)


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


def _sheet(folder: Path, enterprises: list[dict[str, object]], lists: dict[str, list[dict[str, object]]]) -> Path:
    """A main table and list files from rows keyed by field (the template's titles)."""
    folder.mkdir(parents=True, exist_ok=True)

    def write(path: Path, columns: list[tuple[str, str]], rows: list[dict[str, object]]) -> None:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow([title for _, title in columns])
            out.writerows([["" if r.get(field) is None else r[field] for field, _ in columns] for r in rows])

    main = folder / "towns.csv"
    write(main, [(c.field, c.title) for c in MAIN_COLUMNS], enterprises)
    for kind, rows in lists.items():
        write(folder / f"towns.{kind}.csv", [(c.field, c.title) for c in LIST_BY_NAME[kind].columns], rows)
    return main


def _by_code(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {r["统一社会信用代码"]: r for r in csv.DictReader(f)}


def _cell(row: dict[str, str], part: str) -> str:
    return next(v for k, v in row.items() if part in k)


@pytest.mark.parametrize(("assumptions", "expected"), [
    ({}, {"E1": "240000.00", "E2": "400000.00", "E3": "20000.00"}),
    ({"enterprise_cap_period": "policy_period", "insurance_renewal": "every_year"},
     {"E1": "240000.00", "E2": "100000.00", "E3": "120000.00"}),
], ids=["defaults", "policy-period-every-year"])
def test_history_caps_and_other_policies_in_columns(tmp_path: Path, assumptions: dict[str, str],
                                                    expected: dict[str, str]) -> None:
    """Worked by hand from clause (九) (20% of the insured year's premium, 50万元 per enterprise)
    and clause (三) (national standard, lead: up to 10万元), settled as docs/readings.md says:

    E1, 2024: 材料A 100万 + 20万 in 2024 is one base, 20% × 120万 = 24万; 材料B 20% × 200万 = 40万.
      The cap gives A 24万 and B what is left, 50万 − 24万 = 26万. Another policy pays B 30万:
      less than B's 40万 alone (phase 1 keeps it), at least its 26万 share (phase 2: B goes).
      Paid 24万, one award excluded.
    E2, 2024: the same, with 10万 of this provision received in 2024 (and 30万 in 2023) and the
      other policy paying B 15万. per_claim_year: room 50万 − 10万 = 40万: A 24万, B 16万 > 15万:
      stays, 40万. policy_period: room 50万 − 10万 − 30万 = 10万: B alone is 10万 ≤ 15万 (phase
      1: B goes), A capped at 10万.
    E3, 2025: 材料A 10万 in 2024 and 50万 in 2025. first_year_only: 2025 is a renewal, 2024 pays
      20% × 10万 = 2万. every_year: 2万 + 20% × 50万 = 12万.
    E4, 2025: standards X (2024-03-01) and Y (2025-01-10), an award of ``standard`` received in
      2024 without a subject: X may be it (需补充信息), Y is later and is paid up to 10万.
    E5: E4 without the award: X and Y, up to 10万 each = 20万.
    """
    codes = {name: credit_code(900 + n) for n, name in enumerate(("E1", "E2", "E3", "E4", "E5"))}
    year = {"E1": 2024, "E2": 2024, "E3": 2025, "E4": 2025, "E5": 2025}
    main = [{"name": f"企业{k}", "credit_code": code, "county": "城区", "town": "耐火材料", "claim_year": year[k]}
            for k, code in codes.items()]
    premiums = [{"credit_code": codes[k], "product": p, "premium": m, "qualifies": "是", "date": d}
                for k in ("E1", "E2") for p, m, d in (("材料A", "1000000", "2024-03-01"),
                                                      ("材料A", "200000", "2024-06-01"),
                                                      ("材料B", "2000000", "2024-05-01"))]
    premiums += [{"credit_code": codes["E3"], "product": "材料A", "premium": m, "qualifies": "是", "date": d}
                 for m, d in (("100000", "2024-03-01"), ("500000", "2025-02-01"))]
    standards = [{"credit_code": codes[k], "name": n, "level": "national", "role": "lead", "date": d}
                 for k in ("E4", "E5") for n, d in (("X", "2024-03-01"), ("Y", "2025-01-10"))]
    received = [{"credit_code": codes["E2"], "provision": "new_material_insurance", "year": y, "subject": s,
                 "amount": a} for y, s, a in ((2024, "保险:材料C:2024", "100000"), (2023, "保险:材料C:2023", "300000"))]
    received.append({"credit_code": codes["E4"], "provision": "standard", "year": 2024})
    others = [{"credit_code": codes["E1"], "subject": "材料B首批次保险(2024年度)", "policy": "其他办法", "amount": "300000"},
              {"credit_code": codes["E2"], "subject": "保险:材料B:2024", "policy": "其他办法", "amount": "150000"}]
    sheet = _sheet(tmp_path / "in", main, {"premiums": premiums, "standards": standards,
                                           "awards_received": received, "other_policy_awards": others})
    columns, _ = both_paths(sheet, tmp_path, assumptions=assumptions)
    assert columns.columnar == columns.scored == 5
    out = _by_code(tmp_path / "columns.csv")
    for name, amount in expected.items():
        assert _cell(out[codes[name]], "首批次保险") == amount, name
    assert _cell(out[codes["E1"]], "不予重复奖补") == "1"
    assert _cell(out[codes["E4"]], "标准制修订") == "100000.00"
    assert _cell(out[codes["E5"]], "标准制修订") == "200000.00"
    needs = {k: int(_cell(out[codes[k]], "需补充信息")) for k in ("E4", "E5")}
    assert needs["E4"] == needs["E5"] + 1
