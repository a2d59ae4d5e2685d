"""The columnar path's cross-row semantics against the row path, byte for byte.

Three things one row cannot decide alone, on generated county sheets made for them:
- awards paid once in the whole city (``gi_zone``, ``gi_china_eu`` under ``gi_award=once_per_zone``):
  several enterprises claim the same 示范区 or product, some marked 申报单位, some not, some without
  the name, with and without other facts, in and out of the policy's window;
- land plots (``land_price``), matched by position in the enterprise's land list;
- one credit code claimed for two or three claim years (earlier years' one-time and tier awards
  carried into later years, 以前年度奖励), the same code and year twice (a duplicate), and an
  earlier year's row rejected (the later year refused).

Each sheet is scored by ``zyz batch`` in columns and wholly by the row path (``run(columns=False)``)
under every option of the interpretations these provisions read; results, rejected rows and
summary must be the same bytes, and most rows must have been scored in columns
(``Counts.columnar``), so the test cannot pass by handing everything to the row path.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest

from tests.columnar_data import both_paths
from zhuanyezhen.batch.columns import LIST_BY_NAME, MAIN_COLUMNS
from zhuanyezhen.batch.runner import Options, run
from zhuanyezhen.policy.loader import load_policies
from zhuanyezhen.profile.credit_code import check_character
from zhuanyezhen.profile.places import COUNTIES, TOWNS

ROWS = 3_000
POLICY = next(iter(load_policies(None).values()))
DEFAULTS = {name: i.default for name, i in POLICY.interpretations.items()}
# every other option at once, with the first day in force the compiler knows (effective_date's
# other option sends the whole file to the row path, which is not what is tested here)
OTHERS = {**{name: next(o for o in i.options if o != i.default) for name, i in POLICY.interpretations.items()},
          "effective_date": DEFAULTS["effective_date"]}
PER_ENTERPRISE = {**DEFAULTS, "gi_award": "per_enterprise"}

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# a few claims of each 示范区 and product in a sheet: several rows claim one, some marked 申报单位
ZONES = tuple(f"{town}示范区{k}" for town in ("砂陶", "耐材", "杂粮", "富硒") for k in range(15))
PRODUCTS = tuple(f"{product}{k}" for product in ("平定砂器", "盂县小米", "阳泉黄芪") for k in range(15))
# honours of every other kind: their provisions are compiled with the GI ones (an item ``where``
# on the honour's kind, which is never unknown)
OTHER_HONOURS = ("laozihao_china", "laozihao_shanxi", "leader_city", "leader_province", "single_champion",
                 "craft_master_national", "craft_master_province", "craft_master_city", "heritage_national",
                 "heritage_province", "high_tech")
DATES = ("2023-05-10", "2023-05-11", "2023-08-01", "2024-03-15", "2024-12-31", "2025-06-30", "2025-12-31",
         "2026-01-01")


def credit_code(n: int) -> str:
    body = "91140300" + "".join(ALPHABET[(n // 31 ** i) % 31] for i in range(9))
    return body + check_character(body)


class _Writer:
    def __init__(self, path: Path, columns: list[tuple[str, str]]) -> None:
        self.file = path.open("w", encoding="utf-8-sig", newline="")
        self.out = csv.writer(self.file)
        self.fields = [field for field, _ in columns]
        self.out.writerow([title for _, title in columns])

    def row(self, values: dict[str, object]) -> None:
        self.out.writerow(["" if values.get(f) is None else values[f] for f in self.fields])


def generate(folder: Path, rows: int, seed: int = 31, several_years: float = 0.15) -> Path:
    """``towns.csv`` with ``towns.honours.csv``, ``towns.land.csv`` and ``towns.awards_received.csv``;
    returns the main file.

    ``several_years``: the share of enterprises claiming for two or three years.
    Cells are written as the columnar path reads them (plain numbers, ISO dates, 是/否), so the
    rows it hands to the row path are the ones whose semantics are under test here.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    main = _Writer(folder / "towns.csv", [(c.field, c.title) for c in MAIN_COLUMNS])
    lists = {name: _Writer(folder / f"towns.{name}.csv", [(c.field, c.title) for c in LIST_BY_NAME[name].columns])
             for name in ("honours", "land", "awards_received")}

    def maybe(value: object, unknown: float = 0.1) -> object:
        return None if rng.random() < unknown else value

    n = 0
    written = 0
    while written < rows:
        n += 1
        code = credit_code(n)
        rich = rng.random() < 0.5  # an enterprise with other facts, or one with (almost) only its GI
        base: dict[str, object] = {
            "name": f"企业{n}", "credit_code": code, "county": rng.choice(COUNTIES),
            "town": maybe(rng.choice((*TOWNS, *TOWNS, "无")), 0.03),
            "leading_industry": maybe(rng.choice(("是", "否"))) if rich else None,
            "backbone": maybe(rng.choice(("是", "否"))) if rich else None,
            "size": maybe(rng.choice(("large", "medium", "small", "micro"))) if rich else None,
        }
        first_year = rng.choice((2023, 2023, 2024, 2024, 2025))
        several = rng.random()
        years = [first_year] if several >= several_years else \
            sorted({first_year, *rng.sample((2023, 2024, 2025), 2 if several < 0.8 * several_years else 3)})
        if len(years) > 1:
            rng.shuffle(years)  # an earlier year may come later in the file
        honours = _honours(rng, maybe, rich)
        for y in years:
            cells = dict(base, claim_year=y, name=f"{base['name']}")
            if rich:
                revenue = rng.choice((99_999_999, 100_000_000, 300_000_000, 1_000_000_000, rng.randrange(10**7, 2 * 10**9)))
                cells["revenue"] = maybe(revenue)
                cells["highest_revenue_before"] = maybe(rng.choice((0, 50_000_000, 100_000_000, 290_000_000)))
                cells["market_rank"] = maybe(rng.choice((3, 5, 6, 10, 11)))
                cells["market_rank_best_before"] = maybe(rng.choice(("never", 4, 8, 12)))
                cells["industry_revenue_rank"] = maybe(rng.choice((1, 2, 7)))
            shape = rng.random()
            if shape < 0.03 and len(years) > 1:
                cells["revenue"] = "坏"  # a rejected row: a later year of the same code is refused
            elif shape < 0.06 and rich:
                cells["revenue"] = f"{revenue / 10000:g}万"  # read by the row path only: that year leaves columns
            elif shape < 0.065 and len(years) > 1:
                cells["claim_year"] = "去年"  # not a year: the code's other years are not ordered by it
            main.row(cells)
            written += 1
            if rng.random() < 0.02:  # the same code and claim year again: a duplicate
                main.row(dict(cells, name=f"{cells['name']}(重复)"))
                written += 1
        for h in honours:
            lists["honours"].row({"credit_code": code, **h})
        # an award received, of a GI 示范区 (named or not: which one?) or not; often beside awards
        # carried from the code's earlier claim years (the list's entries come first)
        if rng.random() < (0.3 if len(years) > 1 else 0.04):
            zone = next((h["name"] for h in honours if h["kind"] == "gi_zone" and h["name"]), None)
            named = rng.random() < 0.5
            lists["awards_received"].row({"credit_code": code, "provision": "gi_zone" if zone else "laozihao_china",
                                          "year": rng.choice((2023, 2024)),
                                          "subject": f"示范区:{zone}" if zone and named else None})
        _land(rng, lists["land"], code, maybe)
    for w in (main, *lists.values()):
        w.file.close()
    return folder / "towns.csv"


