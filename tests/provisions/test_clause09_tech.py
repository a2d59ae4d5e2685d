"""(九) 技术改造:重点项目最高10%;营收第一企业设备投入30万元以上补10%、最高20万;
单项冠军50万;重点新材料首批次保费20%、单户最高50万。"""

from decimal import Decimal

import pytest

from ..helpers import only, outcomes, run


def key_project(fixed, **over):
    base = {"name": "技改", "digital": False, "key_project": True, "field": "smart_manufacturing",
            "fixed_asset_investment": fixed, "date": "2024-08-01"}
    return {**base, **over}


@pytest.mark.parametrize("field", ["foundation", "smart_manufacturing", "green_manufacturing",
                                   "chain_strengthening", "产业链锻长补短"])
def test_key_project_is_up_to_ten_percent_of_fixed_assets(policy, field):
    # "最高不超过项目固定资产投资额10%": 10% × 30,000,000 = 3,000,000, no further cap
    o = only(run(policy, projects=[key_project("30000000", field=field)]), "tech_project")
    assert (o.status, o.amount, o.kind, o.cap) == ("paid", Decimal("3000000.00"), "up_to", None)


def test_project_outside_the_four_fields_is_not_a_key_project_award(policy):
    result = run(policy, projects=[key_project("30000000", field="innovation")])
    assert only(result, "tech_project").status == "not_eligible"
    assert only(result, "innovation_projects").status == "support"  # 技术创新提升: amount set elsewhere


@pytest.mark.parametrize(("investment", "status", "award"), [
    ("299999.99", "not_eligible", None),   # below "30万元以上"
    ("300000", "paid", "30000.00"),        # 10% × 300,000 = 30,000
    ("1800000", "paid", "180000.00"),      # 10% × 1,800,000 = 180,000
    ("2000000", "paid", "200000.00"),      # 10% × 2,000,000 = 200,000 = the cap
    ("2500000", "paid", "200000.00"),      # 250,000 > 200,000 → 200,000
])
def test_rd_equipment_for_the_first_ranked_enterprise(policy, investment, status, award):
    o = only(run(policy, industry_revenue_rank=1, equipment_investment=investment), "rd_equipment")
    assert o.status == status
    assert o.amount == (Decimal(award) if award else None)
    if award:
        assert o.kind == "exact"


def test_rd_equipment_needs_rank_one(policy):
    o = only(run(policy, industry_revenue_rank=2, equipment_investment="1000000"), "rd_equipment")
    assert o.status == "not_eligible" and "排名第一" in (o.reason or "")


def test_single_champion_pays_half_a_million(policy):
    # "对首次获评国家级制造业单项冠军产品的企业奖励50万元"
    o = only(run(policy, honours=[{"kind": "single_champion", "date": "2024-09-10"}]), "single_champion")
    assert (o.status, o.amount, o.kind) == ("paid", Decimal("500000.00"), "exact")


def test_single_champion_is_not_first_when_an_earlier_one_is_listed(policy):
    # 2021 product (before the policy) + 2024 product: the 2024 one is not "首次获评"
    result = run(policy, honours=[{"kind": "single_champion", "date": "2021-12-01"},
                                  {"kind": "single_champion", "date": "2024-09-10"}])
    assert [o.status for o in outcomes(result, "single_champion")] == ["not_eligible", "not_eligible"]
    assert result.totals.total == 0


def premium(amount, product="高纯刚玉", **over):
    return {"product": product, "premium": amount, "qualifies": True, "date": "2024-02-01", **over}


@pytest.mark.parametrize(("amount", "award", "capped"), [
    ("1000000", "200000.00", False),       # 20% × 1,000,000 = 200,000
    ("2499999.95", "499999.99", False),    # 20% × 2,499,999.95 = 499,999.99
    ("2500000", "500000.00", False),       # 20% × 2,500,000 = 500,000 = the cap
    ("2500000.05", "500000.00", True),     # 500,000.01 > 500,000 → 500,000
    ("3000000", "500000.00", True),        # 600,000 → 500,000
])
def test_new_material_insurance_is_twenty_percent_up_to_half_a_million(policy, amount, award, capped):
    o = only(run(policy, premiums=[premium(amount)]), "new_material_insurance")
    assert (o.status, o.amount, o.kind, o.capped) == ("paid", Decimal(award), "exact", capped)


def test_insurance_cap_is_per_enterprise_across_products(policy):
    # 20% × 1,500,000 = 300,000; 20% × 1,200,000 = 240,000 → remaining 500,000 − 300,000 = 200,000;
    # a third, 20% × 100,000 = 20,000, finds nothing left and is excluded. Total 500,000.
    result = run(policy, premiums=[premium("1500000", "A"), premium("1200000", "B"), premium("100000", "C")])
    a, b, c = outcomes(result, "new_material_insurance")
    assert (a.amount, b.amount, b.computed, b.capped) == (
        Decimal("300000.00"), Decimal("200000.00"), Decimal("240000.00"), True)
    assert c.status == "excluded" and c.amount is None
    assert result.totals.exact == Decimal("500000.00")


def test_insurance_needs_the_provincial_mechanism(policy):
    o = only(run(policy, premiums=[premium("1000000", qualifies=False)]), "new_material_insurance")
    assert o.status == "not_eligible"
