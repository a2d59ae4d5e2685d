"""不重复奖补: one subject one award, other city policies (就高不就低), one-time history."""

from decimal import Decimal

import pytest

from .helpers import only, outcomes, paid, run, yuan


def project(sw, fixed):
    return {"name": "智能产线", "digital": True, "key_project": True, "field": "smart_manufacturing",
            "software_hardware_investment": sw, "fixed_asset_investment": fixed, "date": "2024-08-01"}


def test_same_project_digital_and_tech_pays_tech_when_higher(policy):
    # 数字化 10% × 18,000,000 = 1,800,000; 技改 10% × 30,000,000 = 3,000,000 → 技改 only
    result = run(policy, projects=[project("18000000", "30000000")])
    digital = only(result, "digital_project")
    assert digital.status == "excluded" and digital.winner == "tech_project"
    assert digital.computed == Decimal("1800000.00") and digital.amount is None
    assert result.totals.up_to == Decimal("3000000.00")


def test_same_project_digital_and_tech_pays_digital_when_higher(policy):
    # 数字化 10% × 20,000,000 = 2,000,000; 技改 10% × 5,000,000 = 500,000 → 数字化 only
    result = run(policy, projects=[project("20000000", "5000000")])
    assert only(result, "tech_project").status == "excluded"
    assert result.totals.up_to == Decimal("2000000.00")


def test_same_project_both_pay_when_assumed(policy):
    # project_overlap=both: 1,800,000 + 3,000,000 = 4,800,000
    result = run(policy, {"project_overlap": "both"}, projects=[project("18000000", "30000000")])
    assert result.totals.up_to == Decimal("4800000.00")


EQUIPMENT = {"industry_revenue_rank": 1, "equipment_investment": "1800000"}  # 10% → 180,000


@pytest.mark.parametrize(("other", "status", "total"), [
    ("100000", "paid", "180000.00"),      # other 100,000 < 180,000: this policy's award stays
    ("180000", "excluded", "0"),          # equal: the enterprise takes the other ("不低于")
    ("250000", "excluded", "0"),          # other higher: excluded, the other policy named
])
def test_other_city_policy_higher_equal_lower(policy, other, status, total):
    result = run(policy, **EQUIPMENT, other_policy_awards=[
        {"subject": "设备购置:2024", "policy": "阳泉市工业稳增长奖励办法", "amount": other}])
    o = only(result, "rd_equipment")
    assert o.status == status
    assert result.totals.total == Decimal(total)
    if status == "excluded":
        assert o.winner == "阳泉市工业稳增长奖励办法" and "就高不就低" in (o.reason or "")
    else:
        assert any("就高不就低" in s for s in o.steps)


def test_other_policy_subject_that_matches_nothing_is_noticed(policy):
    result = run(policy, **EQUIPMENT, other_policy_awards=[
        {"subject": "设备:2024", "policy": "某办法", "amount": "1"}])
    assert only(result, "rd_equipment").status == "paid"
    assert any("设备:2024" in n for n in result.notices)


def test_one_time_award_already_received_is_not_paid_again(policy):
    # 中华老字号 is paid once per enterprise (one_time: enterprise): an entry without subject blocks it
    result = run(policy, honours=[{"kind": "laozihao_china", "date": "2024-05-01"}],
                 awards_received=[{"provision": "laozihao_china", "year": 2023}])
    o = only(result, "laozihao_china")
    assert o.status == "excluded" and "2023" in (o.reason or "")
    assert result.totals.total == 0


def test_tier_already_received_is_not_paid_again(policy):
    # revenue 1.2亿, before 0.9亿: 1亿 would be new, but the history says 1亿 was awarded in 2023
    result = run(policy, revenue="1.2亿", highest_revenue_before="0.9亿",
                 awards_received=[{"provision": "revenue_tier", "year": 2023, "tier": "1亿"}])
    assert paid(result, "revenue_tier") == []
    assert result.totals.total == 0