def _honours(rng: random.Random, maybe, rich: bool) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    out: list[dict[str, object]] = []
    seen: set[tuple[str, object]] = set()
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        kind = rng.choice(("gi_zone", "gi_zone", "gi_china_eu", "gi_china_eu", *OTHER_HONOURS)
                          if rich else ("gi_zone", "gi_china_eu"))
        if kind == "gi_zone":
            name = maybe(rng.choice(ZONES), 0.08)
        elif kind == "gi_china_eu":
            name = maybe(rng.choice(PRODUCTS), 0.08)
        else:
            name = maybe(f"荣誉{len(out)}", 0.5)
        if name is not None and (kind, name) in seen:
            continue  # a repeated name is bad input, tested elsewhere (one row path only)
        seen.add((kind, name))
        out.append({"kind": kind, "date": rng.choice(DATES), "name": name,
                    "applicant": maybe(rng.choice(("是", "否", "否")), 0.5)})
    return out


def _land(rng: random.Random, out: _Writer, code: str, maybe) -> None:  # type: ignore[no-untyped-def]
    for i in range(rng.choice((0, 0, 0, 1, 2, 3))):
        out.row({"credit_code": code, "name": f"地块{i}", "grade": rng.randrange(1, 16),
                 "area_m2": rng.choice((1000, 2500, 33333, rng.randrange(100, 100_000))),
                 "cost_sum": rng.choice((0, 100_000, 5_000_000, rng.randrange(0, 50_000_000))),
                 "supported_industrial": maybe(rng.choice(("是", "否")))})


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("crossrow"), ROWS)


