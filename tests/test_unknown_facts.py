"""Unknown is not no: a provision hanging on a left-out fact needs information and is never paid."""

from decimal import Decimal

from .helpers import only, outcomes, run


def test_missing_employment_rate_needs_information(policy):
    result = run(policy, training_programmes=[{"name": "订单班", "kind": "order", "trainees": 10, "days": 10,
                                               "provider": "本企业", "finished": "2024-07-01"}])
    o = only(result, "training_order")
    assert o.status == "needs_info" and o.amount is None
    assert any("培训后就业率" in m for m in o.missing)
    assert result.totals.total == 0


def test_missing_backbone_status_needs_information(policy):
    o = only(run(policy, backbone=None, revenue="1.2亿", highest_revenue_before="0.9亿"), "revenue_tier")
    assert o.status == "needs_info" and any("骨干企业" in m for m in o.missing)


def test_missing_revenue_before_needs_information(policy):
    o = only(run(policy, revenue="1.2亿"), "revenue_tier")
    assert o.status == "needs_info" and any("以往最高年营收" in m for m in o.missing)


def test_a_false_fact_decides_even_when_another_is_unknown(policy):
    # leading_industry false and backbone unknown: not eligible, not "needs information"
    o = only(run(policy, leading_industry=False, backbone=None, revenue="1.2亿", highest_revenue_before="0.9亿"),
             "revenue_tier")
    assert o.status == "not_eligible"


def test_unknown_town_needs_information_for_every_award(policy):
    result = run(policy, town=None, honours=[{"kind": "gi_zone", "date": "2024-05-01"}])
    o = only(result, "gi_zone")
    assert o.status == "needs_info" and any("专业镇" in m for m in o.missing)
    assert result.totals.total == Decimal(0)


def test_missing_item_fact_is_named_by_its_path_in_the_profile(policy):
    # The second programme has no employment rate: the message points at that very field.
    programme = {"kind": "order", "trainees": 10, "days": 12, "provider": "本企业", "finished": "2024-06-30"}
    result = run(policy, training_programmes=[{**programme, "name": "甲班", "employment_rate": "90%"},
                                              {**programme, "name": "乙班"}])
    needing = [o for o in outcomes(result, "training_order") if o.status == "needs_info"]
    assert [o.missing for o in needing] == [["培训后就业率(training_programmes[1].employment_rate)"]]
