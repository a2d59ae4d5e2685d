"""(十六) 达标奖励:骨干企业营收首次达到1亿、3亿、10亿元奖10万、20万、30万;
主导产品市场占有率首次进入全国前10名、前5名奖10万、20万。一次性。"""

from decimal import Decimal

import pytest

from ..helpers import outcomes, paid, run


@pytest.mark.parametrize(("revenue", "before", "tier", "award"), [
    ("99999999.99", "50000000", None, None),            # below 1亿
    ("100000000", "50000000", "1亿", "100000.00"),       # "首次达到1亿元" → 100,000
    ("299999999.99", "150000000", None, None),          # 1亿 reached before; below 3亿
    ("300000000", "150000000", "3亿", "200000.00"),      # → 200,000
    ("999999999.99", "800000000", None, None),          # below 10亿
    ("1000000000", "800000000", "10亿", "300000.00"),    # → 300,000
])
def test_revenue_tier_edges(policy, revenue, before, tier, award):
    result = run(policy, revenue=revenue, highest_revenue_before=before)
    got = paid(result, "revenue_tier")
    if tier is None:
        assert got == [] and [o.status for o in outcomes(result, "revenue_tier")] == ["not_eligible"]
    else:
        assert [(o.tier, o.amount, o.kind) for o in got] == [(tier, Decimal(award), "exact")]


def test_revenue_reached_before_is_not_first(policy):
    result = run(policy, revenue="150000000", highest_revenue_before="120000000")
    assert paid(result, "revenue_tier") == []


def test_revenue_jump_pays_highest_new_tier_only(policy):
    # 0.8亿 → 3.5亿: 1亿 and 3亿 newly reached; default highest_only → 200,000
    result = run(policy, revenue="3.5亿", highest_revenue_before="0.8亿")
    assert [(o.tier, o.amount) for o in paid(result, "revenue_tier")] == [("3亿", Decimal("200000.00"))]
    assert result.totals.exact == Decimal("200000.00")


def test_revenue_jump_cumulative_pays_each_new_tier(policy):
    # revenue_tier=cumulative: 100,000 + 200,000 = 300,000
    result = run(policy, {"revenue_tier": "cumulative"}, revenue="3.5亿", highest_revenue_before="0.8亿")
    assert sorted(o.amount for o in paid(result, "revenue_tier")) == [Decimal("100000.00"), Decimal("200000.00")]
    assert result.totals.exact == Decimal("300000.00")
    assert all(o.interpretations["revenue_tier"] == "cumulative" for o in paid(result, "revenue_tier"))


def test_revenue_tier_needs_backbone(policy):
    result = run(policy, backbone=False, revenue="1.2亿", highest_revenue_before="0.9亿")
    assert [o.status for o in outcomes(result, "revenue_tier")] == ["not_eligible"]


@pytest.mark.parametrize(("rank", "before", "tier", "award"), [
    (11, "never", None, None),            # outside the top 10
    (10, "never", "前10", "100000.00"),   # "首次进入全国前10名" → 100,000
    (10, 11, "前10", "100000.00"),        # from 11th to 10th
    (6, 10, None, None),                  # top 10 reached before; 6th is not top 5
    (5, 10, "前5", "200000.00"),          # "首次进入全国前5名" → 200,000
    (5, 6, "前5", "200000.00"),
    (3, 5, None, None),                   # top 5 reached before
])
def test_market_share_edges(policy, rank, before, tier, award):
    got = paid(run(policy, market_rank=rank, market_rank_best_before=before), "market_share")
    assert [(o.tier, o.amount) for o in got] == ([] if tier is None else [(tier, Decimal(award))])


def test_market_share_jump_from_outside_top_ten_to_top_five(policy):
    # default highest_only: 200,000; market_share=cumulative: 100,000 + 200,000 = 300,000
    assert run(policy, market_rank=4, market_rank_best_before=12).totals.exact == Decimal("200000.00")
    result = run(policy, {"market_share": "cumulative"}, market_rank=4, market_rank_best_before="从未进入")
    assert result.totals.exact == Decimal("300000.00")
