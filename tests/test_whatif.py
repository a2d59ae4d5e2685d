"""``zyz whatif``: totals before and after a change, and the awards that change."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from zhuanyezhen import calculate, load_profile, profile_from_data
from zhuanyezhen.engine.near_miss import near_misses

from .helpers_explain import EXAMPLE_FILES, edited, raw, run

LEADER = EXAMPLE_FILES[0].parent / "refractory-leader.yaml"


def whatif_json(path, *sets):
    args = ["whatif", str(path), "--format", "json"]
    for s in sets:
        args += ["--set", s]
    out = run(*args)
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_whatif_totals_equal_calc_on_the_edited_profile(policy, path):
    data = raw(path)
    profile = profile_from_data(data)
    changesets = [m.changes for m in near_misses(profile, policy) if m.changes] or [{"claim_year": "2026"}]
    for changes in changesets:
        got = whatif_json(path, *(f"{k}={v}" for k, v in changes.items()))
        before = calculate(profile, policy).totals
        after = calculate(profile_from_data(edited(data, changes)), policy).totals
        for key in ("exact", "up_to", "total", "payable_to_others", "land_benefit"):
            assert Decimal(got["before"][key]) == getattr(before, key)
            assert Decimal(got["after"][key]) == getattr(after, key)


def test_whatif_project_investment_with_list_path():
    # (九) 技改 10% × 20,000,000 = 2,000,000 up to (was 3,000,000); (八) 1,800,000 still loses to it.
    # 最高可达 100,000 (standard) + 2,000,000 = 2,100,000; total 1,416,000 + 2,100,000 = 3,516,000.
    got = whatif_json(LEADER, "projects[0].fixed_asset_investment=20000000")
    assert got["before"]["total"] == "4516000.00"
    assert got["after"]["up_to"] == "2100000.00"
    assert got["after"]["total"] == "3516000.00"
    changed = [(a["provision"], a["amount_before"], a["amount_after"]) for a in got["awards"]]
    assert changed == [("tech_project", "3000000.00", "2000000.00")]


def test_whatif_accepts_chinese_units():
    # 3亿 from 0.95亿 before: the 1亿 and 3亿 tiers are both new; only the highest pays (200,000),
    # so exact rises by 100,000: 1,416,000 → 1,516,000.
    got = whatif_json(LEADER, "revenue=3亿")
    assert got["after"]["exact"] == "1516000.00"
    tiers = {a["tier"]: (a["status_after"], a["amount_after"]) for a in got["awards"]}
    assert tiers == {"1亿": ("excluded", None), "3亿": ("paid", "200000.00")}


def test_whatif_table_output_in_chinese():
    out = run("whatif", str(LEADER), "--set", "equipment_investment=200万")
    # 10% × 2,000,000 = 200,000 (at the cap): 20,000 more than 180,000.
    assert out.exit_code == 0
    assert "企业合计" in out.stdout and "+20,000.00" in out.stdout


def test_whatif_null_makes_a_fact_unknown(policy):
    got = whatif_json(LEADER, "industry_revenue_rank=null")
    statuses = {a["provision"]: a["status_after"] for a in got["awards"]}
    assert statuses == {"rd_equipment": "needs_info"}


@pytest.mark.parametrize(("assignment", "message"), [
    ("projects[3].fixed_asset_investment=1", "projects 只有 1 项"),
    ("no_such_field=1", "档案中没有字段 no_such_field"),
    ("projects.fixed_asset_investment=1", "projects 是列表,须写明第几项"),
    ("projects[0].nope=1", "projects 中没有字段 nope"),
    ("revenue[0]=1", "revenue 不是列表"),
    ("revenue", "格式应为 字段=取值"),
    ("revenue=很多", "不是金额"),
    ("market_rank=0", "太小"),
])
def test_bad_set_is_a_chinese_error_with_exit_2(assignment, message):
    out = run("whatif", str(LEADER), "--set", assignment)
    assert out.exit_code == 2, out.output
    assert message in out.stderr
    assert "Traceback" not in out.output


def test_whatif_needs_a_set():
    out = run("whatif", str(LEADER))
    assert out.exit_code == 2
    assert "至少需要一个 --set" in out.stderr


def test_whatif_changes_nothing_on_disk(policy):
    before = LEADER.read_bytes()
    whatif_json(LEADER, "revenue=5亿")
    assert LEADER.read_bytes() == before
    assert calculate(load_profile(LEADER), policy).totals.total == Decimal("4516000.00")
