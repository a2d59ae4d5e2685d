"""Each monetary provision is encoded as INTERPRETATION.md's table says: amount, cap, exact or
up-to, one-time, subject and the department to apply to. Checked on the loaded rules, so a slip
in a rule file fails here before any profile is scored."""

from decimal import Decimal

import pytest

D = Decimal

# id: (clause, kind, fixed amount or rate, cap per item, cap per enterprise, one_time, apply to)
SPEC = {
    "leader_city": (2, "exact", D("1000000"), None, None, "subject", "市工信局"),
    "leader_province": (2, "exact", D("5000000"), None, None, "subject", "市工信局"),
    "standard": (3, "up_to", None, None, None, None, "市市场监管局"),
    # gi_award=once_per_zone (default): once per 示范区 / product in the whole city
    "gi_zone": (5, "exact", D("100000"), None, None, "city", "市市场监管局"),
    "gi_china_eu": (5, "exact", D("100000"), None, None, "city", "市市场监管局"),
    "laozihao_china": (5, "exact", D("100000"), None, None, "enterprise", "市市场监管局"),
    "laozihao_shanxi": (5, "exact", D("50000"), None, None, "enterprise", "市市场监管局"),
    "training_onjob": (7, "exact", D("300"), None, None, None, "市人社局"),
    "training_order": (7, "exact", None, None, None, None, "市人社局"),
    "digital_project": (8, "up_to", D("0.10"), D("2000000"), None, None, "市工信局"),
    "tech_project": (9, "up_to", D("0.10"), None, None, None, "市工信局"),
    "rd_equipment": (9, "exact", D("0.10"), None, D("200000"), None, "市工信局"),
    "single_champion": (9, "exact", D("500000"), None, None, "enterprise", "市工信局"),
    "new_material_insurance": (9, "exact", D("0.20"), None, D("500000"), None, "市工信局"),
    "revenue_tier": (16, "exact", None, None, None, "tier", "市工信局"),
    "market_share": (16, "exact", None, None, None, "tier", "市工信局"),
}


def test_the_monetary_provisions_are_exactly_those_of_the_spec(policy):
    assert {p.id for p in policy.provisions if p.rule.kind == "award"} == set(SPEC)


@pytest.mark.parametrize("pid", sorted(SPEC))
def test_provision_encoding(policy, pid):
    clause, kind, figure, cap_item, cap_ent, one_time, apply_to = SPEC[pid]
    p = policy.provision(pid)
    a = p.rule.amount
    assert a is not None
    once = p.rule.one_time
    if once is not None and not isinstance(once, str):  # a Choice: its value under the default
        once = once.values[policy.interpretations[once.interpretation].default]
    assert (p.clause, a.kind, a.cap_per_item, a.cap_per_enterprise, once, p.departments[0]) == (
        clause, kind, cap_item, cap_ent, one_time, apply_to)
    if figure is not None:
        assert figure in (a.fixed, a.rate, a.per_unit)
    assert p.rule.beneficiary == ("provider" if pid == "training_order" else "enterprise")


def test_standard_table(policy):
    # 国际 20万(10万)、国家 10万(5万)、行业 5万(2万)
    table = policy.provision("standard").rule.amount.table
    assert table == {"international": {"lead": D(200000), "participate": D(100000)},
                     "national": {"lead": D(100000), "participate": D(50000)},
                     "industry": {"lead": D(50000), "participate": D(20000)}}


def test_training_schedule(policy):
    s = policy.provision("training_order").rule.amount.schedule
    assert [(b.up_to_day, b.per_day) for b in s.bands] == [(10, D(150)), (None, D(100))]
    assert s.cap_per_person == D(4000)


def test_tiers(policy):
    revenue = policy.provision("revenue_tier").rule.amount.tiers
    assert [(t.threshold, t.amount) for t in revenue.levels] == [
        (D(100_000_000), D(100_000)), (D(300_000_000), D(200_000)), (D(1_000_000_000), D(300_000))]
    market = policy.provision("market_share").rule.amount.tiers
    assert [(t.threshold, t.amount) for t in market.levels] == [(D(10), D(100_000)), (D(5), D(200_000))]


def test_land_table(policy):
    lp = policy.provision("land_price").rule.land_price
    assert lp.ratio == D("0.70")
    assert lp.price_by_grade == [D(x) for x in (840, 720, 600, 480, 384, 336, 288, 252, 204, 168, 144, 120, 96, 84, 60)]


def test_digital_and_tech_share_the_project_subject(policy):
    # project_overlap=highest_only: both provisions pay for "项目:{name}", so one subject, one award
    assert policy.provision("digital_project").rule.subject.values["highest_only"] == \
        policy.provision("tech_project").rule.subject.values["highest_only"] == "项目:{name}"
