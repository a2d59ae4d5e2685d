"""Building small profiles and reading one provision's outcome, for tests that read as examples."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhuanyezhen import Outcome, Policy, Result, calculate, profile_from_data

# An enterprise in a town's leading industry, backbone, medium-sized, claiming for 2024.
# Every other fact is left out, that is unknown.
BASE: dict[str, Any] = {
    "name": "测试耐材有限公司",
    "county": "郊区",
    "town": "耐火材料",
    "leading_industry": True,
    "backbone": True,
    "size": "medium",
    "claim_year": 2024,
}


def run(policy: Policy, assumptions: dict[str, str] | None = None, **fields: Any) -> Result:
    """Score BASE updated with ``fields`` (a value of ``None`` removes the fact)."""
    data = {**BASE, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    return calculate(profile_from_data(data), policy, assumptions)


def outcomes(result: Result, provision: str) -> list[Outcome]:
    return [o for o in result.outcomes if o.provision == provision]


def only(result: Result, provision: str) -> Outcome:
    found = outcomes(result, provision)
    assert len(found) == 1, [(o.status, o.subject) for o in found]
    return found[0]


def paid(result: Result, provision: str) -> list[Outcome]:
    return [o for o in outcomes(result, provision) if o.status == "paid"]


def yuan(text: str) -> Decimal:
    return Decimal(text)
