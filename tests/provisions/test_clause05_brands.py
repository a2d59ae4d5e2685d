"""(五) 地理标志与老字号:示范区 10万、中欧互认 10万(一次性),中华老字号 10万、山西老字号 5万。"""

from decimal import Decimal

import pytest

from ..helpers import only, run


@pytest.mark.parametrize(("kind", "provision", "amount"), [
    ("gi_zone", "gi_zone", "100000.00"),              # "市级一次性奖励10万元"
    ("gi_china_eu", "gi_china_eu", "100000.00"),      # "市级一次性奖励10万元"
    ("中华老字号", "laozihao_china", "100000.00"),      # "市级分别奖励10万元、5万元"
    ("山西老字号", "laozihao_shanxi", "50000.00"),
    ("三晋老字号", "laozihao_shanxi", "50000.00"),      # the province's official name, same honour
])
def test_honour_pays_its_fixed_amount(policy, kind, provision, amount):
    # the name is the subject of a GI award (gi_award=once_per_zone) and must be given
    result = run(policy, honours=[{"kind": kind, "name": "平定砂器", "date": "2024-04-01"}])
    o = only(result, provision)
    assert (o.status, o.amount, o.kind) == ("paid", Decimal(amount), "exact")
    assert result.totals.exact == Decimal(amount)


BOTH = [{"kind": "laozihao_shanxi", "date": "2023-09-20"}, {"kind": "laozihao_china", "date": "2024-11-08"}]


def test_both_laozihao_pay_each_once_by_default(policy):
    # laozihao=each_once: 100,000 + 50,000 = 150,000
    assert run(policy, honours=BOTH).totals.exact == Decimal("150000.00")


def test_both_laozihao_pay_the_higher_only_when_assumed(policy):
    # laozihao=higher_only: one subject "老字号"; 100,000 (中华) stays, 50,000 (山西) excluded
    result = run(policy, {"laozihao": "higher_only"}, honours=BOTH)
    assert result.totals.exact == Decimal("100000.00")
    shanxi = only(result, "laozihao_shanxi")
    assert shanxi.status == "excluded" and shanxi.winner == "laozihao_china"
