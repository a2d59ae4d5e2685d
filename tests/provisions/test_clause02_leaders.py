"""(二) 规模化领军企业:全市 100万元、全省 500万元(市级奖励),确定金额。"""

from decimal import Decimal

from ..helpers import only, outcomes, paid, run


def test_city_leader_pays_one_million(policy):
    # "对评选为全市特色专业镇规模化领军企业给予100万元奖励" → 1,000,000 元,确定金额
    o = only(run(policy, honours=[{"kind": "leader_city", "date": "2024-10-01"}]), "leader_city")
    assert (o.status, o.amount, o.kind) == ("paid", Decimal("1000000.00"), "exact")
    assert o.apply_to == "市工信局"


def test_province_leader_pays_five_million(policy):
    # "对评选为全省特色专业镇规模化领军企业,给予500万元市级奖励" → 5,000,000 元
    o = only(run(policy, honours=[{"kind": "全省特色专业镇规模化领军企业", "date": "2024-10-01"}]),
             "leader_province")
    assert (o.status, o.amount, o.kind) == ("paid", Decimal("5000000.00"), "exact")


def test_city_and_province_in_same_year_pay_the_higher_only(policy):
    # Default leader_same_year=highest_only: 5,000,000 (全省) stays; 1,000,000 (全市) is excluded.
    result = run(policy, honours=[{"kind": "leader_city", "date": "2023-11-20"},
                                  {"kind": "leader_province", "date": "2023-12-15"}])
    city = only(result, "leader_city")
    assert city.status == "excluded" and city.winner == "leader_province"
    assert city.computed == Decimal("1000000.00")
    assert result.totals.exact == Decimal("5000000.00")


def test_city_and_province_in_same_year_both_pay_when_assumed(policy):
    # --assume leader_same_year=both: 1,000,000 + 5,000,000 = 6,000,000
    result = run(policy, {"leader_same_year": "both"},
                 honours=[{"kind": "leader_city", "date": "2023-11-20"},
                          {"kind": "leader_province", "date": "2023-12-15"}])
    assert result.totals.exact == Decimal("6000000.00")


def test_city_and_province_in_different_years_both_pay(policy):
    # Two selections (评选每两年一次): 2023 全市 1,000,000 + 2025 全省 5,000,000 = 6,000,000
    result = run(policy, claim_year=2025, honours=[{"kind": "leader_city", "date": "2023-11-20"},
                                                   {"kind": "leader_province", "date": "2025-11-20"}])
    assert len(paid(result, "leader_city")) == 1 and len(paid(result, "leader_province")) == 1
    assert result.totals.exact == Decimal("6000000.00")


def test_leader_outside_the_towns_gets_nothing(policy):
    result = run(policy, town="无", honours=[{"kind": "leader_city", "date": "2024-10-01"}])
    assert [o.status for o in outcomes(result, "leader_city")] == ["not_eligible"]
    assert result.totals.total == 0
