"""(七) 培训补贴:在岗职工每人300元;订单式等培训前10天每天150元、第11天起每天100元,每人最高4000元,
就业率达到80%,补贴给培训主体。"""

from decimal import Decimal

import pytest

from ..helpers import only, run


def programme(**over):
    base = {"name": "订单班", "kind": "order", "trainees": 1, "days": 10, "employment_rate": "0.90",
            "provider": "本企业", "finished": "2024-07-01"}
    return {**base, **over}


def test_onjob_training_pays_300_per_employee(policy):
    # 300 元 × 120 人 = 36,000 元
    result = run(policy, onjob_training={"trainees": 120, "finished": "2024-10-31"})
    o = only(result, "training_onjob")
    assert (o.status, o.amount, o.kind) == ("paid", Decimal("36000.00"), "exact")
    assert o.apply_to == "市人社局"


@pytest.mark.parametrize(("days", "per_person"), [
    (10, "1500"),   # 10 × 150 = 1,500
    (11, "1600"),   # 10 × 150 + 1 × 100 = 1,600: "超过一天100元" starts on day 11
    (34, "3900"),   # 1,500 + 24 × 100 = 3,900
    (35, "4000"),   # 1,500 + 25 × 100 = 4,000: the cap is reached exactly at day 35
    (36, "4000"),   # 1,500 + 26 × 100 = 4,100 > 4,000 → 4,000
])
def test_order_training_schedule_per_trainee(policy, days, per_person):
    # two trainees, so the amount is twice the per-person figure
    o = only(run(policy, training_programmes=[programme(trainees=2, days=days)]), "training_order")
    assert o.status == "paid"
    assert o.amount == Decimal(per_person) * 2
    assert o.capped is False  # the per-person cap is inside the schedule, never the item cap


def test_order_training_cap_shown_in_basis(policy):
    o = only(run(policy, training_programmes=[programme(days=36)]), "training_order")
    assert "4,100.00" in (o.basis or "") and "4,000.00" in (o.basis or "")


@pytest.mark.parametrize(("rate", "status"), [("0.79", "not_eligible"), ("0.80", "paid"), ("79%", "not_eligible"),
                                              ("80%", "paid")])
def test_employment_rate_must_reach_80_percent(policy, rate, status):
    # "培训后就业率……达到80%": >= 0.80
    o = only(run(policy, training_programmes=[programme(employment_rate=rate)]), "training_order")
    assert o.status == status


def test_order_training_needs_leading_industry(policy):
    o = only(run(policy, leading_industry=False, training_programmes=[programme()]), "training_order")
    assert o.status == "not_eligible"


def test_named_provider_is_paid_outside_the_enterprise_total(policy):
    # 30 人 × 40 天: 每人 1,500 + 30 × 100 = 4,500 → 4,000; × 30 = 120,000,付给培训主体
    result = run(policy, training_programmes=[programme(trainees=30, days=40, provider="阳泉职业技术学院")])
    o = only(result, "training_order")
    assert (o.status, o.amount, o.beneficiary, o.counts_in_total) == (
        "paid", Decimal("120000.00"), "阳泉职业技术学院", False)
    assert result.totals.payable_to_others == Decimal("120000.00")
    assert result.totals.total == 0


@pytest.mark.parametrize("self_name", ["本企业", "企业自身", "self"])
def test_enterprise_as_its_own_provider_counts_in_its_total(policy, self_name):
    # 20 人 × 11 天: 1,600 × 20 = 32,000,本企业承担,计入企业合计
    result = run(policy, training_programmes=[programme(trainees=20, days=11, provider=self_name)])
    assert result.totals.exact == Decimal("32000.00")
    assert result.totals.payable_to_others == 0


def test_employed_only_interpretation_counts_employed_trainees(policy):
    # training_order=employed_only: 10 trainees × 0.85 → 8 employed (rounded down); 8 × 1,500 = 12,000
    result = run(policy, {"training_order": "employed_only"},
                 training_programmes=[programme(trainees=10, employment_rate="0.85")])
    assert only(result, "training_order").amount == Decimal("12000.00")
