"""Issue 12, the five engine defects, each with amounts worked out by hand from the policy text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhuanyezhen import InputError, calculate, profile_from_data
from zhuanyezhen.engine.calculation import calculate_awards
from zhuanyezhen.profile.model import Land, Profile

from .helpers import BASE, only, outcomes, paid, run

D = Decimal


# -- 1. land plots by position; duplicate names refused --------------------------------------------

def test_plots_are_scored_by_position_not_by_name(policy):
    # A profile that slipped past validation with two plots of one name (model_construct skips it):
    # each plot must still be scored with its own grade and area.
    # plot 1: grade 10, 168 元/㎡ × 20,000 ㎡ = 3,360,000; floor max(70% = 2,352,000, 0); benefit 1,008,000
    # plot 2: grade 1, 840 元/㎡ × 1,000 ㎡ = 840,000; floor 588,000; benefit 252,000 (= 840 × 1,000 × 30%)
    # together 1,260,000 (the name lookup gave 2 × 1,008,000 = 2,016,000)
    good = profile_from_data({**BASE})
    plots = [Land(name="一期", grade=10, area_m2=D(20000), cost_sum=D(0), supported_industrial=True),
             Land(name="一期", grade=1, area_m2=D(1000), cost_sum=D(0), supported_industrial=True)]
    profile = Profile.model_construct(**{**dict(good), "land": plots})
    result = calculate(profile, policy)
    assert [x.benefit for x in result.land] == [D("1008000.00"), D("252000.00")]
    assert result.totals.land_benefit == D("1260000.00")


def test_two_plots_with_distinct_names_each_get_their_own_benefit(policy):
    result = run(policy, land=[
        {"name": "一期", "grade": 10, "area_m2": 20000, "cost_sum": 0, "supported_industrial": True},
        {"name": "二期", "grade": 1, "area_m2": 1000, "cost_sum": 0, "supported_industrial": True}])
    assert result.totals.land_benefit == D("1260000.00")  # 1,008,000 + 252,000, as above


@pytest.mark.parametrize(("field", "items", "noun", "title"), [
    ("land", [{"name": "一期", "grade": 10, "area_m2": 1, "cost_sum": 0}] * 2, "地块", "地块或项目名称"),
    ("projects", [{"name": "产线"}] * 2, "项目", "项目名称"),
    ("standards", [{"name": "GB/T 1", "level": "national", "role": "lead", "date": "2024-01-01"}] * 2, "标准",
     "标准名称"),
    ("training_programmes", [{"name": "班", "kind": "order", "trainees": 1, "days": 1, "provider": "本企业",
                              "finished": "2024-01-01"}] * 2, "培训项目", "培训项目名称"),
    ("honours", [{"kind": "gi_zone", "name": "一期", "date": "2024-01-01"}] * 2, "同类荣誉", "名称"),
])
def test_a_repeated_name_in_one_list_is_refused(field, items, noun, title):
    name = items[0]["name"]
    with pytest.raises(InputError) as err:
        profile_from_data({**BASE, field: items})
    problem = err.value.problems[0]
    assert problem.message == f"同一清单中有两个名为“{name}”的{noun}"
    assert problem.field == f"{field}[1].name({title})"  # the key, and its Chinese name beside it


def test_allowed_repeats_are_not_refused():
    # premiums of one product repeat by design; honours of different kinds may share a name;
    # honours without a name are not compared
    profile_from_data({**BASE,
                       "premiums": [{"product": "A", "premium": 1, "date": "2024-01-01"}] * 2,
                       "honours": [{"kind": "gi_zone", "name": "平定砂器", "date": "2024-01-01"},
                                   {"kind": "gi_china_eu", "name": "平定砂器", "date": "2024-01-01"},
                                   {"kind": "high_tech", "date": "2024-01-01"},
                                   {"kind": "high_tech", "date": "2024-02-01"}]})


# -- 2. a support whose where or conditions are unknown asks for the fact --------------------------

def test_support_with_unknown_field_is_needs_info_naming_the_field(policy):
    result = run(policy, projects=[{"name": "监控平台", "digital": True}])
    o = only(result, "innovation_projects")
    assert o.status == "needs_info"
    assert o.missing == ["项目领域(projects[0].field)"]


def test_support_with_known_field_is_listed_or_not(policy):
    listed = run(policy, projects=[{"name": "提标", "field": "upgrade"}])
    assert only(listed, "innovation_projects").status == "support"
    other = run(policy, projects=[{"name": "其他", "field": "other"}])
    assert only(other, "innovation_projects").status == "not_eligible"


# -- 3. history entries without a subject -----------------------------------------------------------

STANDARD = {"name": "A", "level": "national", "role": "participate", "date": "2024-12-04"}


def test_issue_example_standard_with_subjectless_history_asks_which(policy):
    # national / participate: up to 50,000; an entry "standard, 2024" without subject may be this one
    result = run(policy, standards=[STANDARD], awards_received=[{"provision": "standard", "year": 2024}])
    o = only(result, "standard")
    assert o.status == "needs_info"
    assert o.missing == ["事项(awards_received[0].subject)"]
    assert "awards_received[0]" in (o.reason or "") and "标准:A" in (o.reason or "")
    assert result.totals.total == 0


@pytest.mark.parametrize(("entry_year", "status", "total"), [
    (2024, "needs_info", D(0)),       # same year as the event: it could be the one paid
    (2025, "needs_info", D(0)),       # a later entry could have paid it too
    (2023, "paid", D("50000.00")),    # the standard was issued in 2024: a 2023 award cannot be for it
])
def test_per_subject_without_subject_by_year(policy, entry_year, status, total):
    result = run(policy, claim_year=2025, standards=[STANDARD],
                 awards_received=[{"provision": "standard", "year": entry_year}])
    assert only(result, "standard").status == status
    assert result.totals.total == total


@pytest.mark.parametrize(("subject", "status"), [("标准:A", "excluded"), ("标准:B", "paid")])
def test_per_subject_with_subject_stops_that_subject_only(policy, subject, status):
    result = run(policy, standards=[STANDARD],
                 awards_received=[{"provision": "standard", "year": 2024, "subject": subject}])
    assert only(result, "standard").status == status


@pytest.mark.parametrize("entry_year", [2023, 2024])
def test_one_time_without_subject_is_blocked_in_any_year(policy, entry_year):
    # single_champion is once per enterprise: whatever year, a history entry stops it (500,000 not paid)
    result = run(policy, honours=[{"kind": "single_champion", "name": "砖", "date": "2024-06-20"}],
                 awards_received=[{"provision": "single_champion", "year": entry_year}])
    assert only(result, "single_champion").status == "excluded"
    assert result.totals.total == 0


@pytest.mark.parametrize(("subject", "status"), [
    ("荣誉:国家级制造业单项冠军产品", "excluded"), ("something else", "excluded")])
def test_one_time_with_subject_is_blocked_too(policy, subject, status):
    result = run(policy, honours=[{"kind": "single_champion", "name": "砖", "date": "2024-06-20"}],
                 awards_received=[{"provision": "single_champion", "year": 2024, "subject": subject}])
    assert only(result, "single_champion").status == status


def test_subjectless_entry_asks_for_each_subject_it_could_be(policy):
    # two standards: 2024-12-04 (could be the 2024 entry) and 2025-03-01 (cannot): the second pays 20,000
    # (industry / participate)
    result = run(policy, claim_year=2025, standards=[
        STANDARD, {"name": "B", "level": "industry", "role": "participate", "date": "2025-03-01"}],
        awards_received=[{"provision": "standard", "year": 2024}])
    by_subject = {o.subject: o.status for o in outcomes(result, "standard")}
    assert by_subject == {"标准:A": "needs_info", "标准:B": "paid"}
    assert result.totals.total == D("20000.00")


def test_subjectless_entry_for_a_yearly_award(policy):
    # rd_equipment is paid per claim year (subject 设备购置:<year>): 10% × 1,000,000 = 100,000
    facts = {"industry_revenue_rank": 1, "equipment_investment": 1000000}
    same = run(policy, **facts, awards_received=[{"provision": "rd_equipment", "year": 2024}])
    assert only(same, "rd_equipment").status == "needs_info"
    earlier = run(policy, **facts, awards_received=[{"provision": "rd_equipment", "year": 2023}])
    assert only(earlier, "rd_equipment").amount == D("100000.00")


# -- 4. cap room freed by another policy, in every order ---------------------------------------------

PREMIUM_A = {"product": "A", "premium": 2500000, "qualifies": True, "date": "2024-03-01"}
PREMIUM_B = {"product": "B", "premium": 2500000, "qualifies": True, "date": "2024-04-01"}
OTHERS = [{"subject": "保险:A:2024", "policy": "X", "amount": 600000},
          {"subject": "保险:B:2024", "policy": "Y", "amount": 400000}]


@pytest.mark.parametrize("order", [(PREMIUM_A, PREMIUM_B), (PREMIUM_B, PREMIUM_A)], ids=["A-B", "B-A"])
@pytest.mark.parametrize("others", [OTHERS, OTHERS[::-1]], ids=["X-Y", "Y-X"])
def test_cap_room_freed_by_another_policy_goes_to_the_next_item(policy, order, others):
    # 20% × 2,500,000 = 500,000 each; the enterprise cap is 500,000.
    # A: policy X pays 600,000 > 500,000 here, so A goes to X. That frees the cap for B:
    # 500,000 here > 400,000 under Y, so B is paid 500,000 here.
    result = run(policy, premiums=list(order), other_policy_awards=others)
    by_subject = {o.subject: o for o in outcomes(result, "new_material_insurance")}
    assert by_subject["保险:A:2024"].status == "excluded"
    assert by_subject["保险:A:2024"].winner == "X"
    assert by_subject["保险:B:2024"].status == "paid"
    assert by_subject["保险:B:2024"].amount == D("500000.00")
    assert result.totals.total == D("500000.00")
    _awards, totals = calculate_awards(profile_from_data({**BASE, "premiums": list(order),
                                                         "other_policy_awards": others}), policy)
    assert totals == result.totals


def test_contention_for_cap_room_gives_the_room_to_the_earlier_item(policy):
    # both worth 500,000 alone, both with another policy paying 400,000; the cap holds one:
    # A here 500,000 + B elsewhere 400,000 (the later item gives way), whatever else could be chosen
    others = [{"subject": "保险:A:2024", "policy": "X", "amount": 400000},
              {"subject": "保险:B:2024", "policy": "Y", "amount": 400000}]
    result = run(policy, premiums=[PREMIUM_A, PREMIUM_B], other_policy_awards=others)
    by_subject = {o.subject: o for o in outcomes(result, "new_material_insurance")}
    assert by_subject["保险:A:2024"].amount == D("500000.00")
    assert by_subject["保险:B:2024"].status == "excluded"
    assert "单户企业上限由本项其他事项占用后" in (by_subject["保险:B:2024"].reason or "")


# -- 5. premiums of one product and one insured year are one base ------------------------------------

def test_two_premiums_of_one_product_and_year_are_one_base(policy):
    # "以实际投保年度保费的20%": 20% × (1,000,000 + 500,000) = 300,000, one subject
    result = run(policy, premiums=[
        {"product": "A", "premium": 1000000, "qualifies": True, "date": "2024-03-01"},
        {"product": "A", "premium": 500000, "qualifies": True, "date": "2024-09-01"}])
    o = only(result, "new_material_insurance")
    assert o.status == "paid" and o.amount == D("300000.00")
    assert o.subject == "保险:A:2024"
    assert o.basis == "20% × (1,000,000.00 + 500,000.00) 元,同一产品同一投保年度的保费合为一个基数"
    assert result.totals.total == D("300000.00")


def test_one_base_is_still_capped(policy):
    # 20% × (2,000,000 + 1,000,000) = 600,000, over the 500,000 enterprise cap: 500,000
    result = run(policy, premiums=[
        {"product": "A", "premium": 2000000, "qualifies": True, "date": "2024-03-01"},
        {"product": "A", "premium": 1000000, "qualifies": True, "date": "2024-09-01"}])
    assert [o.amount for o in paid(result, "new_material_insurance")] == [D("500000.00")]


def test_premiums_of_two_products_are_two_bases(policy):
    # 20% × 1,000,000 + 20% × 500,000 = 200,000 + 100,000
    result = run(policy, premiums=[
        {"product": "A", "premium": 1000000, "qualifies": True, "date": "2024-03-01"},
        {"product": "B", "premium": 500000, "qualifies": True, "date": "2024-09-01"}])
    assert sorted(o.amount for o in paid(result, "new_material_insurance")) == [D("100000.00"), D("200000.00")]
