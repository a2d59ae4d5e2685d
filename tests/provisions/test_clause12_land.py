"""(十二) 土地出让底价:不低于标准价的70%,且不低于实际成本之和。价格优惠,不是现金。"""

from decimal import Decimal

from ..helpers import run


def plot(grade, area, cost):
    return {"name": "地块", "grade": grade, "area_m2": area, "cost_sum": cost, "supported_industrial": True}


def test_seventy_percent_floor_binds_when_above_costs(policy):
    # 10等 168 元/㎡ × 20,000 ㎡ = 3,360,000; 70% = 2,352,000 > 成本 2,000,000 → 底价 2,352,000;
    # 优惠 3,360,000 − 2,352,000 = 1,008,000
    result = run(policy, land=[plot(10, 20000, 2000000)])
    (land,) = result.land
    assert (land.standard_price, land.floor_price, land.benefit) == (
        Decimal("3360000.00"), Decimal("2352000.00"), Decimal("1008000.00"))
    assert result.totals.land_benefit == Decimal("1008000.00")
    assert result.totals.total == 0  # never cash


def test_cost_floor_binds_when_above_seventy_percent(policy):
    # 12等 120 元/㎡ × 8,000 ㎡ = 960,000; 70% = 672,000 < 成本 700,000 → 底价 700,000; 优惠 260,000
    (land,) = run(policy, land=[plot(12, 8000, 700000)]).land
    assert (land.floor_price, land.benefit) == (Decimal("700000.00"), Decimal("260000.00"))


def test_grade_one_and_fifteen_prices(policy):
    # 1等 840 元/㎡ × 1,000 ㎡ = 840,000 → 70% 588,000, 优惠 252,000;
    # 15等 60 元/㎡ × 1,000 ㎡ = 60,000 → 70% 42,000, 优惠 18,000
    result = run(policy, land=[plot(1, 1000, 0), {**plot(15, 1000, 0), "name": "乙"}])
    assert [x.benefit for x in result.land] == [Decimal("252000.00"), Decimal("18000.00")]


def test_costs_above_the_standard_price_give_no_benefit(policy):
    (land,) = run(policy, land=[plot(10, 1000, 200000)]).land  # standard 168,000 < cost 200,000
    assert land.benefit == 0
