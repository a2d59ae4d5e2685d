"""The engine's faster paths give exactly what the plain ones give.

``zyz batch`` scores with ``engine.calculate_awards``, which skips freezing each outcome's
explanation into a ``Result``; ``calculate`` builds its outcomes without re-validating what the
engine made itself. Both are checked here over every example (under every option of every named
interpretation) and over generated profiles.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from zhuanyezhen import InputError, Policy, Profile, Result, calculate, load_profile, profile_from_data
from zhuanyezhen.engine.calculation import calculate_awards

from .conftest import EXAMPLES
from .profile_strategies import eligible_profiles, profiles

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def _option_sets(policy: Policy) -> list[dict[str, str] | None]:
    sets: list[dict[str, str] | None] = [None]
    for name, interpretation in policy.interpretations.items():
        sets.extend({name: option} for option in interpretation.options)
    return sets


def _assert_same(profile: Profile, policy: Policy, assumptions: dict[str, str] | None) -> Result:
    result = calculate(profile, policy, assumptions)
    awards, totals = calculate_awards(profile, policy, assumptions)
    assert [(a.provision, a.status, a.amount, a.counts_in_total) for a in awards] == [
        (o.provision, o.status, o.amount, o.counts_in_total) for o in result.outcomes]
    assert totals == result.totals
    # Outcomes are built without validation: validating them again changes nothing.
    again = Result.model_validate(result.model_dump())
    assert again == result
    assert again.model_dump_json() == result.model_dump_json()
    return result


def test_examples_exist() -> None:
    assert len(EXAMPLE_FILES) >= 6


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_batch_awards_equal_calculate_on_examples(path: Any, policy: Policy) -> None:
    profile = load_profile(path)
    for assumptions in _option_sets(policy):
        _assert_same(profile, policy, assumptions)  # asserts the two paths give the same figures


def _check_generated(data: dict[str, Any], policy: Policy) -> None:
    try:
        profile = profile_from_data(data, "generated")
    except InputError:
        return
    _assert_same(profile, policy, None)


@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=profiles)
def test_batch_awards_equal_calculate_on_generated_profiles(data: dict[str, Any], policy: Policy) -> None:
    _check_generated(data, policy)


@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=eligible_profiles)
def test_batch_awards_equal_calculate_on_generated_eligible_profiles(data: dict[str, Any], policy: Policy) -> None:
    _check_generated(data, policy)


def test_outcomes_share_no_list_with_the_policy(policy: Policy) -> None:
    result = calculate(load_profile(EXAMPLE_FILES[0]), policy)
    departments = {id(p.departments) for p in policy.provisions}
    assert all(id(o.departments) not in departments for o in result.outcomes)


def test_loaded_rules_equal_their_validated_selves(policy: Policy) -> None:
    # The loader assembles LoadedProvision and Policy from parts it has validated; validating the
    # same values again gives equal models.
    from zhuanyezhen.policy.models import LoadedProvision

    for provision in policy.provisions:
        assert LoadedProvision(**dict(provision)) == provision
    assert Policy(**dict(policy)) == policy
    # The departments list is the provision's own, not the one of its rule or clause.
    for provision in policy.provisions:
        assert provision.departments is not provision.rule.departments
        assert provision.departments is not policy.clauses[provision.clause].departments
