"""Issue 12: near misses only for facts an enterprise legitimately chooses or grows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhuanyezhen import profile_from_data
from zhuanyezhen.engine.near_miss import ADVISABLE_FACTS, advisable, near_misses

from .helpers_explain import EXAMPLE_FILES, raw

MAY = ["equipment_investment", "projects[0].software_hardware_investment", "projects[2].fixed_asset_investment",
       "premiums[1].premium", "revenue", "market_rank", "industry_revenue_rank"]
MAY_NOT = ["training_programmes[0].days", "training_programmes[0].employment_rate",
           "training_programmes[0].trainees", "onjob_training.trainees", "training_programmes[0].finished",
           "honours[0].date", "standards[0].date", "standards[0].level", "standards[0].role",
           "projects[0].date", "projects[0].field", "projects[0].key_project", "premiums[0].date",
           "premiums[0].qualifies", "highest_revenue_before", "market_rank_best_before", "leading_industry",
           "backbone", "size", "town", "claim_year", "land[0].grade", "land[0].area_m2"]


def test_the_facts_that_may_produce_near_misses():
    assert {
        "equipment_investment", "projects.software_hardware_investment", "projects.fixed_asset_investment",
        "premiums.premium", "revenue", "market_rank", "industry_revenue_rank"} == ADVISABLE_FACTS
    assert all(advisable(path) for path in MAY)


@pytest.mark.parametrize("path", MAY_NOT)
def test_the_facts_that_may_not(path):
    assert not advisable(path)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_no_example_gets_advice_on_other_facts(policy, path):
    for m in near_misses(profile_from_data(raw(path)), policy):
        assert all(advisable(fact) for fact in m.changes), m.text
        assert m.fact is None or advisable(m.fact), m.text


def test_battery_anode_training_course_is_not_stretched(policy):
    # the case: a course of 11 days must not be advised to run 35 days
    profile = profile_from_data(raw(next(p for p in EXAMPLE_FILES if p.stem == "battery-anode")))
    assert not [m for m in near_misses(profile, policy) if m.provision == "training_order"]


def test_a_premium_below_the_cap_is_advice(policy):
    # 20% × 1,000,000 = 200,000; the 500,000 cap is reached at 2,500,000: 300,000 more
    profile = profile_from_data({"name": "测试", "town": "耐火材料", "claim_year": 2024, "premiums": [
        {"product": "A", "premium": 1000000, "qualifies": True, "date": "2024-03-01"}]})
    [m] = [m for m in near_misses(profile, policy) if m.provision == "new_material_insurance"]
    assert m.changes == {"premiums[0].premium": "2500000"}
    assert m.worth == Decimal("300000.00")


def test_premiums_summed_into_one_base_get_no_single_item_target(policy):
    # 20% × (1,000,000 + 500,000) = 300,000: raising premiums[0] alone to 2,500,000 would overshoot,
    # so no below-cap target is offered for a summed base
    profile = profile_from_data({"name": "测试", "town": "耐火材料", "claim_year": 2024, "premiums": [
        {"product": "A", "premium": 1000000, "qualifies": True, "date": "2024-03-01"},
        {"product": "A", "premium": 500000, "qualifies": True, "date": "2024-09-01"}]})
    assert not [m for m in near_misses(profile, policy) if m.provision == "new_material_insurance"]
