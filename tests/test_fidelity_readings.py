"""Issue 12, the readings made named interpretations: both options of each, amounts by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .helpers import only, outcomes, paid, run

D = Decimal
ZONE = {"kind": "gi_zone", "name": "平定砂器国家地理标志产品保护示范区", "date": "2024-05-20"}
EU = {"kind": "gi_china_eu", "name": "平定砂器", "date": "2024-12-02"}
PER_ENTERPRISE = {"gi_award": "per_enterprise"}


# -- gi_award -----------------------------------------------------------------------------------------

def test_gi_once_per_zone_subject_is_the_zone_and_the_product(policy):
    # 示范区 10万 + 中欧互认 10万 = 200,000, each subject named after the zone / the product
    result = run(policy, honours=[ZONE, EU])
    assert only(result, "gi_zone").subject == "示范区:平定砂器国家地理标志产品保护示范区"
    assert only(result, "gi_china_eu").subject == "中欧互认产品:平定砂器"
    assert result.totals.total == D("200000.00")
    assert only(result, "gi_zone").interpretations == {"gi_award": "once_per_zone"}
    assert any("全市只奖一次" in step for step in only(result, "gi_zone").steps)


def test_gi_once_per_zone_needs_the_name(policy):
    result = run(policy, honours=[{"kind": "gi_zone", "date": "2024-05-20"}])
    o = only(result, "gi_zone")
    assert o.status == "needs_info" and o.missing == ["名称(honours[0].name)"]
    # per_enterprise does not need it: 100,000
    assert only(run(policy, PER_ENTERPRISE, honours=[{"kind": "gi_zone", "date": "2024-05-20"}]),
                "gi_zone").amount == D("100000.00")


def test_gi_two_zones(policy):
    second = {**ZONE, "name": "盂县某示范区", "date": "2024-08-01"}
    # once_per_zone: two zones, two subjects: 2 × 100,000 = 200,000
    assert run(policy, honours=[ZONE, second]).totals.total == D("200000.00")
    # per_enterprise: once per enterprise: 100,000
    assert run(policy, PER_ENTERPRISE, honours=[ZONE, second]).totals.total == D("100000.00")


def test_gi_history_without_subject(policy):
    history = [{"provision": "gi_zone", "year": 2024}]
    # once_per_zone: the zone is a subject; a subject-less entry of the same year may be it
    assert only(run(policy, honours=[ZONE], awards_received=history), "gi_zone").status == "needs_info"
    # per_enterprise: paid once per enterprise, so the entry blocks it
    assert only(run(policy, PER_ENTERPRISE, honours=[ZONE], awards_received=history),
                "gi_zone").status == "excluded"
    # with the subject named, once_per_zone stops exactly that zone
    named = [{"provision": "gi_zone", "year": 2024, "subject": "示范区:平定砂器国家地理标志产品保护示范区"}]
    assert only(run(policy, honours=[ZONE], awards_received=named), "gi_zone").status == "excluded"


# -- insurance_renewal --------------------------------------------------------------------------------

def premium(product: str, amount: int, date: str) -> dict[str, object]:
    return {"product": product, "premium": amount, "qualifies": True, "date": date}


def test_renewal_first_year_only_pays_the_first_insured_year(policy):
    # A insured 2024 (1,000,000 + 200,000 in one year: 20% × 1,200,000 = 240,000) and renewed 2025
    # (1,100,000): claim 2025 pays the 2024 year (claimable later) and not the renewal: 240,000
    result = run(policy, claim_year=2025, premiums=[premium("A", 1000000, "2024-03-01"),
                                                    premium("A", 200000, "2024-10-01"),
                                                    premium("A", 1100000, "2025-03-01")])
    by_item = {o.item_path: o for o in outcomes(result, "new_material_insurance")}
    assert by_item["premiums[0]"].amount == D("240000.00")  # the 2024 year, both premiums
    assert by_item["premiums[2]"].status == "not_eligible"
    assert "续保" in (by_item["premiums[2]"].reason or "")
    assert result.totals.total == D("240000.00")


def test_renewal_every_year_pays_each_year_within_the_cap(policy):
    # 240,000 (2024) + 20% × 1,100,000 = 220,000 (2025) = 460,000 <= 500,000 cap
    result = run(policy, {"insurance_renewal": "every_year"}, claim_year=2025,
                 premiums=[premium("A", 1000000, "2024-03-01"), premium("A", 200000, "2024-10-01"),
                           premium("A", 1100000, "2025-03-01")])
    assert result.totals.total == D("460000.00")


@pytest.mark.parametrize(("option", "total"), [("first_year_only", D(0)), ("every_year", D("220000.00"))])
def test_renewal_known_from_an_earlier_award(policy, option, total):
    # the profile lists only the 2025 premium, but an award for A's 2024 year was received
    result = run(policy, {"insurance_renewal": option}, claim_year=2025,
                 premiums=[premium("A", 1100000, "2025-03-01")],
                 awards_received=[{"provision": "new_material_insurance", "year": 2024,
                                   "subject": "保险:A:2024", "amount": 200000}])
    assert result.totals.total == total  # every_year: 20% × 1,100,000 = 220,000


def test_renewal_known_from_a_premium_before_the_policy(policy):
    # first insured 2023-03-01 (before the policy took effect): 2024 is a renewal under the default
    result = run(policy, premiums=[premium("A", 1000000, "2023-03-01"), premium("A", 1000000, "2024-03-01")])
    assert result.totals.total == 0
    # every_year: the 2024 premium pays 200,000; the 2023 one is outside the policy's period
    assert run(policy, {"insurance_renewal": "every_year"},
               premiums=[premium("A", 1000000, "2023-03-01"),
                         premium("A", 1000000, "2024-03-01")]).totals.total == D("200000.00")


# -- enterprise_cap_period ----------------------------------------------------------------------------

EQUIPMENT_2025 = {"claim_year": 2025, "industry_revenue_rank": 1, "equipment_investment": 1500000}
POLICY_PERIOD = {"enterprise_cap_period": "policy_period"}


def received(amount: int | None, year: int = 2024) -> list[dict[str, object]]:
    entry: dict[str, object] = {"provision": "rd_equipment", "year": year, "subject": f"设备购置:{year}"}
    if amount is not None:
        entry["amount"] = amount
    return [entry]


def test_cap_per_claim_year_ignores_earlier_years(policy):
    # 2025: 10% × 1,500,000 = 150,000 <= 200,000; the 2024 award of 200,000 does not count
    result = run(policy, **EQUIPMENT_2025, awards_received=received(200000))
    assert only(result, "rd_equipment").amount == D("150000.00")


def test_cap_over_the_policy_period_counts_earlier_awards(policy):
    # 200,000 already paid in 2024: nothing left of the 200,000 cap
    full = run(policy, POLICY_PERIOD, **EQUIPMENT_2025, awards_received=received(200000))
    assert only(full, "rd_equipment").status == "excluded"
    assert full.totals.total == 0
    # 120,000 paid in 2024: 200,000 − 120,000 = 80,000 left, less than 150,000
    part = run(policy, POLICY_PERIOD, **EQUIPMENT_2025, awards_received=received(120000))
    assert only(part, "rd_equipment").amount == D("80000.00")
    assert only(part, "rd_equipment").interpretations == {"enterprise_cap_period": "policy_period"}


def test_cap_over_the_policy_period_needs_the_earlier_amount(policy):
    result = run(policy, POLICY_PERIOD, **EQUIPMENT_2025, awards_received=received(None))
    o = only(result, "rd_equipment")
    assert o.status == "needs_info" and o.missing == ["金额(awards_received[0].amount)"]
    # per claim year, a 2024 entry does not matter: 150,000
    assert only(run(policy, **EQUIPMENT_2025, awards_received=received(None)), "rd_equipment").amount \
        == D("150000.00")


def test_cap_per_claim_year_counts_the_same_year(policy):
    # insurance: 300,000 already received in 2024 for product A; B's 2024 premium 1,000,000 → 20% = 200,000,
    # exactly the 500,000 − 300,000 left: 200,000
    history = [{"provision": "new_material_insurance", "year": 2024, "subject": "保险:A:2024", "amount": 300000}]
    result = run(policy, premiums=[premium("B", 1500000, "2024-05-01")], awards_received=history)
    # 20% × 1,500,000 = 300,000, but only 200,000 of the cap is left this claim year
    assert [o.amount for o in paid(result, "new_material_insurance")] == [D("200000.00")]


def test_cap_over_the_policy_period_for_insurance(policy):
    # 400,000 received for A in 2024; claim 2025, B first insured 2025, 1,000,000 → 200,000;
    # per_claim_year: 200,000; policy_period: 500,000 − 400,000 = 100,000
    history = [{"provision": "new_material_insurance", "year": 2024, "subject": "保险:A:2024", "amount": 400000}]
    facts = {"claim_year": 2025, "premiums": [premium("B", 1000000, "2025-02-01")], "awards_received": history}
    assert run(policy, **facts).totals.total == D("200000.00")
    assert run(policy, POLICY_PERIOD, **facts).totals.total == D("100000.00")


# -- effective_date -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("option", "date", "status"), [
    ("thirtieth_day", "2023-05-10", "not_eligible"),
    ("thirtieth_day", "2023-05-11", "paid"),
    ("day_after_period", "2023-05-11", "not_eligible"),
    ("day_after_period", "2023-05-12", "paid"),
])
def test_effective_date(policy, option, date, status):
    # a 中华老字号 newly listed on the date: 100,000 when in force
    result = run(policy, {"effective_date": option}, claim_year=2023,
                 honours=[{"kind": "laozihao_china", "date": date}])
    o = only(result, "laozihao_china")
    assert o.status == status
    assert result.totals.total == (D("100000.00") if status == "paid" else 0)
    # only an event on the day the readings disagree on depends on the reading
    assert ("effective_date" in o.interpretations) == (date == "2023-05-11")


@pytest.mark.parametrize("name", ["gi_award", "insurance_renewal", "enterprise_cap_period", "effective_date"])
def test_each_new_reading_is_shown_by_rules_show(name):
    from typer.testing import CliRunner

    from zhuanyezhen.cli import app

    result = CliRunner().invoke(app, ["rules", "show", name])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"解释 {name}:") and "(默认)" in result.stdout and "依据:" in result.stdout
