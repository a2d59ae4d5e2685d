"""(三) 标准制修订经费补助:主导(参与)国际 20万(10万)、国家 10万(5万)、行业 5万(2万),最高。"""

from decimal import Decimal

import pytest

from ..helpers import only, run


@pytest.mark.parametrize(("level", "role", "ceiling"), [
    # "分别给予最高20万元(10万元)、10万元(5万元)、5万元(2万元)的经费补助"
    ("international", "lead", "200000.00"),
    ("international", "participate", "100000.00"),
    ("national", "lead", "100000.00"),
    ("national", "participate", "50000.00"),
    ("industry", "lead", "50000.00"),
    ("industry", "participate", "20000.00"),
])
def test_standard_ceiling_by_level_and_role(policy, level, role, ceiling):
    result = run(policy, standards=[{"name": "S", "level": level, "role": role, "date": "2024-05-01"}])
    o = only(result, "standard")
    assert (o.status, o.amount, o.kind) == ("paid", Decimal(ceiling), "up_to")
    assert result.totals.up_to == Decimal(ceiling) and result.totals.exact == 0
    assert o.apply_to == "市市场监管局"


@pytest.mark.parametrize("level", ["group", "local", "团体标准", "地方标准"])
def test_group_and_local_standards_get_nothing(policy, level):
    o = only(run(policy, standards=[{"name": "T", "level": level, "role": "lead", "date": "2024-05-01"}]),
             "standard")
    assert o.status == "not_eligible" and o.amount is None


def test_each_standard_pays_on_its_own(policy):
    # 国家·主导 100,000 + 行业·参与 20,000 = 120,000 (two standards, two subjects)
    result = run(policy, standards=[
        {"name": "A", "level": "national", "role": "lead", "date": "2024-05-01"},
        {"name": "B", "level": "industry", "role": "participate", "date": "2024-06-01"}])
    assert result.totals.up_to == Decimal("120000.00")
