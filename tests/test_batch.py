"""``zyz batch`` and ``zyz template`` as a county office uses them.

Every amount is worked out by hand from 阳政办发〔2023〕25号 in a comment beside it.
"""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from zhuanyezhen import calculate, load_profile
from zhuanyezhen.batch.columns import LIST_BY_NAME, MAIN_COLUMNS
from zhuanyezhen.cli import app
from zhuanyezhen.profile.credit_code import check_character

runner = CliRunner()


def code(n: int) -> str:
    body = f"911403007{n:08d}"
    return body + check_character(body)


A, B, C, D = code(1), code(2), code(3), code(4)

# Three enterprises, as facts (field → cell text) and list rows, used by several tests.
ENTERPRISES: list[dict[str, object]] = [
    # 甲: (十六) 营收 1.2亿, 以往最高 0.9亿: 首次达到 1亿档 → 100,000 (exact)
    #     (七) 在岗培训 50 人 × 300 = 15,000 (exact)
    #     (八) 数字车间 软硬件 5,000,000 × 10% = 500,000 ≤ 200万 → 最高 500,000 (up to)
    #     exact 115,000; up to 500,000; total 615,000
    {"name": "阳泉甲耐材有限公司", "credit_code": A, "county": "郊区", "town": "耐火材料",
     "leading_industry": "是", "backbone": "是", "claim_year": "2024", "revenue": "1.2亿",
     "highest_revenue_before": "9000万", "onjob_training.trainees": "50",
     "onjob_training.finished": "2024/6/30"},
    # 乙: (三) 行业标准·参与 → 最高 20,000 (up to); (五) 新入选山西老字号 → 50,000 (exact)
    #     exact 50,000; up to 20,000; total 70,000
    {"name": "阳泉乙砂器厂", "credit_code": B, "county": "平定县", "town": "砂陶", "claim_year": "2024"},
    # 丙: not in a specialised town: every provision needs 位于专业镇 → nothing, total 0
    {"name": "阳泉丙商贸有限公司", "credit_code": C, "county": "城区", "town": "无", "claim_year": "2024"},
]
LISTS: dict[str, list[dict[str, object]]] = {
    "projects": [{"credit_code": A, "name": "数字车间", "digital": "是", "key_project": "否",
                  "software_hardware_investment": "5000000", "date": "2024-05-01"}],
    "standards": [{"credit_code": B, "name": "JC/T 99 砂器", "level": "行业标准", "role": "参与",
                   "date": "2024-03-01"}],
    "honours": [{"credit_code": B, "kind": "山西老字号", "date": "2024-05-20"}],
}
EXPECTED = {  # code → (exact, up to, total), by hand above
    A: ("115000.00", "500000.00", "615000.00"),
    B: ("50000.00", "20000.00", "70000.00"),
    C: ("0.00", "0.00", "0.00"),
}


def write_csv(path: Path, columns, rows, encoding: str = "utf-8-sig", english: bool = False) -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow([c.field if english else c.title for c in columns])
        for row in rows:
            w.writerow([row.get(c.field, "") for c in columns])


def write_input(folder: Path, encoding: str = "utf-8-sig", enterprises=None, lists=None,
                english: bool = False) -> Path:
    main = folder / "towns.csv"
    write_csv(main, MAIN_COLUMNS, ENTERPRISES if enterprises is None else enterprises, encoding, english)
    for name, rows in (LISTS if lists is None else lists).items():
        write_csv(folder / f"towns.{name}.csv", LIST_BY_NAME[name].columns, rows, encoding, english)
    return main


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def by_code(rows):
    return {r["统一社会信用代码"]: r for r in rows}


