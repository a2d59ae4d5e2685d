"""(八) 信息化改造、5G融合应用项目:软硬件投资的10%以内,每项最高200万元。"""

from decimal import Decimal

import pytest

from ..helpers import only, run


def project(investment, **over):
    base = {"name": "数字化车间", "digital": True, "key_project": False,
            "software_hardware_investment": investment, "date": "2024-08-01"}
    return {**base, **over}


@pytest.mark.parametrize(("investment", "award", "capped"), [
    ("18000000", "1800000.00", False),     # 10% × 18,000,000 = 1,800,000
    ("19999999", "1999999.90", False),     # 10% × 19,999,999 = 1,999,999.90
    ("20000000", "2000000.00", False),     # 10% × 20,000,000 = 2,000,000 = the cap
    ("20000001", "2000000.00", True),      # 2,000,000.10 > 2,000,000 → 2,000,000
    ("25000000", "2000000.00", True),      # 2,500,000 → 2,000,000
])
def test_digital_project_is_ten_percent_up_to_two_million(policy, investment, award, capped):
    result = run(policy, projects=[project(investment)])
    o = only(result, "digital_project")
    assert (o.status, o.amount, o.kind, o.capped) == ("paid", Decimal(award), "up_to", capped)
    assert result.totals.up_to == Decimal(award)


def test_cap_is_per_project(policy):
    # two projects of 25,000,000 each: 2,000,000 + 2,000,000 = 4,000,000
    result = run(policy, projects=[project("25000000", name="A"), project("25000000", name="B")])
    assert result.totals.up_to == Decimal("4000000.00")


def test_non_digital_project_is_not_a_digital_award(policy):
    result = run(policy, projects=[project("5000000", digital=False)])
    assert [o.status for o in result.outcomes if o.provision == "digital_project"] == ["not_eligible"]
