"""The Python API that scripts import: ``from zhuanyezhen import load_policy, load_profile, calculate``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zhuanyezhen.engine.calculation import calculate as _calculate
from zhuanyezhen.engine.result import Result
from zhuanyezhen.policy.choice import choose_policy
from zhuanyezhen.policy.loader import load_policies
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile.model import Profile

__all__ = ["calculate", "load_policy", "result_data"]


def load_policy(policy_id: str | None = None, rules_dir: str | Path | None = None,
                claim_year: int | None = None) -> Policy:
    """A policy from the rules folder: by id, or the one in force for ``claim_year``."""
    policies = load_policies(Path(rules_dir) if rules_dir else None)
    if policy_id is None and claim_year is None:
        if len(policies) == 1:
            return next(iter(policies.values()))
        return max(policies.values(), key=lambda p: p.info.published)
    return choose_policy(policies, claim_year or 0, policy_id)


def calculate(profile: Profile, policy: Policy | None = None,
              assumptions: Mapping[str, str] | None = None) -> Result:
    """Score one profile; with no policy given, the one in force for its claim year."""
    if policy is None:
        policy = choose_policy(load_policies(), profile.claim_year)
    return _calculate(profile, policy, assumptions)


def result_data(result: Result, policy: Policy) -> dict[str, Any]:
    """The result in the documented output format (``format_version``), as JSON-ready data.

    This is exactly what ``zyz calc --format json`` prints: amounts are strings such as
    ``"1416000.00"``, so storing it never turns money into floats.
    """
    from zhuanyezhen.render.output_model import output_data

    return output_data(result, policy)
