"""Which policy a command uses when the rules folder holds several, said plainly to the user."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from zhuanyezhen.policy.choice import choose_policy, policy_by_id, policy_listing, policy_window
from zhuanyezhen.policy.loader import load_policies
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile.model import Profile


def policy_for_browsing(rules_dir: Path | None, policy_id: str | None) -> Policy:
    """For commands with no claim year (rules, init): ``--policy``, else the latest published."""
    policies = load_policies(rules_dir)
    if policy_id is not None:
        return policy_by_id(policies, policy_id)
    return max(policies.values(), key=lambda p: p.info.published)


@dataclass
class PolicyChoice:
    """The policy chosen and the warnings a user must see about the choice."""

    policy: Policy
    warnings: list[str] = field(default_factory=list)


def select_policy(rules_dir: Path | None, claim_year: int, policy_id: str | None = None) -> PolicyChoice:
    """``--policy`` if given; else the one policy in force for ``claim_year``.

    With several in force, the latest published is used and the user is told; with none in force,
    the latest published is used to show why nothing is payable, and the user is told that too.
    """
    policies = load_policies(rules_dir)
    chosen = choose_policy(policies, claim_year, policy_id)
    if chosen.in_force_year(claim_year):
        in_force = [p for p in policies.values() if p.in_force_year(claim_year)]
        if policy_id is not None or len(in_force) == 1:
            return PolicyChoice(chosen)
        names = "、".join(p.info.id for p in sorted(in_force, key=lambda p: p.info.published))
        return PolicyChoice(chosen, [f"申报年度 {claim_year} 有 {len(in_force)} 项政策有效({names}),"
                                     f"采用最新公布的 {chosen.info.id}({chosen.info.document_number});"
                                     "如需其他政策,请用 --policy 指定。"])
    if policy_id is not None:
        period = policy_window(chosen)
        return PolicyChoice(chosen, [f"按 --policy 使用 {policy_id}({chosen.info.document_number}),"
                                     f"但申报年度 {claim_year} 不在其有效期({period})内,本政策不予奖补。"])
    return PolicyChoice(chosen, [f"没有在申报年度 {claim_year} 有效的政策。规则目录中有:{policy_listing(policies)}。"
                                 f"以下按最新公布的 {chosen.info.id} 列出各条款的判断,本政策不予奖补;"
                                 "如需按其他政策计算,请用 --policy 指定。"])


def load_for_scoring(profile_arg: str, rules_dir: Path | None,
                     policy_id: str | None) -> tuple[Profile, Policy]:
    """What calc, explain, whatif and report all start with: the profile (a path or ``-``) and the
    policy for its claim year, with any warning about that choice said on standard error."""
    from zhuanyezhen.cli.stderr import warn
    from zhuanyezhen.profile.loader import load_profile

    profile = load_profile(profile_arg)
    choice = select_policy(rules_dir, profile.claim_year, policy_id)
    for message in choice.warnings:
        warn(message)
    return profile, choice.policy
