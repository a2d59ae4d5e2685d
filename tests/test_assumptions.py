"""Named interpretations: defaults from the rule files, overridable per run."""

import pytest

from zhuanyezhen import InputError

from .helpers import run


def test_defaults_are_the_interpretation_page_defaults(policy):
    assert run(policy).assumptions == {
        "leader_same_year": "highest_only", "laozihao": "each_once", "training_order": "per_trainee",
        "project_overlap": "highest_only", "revenue_tier": "highest_only", "market_share": "highest_only",
        # issue 12: INTERPRETATION.md's "More defaults" and the first day in force
        "gi_award": "once_per_zone", "insurance_renewal": "first_year_only",
        "enterprise_cap_period": "per_claim_year", "effective_date": "thirtieth_day"}


def test_unknown_interpretation_is_refused_in_chinese(policy):
    with pytest.raises(InputError) as err:
        run(policy, {"revenue_teir": "cumulative"})
    assert "没有名为 revenue_teir 的解释" in str(err.value)


def test_unknown_option_is_refused_with_the_choices(policy):
    with pytest.raises(InputError) as err:
        run(policy, {"revenue_tier": "all"})
    assert "cumulative" in str(err.value)
