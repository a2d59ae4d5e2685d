"""The explanation of a result: for each provision, the chain the engine recorded.

Built from ``Result`` only (plus the rules' own words), so what it shows is the very evaluation
that produced the amounts; it never works out an amount itself. Near misses come from
``near_miss``, which also only re-runs ``calculate``.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, Field

from zhuanyezhen.engine.near_miss import NearMiss, near_misses

# One version for every machine-readable output (calc, explain, whatif).
from zhuanyezhen.engine.result import FORMAT_VERSION, Outcome, Result, Totals
from zhuanyezhen.errors import InputError, InputProblem
from zhuanyezhen.policy.models import ITEM_SOURCES, Policy
from zhuanyezhen.profile.model import Profile, fact_title


class InterpretationUsed(BaseModel):
    name: str
    question: str
    chosen: str
    meaning: str
    basis: str | None = None


class FactRead(BaseModel):
    path: str
    title: str
    value: str | None = Field(description="as text; null = unknown (档案未填)")


class ConditionExplained(BaseModel):
    label: str
    test: str
    outcome: str
    facts: list[FactRead]


class OutcomeExplained(BaseModel):
    """One outcome with its conditions' facts titled; every figure is the engine's own."""

    outcome: Outcome
    conditions: list[ConditionExplained]
    winner_title: str | None = Field(default=None, description="title of the provision that won an overlap")


class ProvisionExplained(BaseModel):
    id: str
    clause: int
    clause_title: str
    title: str
    kind: str
    quote: str
    departments: list[str]
    note: str | None = None
    interpretations: list[InterpretationUsed]
    outcomes: list[OutcomeExplained]
    near_misses: list[NearMiss] = Field(default_factory=list)


class Explanation(BaseModel):
    format_version: str = FORMAT_VERSION
    enterprise: str
    claim_year: int
    document_number: str
    policy_title: str
    policy_id: str
    rules_hash: str
    engine_version: str
    assumptions: dict[str, str]
    notices: list[str]
    totals: Totals
    provisions: list[ProvisionExplained]
    near_misses: list[NearMiss]


def _fact_title(path: str, for_each: str | None) -> str:
    head, _, rest = path.partition(".")
    if head == "item" and for_each:
        return fact_title(ITEM_SOURCES[for_each], rest)
    if rest and head in ITEM_SOURCES:
        return fact_title(ITEM_SOURCES[head], rest)
    return fact_title(Profile, head)


def check_provision_id(policy: Policy, provision_id: str | None) -> None:
    if provision_id is None:
        return
    ids = [p.id for p in policy.provisions]
    if provision_id not in ids:
        raise InputError([InputProblem(f"没有编号为 {provision_id} 的条款项目", field="PROVISION_ID",
                                       hint="可用:" + "、".join(ids))])


def explain(result: Result, policy: Policy, misses: list[NearMiss],
            provision_id: str | None = None) -> Explanation:
    """Group ``result``'s outcomes by provision, in the rules' order, with their words and checks."""
    check_provision_id(policy, provision_id)
    provisions: list[ProvisionExplained] = []
    for p in policy.provisions:
        if provision_id is not None and p.id != provision_id:
            continue
        outcomes = [o for o in result.outcomes if o.provision == p.id]
        used: dict[str, str] = {}
        for o in outcomes:
            used.update(o.interpretations)
        interps = []
        for name, chosen in used.items():
            i = policy.interpretations[name]
            interps.append(InterpretationUsed(name=name, question=i.question, chosen=chosen,
                                              meaning=i.options.get(chosen, chosen), basis=i.basis))
        titles = {x.id: x.rule.title for x in policy.provisions}
        explained = [OutcomeExplained(outcome=o, winner_title=titles.get(o.winner or ""), conditions=[
            ConditionExplained(label=c.label, test=c.test, outcome=c.outcome, facts=[
                FactRead(path=k, title=_fact_title(k, p.rule.for_each), value=v) for k, v in c.values.items()])
            for c in o.conditions]) for o in outcomes]
        provisions.append(ProvisionExplained(
            id=p.id, clause=p.clause, clause_title=p.clause_title, title=p.rule.title, kind=p.rule.kind,
            quote=p.rule.quote, departments=p.departments, note=p.rule.note, interpretations=interps,
            outcomes=explained, near_misses=[m for m in misses if m.provision == p.id]))
    chosen_misses = [m for m in misses if provision_id is None or m.provision == provision_id]
    return Explanation(
        enterprise=result.enterprise, claim_year=result.claim_year,
        document_number=result.document_number, policy_title=result.policy_title,
        policy_id=result.policy_id, rules_hash=result.rules_hash, engine_version=result.engine_version,
        assumptions=result.assumptions, notices=result.notices, totals=result.totals,
        provisions=provisions, near_misses=chosen_misses)


def explain_profile(profile: Profile, policy: Policy, assumptions: Mapping[str, str] | None = None,
                    provision_id: str | None = None) -> tuple[Result, Explanation]:
    """Score once, find near misses from that same result, and explain both."""
    from zhuanyezhen.engine.calculation import calculate

    check_provision_id(policy, provision_id)
    result = calculate(profile, policy, assumptions)
    misses = near_misses(profile, policy, assumptions, base=result)
    return result, explain(result, policy, misses, provision_id)

