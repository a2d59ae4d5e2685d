"""Engine steps at their edges, each figure worked out by hand from the policy text.

Statuses, amounts, provision ids and totals are asserted; the Chinese wording is not.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhuanyezhen import __version__, calculate, profile_from_data
from zhuanyezhen.engine.calculation import calculate_awards, resolve_assumptions
from zhuanyezhen.errors import InputError

from .helpers import BASE, only, outcomes, paid, run

D = Decimal


def programme(days: int, trainees: int = 1, provider: str = "本企业") -> dict[str, Any]:
    return {"name": "订单班", "kind": "order", "trainees": trainees, "days": days, "employment_rate": "0.9",
            "provider": provider, "finished": "2024-06-30"}


@pytest.mark.parametrize(("days", "award"), [
    (1, "150.00"),     # 1 × 150
    (10, "1500.00"),   # 10 × 150
    (11, "1600.00"),   # 10 × 150 + 1 × 100 ("超过一天100元")
    (35, "4000.00"),   # 10 × 150 + 25 × 100 = 4,000: the cap reached, not passed
    (36, "4000.00"),   # 10 × 150 + 26 × 100 = 4,100 → 每人最高 4,000
])
def test_training_schedule_edges(policy: Any, days: int, award: str) -> None:
    assert only(run(policy, training_programmes=[programme(days)]), "training_order").amount == D(award)


def test_training_for_a_named_provider_is_payable_to_others(policy: Any) -> None:
    # 12 trainees × 10 days × 150 = 18,000, paid to the college: outside the enterprise's total
    result = run(policy, training_programmes=[programme(10, 12, "阳泉职业技术学院")])
    o = only(result, "training_order")
    assert (o.amount, o.beneficiary, o.counts_in_total) == (D("18000.00"), "阳泉职业技术学院", False)
    assert (result.totals.payable_to_others, result.totals.total) == (D("18000.00"), D("0.00"))


@pytest.mark.parametrize("provider", ["本企业", "企业自身", "self"])
def test_training_given_by_the_enterprise_itself_counts(policy: Any, provider: str) -> None:
    result = run(policy, training_programmes=[programme(10, 12, provider)])
    assert (result.totals.exact, result.totals.payable_to_others) == (D("18000.00"), D("0.00"))
    assert only(result, "training_order").beneficiary == "本企业"


def test_zero_trainees_is_not_an_award(policy: Any) -> None:
    # 300 × 0 = 0: nothing to pay, so not eligible rather than "paid 0.00"
    result = run(policy, onjob_training={"trainees": 0, "finished": "2024-06-30"})
    o = only(result, "training_onjob")
    assert (o.status, o.amount) == ("not_eligible", None)


@pytest.mark.parametrize(("investment", "award", "capped"), [
    ("20000000", "2000000.00", False),      # 10% × 20,000,000 = 2,000,000: at the cap, not over it
    ("20000000.10", "2000000.00", True),    # 2,000,000.01 > 最高200万元
    ("19999999.90", "1999999.99", False),   # 1,999,999.99
])
def test_digital_cap_per_project_edge(policy: Any, investment: str, award: str, capped: bool) -> None:
    project = {"name": "数字车间", "digital": True, "software_hardware_investment": investment, "date": "2024-05-01"}
    o = only(run(policy, projects=[project]), "digital_project")
    assert (o.amount, o.capped) == (D(award), capped)


def test_the_highest_of_several_other_awards_is_compared(policy: Any) -> None:
    # 10% × 1,800,000 = 180,000 (rd_equipment); other policies offer 100,000 and 250,000 for the same
    # subject: the 250,000 one is compared and wins (就高不就低), whichever is listed first.
    others = [{"subject": "设备购置:2024", "policy": "甲办法", "amount": "100000"},
              {"subject": "设备购置:2024", "policy": "乙办法", "amount": "250000"}]
    for listed in (others, others[::-1]):
        o = only(run(policy, industry_revenue_rank=1, equipment_investment="1800000",
                     other_policy_awards=listed), "rd_equipment")
        assert (o.status, o.winner) == ("excluded", "乙办法")


def test_an_award_lost_to_another_policy_frees_the_cap_for_the_next(policy: Any) -> None:
    # 20% × 2,000,000 = 400,000 and 20% × 1,500,000 = 300,000, cap 500,000 per enterprise.
    # The first is taken under another policy (450,000 ≥ 400,000), so the second is paid whole:
    # 300,000, not the 100,000 it would get behind the first.
    premiums = [{"product": "高纯刚玉", "premium": 2000000, "qualifies": True, "date": "2024-02-01"},
                {"product": "莫来石", "premium": 1500000, "qualifies": True, "date": "2024-03-01"}]
    result = run(policy, premiums=premiums,
                 other_policy_awards=[{"subject": "保险:高纯刚玉:2024", "policy": "某办法", "amount": 450000}])
    got = {o.item: o for o in outcomes(result, "new_material_insurance")}
    assert got["高纯刚玉"].status == "excluded"
    assert (got["莫来石"].amount, got["莫来石"].capped) == (D("300000.00"), False)
    assert result.totals.exact == D("300000.00")


def test_a_premium_behind_a_used_up_cap_is_excluded(policy: Any) -> None:
    # 20% × 3,000,000 = 600,000 → 500,000 (capped); the next, 20% × 100,000 = 20,000, has nothing left
    premiums = [{"product": "甲", "premium": 3000000, "qualifies": True, "date": "2024-02-01"},
                {"product": "乙", "premium": 100000, "qualifies": True, "date": "2024-03-01"}]
    got = {o.item: o for o in outcomes(run(policy, premiums=premiums), "new_material_insurance")}
    assert (got["甲"].status, got["甲"].amount, got["甲"].capped) == ("paid", D("500000.00"), True)
    assert (got["乙"].status, got["乙"].amount, got["乙"].computed) == ("excluded", None, D("20000.00"))


def test_land_benefit_is_never_negative(policy: Any) -> None:
    # grade 15: 60 元/㎡ × 10,000 ㎡ = 600,000; costs 900,000 > 70% × 600,000 → floor 900,000;
    # benefit max(600,000 − 900,000, 0) = 0
    result = run(policy, land=[{"name": "地块", "grade": 15, "area_m2": "10000", "cost_sum": "900000",
                                "supported_industrial": True}])
    (benefit,) = result.land
    assert (benefit.standard_price, benefit.floor_price, benefit.benefit) == (D("600000.00"), D("900000.00"),
                                                                          D("0.00"))
    assert result.totals.land_benefit == D("0.00")


def test_land_floor_is_seventy_percent_when_costs_are_lower(policy: Any) -> None:
    # grade 1: 840 × 1,000 = 840,000; 70% = 588,000 > costs 100,000; benefit 252,000
    result = run(policy, land=[{"name": "地块", "grade": 1, "area_m2": "1000", "cost_sum": "100000",
                                "supported_industrial": True}])
    (benefit,) = result.land
    assert (benefit.floor_price, benefit.benefit) == (D("588000.00"), D("252000.00"))
    assert result.totals.land_benefit == D("252000.00") and result.totals.total == D("0.00")


RICH: dict[str, Any] = {
    # exact: 100,000 (1亿 tier) + 3,000 (10 × 300) = 103,000; up to: 10% × 5,000,000 = 500,000;
    # payable to others: 10 × 10 × 150 = 15,000; land: 252,000 (as above)
    "revenue": "1.2亿", "highest_revenue_before": "0.9亿",
    "onjob_training": {"trainees": 10, "finished": "2024-06-30"},
    "projects": [{"name": "数字车间", "digital": True, "software_hardware_investment": "5000000",
                  "date": "2024-05-01"}],
    "training_programmes": [programme(10, 10, "阳泉职业技术学院")],
    "land": [{"name": "地块", "grade": 1, "area_m2": "1000", "cost_sum": "100000", "supported_industrial": True}],
}


def test_totals_and_the_fast_path_agree_by_hand(policy: Any) -> None:
    profile = profile_from_data({**BASE, **RICH})
    result = calculate(profile, policy)
    t = result.totals
    assert (t.exact, t.up_to, t.total, t.payable_to_others, t.land_benefit) == (
        D("103000.00"), D("500000.00"), D("603000.00"), D("15000.00"), D("252000.00"))
    awards, totals = calculate_awards(profile, policy)
    assert totals == t
    assert [(a.provision, a.status, a.amount, a.counts_in_total) for a in awards] == [
        (o.provision, o.status, o.amount, o.counts_in_total) for o in result.outcomes]


def test_result_names_the_enterprise_and_the_policy(policy: Any) -> None:
    result = run(policy, credit_code=None)
    assert (result.enterprise, result.county, result.town, result.claim_year) == ("测试耐材有限公司", "郊区",
                                                                                "耐火材料", 2024)
    assert (result.policy_id, result.document_number) == (policy.info.id, policy.info.document_number)
    assert (result.policy_title, result.rules_hash, result.engine_version) == (policy.info.title, policy.rules_hash,
                                                                              __version__)
    assert result.in_force is True and result.notices == []
    assert result.assumptions == {name: i.default for name, i in policy.interpretations.items()}


def test_assumptions_are_checked_by_name_and_option(policy: Any) -> None:
    chosen = resolve_assumptions(policy, {"revenue_tier": "cumulative"})
    assert chosen["revenue_tier"] == "cumulative" and chosen["market_share"] == "highest_only"
    for bad in ({"no_such": "x"}, {"revenue_tier": "no_such_option"}):
        with pytest.raises(InputError) as caught:
            resolve_assumptions(policy, bad)
        assert [p.field for p in caught.value.problems] == ["--assume"]
    with pytest.raises(InputError) as caught:
        resolve_assumptions(policy, {"no_such": "x", "revenue_tier": "no"})
    assert len(caught.value.problems) == 2  # every problem at once


@pytest.mark.parametrize(("revenue", "before"), [("0.5亿", "0"), ("1.5亿", "1.2亿")])
def test_revenue_that_reaches_no_new_tier_is_not_eligible(policy: Any, revenue: str, before: str) -> None:
    result = run(policy, revenue=revenue, highest_revenue_before=before)
    assert [(o.status, o.tier, o.amount) for o in outcomes(result, "revenue_tier")] == [("not_eligible", None, None)]


def test_market_rank_never_in_the_top_ten_before(policy: Any) -> None:
    # 8th, never ranked before: 前10 newly entered → 100,000; 前5 not reached
    result = run(policy, market_rank=8, market_rank_best_before="never")
    assert [(o.tier, o.amount) for o in paid(result, "market_share")] == [("前10", D("100000.00"))]


def test_highest_only_with_one_new_tier_excludes_nothing(policy: Any) -> None:
    result = run(policy, revenue="1.2亿", highest_revenue_before="0.9亿")
    assert [(o.status, o.tier) for o in outcomes(result, "revenue_tier")] == [("paid", "1亿")]


def test_cumulative_tiers_are_all_paid(policy: Any) -> None:
    # cumulative, 0.5亿 → 12亿: 100,000 + 200,000 + 300,000 = 600,000
    result = run(policy, {"revenue_tier": "cumulative"}, revenue="12亿", highest_revenue_before="0.5亿")
    assert sorted(o.amount for o in paid(result, "revenue_tier")) == [D("100000.00"), D("200000.00"),
                                                                     D("300000.00")]
    assert result.totals.exact == D("600000.00")


def test_each_basis_shows_its_figures(policy: Any) -> None:
    # The basis an officer reads shows the rate and the base, the table's figure, the day rates and
    # the per-person cap (the words around them may change; the figures may not).
    digital = only(run(policy, projects=[{"name": "数字车间", "digital": True,
                                          "software_hardware_investment": "5000000", "date": "2024-05-01"}]),
                   "digital_project")
    assert "10%" in (digital.basis or "") and "5,000,000.00" in (digital.basis or "")
    standard = only(run(policy, standards=[{"name": "GB 1", "level": "national", "role": "lead",
                                            "date": "2024-03-01"}]), "standard")
    assert "100,000.00" in (standard.basis or "")
    order = only(run(policy, training_programmes=[programme(36)]), "training_order")
    basis = order.basis or ""
    assert all(f in basis for f in ("150.00", "100.00", "4,100.00", "4,000.00")), basis
    assert "10天" in basis and "26天" in basis  # 10 days at 150, 26 at 100


def test_a_revenue_below_every_tier_names_the_lowest(policy: Any) -> None:
    o = only(run(policy, revenue="0.5亿", highest_revenue_before="0"), "revenue_tier")
    assert o.status == "not_eligible" and "1亿" in (o.reason or "") and "5,000" in (o.reason or "")


def test_a_missing_town_is_asked_for_by_its_own_name(policy: Any) -> None:
    o = only(run(policy, town=None, revenue="1.2亿", highest_revenue_before="0.9亿"), "revenue_tier")
    assert o.status == "needs_info" and any("(town)" in m for m in o.missing), o.missing


def test_no_land_means_no_land_outcome(policy: Any) -> None:
    # land_price is a price benefit listed under "land" only for plots in the profile
    result = run(policy)
    assert not [o for o in result.outcomes if o.provision == "land_price"] and result.land == []


def test_an_unknown_event_date_is_asked_for(policy: Any) -> None:
    from zhuanyezhen.profile.model import Project, fact_title

    # A digital project without its date: the award hangs on the date, so it is asked for by the
    # item's own path in the profile; so is an unknown investment.
    for field, project in (("date", {"software_hardware_investment": "1000000"}),
                           ("software_hardware_investment", {"date": "2024-05-01"})):
        o = only(run(policy, projects=[{"name": "项目", "digital": True, **project}]), "digital_project")
        assert o.status == "needs_info"
        assert o.missing == [f"{fact_title(Project, field)}(projects[0].{field})"]


def test_every_standard_received_before_is_excluded(policy: Any) -> None:
    standards = [{"name": name, "level": "national", "role": "lead", "date": "2024-05-01"} for name in ("A", "B")]
    history = [{"provision": "standard", "year": 2023, "subject": f"标准:{name}"} for name in ("A", "B")]
    result = run(policy, standards=standards, awards_received=history)
    assert [o.status for o in outcomes(result, "standard")] == ["excluded", "excluded"]
    assert result.totals.total == D("0.00")


def test_facts_split_dotted_names_from_scratch() -> None:
    from zhuanyezhen.engine import candidates
    from zhuanyezhen.profile.model import OnJobTraining, fact_title

    profile = profile_from_data({**BASE, "onjob_training": {"trainees": 7, "finished": "2024-06-30"}})
    candidates._SPLIT_PATHS.clear()  # the cache of split names, filled by any earlier calculation
    facts = candidates.Facts(profile, profile.onjob_training)
    assert (facts("onjob_training.trainees"), facts("item.trainees"), facts("town"), facts("in_town")) == (
        7, 7, "耐火材料", True)
    assert candidates.Facts(profile)("onjob_training.finished").isoformat() == "2024-06-30"
    assert candidates.title_of("onjob_training.trainees", None) == fact_title(OnJobTraining, "trainees")


def test_highest_tier_only_applies_to_every_provision(policy: Any) -> None:
    # revenue_tier: one new tier (1亿, 100,000); market_share: 12th → 4th newly enters 前10 and 前5:
    # only 前5, 200,000, the 前10 tier excluded in its favour.
    result = run(policy, revenue="1.2亿", highest_revenue_before="0.9亿", market_rank=4, market_rank_best_before=12)
    assert [(o.tier, o.amount) for o in paid(result, "revenue_tier")] == [("1亿", D("100000.00"))]
    market = {o.tier: o for o in outcomes(result, "market_share")}
    assert (market["前5"].status, market["前5"].amount) == ("paid", D("200000.00"))
    assert (market["前10"].status, market["前10"].winner) == ("excluded", "market_share:前5")
    assert result.totals.exact == D("300000.00")


def test_an_unknown_assumption_name_lists_the_known_ones(policy: Any) -> None:
    with pytest.raises(InputError) as caught:
        resolve_assumptions(policy, {"no_such": "x"})
    (problem,) = caught.value.problems
    assert all(name in (problem.hint or "") for name in policy.interpretations)


def test_land_benefit_carries_its_plot(policy: Any) -> None:
    result = run(policy, land=[{"name": "东区地块", "grade": 3, "area_m2": "2000", "cost_sum": "0",
                                "supported_industrial": True}])
    # grade 3: 600 × 2,000 = 1,200,000; floor 70% = 840,000; benefit 360,000
    (b,) = result.land
    assert (b.item, b.grade, b.area_m2, b.standard_price, b.benefit) == ("东区地块", 3, D("2000"), D("1200000.00"),
                                                                          D("360000.00"))
    assert "600.00" in b.basis and "1,200,000.00" in b.basis


# 《全国工业用地出让最低价标准》(国土资发〔2006〕307号), 元/㎡ by land grade 1 to 15 (INTERPRETATION.md)
NATIONAL_MINIMUM = [840, 720, 600, 480, 384, 336, 288, 252, 204, 168, 144, 120, 96, 84, 60]


@pytest.mark.parametrize("grade", range(1, 16))
def test_land_standard_price_of_every_grade(policy: Any, grade: int) -> None:
    # 100 ㎡ at the grade's price; costs 0, so the floor is 70% and the benefit 30% of it
    price = NATIONAL_MINIMUM[grade - 1]
    result = run(policy, land=[{"name": "地块", "grade": grade, "area_m2": "100", "cost_sum": "0",
                                "supported_industrial": True}])
    (b,) = result.land
    assert (b.standard_price, b.floor_price, b.benefit) == (
        D(price * 100).quantize(D("0.01")), (D(price * 70)).quantize(D("0.01")), D(price * 30).quantize(D("0.01")))
