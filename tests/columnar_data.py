"""Generated county sheets for the columnar-path equality checks (tests and benchmarks).

Seeded and deterministic. Rows vary every fact the rules read, including unknown (empty) cells,
dates at and just outside the in-force window, claim years on both sides of it, several claim
years of one enterprise, shared per-enterprise caps, other-policy awards for the very subjects
the rules give, award history, and a share of cells written the ways the row path reads but the
columnar path does not take (300万, 2024/6/30, full-width digits, spaces), plus bad rows, repeated
and missing codes and list rows that belong to no enterprise.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from zhuanyezhen.batch.columns import LIST_BY_NAME, MAIN_COLUMNS
from zhuanyezhen.batch.runner import Counts, Options, run
from zhuanyezhen.profile.credit_code import check_character
from zhuanyezhen.profile.places import COUNTIES, TOWNS

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
EDGE_DATES = ("2023-05-10", "2023-05-11", "2023-05-12", "2023-12-31", "2024-06-30", "2024-12-31", "2025-01-01",
              "2025-12-31", "2026-01-01", "2022-11-30")
YEARS = (2022, 2023, 2024, 2025, 2026)
PROVISION_IDS = ("leader_city", "leader_province", "standard", "gi_zone", "gi_china_eu", "laozihao_china",
                 "laozihao_shanxi", "training_onjob", "training_order", "digital_project", "tech_project",
                 "rd_equipment", "single_champion", "new_material_insurance", "revenue_tier", "market_share")
HONOUR_KINDS = ("leader_city", "leader_province", "gi_zone", "gi_china_eu", "laozihao_china", "laozihao_shanxi",
                "single_champion", "craft_master_city", "high_tech", "全市特色专业镇规模化领军企业", "山西老字号",
                "三晋老字号", "国家级制造业单项冠军产品")


def credit_code(n: int) -> str:
    body = "91140300" + "".join(ALPHABET[(n // 31 ** i) % 31] for i in range(9))
    return body + check_character(body)


class _Writer:
    def __init__(self, path: Path, kind: str) -> None:
        self.file = path.open("w", encoding="utf-8-sig", newline="")
        self.out = csv.writer(self.file)
        self.columns = [c.field for c in LIST_BY_NAME[kind].columns]
        self.out.writerow([c.title for c in LIST_BY_NAME[kind].columns])

    def row(self, values: dict[str, object]) -> None:
        self.out.writerow(["" if values.get(c) is None else values.get(c) for c in self.columns])


def generate(folder: Path, rows: int, seed: int = 13) -> Path:
    """``towns.csv`` and every list file beside it; returns the main file."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    main_path = folder / "towns.csv"
    main_file = main_path.open("w", encoding="utf-8-sig", newline="")
    main = csv.writer(main_file)
    main.writerow([c.title for c in MAIN_COLUMNS])
    lists = {name: _Writer(folder / f"towns.{name}.csv", name) for name in LIST_BY_NAME}

    def maybe(value: object, unknown: float = 0.15) -> object:
        return None if rng.random() < unknown else value

    def money(low: int, high: int) -> str:
        value = rng.randrange(low, high)
        shape = rng.random()
        if shape < 0.01:
            return f"{value / 10000:g}万"  # the row path's reading
        if shape < 0.2:
            return f"{value}.{rng.randrange(0, 100):02d}"
        return str(value)

    def date() -> str:
        text = rng.choice(EDGE_DATES) if rng.random() < 0.5 else \
            f"{rng.choice((2023, 2024, 2025))}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        if rng.random() < 0.01:
            y, m, d = text.split("-")
            return f"{y}/{int(m)}/{int(d)}"
        return text

    def boolean(unknown: float = 0.15) -> object:
        return maybe(rng.choice(("是", "否", "true", "false", "是", "是")), unknown)

    family: dict[str, object] = {}
    year = YEARS[0]
    for n in range(rows):
        code = credit_code(n + 1)
        if n % 4 and family:  # the same enterprise in another claim year (a new row, a new code)
            facts = dict(family)
        else:
            rich = rng.random() < 0.7
            revenue = rng.choice((100_000_000, 300_000_000, 1_000_000_000, 99_999_999, rng.randrange(10**7, 2 * 10**9)))
            facts = {
                "name": f"示例企业{n}", "county": maybe(rng.choice((*COUNTIES, "开发区")), 0.05),
                "town": maybe(rng.choice((*TOWNS, "无", "耐材", "富硒")), 0.05),
                "leading_industry": boolean(), "backbone": boolean(), "sci_tech_sme": boolean(),
                "size": maybe(rng.choice(("large", "medium", "small", "micro", "小型", "微型"))),
                "revenue": maybe(str(revenue)) if rich else None,
                "highest_revenue_before": maybe(str(int(revenue * rng.choice((0.5, 0.9, 1.0, 0.29, 0.099))))) if rich else None,
                "industry_revenue_rank": maybe(rng.choice((1, 1, 2, 7))),
                "market_rank": maybe(rng.choice((3, 5, 6, 10, 11, 40))),
                "market_rank_best_before": maybe(rng.choice(("never", "从未进入", 4, 5, 8, 10, 12))),
                "equipment_investment": maybe(rng.choice(("300000", "299999", "2000000", "2000001", money(0, 5_000_000)))),
            }
            if rng.random() < 0.3:
                facts["onjob_training.trainees"] = rng.choice((0, 1, 50, 299))
                facts["onjob_training.finished"] = date()
            family = facts
        year_before = year
        year = rng.choice(YEARS)
        cells = {**facts, "credit_code": code, "claim_year": year, "name": f"{facts['name']}({year})"}
        shape = rng.random()
        if shape < 0.004:
            cells["credit_code"] = code[:-1] + ("0" if code[-1] != "0" else "1")  # bad check character
        elif shape < 0.007:
            cells["credit_code"] = ""
        elif shape < 0.010 and n > 10:
            # the code of the row before, same claim year: the same key twice, a duplicate
            cells["credit_code"], cells["claim_year"] = credit_code(n), year_before
        elif shape < 0.013:
            cells["revenue"] = "坏"
        elif shape < 0.02:
            cells["leading_industry"] = " 是 "
        elif shape < 0.025:
            cells["name"] = "=HYPERLINK(\"x\",\"y\"), 有限公司"
        main.writerow(["" if cells.get(c.field) is None else cells.get(c.field) for c in MAIN_COLUMNS])
        owner = cells["credit_code"] if rng.random() > 0.01 else credit_code(10**7 + n)  # some orphans
        _items(rng, lists, str(owner), year, date, money, boolean, maybe)
    main_file.close()
    for w in lists.values():
        w.file.close()
    return main_path


