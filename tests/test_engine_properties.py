"""A few engine invariants over generated profiles (the big property suite lives elsewhere)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import run

money = st.decimals(min_value=0, max_value=Decimal("50000000"), places=2)
premiums = st.lists(money, max_size=4)
projects = st.lists(st.tuples(money, money, st.booleans()), max_size=3)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(premiums=premiums, projects=projects, equipment=money, days=st.integers(0, 60),
       trainees=st.integers(0, 50))
def test_awards_respect_caps_and_totals_add_up(policy, premiums, projects, equipment, days, trainees):
    result = run(
        policy, industry_revenue_rank=1, equipment_investment=str(equipment),
        premiums=[{"product": f"P{i}", "premium": str(x), "qualifies": True, "date": "2024-03-01"}
                  for i, x in enumerate(premiums)],
        projects=[{"name": f"J{i}", "digital": True, "key_project": key, "field": "foundation",
                   "software_hardware_investment": str(sw), "fixed_asset_investment": str(fa), "date": "2024-05-01"}
                  for i, (sw, fa, key) in enumerate(projects)],
        training_programmes=[{"name": "T", "kind": "order", "trainees": trainees, "days": days,
                              "employment_rate": "0.9", "provider": "本企业", "finished": "2024-06-01"}])
    paid = [o for o in result.outcomes if o.status == "paid"]
    assert all(o.amount is not None and o.amount > 0 for o in paid)
    by = lambda pid: [o.amount for o in paid if o.provision == pid]  # noqa: E731
    assert all(a <= Decimal(2_000_000) for a in by("digital_project"))
    assert sum(by("new_material_insurance"), Decimal(0)) <= Decimal(500_000)
    assert sum(by("rd_equipment"), Decimal(0)) <= Decimal(200_000)
    assert sum(by("training_order"), Decimal(0)) <= Decimal(4000) * trainees
    # one subject, one award: no project paid twice
    subjects = [o.subject for o in paid]
    assert len(subjects) == len(set(subjects))
    t = result.totals
    assert t.total == t.exact + t.up_to
    assert t.exact >= 0 and t.up_to >= 0 and t.payable_to_others >= 0
    assert t.total == sum((o.amount for o in paid if o.counts_in_total), Decimal(0))
