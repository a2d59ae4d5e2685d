"""``zyz rules list|show`` and ``zyz validate``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from .conftest import EXAMPLES, ROOT, RULES
from .scripting_helpers import parse_json, run_zyz

POLICY_DIR = RULES / "yangquan-2023-25"


def test_rules_list_has_every_provision_with_its_rule(policy):
    done = run_zyz("rules", "list", "--format", "json")
    assert done.returncode == 0
    rows = {r["id"]: r for r in parse_json(done.stdout)["provisions"]}
    assert set(rows) == {p.id for p in policy.provisions}
    assert rows["tech_project"] == {
        "clause": "（九）", "id": "tech_project", "title": policy.provision("tech_project").rule.title,
        "amount_rule": "10% × 固定资产投资额(元)", "cap": "无绝对上限(按比例计算的最高额)", "kind": "最高可达",
        "department": "市工信局"}
    assert rows["new_material_insurance"]["cap"] == "单户企业最高 500,000 元"
    assert rows["training_order"]["cap"] == "每人最高 4,000 元"
    assert rows["job_postings"]["kind"] == "无固定金额的支持"


def test_rules_list_table_names_columns():
    done = run_zyz("rules", "list")
    text = done.stdout.decode()
    assert done.returncode == 0
    # piped: one block per provision, headed by clause and title, its id (编号) below
    for head in ("编号", "金额规则", "上限", "性质", "受理部门"):
        assert f"  {head}:" in text
    assert re.search(r"（十六）骨干企业营收规模首次达到1亿、3亿、10亿元奖励\n  编号:revenue_tier", text)


def test_rules_show_quotes_text_and_interpretations():
    done = run_zyz("rules", "show", "revenue_tier")
    text = done.stdout.decode()
    assert done.returncode == 0
    assert "对专业镇主导产业骨干企业营收规模首次达到1亿元、3亿元、10亿元的" in text
    assert "  - 骨干企业\n" in text
    assert "1亿 100,000 元 / 3亿 200,000 元 / 10亿 300,000 元" in text
    assert "只奖新达到的最高档(默认;--assume revenue_tier=highest_only)" in text and "revenue_tier=cumulative" in text


def test_rules_show_unknown_id_suggests_the_close_one():
    done = run_zyz("rules", "show", "tech_projet")
    assert done.returncode == 2
    assert "是否指 tech_project" in done.stderr.decode()


def test_validate_reports_every_problem_in_every_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: 甲\nclaim_year: 1999\nrevenue: 很多\nsize: huge\n", encoding="utf-8")
    unknown_award = tmp_path / "award.yaml"
    unknown_award.write_text("name: 乙\nclaim_year: 2024\nawards_received:\n  - {provision: no_such, year: 2024}\n",
                             encoding="utf-8")
    done = run_zyz("validate", str(EXAMPLES / "refractory-leader.yaml"), str(bad), str(unknown_award))
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "第2行,字段 claim_year" in err
    assert "第3行,字段 revenue" in err
    assert "第4行,字段 size" in err
    assert "第4行,字段 awards_received[0].provision:没有编号为 no_such 的条款项目" in err
    out = done.stdout.decode().splitlines()
    assert out[0].startswith("通过\t") and out[1].startswith("未通过\t") and out[1].endswith("3 个问题")


def test_validate_accepts_shipped_rules_and_reports_broken_rule_file(tmp_path):
    assert run_zyz("validate", str(POLICY_DIR), str(POLICY_DIR / "policy.yaml"),
                   str(POLICY_DIR / "09-tech-transformation.yaml")).returncode == 0
    folder = tmp_path / "p"
    shutil.copytree(POLICY_DIR, folder)
    clause = folder / "16-targets.yaml"
    text = clause.read_text(encoding="utf-8")
    text = text.replace("test: backbone}", "test: backbonee}").replace("test: leading_industry}", "test: leading}")
    clause.write_text(text, encoding="utf-8")
    done = run_zyz("validate", str(clause), str(folder))
    assert done.returncode == 2
    err = done.stderr.decode()
    # both mistakes, in the file and again when the folder is checked as a whole
    assert err.count("引用了不存在的档案字段 backbonee") == 2
    assert err.count("引用了不存在的档案字段 leading") == 4  # revenue_tier and market_share, twice
    assert done.stdout.decode().count("未通过") == 2


def test_readme_api_example_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"<!-- api-example -->\n```python\n(.*?)```", readme, re.S)
    assert code, "README has no API example after <!-- api-example -->"
    assert len(code.group(1).strip().splitlines()) <= 10
    done = subprocess.run([sys.executable, "-c", code.group(1)], cwd=ROOT, capture_output=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr.decode()
    # Hand-worked totals of examples/refractory-leader.yaml (see its header)
    assert "阳泉晋耐高温材料有限公司\t确定 1416000.00\t最高可达 3100000.00\t合计 4516000.00" in done.stdout.decode()