def _claims_in_columns(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the rows claiming a city-once award that the columnar path scored."""
    from zhuanyezhen.batch.columnar import city_once

    seen: list[int] = []
    split = city_once.split

    def counting(out: Any, n: int) -> Any:
        plain, claiming = split(out, n)
        seen.extend(r.row for r in claiming)
        return plain, claiming

    monkeypatch.setattr(city_once, "split", counting)
    return seen


def _lines(path: Path, text: str) -> int:
    return sum(text in line for line in path.read_text(encoding="utf-8-sig").splitlines())


def _small_blocks(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Blocks of ``size`` bytes, so a sheet is many chunks: a 示范区 claimed in one chunk and paid
    in another, a code's earlier year in a later chunk, held chunks waiting on disk."""
    from zhuanyezhen.batch.columnar import blocks

    defaults = blocks.read_blocks.__defaults__ or ()
    monkeypatch.setattr(blocks.read_blocks, "__defaults__", (size, *defaults[1:]))


@pytest.mark.parametrize(("assumptions", "block"), [(DEFAULTS, 20_000), (PER_ENTERPRISE, 20_000), (OTHERS, 20_000),
                                                    (DEFAULTS, None)],
                         ids=["defaults", "gi-per-enterprise", "other-options", "defaults-one-block"])
def test_cross_row_semantics_in_columns_equal_the_row_path(sheet: Path, tmp_path: Path, assumptions: dict[str, str],
                                                           block: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    claiming = _claims_in_columns(monkeypatch)
    if block is not None:
        _small_blocks(monkeypatch, block)
    columns, rows = both_paths(sheet, tmp_path, assumptions=assumptions)
    assert rows.columnar == 0
    assert (columns.scored, columns.rejected, columns.read) == (rows.scored, rows.rejected, rows.read)
    # most rows in columns (codes claimed in several years included: a quarter of the rows)
    assert columns.columnar >= 0.8 * columns.scored, columns
    results, rejected = tmp_path / "rows.csv", tmp_path / "rows.rejected.csv"
    # the sheet has what is under test, in the row path's own output
    assert _lines(results, "视为已获(同表以前年度应付)") > 50  # earlier years carried
    assert _lines(rejected, "(更早年度)的申报未能计分") > 5  # a later year refused
    assert _lines(rejected, "与第") > 20  # the same code and year twice
    land = [line for line in csv.reader(results.open(encoding="utf-8-sig"))][1:]
    assert sum(float(r[-5]) > 0 for r in land) > 200  # land-price benefits (a sum, not money arithmetic)
    if assumptions["gi_award"] == "once_per_zone":
        assert _lines(results, "同一示范区已由") > 100 and _lines(results, "同一产品已由") > 100
        paid = [line for line in csv.reader(results.open(encoding="utf-8-sig"))]
        zone = paid[0].index("（五）国家地理标志产品保护示范区奖励(元)")
        assert sum(bool(r[zone]) for r in paid[1:]) > 40  # the rows paid, one per 示范区 (or more: two of its own)
        assert len(claiming) > 300  # rows claiming a 示范区 or product, scored in columns
    else:
        assert _lines(results, "同一示范区已由") == 0 and claiming == []


def _sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def test_xlsx_output_of_held_chunks_equals_the_row_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook's cells (the rows waiting for the city-once settlement are written one by one)."""
    main = generate(tmp_path / "in", 600, seed=5)
    _small_blocks(monkeypatch, 8_000)
    counts = []
    for name, columns in (("columns", True), ("rows", False)):
        counts.append(run(Options(input=main, output=tmp_path / f"{name}.xlsx", summary=tmp_path / f"{name}.s.xlsx"),
                          quiet=True, columns=columns))
    assert counts[0].columnar > 300 and counts[1].columnar == 0
    for pattern in ("{}.xlsx", "{}.s.xlsx"):
        assert _sheets(tmp_path / pattern.format("columns")) == _sheets(tmp_path / pattern.format("rows")), pattern


def test_the_equality_sheet_with_a_code_in_two_years(tmp_path: Path) -> None:
    """``tests/columnar_data.py``'s sheet (every fact, lists, bad cells) with its first code claimed
    again for the year before: no longer a reason to send the file to the row path."""
    from tests.columnar_data import generate as generate_all

    main = generate_all(tmp_path / "in", 1_500)
    with main.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    year = next(i for i, h in enumerate(table[0]) if "申报年度" in h)
    table.append([*table[1][:year], str(int(table[1][year]) - 1), *table[1][year + 1:]])
    with main.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)
    columns, rows = both_paths(main, tmp_path)
    assert columns.columnar > 0 and rows.columnar == 0
    # the first row's 2024 claim carries the 2023 claim's market-share tier (前5)
    assert "视为已获(同表以前年度应付):2023年 market_share(前5)" in (tmp_path / "rows.csv").read_text(encoding="utf-8-sig")


def test_xlsx_output_keeps_names_that_start_with_a_quote_or_a_formula_sign(tmp_path: Path) -> None:
    """In a workbook a name is its own text: ``'甲``, ``=甲`` and ``-甲`` come out as typed, from
    the columnar path as from the row path (only CSV marks formula starts, with a ``'``)."""
    main = generate(tmp_path / "in", 300, seed=7)
    with main.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    name = next(i for i, h in enumerate(table[0]) if "企业名称" in h)
    odd = ["'单引号开头的企业", "=SUM(A1)", "-减号开头的企业", "@艾特开头的企业", "+加号开头的企业"]
    for row, text in zip(table[1:], odd, strict=False):
        row[name] = text
    with main.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)
    counts = []
    for label, columns in (("columns", True), ("rows", False)):
        counts.append(run(Options(input=main, output=tmp_path / f"{label}.xlsx"), quiet=True, columns=columns))
    assert counts[0].columnar > 0 and counts[1].columnar == 0
    cells = _sheets(tmp_path / "columns.xlsx")
    assert cells == _sheets(tmp_path / "rows.xlsx")
    written = {value for row in cells["评分结果"] for value in row if isinstance(value, str)}
    assert set(odd) <= written
