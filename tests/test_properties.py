"""Properties of the calculation that hold for every valid profile (hypothesis).

Six properties × 200 generated profiles each (derandomized, so CI runs the same 1,200 cases every
time): caps hold, totals add up, nothing is negative, more investment or revenue never lowers the
award that depends on it, the same input gives the same output, and the JSON form round-trips.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhuanyezhen import Policy, calculate, load_policy
from zhuanyezhen.engine.result import Result
from zhuanyezhen.money import parse_amount
from zhuanyezhen.profile.loader import profile_from_data

from .profile_strategies import eligible_profiles, profiles

EXAMPLES_PER_PROPERTY = 200
PROPERTIES = 6  # keep in step with the tests below; the README and the report quote the product

ci = settings(max_examples=EXAMPLES_PER_PROPERTY, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
any_profile = st.one_of(profiles, eligible_profiles)
ZERO = Decimal(0)


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return load_policy()


def _result(data: dict[str, Any], policy: Policy) -> Result:
    return calculate(profile_from_data(copy.deepcopy(data)), policy)


@ci
@given(data=any_profile)
def test_every_award_is_within_its_cap(data: dict[str, Any], shipped: Policy) -> None:
    result = _result(data, shipped)
    per_provision: dict[str, Decimal] = {}
    for o in result.outcomes:
        if o.amount is None:
            continue
        amount_rule = shipped.provision(o.provision).rule.amount
        assert amount_rule is not None
        assert o.computed is not None and o.amount <= o.computed  # exclusions only ever lower
        if amount_rule.cap_per_item is not None:
            assert o.amount <= amount_rule.cap_per_item
        if amount_rule.fixed is not None:
            assert o.amount <= amount_rule.fixed
        if amount_rule.table is not None:
            assert o.amount <= max(v for row in amount_rule.table.values() for v in row.values())
        if amount_rule.tiers is not None:
            assert o.amount <= max(level.amount for level in amount_rule.tiers.levels)
        if o.status == "paid":
            per_provision[o.provision] = per_provision.get(o.provision, ZERO) + o.amount
    for provision_id, paid in per_provision.items():
        cap = shipped.provision(provision_id).rule.amount.cap_per_enterprise  # type: ignore[union-attr]
        if cap is not None:
            assert paid <= cap, provision_id


@ci
@given(data=any_profile)
def test_total_is_exact_plus_up_to(data: dict[str, Any], shipped: Policy) -> None:
    result = _result(data, shipped)
    counted = [o for o in result.outcomes if o.counts_in_total and o.status == "paid"]
    assert result.totals.total == result.totals.exact + result.totals.up_to
    assert result.totals.exact == sum((o.amount or ZERO for o in counted if o.kind == "exact"), ZERO)
    assert result.totals.up_to == sum((o.amount or ZERO for o in counted if o.kind == "up_to"), ZERO)
    for o in result.outcomes:  # only paid outcomes carry an amount
        assert (o.amount is not None) == (o.status == "paid")


@ci
@given(data=any_profile)
def test_no_amount_is_negative(data: dict[str, Any], shipped: Policy) -> None:
    result = _result(data, shipped)
    for o in result.outcomes:
        assert o.amount is None or o.amount >= 0
        assert o.computed is None or o.computed >= 0
    for value in result.totals.model_dump().values():
        assert value >= 0
    for benefit in result.land:
        assert benefit.benefit >= 0 and benefit.floor_price >= 0


# Which provision each raisable fact feeds, and where the fact sits in the profile.
RAISES: list[tuple[str, str, str | None]] = [
    ("revenue_tier", "revenue", None),
    ("rd_equipment", "equipment_investment", None),
    ("digital_project", "software_hardware_investment", "projects"),
    ("tech_project", "fixed_asset_investment", "projects"),
    ("new_material_insurance", "premium", "premiums"),
]


def _paid_sum(result: Result, provision: str) -> Decimal:
    return sum((o.amount or ZERO for o in result.outcomes if o.provision == provision), ZERO)


@ci
@given(data=eligible_profiles, which=st.sampled_from(RAISES), index=st.integers(0, 2),
       extra=st.integers(1, 2_000_000_000).map(lambda fen: Decimal(fen) / 100))
def test_more_investment_or_revenue_never_lowers_its_award(
    data: dict[str, Any], which: tuple[str, str, str | None], index: int, extra: Decimal, shipped: Policy
) -> None:
    provision, fact, items = which
    raised = copy.deepcopy(data)
    if items is None:
        holder: dict[str, Any] = raised
    else:
        if not raised.get(items):
            return  # nothing to raise in this profile
        holder = raised[items][index % len(raised[items])]
    before = holder.get(fact)
    holder[fact] = (parse_amount(before) if before is not None else ZERO) + extra
    assert _paid_sum(_result(raised, shipped), provision) >= _paid_sum(_result(data, shipped), provision)


@ci
@given(data=any_profile)
def test_same_input_same_output(data: dict[str, Any], shipped: Policy) -> None:
    first = _result(data, shipped).model_dump(mode="json")
    second = _result(copy.deepcopy(data), shipped).model_dump(mode="json")
    assert json.dumps(first, ensure_ascii=False, sort_keys=True) == json.dumps(second, ensure_ascii=False,
                                                                               sort_keys=True)


@ci
@given(data=any_profile)
def test_json_output_round_trips(data: dict[str, Any], shipped: Policy) -> None:
    result = _result(data, shipped)
    text = json.dumps(result.model_dump(mode="json"), ensure_ascii=False)
    back = Result.model_validate(json.loads(text))
    assert back == result
    assert back.totals.total == result.totals.total  # Decimal, to the fen, not a float
