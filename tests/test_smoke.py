from decimal import Decimal

from zhuanyezhen import calculate, load_profile

from .conftest import EXAMPLES


def test_refractory_leader_totals(policy):
    # Worked by hand in the example's header comment.
    result = calculate(load_profile(EXAMPLES / "refractory-leader.yaml"), policy)
    assert result.totals.exact == Decimal("1416000.00")
    assert result.totals.up_to == Decimal("3100000.00")
    assert result.totals.total == Decimal("4516000.00")
    assert result.totals.payable_to_others == Decimal("120000.00")
    assert result.totals.land_benefit == Decimal("1008000.00")
