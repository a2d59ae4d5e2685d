"""Which provisions read which profile field, worked out from the rule files themselves.

``zyz init`` writes this next to every field, so the template cannot drift from the rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from zhuanyezhen.policy.loader import _fact_refs, _templates
from zhuanyezhen.policy.models import PLACEHOLDER, LoadedProvision, Policy
from zhuanyezhen.profile.glossary import chinese_number
from zhuanyezhen.profile.model import ITEM_MODELS, OnJobTraining

# Facts the rules may test that are computed from profile fields.
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "in_town": ("town",),
    "small_or_micro": ("size",),
    "training_programmes.employed_trainees": ("training_programmes.trainees", "training_programmes.employment_rate"),
}
# Fields the engine itself reads, whatever the rules say.
ENGINE_USES: dict[str, str] = {
    "name": "显示与核对",
    "credit_code": "显示与核对(校验位按 GB 32100-2015 检查)",
    "county": "显示与核对",
    "claim_year": "全部条款(有效期、申报年度)",
    "awards_received": "一次性奖励不重复发放(已获的不再奖)",
    "awards_received.provision": "一次性奖励不重复发放",
    "awards_received.year": "一次性奖励不重复发放",
    "awards_received.tier": "一次性奖励不重复发放(分档奖励)",
    "awards_received.subject": "一次性奖励不重复发放",
    "awards_received.amount": "仅记录",
    "other_policy_awards": "就高不就低(与其他政策比较)",
    "other_policy_awards.subject": "就高不就低",
    "other_policy_awards.policy": "就高不就低",
    "other_policy_awards.amount": "就高不就低",
}


def clause_cn(number: int) -> str:
    """``16`` → ``"十六"``: clause numbers as the policy writes them."""
    return chinese_number(number)


def _profile_path(ref: str, for_each: str | None) -> str:
    head, _, rest = ref.partition(".")
    if head == "item" and for_each:
        return f"{for_each}.{rest}"
    return ref


def _refs(p: LoadedProvision) -> Iterable[str]:
    rule = p.rule
    for_each = rule.for_each
    if for_each:
        yield for_each
    for _, expression in p.conditions:
        yield from (_profile_path(n, for_each) for n in expression.names)
    if p.where is not None:
        yield from (_profile_path(n, for_each) for n in p.where.names)
    for _, ref in _fact_refs(rule):
        yield _profile_path(ref, for_each)
    for _, template in _templates(rule):
        for name in PLACEHOLDER.findall(template):
            first = name.split(".")[0]
            if first == "claim_year":
                continue
            item_fields = ITEM_MODELS.get(for_each or "", OnJobTraining).model_fields if for_each else {}
            yield f"{for_each}.{first}" if first in item_fields else first


def fact_users(policy: Policy) -> dict[str, list[LoadedProvision]]:
    """Profile field path (``revenue``, ``projects.fixed_asset_investment``) → provisions reading it."""
    users: dict[str, list[LoadedProvision]] = {}
    for p in policy.provisions:
        for ref in _refs(p):
            for path in DERIVED_FROM.get(ref, (ref,)):
                found = users.setdefault(path, [])
                if p not in found:
                    found.append(p)
    return users


def describe_users(provisions: list[LoadedProvision]) -> str:
    """``条款九(tech_project、rd_equipment)、条款十六(revenue_tier)``."""
    by_clause: dict[int, list[str]] = {}
    for p in provisions:
        by_clause.setdefault(p.clause, []).append(p.id)
    return "、".join(f"条款{clause_cn(c)}({'、'.join(ids)})" for c, ids in sorted(by_clause.items()))
