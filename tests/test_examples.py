"""Every shipped example gives the totals worked by hand in its header comment (figures copied by
hand here, never parsed from the comment)."""

from decimal import Decimal

import pytest

from zhuanyezhen import calculate, load_profile

from .conftest import EXAMPLES

D = Decimal
# file: (exact, up_to, total, payable_to_others, land_benefit), all in 元
HAND_WORKED = {
    "refractory-leader.yaml": (D("1416000"), D("3100000"), D("4516000"), D("120000"), D("1008000")),
    "sand-pottery-heritage.yaml": (D("362000"), D("20000"), D("382000"), D(0), D(0)),
    "battery-anode.yaml": (D("1932000"), D("2000000"), D("3932000"), D(0), D(0)),
    "coal-machinery.yaml": (D("5500000"), D("3000000"), D("8500000"), D(0), D(0)),
    "selenium-agriculture.yaml": (D("4500"), D(0), D("4500"), D("170200"), D("260000")),
    "refractory-history.yaml": (D("484000"), D("50000"), D("534000"), D(0), D(0)),
    "outside-town.yaml": (D(0), D(0), D(0), D(0), D(0)),
}
# the alternatives worked by hand in the headers
WITH_ASSUMPTIONS = [
    ("sand-pottery-heritage.yaml", {"laozihao": "higher_only"}, D("312000"), D("332000")),
    ("battery-anode.yaml", {"revenue_tier": "cumulative", "market_share": "cumulative"}, D("2132000"), D("4132000")),
    ("coal-machinery.yaml", {"leader_same_year": "both"}, D("6500000"), D("9500000")),
]


def test_every_example_is_checked():
    assert sorted(p.name for p in EXAMPLES.glob("*.yaml")) == sorted(HAND_WORKED)


@pytest.mark.parametrize("name", sorted(HAND_WORKED))
def test_example_totals(policy, name):
    t = calculate(load_profile(EXAMPLES / name), policy).totals
    assert (t.exact, t.up_to, t.total, t.payable_to_others, t.land_benefit) == HAND_WORKED[name]


@pytest.mark.parametrize(("name", "assume", "exact", "total"), WITH_ASSUMPTIONS)
def test_example_totals_under_other_interpretations(policy, name, assume, exact, total):
    t = calculate(load_profile(EXAMPLES / name), policy, assume).totals
    assert (t.exact, t.total) == (exact, total)


def test_examples_touch_every_monetary_provision(policy):
    touched = {o.provision for name in HAND_WORKED
               for o in calculate(load_profile(EXAMPLES / name), policy).outcomes
               if o.status in ("paid", "excluded", "land_benefit")}
    monetary = {p.id for p in policy.provisions if p.rule.kind in ("award", "land_benefit")}
    assert monetary <= touched, monetary - touched


def test_examples_show_exclusions_history_other_policy_unknowns_and_outside_town(policy):
    results = {name: calculate(load_profile(EXAMPLES / name), policy) for name in HAND_WORKED}
    reasons = [o.reason or "" for r in results.values() for o in r.by_status("excluded")]
    assert any("同一事项" in x for x in reasons)
    assert any("就高不就低" in x for x in reasons)
    assert any("已于" in x for x in reasons)
    assert any(r.by_status("needs_info") for r in results.values())
    assert results["outside-town.yaml"].town == "无"


def test_totals_are_in_fen_even_when_nothing_is_paid(policy):
    t = calculate(load_profile(EXAMPLES / "outside-town.yaml"), policy).totals
    assert [str(x) for x in (t.exact, t.up_to, t.total, t.payable_to_others, t.land_benefit)] == ["0.00"] * 5
