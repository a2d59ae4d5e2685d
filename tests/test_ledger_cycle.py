"""One whole cycle through the ledger, on SQLite and PostgreSQL, with amounts worked by hand from
阳政办发〔2023〕25号:

1. import 2023's paid awards; 2. score 2024's sheet with --ledger; 3. propose; 4. approve, with the
decided amount for the 最高 award; 5. pay; 6. score 2025's sheet with --ledger.

Enterprise A (91140322MA0H9N2G42, 耐火材料, backbone, first in its industry's revenue):
  2023, imported as paid: (五) 山西老字号 50,000 (one-time); (十六) 营收首次达到1亿 100,000.
  2024: revenue 3.2亿, highest before 2.9亿 → (十六) 首次达到3亿档 200,000;
        (九) equipment 600,000 × 10% = 60,000 (≤ 200,000);
        (八) project 智能产线, software and hardware 1,500,000 × 10% = 最高 150,000 (≤ 2,000,000 per item);
        the 山西老字号 honour, listed again, is not paid again: the ledger holds 2023's award.
        Exact 260,000, up to 150,000. The department decides 120,000 for the project.
  2025: revenue 3.1亿, the sheet again says highest before 2.9亿 → 3亿档 would be "first" again, but the
        ledger holds 2024's paid 3亿 tier → not repeated; equipment 400,000 × 10% = 40,000;
        山西老字号 again not paid. A's 2025 total: 40,000.
Enterprise B (91140300MA0K123459, 砂陶):
  2024: (九) 国家级制造业单项冠军产品 (first), one-time 500,000.
  2025: a new champion product, the 2024 one not listed on the sheet → "first" by the sheet, but the
        ledger holds the one-time award approved and paid in 2024 → not paid again. B's 2025 total: 0.
The fund (3000万 = 30,000,000):
  2024 batch summary: held 150,000 (imported); this batch 260,000 + 150,000 + 500,000 = 910,000;
        left 30,000,000 − 150,000 − 910,000 = 28,940,000.
  after approval: committed 150,000 + 200,000 + 60,000 + 500,000 + 120,000 = 1,030,000;
        remaining 28,970,000, i.e. 880,000 (exactly what was approved) less than the 29,850,000 before.
  2025 batch summary: held 1,030,000; this batch 40,000; left 30,000,000 − 1,030,000 − 40,000 = 28,930,000.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from zhuanyezhen.cli import app

A, B = "91140322MA0H9N2G42", "91140300MA0K123459"
runner = CliRunner()

MAIN = ["name", "credit_code", "county", "town", "leading_industry", "backbone", "size", "claim_year", "revenue",
        "highest_revenue_before", "industry_revenue_rank", "equipment_investment"]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def sheet(folder: Path, year: int, a: list[object], honours: list[list[object]],
          projects: list[list[object]] | None = None) -> Path:
    main = write_csv(folder / f"towns{year}.csv", MAIN, [
        ["阳泉盂耐新材料有限公司", A, "盂县", "耐火材料", "是", "是", "medium", year, *a],
        ["平定砂陶制品有限公司", B, "平定县", "砂陶", "是", "否", "small", year, "", "", "", ""],
    ])
    write_csv(folder / f"towns{year}.honours.csv", ["credit_code", "kind", "date"], honours)
    if projects:
        write_csv(folder / f"towns{year}.projects.csv",
                  ["credit_code", "name", "digital", "software_hardware_investment", "date"], projects)
    return main


def zyz(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.output


def scores(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig") as f:
        return {row["统一社会信用代码"]: row for row in csv.DictReader(f)}


def fund_left(summary: Path) -> str:
    with summary.open(encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    amount = table[0].index("奖补合计(元)")  # the summary's amount column, found by its header
    return next(r[amount] for r in table if r[0] == "资金对比" and r[1].startswith("结余:按奖补合计"))


def remaining(ledger: str) -> str:
    return json.loads(zyz("ledger", "fund", "--format", "json", "--ledger", ledger))["remaining"]


def test_the_whole_cycle(ledger_url: str, tmp_path: Path) -> None:
    ledger = ledger_url
    assert "结构版本 0001" in zyz("ledger", "init", "--ledger", ledger)

    # 1. 2023's paid awards
    paid = write_csv(tmp_path / "paid2023.csv", ["统一社会信用代码", "企业名称", "年度", "条款项目", "档位", "金额(元)", "部门"], [
        [A, "阳泉盂耐新材料有限公司", 2023, "laozihao_shanxi", "", "50000", "市市场监管局"],
        [A, "阳泉盂耐新材料有限公司", 2023, "骨干企业营收规模首次达到1亿、3亿、10亿元奖励", "1亿", "10万", "市工信局"],
    ])
    assert "导入 2 + 拒绝 0" in zyz("ledger", "import", str(paid), "--by", "张三", "--ledger", ledger)
    assert remaining(ledger) == "29850000.00"  # 30,000,000 − 150,000

    # 2. 2024's sheet with --ledger
    s2024 = sheet(tmp_path, 2024, ["3.2亿", "2.9亿", 1, 600000],
                  [[A, "laozihao_shanxi", "2023-10-12"], [B, "single_champion", "2024-06-20"]],
                  [[A, "智能产线", "是", 1500000, "2024-05-01"]])
    zyz("batch", str(s2024), "-o", str(tmp_path / "plain2024.csv"))
    assert scores(tmp_path / "plain2024.csv")[A]["企业合计(元)"] == "460000.00"  # without the ledger: + 50,000 老字号
    out = tmp_path / "scores2024.csv"
    zyz("batch", str(s2024), "-o", str(out), "--summary", str(tmp_path / "sum2024.csv"), "--ledger", ledger)
    got = scores(out)
    assert (got[A]["确定金额(元)"], got[A]["最高可达(元)"]) == ("260000.00", "150000.00")
    assert got[B]["企业合计(元)"] == "500000.00"
    assert fund_left(tmp_path / "sum2024.csv") == "28940000.00"

    # 3. propose; the same file twice is refused, naming the batch
    said = zyz("ledger", "propose", str(out), "--by", "李四", "--ledger", ledger)
    batch = re.search(r"批次 (P\S+):", said).group(1)  # type: ignore[union-attr]
    assert "记入拟奖补 4 笔" in said and "910000.00" in said
    again = runner.invoke(app, ["ledger", "propose", str(out), "--ledger", ledger])
    assert again.exit_code == 2 and batch in again.output

    # 4. approve: the fixed amounts, then the decided amount of the 最高 award (not above its ceiling)
    assert "审定 3 笔,审定金额合计 760000.00 元" in zyz("ledger", "approve", batch, "--by", "王五", "--ledger", ledger)
    lines = json.loads(zyz("ledger", "history", A, "-f", "json", "--ledger", ledger))
    project = next(x["id"] for x in lines if x["provision"] == "digital_project")
    too_much = write_csv(tmp_path / "too_much.csv", ["台账行号", "审定金额(元)"], [[project, "150000.01"]])
    refused = runner.invoke(app, ["ledger", "approve", batch, "--amounts", str(too_much), "--ledger", ledger])
    assert refused.exit_code == 2 and "超过上限 150000.00" in refused.output
    decided = write_csv(tmp_path / "decided.csv", ["台账行号", "审定金额(元)"], [[project, "120000"]])
    assert "审定 1 笔,审定金额合计 120000.00 元" in zyz("ledger", "approve", batch, "--amounts", str(decided),
                                                        "--ledger", ledger)
    assert remaining(ledger) == "28970000.00"  # 29,850,000 − 880,000 approved

    # 5. pay
    assert "拨付 4 笔,金额合计 880000.00 元" in zyz("ledger", "pay", batch, "--date", "2024-12-20", "--ledger", ledger)
    assert remaining(ledger) == "28970000.00"

    # 6. 2025's sheet with --ledger
    s2025 = sheet(tmp_path, 2025, ["3.1亿", "2.9亿", 1, 400000],
                  [[A, "laozihao_shanxi", "2023-10-12"], [B, "single_champion", "2025-03-01"]])
    zyz("batch", str(s2025), "-o", str(tmp_path / "plain2025.csv"))
    plain = scores(tmp_path / "plain2025.csv")
    assert (plain[A]["企业合计(元)"], plain[B]["企业合计(元)"]) == ("290000.00", "500000.00")
    out = tmp_path / "scores2025.csv"
    zyz("batch", str(s2025), "-o", str(out), "--summary", str(tmp_path / "sum2025.csv"), "--ledger", ledger)
    got = scores(out)
    assert (got[A]["企业合计(元)"], got[B]["企业合计(元)"]) == ("40000.00", "0.00")
    assert fund_left(tmp_path / "sum2025.csv") == "28930000.00"

    history = json.loads(zyz("ledger", "history", A, "-f", "json", "--ledger", ledger))
    # oldest first; every step a new line referring to the one before it
    assert [x["status"] for x in history] == ["paid"] * 2 + ["proposed"] * 3 + ["approved"] * 3 + ["paid"] * 3
    by_id = {x["id"]: x for x in history}
    for x in history[5:]:
        before = by_id[x["refers_to"]]
        assert (before["provision"], before["status"]) == (x["provision"], {"approved": "proposed", "paid": "approved"}[x["status"]])
    # a score sheet fixes the subject of the equipment award (claim year) and of the tier, not the project's
    assert {x["provision"]: (x["subject"], x["tier"]) for x in history[2:5]} == {
        "revenue_tier": ("营收首次达标:3亿", "3亿"), "rd_equipment": ("设备购置:2024", None), "digital_project": ("", None)}
    assert {x["provision"]: x["approved_amount"] for x in history[-3:]} == {
        "revenue_tier": "200000.00", "rd_equipment": "60000.00", "digital_project": "120000.00"}