def test_tier_history_with_cumulative_jump_pays_only_the_new_tier(policy):
    # cumulative, 0.8亿 → 3.5亿: 1亿 (already awarded, excluded) + 3亿 200,000
    result = run(policy, {"revenue_tier": "cumulative"}, revenue="3.5亿", highest_revenue_before="0.8亿",
                 awards_received=[{"provision": "revenue_tier", "year": 2023, "tier": "1亿"}])
    assert [(o.tier, o.amount) for o in paid(result, "revenue_tier")] == [("3亿", Decimal("200000.00"))]


def test_history_of_another_tier_does_not_block_a_new_one(policy):
    result = run(policy, market_rank=4, market_rank_best_before=8,
                 awards_received=[{"provision": "market_share", "year": 2024, "tier": "前10"}])
    assert [(o.tier, o.amount) for o in paid(result, "market_share")] == [("前5", Decimal("200000.00"))]


def test_same_standard_received_before_is_not_paid_again_but_another_is(policy):
    standards = [{"name": "A", "level": "national", "role": "lead", "date": "2024-05-01"},
                 {"name": "B", "level": "national", "role": "participate", "date": "2024-06-01"}]
    result = run(policy, standards=standards,
                 awards_received=[{"provision": "standard", "year": 2024, "subject": "标准:A"}])
    assert [o.status for o in outcomes(result, "standard")] == ["excluded", "paid"]
    assert result.totals.up_to == Decimal("50000.00")  # B: 国家·参与 最高 50,000


def test_highest_tier_already_received_leaves_the_next_new_tier_payable(policy):
    # The profile says the 3亿 tier was received, yet the revenue before is 0.5亿 (inconsistent, but
    # possible in hand-typed data). Revenue 3.5亿 newly reaches 1亿 and 3亿; 3亿 is barred by history,
    # so with highest_only the highest tier still payable is 1亿: 100,000, not nothing.
    result = run(policy, revenue="3.5亿", highest_revenue_before="0.5亿",
                 awards_received=[{"provision": "revenue_tier", "year": 2023, "tier": "3亿"}])
    got = {o.tier: o for o in outcomes(result, "revenue_tier")}
    assert got["3亿"].status == "excluded" and "已于 2023 年获得" in (got["3亿"].reason or "")
    assert got["1亿"].status == "paid" and got["1亿"].amount == yuan("100000.00")


def test_other_policy_is_compared_with_the_amount_left_under_the_enterprise_cap(policy):
    # Two qualifying premiums: 20% × 2,000,000 = 400,000 and 20% × 1,500,000 = 300,000.
    # The 500,000 per-enterprise cap leaves the second 100,000. Another policy offers 150,000 for
    # the second premium: 150,000 ≥ 100,000, so the enterprise takes the other policy for it, and
    # this policy pays only the first premium, 400,000.
    premiums = [
        {"product": "高纯刚玉", "premium": 2000000, "qualifies": True, "date": "2024-02-01"},
        {"product": "莫来石", "premium": 1500000, "qualifies": True, "date": "2024-03-01"},
    ]
    other = [{"subject": "保险:莫来石:2024", "policy": "某市级政策", "amount": 150000}]
    result = run(policy, premiums=premiums, other_policy_awards=other)
    got = {o.subject: o for o in outcomes(result, "new_material_insurance")}
    assert got["保险:高纯刚玉:2024"].amount == yuan("400000.00")
    assert got["保险:莫来石:2024"].status == "excluded"
    assert got["保险:莫来石:2024"].winner == "某市级政策"
    assert result.totals.exact == yuan("400000.00")


def test_enterprise_cap_is_shared_in_rule_order_across_premiums(policy):
    # 20% × 2,000,000 = 400,000, then 20% × 1,500,000 = 300,000 cut to the 100,000 left of 500,000.
    premiums = [
        {"product": "高纯刚玉", "premium": 2000000, "qualifies": True, "date": "2024-02-01"},
        {"product": "莫来石", "premium": 1500000, "qualifies": True, "date": "2024-03-01"},
    ]
    result = run(policy, premiums=premiums)
    got = {o.subject: o for o in outcomes(result, "new_material_insurance")}
    assert got["保险:莫来石:2024"].amount == yuan("100000.00") and got["保险:莫来石:2024"].capped
    assert result.totals.exact == yuan("500000.00")