def test_scores_match_the_hand_worked_amounts(tmp_path):
    main = write_input(tmp_path)
    result = run("batch", main, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0, result.stderr
    assert "读取 3 = 计分 3 + 拒绝 0" in result.stderr
    rows = read_rows(tmp_path / "out.csv")
    assert [r["统一社会信用代码"] for r in rows] == [A, B, C]  # input order
    for r in rows:
        assert (r["确定金额(元)"], r["最高可达(元)"], r["企业合计(元)"]) == EXPECTED[r["统一社会信用代码"]]
    a, b = rows[0], rows[1]
    assert a["(十六)骨干企业营收规模首次达到1亿、3亿、10亿元奖励(元)"] == "100000.00"
    assert a["(七)在岗职工职业技能提升培训补贴(元)"] == "15000.00"
    assert a["(八)信息化改造、5G融合应用项目奖励(元)"] == "500000.00"
    assert a["(九)技术改造重点项目贴息、补助(元)"] == ""  # not a key project: nothing paid, empty cell
    assert b["(三)主导(参与)标准制修订经费补助(元)"] == "20000.00"
    assert b["(五)新入选“山西老字号”(三晋老字号)奖励(元)"] == "50000.00"
    assert int(a["需补充信息项数"]) > 0  # e.g. market rank not given: listed, never guessed


# The same three enterprises as ``zyz calc`` reads them (YAML profiles).
PROFILES = {
    A: f"""
name: 阳泉甲耐材有限公司
credit_code: "{A}"
county: 郊区
town: 耐火材料
leading_industry: true
backbone: true
claim_year: 2024
revenue: 1.2亿
highest_revenue_before: 9000万
onjob_training: {{trainees: 50, finished: 2024-06-30}}
projects:
  - {{name: 数字车间, digital: true, key_project: false, software_hardware_investment: 5000000, date: 2024-05-01}}
""",
    B: f"""
name: 阳泉乙砂器厂
credit_code: "{B}"
county: 平定县
town: 砂陶
claim_year: 2024
standards:
  - {{name: JC/T 99 砂器, level: industry, role: participate, date: 2024-03-01}}
honours:
  - {{kind: laozihao_shanxi, date: 2024-05-20}}
""",
    C: f"""
name: 阳泉丙商贸有限公司
credit_code: "{C}"
county: 城区
town: 无
claim_year: 2024
""",
}


def test_batch_equals_calc_for_the_same_enterprises(tmp_path, policy):
    main = write_input(tmp_path)
    assert run("batch", main, "-o", tmp_path / "out.csv").exit_code == 0
    rows = by_code(read_rows(tmp_path / "out.csv"))
    provisions = [p for p in policy.provisions if p.rule.kind == "award"]
    for credit_code, text in PROFILES.items():
        path = tmp_path / f"{credit_code}.yaml"
        path.write_text(text, encoding="utf-8")
        result = calculate(load_profile(path), policy)
        row = rows[credit_code]
        assert (row["确定金额(元)"], row["最高可达(元)"], row["企业合计(元)"]) == EXPECTED[credit_code]
        assert Decimal(row["确定金额(元)"]) == result.totals.exact
        assert Decimal(row["最高可达(元)"]) == result.totals.up_to
        assert Decimal(row["企业合计(元)"]) == result.totals.total
        for p in provisions:
            paid = [o.amount for o in result.outcomes if o.provision == p.id and o.status == "paid"]
            column = next(k for k in row if k.endswith(f"{p.rule.title}(元)"))
            assert row[column] == (f"{sum(paid, Decimal(0)):.2f}" if paid else ""), p.id
        assert int(row["不予重复奖补项数"]) == len(result.by_status("excluded"))
        assert int(row["需补充信息项数"]) == len(result.by_status("needs_info"))


def test_template_example_is_the_hand_worked_refractory_leader(tmp_path):
    # examples/refractory-leader.yaml, worked by hand in its header: exact 1,416,000;
    # up to 3,100,000; total 4,516,000; 120,000 paid to the training provider; land 1,008,000.
    for name in ("batch.csv", "batch.xlsx"):
        folder = tmp_path / name.split(".")[1]
        folder.mkdir()
        assert run("template", folder / name).exit_code == 0
        out = folder / "out.csv"
        result = run("batch", folder / name, "-o", out)
        assert result.exit_code == 0, result.stderr
        [row] = read_rows(out)
        assert (row["确定金额(元)"], row["最高可达(元)"], row["企业合计(元)"]) == (
            "1416000.00", "3100000.00", "4516000.00")
        assert row["另付培训主体(元)"] == "120000.00"
        assert row["(七)订单式、项目制、定向式培训阶梯式补贴(元)"] == "120000.00"
        assert row["土地价格优惠(元,非现金)"] == "1008000.00"
        assert row["不予重复奖补项数"] == "1"  # (八) digital loses to (九) on the same project


def test_template_refuses_to_overwrite(tmp_path):
    assert run("template", tmp_path / "b.xlsx").exit_code == 0
    result = run("template", tmp_path / "b.xlsx")
    assert result.exit_code == 2 and "已存在" in result.stderr


def test_good_and_bad_rows_are_all_accounted_for(tmp_path):
    bad = [
        *ENTERPRISES,
        {"name": "坏营收公司", "credit_code": code(5), "town": "砂陶", "claim_year": "2024", "revenue": "很多"},
        {"name": "", "credit_code": code(6), "town": "砂陶", "claim_year": "2024"},
        {"name": "校验位错公司", "credit_code": code(7)[:-1] + ("0" if code(7)[-1] != "0" else "1"),
         "town": "砂陶", "claim_year": "2024"},
        {"name": "重复代码公司", "credit_code": B, "town": "砂陶", "claim_year": "2024"},
        {},  # a blank line: skipped, not an enterprise
        {"name": "无代码公司", "town": "砂陶", "claim_year": "2024"},
        {"name": "坏项目公司", "credit_code": D, "town": "砂陶", "claim_year": "2024"},
    ]
    lists = {**LISTS, "projects": [
        *LISTS["projects"],
        {"credit_code": D, "name": "坏日期项目", "digital": "是", "software_hardware_investment": "100万",
         "date": "2024-13-40"},
        {"credit_code": code(99), "name": "对不上的项目", "digital": "是"},
    ]}
    main = write_input(tmp_path, enterprises=bad, lists=lists)
    result = run("batch", main, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0, result.stderr
    assert "读取 9 = 计分 3 + 拒绝 6" in result.stderr
    assert "另有 1 条清单行" in result.stderr and "跳过空行 1" in result.stderr
    assert [r["统一社会信用代码"] for r in read_rows(tmp_path / "out.csv")] == [A, B, C]
    rejected = read_rows(tmp_path / "out.rejected.csv")
    reasons = {(r["文件或工作表"], r["行号"], r["列"]): r["原因"] for r in rejected}
    assert "不是金额" in reasons[("towns.csv", "5", "申报年度营业收入(元)")]
    assert reasons[("towns.csv", "6", "企业名称")] == "缺少必填字段"  # an empty cell is "not given"
    assert "校验位不符" in reasons[("towns.csv", "7", "统一社会信用代码")]
    assert "与第3行重复" in reasons[("towns.csv", "8", "统一社会信用代码")]
    assert "缺少统一社会信用代码" in reasons[("towns.csv", "10", "统一社会信用代码")]
    assert "不是有效日期" in reasons[("towns.projects.csv", "3", "投资完成日期")]
    assert "不存在" in reasons[("towns.projects.csv", "4", "统一社会信用代码")]
    # every main row read is in the output or the rejected file, never both, never neither
    scored = {r["行号"] for r in read_rows(tmp_path / "out.csv")}
    rejected_rows = {r["企业表行号"] for r in rejected if r["企业表行号"]}
    assert scored == {"2", "3", "4"} and rejected_rows == {"5", "6", "7", "8", "10", "11"}
    [bad_project] = [r for r in rejected if r["企业名称"] == "坏项目公司"]
    assert bad_project["企业表行号"] == "11" and bad_project["文件或工作表"] == "towns.projects.csv"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_each_encoding_gives_the_same_scores(tmp_path, encoding):
    reference = tmp_path / "ref"
    reference.mkdir()
    assert run("batch", write_input(reference), "-o", reference / "out.csv").exit_code == 0
    folder = tmp_path / encoding
    folder.mkdir()
    main = write_input(folder, encoding=encoding)
    result = run("batch", main, "-o", folder / "out.csv")
    assert result.exit_code == 0, result.stderr
    assert (folder / "out.csv").read_bytes() == (reference / "out.csv").read_bytes()
    assert (folder / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel


def test_encoding_can_be_forced_and_a_wrong_one_is_a_clear_error(tmp_path):
    main = write_input(tmp_path, encoding="gb18030")
    ok = run("batch", main, "-o", tmp_path / "out.csv", "--encoding", "gb18030")
    assert ok.exit_code == 0 and "计分 3" in ok.stderr
    wrong = run("batch", main, "-o", tmp_path / "out2.csv", "--encoding", "utf-8")
    assert wrong.exit_code == 2 and "utf-8" in wrong.stderr and "Traceback" not in wrong.stderr
    assert not (tmp_path / "out2.csv").exists()


def test_english_headers_are_accepted(tmp_path):
    main = write_input(tmp_path, english=True)
    assert run("batch", main, "-o", tmp_path / "out.csv").exit_code == 0
    rows = read_rows(tmp_path / "out.csv")
    assert rows[0]["企业合计(元)"] == "615000.00"  # 甲, as worked above


def test_unknown_column_stops_the_run_with_no_output(tmp_path):
    main = write_input(tmp_path)
    text = main.read_text(encoding="utf-8-sig").replace("申报年度营业收入(元)", "营业额", 1)
    main.write_text(text, encoding="utf-8-sig")
    result = run("batch", main, "-o", tmp_path / "out.csv")
    assert result.exit_code == 2
    assert "不认识的列“营业额”" in result.stderr and "第1行" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["towns.csv", "towns.projects.csv", "towns.standards.csv", "towns.honours.csv"])


def test_inputs_are_never_modified_or_overwritten(tmp_path):
    main = write_input(tmp_path)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    assert run("batch", main, "-o", tmp_path / "out.xlsx", "--summary", tmp_path / "s.csv").exit_code == 0
    result = run("batch", main, "-o", main)
    assert result.exit_code == 2 and "覆盖输入文件" in result.stderr
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir() if p.name in before}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_formulas_are_neutralised_in_every_output(tmp_path):
    evil = [{"name": '=HYPERLINK("http://x","点我")', "credit_code": A, "town": "砂陶", "claim_year": "2024"},
            {"name": "@SUM(1+1)", "credit_code": B, "town": "砂陶", "claim_year": "2024"},
            {"name": "+1", "credit_code": C, "town": "砂陶", "claim_year": "2024", "revenue": "-1"},
            {"name": "-2+3", "credit_code": D, "town": "砂陶", "claim_year": "2024"}]
    main = write_input(tmp_path, enterprises=evil, lists={})
    assert run("batch", main, "-o", tmp_path / "out.csv").exit_code == 0
    names = [r["企业名称"] for r in read_rows(tmp_path / "out.csv")]
    assert names == ['\'=HYPERLINK("http://x","点我")', "'@SUM(1+1)", "'-2+3"]
    [bad] = read_rows(tmp_path / "out.rejected.csv")
    assert bad["企业名称"] == "'+1"
    assert run("batch", main, "-o", tmp_path / "out.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "out.xlsx")
    cells = [row[2] for row in book["评分结果"].iter_rows(min_row=2)]
    assert cells[0].value.startswith("'=") and all(c.data_type == "s" for c in cells)
    assert book["拒绝"].cell(2, 6).value == "'+1"


def test_xlsx_round_trip(tmp_path):
    main = write_input(tmp_path)
    assert run("batch", main, "-o", tmp_path / "out.csv", "--summary", tmp_path / "s.csv").exit_code == 0
    # the same facts in one workbook (lists as sheets), scored to a workbook
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "企业"
    for table, columns, rows in [(sheet, MAIN_COLUMNS, ENTERPRISES),
                                 *((book.create_sheet(LIST_BY_NAME[n].title), LIST_BY_NAME[n].columns, r)
                                   for n, r in LISTS.items())]:
        table.append([c.title for c in columns])
        for row in rows:
            table.append([row.get(c.field) for c in columns])
    book["企业"]["I2"] = 2024  # numbers and dates as Excel stores them
    book.save(tmp_path / "in.xlsx")
    result = run("batch", tmp_path / "in.xlsx", "-o", tmp_path / "out.xlsx", "--summary", tmp_path / "s.xlsx")
    assert result.exit_code == 0, result.stderr
    out = load_workbook(tmp_path / "out.xlsx")
    header, *rows = [list(r) for r in out["评分结果"].iter_rows(values_only=True)]
    csv_rows = read_rows(tmp_path / "out.csv")
    assert len(rows) == len(csv_rows) == 3
    for xrow, crow in zip(rows, csv_rows, strict=True):
        for name, value in zip(header, xrow, strict=True):
            text = "" if value is None else str(value)
            if isinstance(value, int | float):
                assert Decimal(str(value)) == Decimal(crow[name] or "0"), name
            else:
                assert text == crow[name], name
    assert [r for r in out["拒绝"].iter_rows(min_row=2, values_only=True)] == []
    summary = load_workbook(tmp_path / "s.xlsx")
    assert summary.sheetnames == ["按条款", "按县区", "按专业镇", "按牵头部门", "资金对比"]


def test_summary_sums_equal_row_sums(tmp_path):
    main = write_input(tmp_path)
    assert run("batch", main, "-o", tmp_path / "out.csv", "--summary", tmp_path / "s.csv").exit_code == 0
    rows = read_rows(tmp_path / "out.csv")
    summary = read_rows(tmp_path / "s.csv")

    def total(column, where=lambda r: True):
        return sum((Decimal(r[column] or "0") for r in rows if where(r)), Decimal(0))

    section = {}
    for line in summary:
        section.setdefault(line["分类"], {})[line["名称"]] = line
    for county, line in section["按县区"].items():
        if county == "合计":
            continue
        assert Decimal(line["企业合计(元)"]) == total("企业合计(元)", lambda r, c=county: r["县区"] == c)
    assert Decimal(section["按县区"]["合计"]["企业合计(元)"]) == total("企业合计(元)") == Decimal("685000.00")
    # 615,000 + 70,000 + 0 = 685,000 (hand-worked above)
    assert Decimal(section["按专业镇"]["砂陶"]["奖补合计(元)"]) == Decimal("70000.00")
    for name, line in section["按条款"].items():
        if name != "合计":
            assert Decimal(line["奖补合计(元)"]) == total(f"{name}(元)"), name
    assert Decimal(section["按条款"]["合计"]["企业合计(元)"]) == total("企业合计(元)")
    fund = section["资金对比"]
    assert Decimal(fund["计入市级资金的奖补"]["奖补合计(元)"]) == Decimal("685000.00")
    # 30,000,000 − 685,000 = 29,315,000 left in the city fund
    assert Decimal(fund["结余:按奖补合计(最高可达按上限)"]["奖补合计(元)"]) == Decimal("29315000.00")
    # departments: 市工信局 pays (十六) 100,000 and (八) 500,000 = 600,000
    assert Decimal(section["按牵头部门"]["市工信局"]["奖补合计(元)"]) == Decimal("600000.00")


def test_fund_excess_is_reported(tmp_path):
    # 40 enterprises, each with a key technical-transformation project of 1亿 fixed assets:
    # (九) 10% × 100,000,000 = 10,000,000 each (up to); 40 × 1,000万 = 4亿 > 3000万: excess 370,000,000
    many = [{"name": f"企业{i}", "credit_code": code(100 + i), "town": "煤机装备", "claim_year": "2024"}
            for i in range(40)]
    projects = [{"credit_code": code(100 + i), "name": "技改", "key_project": "是", "field": "智能制造示范",
                 "fixed_asset_investment": "1亿", "date": "2024-05-01"} for i in range(40)]
    main = write_input(tmp_path, enterprises=many, lists={"projects": projects})
    assert run("batch", main, "-o", tmp_path / "o.csv", "--summary", tmp_path / "s.csv").exit_code == 0
    fund = {r["名称"]: r for r in read_rows(tmp_path / "s.csv") if r["分类"] == "资金对比"}
    assert Decimal(fund["超出:按奖补合计(最高可达按上限)"]["奖补合计(元)"]) == Decimal("370000000.00")


def test_two_jobs_are_retired_and_give_the_same_output_as_one(tmp_path):
    many = [{"name": f"企业{i}", "credit_code": code(200 + i), "town": ("砂陶", "泵阀", "无")[i % 3],
             "claim_year": "2024", "revenue": f"{i * 7}00万", "highest_revenue_before": "5000万",
             "backbone": "是", "leading_industry": "是"} for i in range(700)]
    many[350]["revenue"] = "坏"
    main = write_input(tmp_path, enterprises=many, lists={})
    one = run("batch", main, "-o", tmp_path / "one.csv", "--summary", tmp_path / "one.s.csv", "--jobs", "1")
    two = run("batch", main, "-o", tmp_path / "two.csv", "--summary", tmp_path / "two.s.csv", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0, two.stderr
    assert "读取 700 = 计分 699 + 拒绝 1" in two.stderr
    assert "--jobs 已停用" in two.stderr
    for a, b in [("one.csv", "two.csv"), ("one.rejected.csv", "two.rejected.csv"), ("one.s.csv", "two.s.csv")]:
        assert (tmp_path / a).read_bytes() == (tmp_path / b).read_bytes()


def test_unknown_assumption_is_refused_before_anything_is_written(tmp_path):
    main = write_input(tmp_path)
    result = run("batch", main, "-o", tmp_path / "out.csv", "--assume", "revenue_tier=sometimes")
    assert result.exit_code == 2 and "revenue_tier" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_assumption_changes_batch_scores_like_calc(tmp_path):
    # 甲 jumps from 0.9亿 to 3.5亿: highest_only pays the 3亿 tier, 200,000;
    # cumulative pays 1亿 + 3亿 tiers, 100,000 + 200,000 = 300,000 (INTERPRETATION.md, tiers)
    jump = [{**ENTERPRISES[0], "revenue": "3.5亿"}]
    main = write_input(tmp_path, enterprises=jump, lists={})
    column = "(十六)骨干企业营收规模首次达到1亿、3亿、10亿元奖励(元)"
    assert run("batch", main, "-o", tmp_path / "a.csv").exit_code == 0
    assert read_rows(tmp_path / "a.csv")[0][column] == "200000.00"
    assert run("batch", main, "-o", tmp_path / "b.csv", "--assume", "revenue_tier=cumulative").exit_code == 0
    assert read_rows(tmp_path / "b.csv")[0][column] == "300000.00"
