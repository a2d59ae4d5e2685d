"""``zyz explain``: the chain behind every figure, from the same evaluation as ``calc``."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from zhuanyezhen import calculate, load_profile

from .helpers_explain import EXAMPLE_FILES, run

LEADER = str(EXAMPLE_FILES[0].parent / "refractory-leader.yaml")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_explain_json_figures_equal_calc(policy, path):
    result = calculate(load_profile(path), policy)
    out = run("explain", str(path), "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["format_version"] == "1.0"
    explained = [o["outcome"] for p in data["provisions"] for o in p["outcomes"]]
    by_key = {(o["provision"], o["item_path"], o["tier"]): o for o in explained}
    assert len(by_key) == len(result.outcomes)
    for o in result.outcomes:
        e = by_key[(o.provision, o.item_path, o.tier)]
        assert e["status"] == o.status
        assert e["amount"] == (None if o.amount is None else str(o.amount))
        assert e["computed"] == (None if o.computed is None else str(o.computed))
    assert Decimal(data["totals"]["total"]) == result.totals.total
    assert Decimal(data["totals"]["exact"]) == result.totals.exact


def test_explain_one_provision_shows_conditions_formula_cap_and_quote():
    # (九) 设备补助: 10% × 1,800,000 = 180,000, under the 200,000 cap; the other policy's 100,000 is lower.
    out = run("explain", LEADER, "rd_equipment")
    assert out.exit_code == 0, out.output
    text = out.stdout
    assert "[满足] 当年购置研发、检测、试验等设备投入30万元以上" in text
    assert "读到:当年研发检测试验设备投入(元)=1800000" in text
    assert "公式:10% × 1,800,000.00 元 = 180,000.00 元" in text
    assert "单户企业最高 200,000.00 元,未封顶" in text
    assert "就高不就低:本政策 180,000.00 元高于《阳泉市工业稳增长奖励办法》100,000.00 元" in text
    assert "有效期:2024 年度在 2023–2025 内" in text
    assert "“对营收规模在专业镇主导产业排名第一的企业" in text
    assert "营收规模首次达到" not in text  # only the provision asked for


def test_explain_names_the_overlap_winner():
    # (八) 10% × 18,000,000 = 1,800,000 loses to (九) 10% × 30,000,000 = 3,000,000 on the same project.
    out = run("explain", LEADER, "digital_project")
    assert "结果:按“技术改造重点项目贴息、补助”计" in out.stdout
    assert "原计算 1,800,000.00 元" in out.stdout


def test_explain_shows_the_interpretation_used():
    out = run("explain", LEADER, "revenue_tier")
    assert "口径:营收同年跨越多档:只奖新达到的最高档" in out.stdout


def test_explain_cap_binding_is_shown():
    # (九) 首批次保险 20% × 3,000,000 = 600,000 > 500,000: capped.
    out = run("explain", LEADER, "new_material_insurance")
    assert "封顶:超过单户企业上限,按 500,000.00 元计" in out.stdout
    assert "已封顶" in out.stdout


def test_explain_whole_profile_lists_near_misses_and_totals():
    out = run("explain", LEADER)
    assert out.exit_code == 0
    assert "临近奖补条件事项" in out.stdout
    assert "4,516,000.00" in out.stdout  # enterprise total worked by hand in the example header


def test_unknown_provision_is_a_chinese_error_with_exit_2():
    out = run("explain", LEADER, "no_such_award")
    assert out.exit_code == 2
    assert "没有编号为 no_such_award 的条款项目" in out.stderr


def test_unknown_format_is_refused():
    out = run("explain", LEADER, "--format", "xml")
    assert out.exit_code == 2
    assert "不支持的输出格式 xml" in out.stderr
