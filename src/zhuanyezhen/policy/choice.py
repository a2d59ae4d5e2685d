"""Which of the loaded policies applies: the one asked for, else the one in force for the claim year."""

from __future__ import annotations

from zhuanyezhen.errors import InputError
from zhuanyezhen.policy.models import Policy


def policy_window(p: Policy) -> str:
    return f"{p.info.in_force_from.isoformat()} 至 {p.info.in_force_until.isoformat()}"


def policy_listing(policies: dict[str, Policy]) -> str:
    """Every policy with its number and period, for messages about choosing one."""
    return ";".join(f"{pid}({p.info.document_number},有效期 {policy_window(p)})" for pid, p in policies.items())


def policy_by_id(policies: dict[str, Policy], policy_id: str) -> Policy:
    if policy_id not in policies:
        raise InputError.one(f"没有编号为 {policy_id} 的政策。规则目录中有:{policy_listing(policies)}",
                             field="--policy")
    return policies[policy_id]


def choose_policy(policies: dict[str, Policy], claim_year: int, policy_id: str | None = None) -> Policy:
    """The policy asked for, else the latest published of those in force for the claim year, else the
    latest published (the engine then states plainly that it is not in force)."""
    if policy_id is not None:
        return policy_by_id(policies, policy_id)
    in_force = [p for p in policies.values() if p.in_force_year(claim_year)]
    return max(in_force or policies.values(), key=lambda p: p.info.published)