def _items(rng: random.Random, lists: dict[str, _Writer], code: str, year: int, date, money, boolean, maybe) -> None:  # type: ignore[no-untyped-def]
    subjects: list[str] = [f"设备购置:{year}", "营收首次达标:1亿", "市场占有率首次进入:前10"]
    for i in range(rng.choice((0, 0, 1, 2, 3))):
        kind = rng.choice(HONOUR_KINDS)
        when = date()
        lists["honours"].row({"credit_code": code, "kind": kind, "date": when, "name": maybe(f"荣誉{i}", 0.5)})
        subjects.append(f"领军企业评选:{when[:4]}")
    for i in range(rng.choice((0, 0, 1, 2))):
        name = f"标准{i if rng.random() > 0.01 else 0}"  # now and then a name twice: the row path refuses it
        lists["standards"].row({"credit_code": code, "name": name,
                                "level": rng.choice(("international", "national", "industry", "group", "local", "国家标准")),
                                "role": rng.choice(("lead", "participate", "主导")), "date": date()})
        subjects.append(f"标准:{name}")
    for i in range(rng.choice((0, 0, 1, 2, 3))):
        name = f"项目{i}"
        lists["projects"].row({
            "credit_code": code, "name": name, "digital": boolean(0.2), "key_project": boolean(0.2),
            "field": maybe(rng.choice(("foundation", "smart_manufacturing", "green_manufacturing", "other", "智能制造示范"))),
            "software_hardware_investment": maybe(rng.choice(("20000000", "20000001", money(0, 40_000_000)))),
            "fixed_asset_investment": maybe(money(0, 60_000_000)), "date": maybe(date(), 0.1)})
        subjects += [f"项目:{name}", f"数字化项目:{name}", f"技改项目:{name}"]
    for i in range(rng.choice((0, 0, 1, 2, 3, 4))):
        # one product's premiums in one insured year are one base; in later years, renewals
        product = f"材料{i % 2}"
        when = date()
        lists["premiums"].row({"credit_code": code, "product": product, "premium": money(1_000, 3_000_000),
                               "qualifies": boolean(0.1), "date": when})
        subjects.append(f"保险:{product}:{when[:4]}")
        if rng.random() < 0.2:
            subjects.append(f"{product}首批次保险({int(when[:4]) - 1}年度)")  # a renewal's history, as displayed
    for i in range(rng.choice((0, 0, 0, 1, 2))):
        name = f"培训{i}"
        lists["training_programmes"].row({
            "credit_code": code, "name": name, "kind": rng.choice(("order", "project", "订单式")),
            "trainees": rng.choice((0, 1, 33, 60)), "days": rng.choice((0, 9, 10, 11, 34, 35, 36, 60)),
            "employment_rate": maybe(rng.choice(("0.8", "0.79", "0.85", "85%", "1", "0.333"))),
            "provider": rng.choice(("本企业", "企业自身", "阳泉职业技术学院")), "finished": date()})
        subjects.append(f"培训:{name}")
    for i in range(rng.choice((0, 0, 0, 1, 2))):
        lists["land"].row({"credit_code": code, "name": f"地块{rng.choice((i, 0))}", "grade": rng.randrange(1, 16),
                           "area_m2": money(100, 100_000), "cost_sum": money(0, 50_000_000),
                           "supported_industrial": boolean()})
    subjects.append(f"{year}年度研发检测试验设备购置")  # a subject as a result displays it
    for _ in range(rng.choice((0, 0, 0, 1, 2, 3))):
        # awards received: with and without subjects and amounts, in the claim year (cap room of
        # this claim), before it (the policy period's room) and after it
        provision = rng.choice((*PROVISION_IDS, "rd_equipment", "new_material_insurance", "new_material_insurance"))
        lists["awards_received"].row({
            "credit_code": code, "provision": provision, "year": rng.choice((2023, 2024, 2025, year, year)),
            "tier": maybe(rng.choice(("1亿", "3亿", "10亿", "前10", "前5")), 0.5),
            "subject": maybe(rng.choice(subjects), 0.4),
            "amount": maybe(rng.choice(("100000", "200000", "450000", money(1, 500_000))), 0.3)})
    for _ in range(rng.choice((0, 0, 0, 1, 2, 3))):
        lists["other_policy_awards"].row({
            "credit_code": code, "subject": rng.choice(subjects), "policy": "其他奖励办法",
            "amount": rng.choice(("100000", "200000", "500000", "5000000", money(1, 3_000_000),
                                  money(1, 600_000)))})


OUTPUTS = ("{}.csv", "{}.rejected.csv", "{}.s.csv")


def both_paths(main: Path, folder: Path, **options: object) -> tuple[Counts, Counts]:
    """Score ``main`` in columns (``columns.*``) and wholly by the row path (``rows.*``); assert the
    result, rejected and summary files are the same bytes and the two runs account for their rows
    and notes alike. Returns (the columnar run's counts, the row path's counts)."""
    counts = []
    for name, columns in (("columns", True), ("rows", False)):
        counts.append(run(Options(input=main, output=folder / f"{name}.csv", summary=folder / f"{name}.s.csv",
                                  **options), quiet=True, columns=columns))  # type: ignore[arg-type]
    for pattern in OUTPUTS:
        a, b = folder / pattern.format("columns"), folder / pattern.format("rows")
        assert a.read_bytes() == b.read_bytes(), pattern
    assert counts[0].line() == counts[1].line()
    assert counts[0].notes == counts[1].notes
    return counts[0], counts[1]
