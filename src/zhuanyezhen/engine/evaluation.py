"""Step 1, each provision × each subject: conditions (three-valued), the validity window, the
amount (``amounts``, ``tiers``) and the beneficiary. Unknown facts make a 需补充信息 candidate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhuanyezhen.engine.amounts import compute_amount
from zhuanyezhen.engine.candidates import SELF_PROVIDER, Candidate, Facts, item_label, shown, subject_of, title_of
from zhuanyezhen.engine.result import ConditionCheck
from zhuanyezhen.engine.tiers import tier_candidates
from zhuanyezhen.money import yuan
from zhuanyezhen.policy.conditions import Unknown
from zhuanyezhen.policy.models import LoadedProvision, Policy
from zhuanyezhen.profile.model import DERIVED_SOURCES, Profile, derived_facts
from zhuanyezhen.trusted import trusted_model

_OUTCOME_WORDS = {"met": "满足", "unmet": "不满足", "unknown": "未知"}


class Evaluator:
    """Step 1 for one profile under one policy and one set of interpretations."""

    def __init__(self, profile: Profile, policy: Policy, assumptions: dict[str, str],
                 explain: bool = True) -> None:
        self.profile = profile
        # False only for calculate_awards: conditions are evaluated all the same, but what each
        # one read is not written out (no ConditionCheck, no "条件…" step).
        self.explain = explain
        self.policy = policy
        self.assumptions = assumptions
        info = policy.info
        self.window = (info.starts(assumptions), info.in_force_until)
        self.in_force = policy.in_force_year(profile.claim_year)
        self.derived = derived_facts(profile)  # the same for every provision and item

    def evaluate(self, p: LoadedProvision) -> list[Candidate]:
        rule = p.rule
        if rule.for_each is None:
            items: list[tuple[str | None, Any, list[str]]] = [(None, None, [])]
        else:
            source = getattr(self.profile, rule.for_each)
            listed = [] if source is None else (
                [(f"{rule.for_each}[{i}]", x) for i, x in enumerate(source)] if isinstance(source, list)
                else [(rule.for_each, source)])
            items = [(path, x, []) for path, x in listed] if p.where is None else [
                (path, x, unknown) for path, x in listed
                for selected, unknown in [self._selected(p, x)] if selected]
            if not items:
                if rule.kind == "land_benefit":
                    return []
                return [Candidate(p, "not_eligible", reason=f"未填报相关{title_of(rule.for_each, None)}",
                                   steps=["档案未列出本项所需的事项"])]
        if rule.sum_by_subject:
            return self._one_base(p, items)
        out: list[Candidate] = []
        for path, item, unknown in items:
            out.extend(self._evaluate_one(p, Facts(self.profile, item, self.derived), path, unknown))
        return out

    def _one_base(self, p: LoadedProvision, items: list[tuple[str | None, Any, list[str]]]) -> list[Candidate]:
        """``sum_by_subject``: the items of one subject (one product, one insured year) are one
        base. Items that agree in every fact but the base and the date become one item: the base
        is their sum, the date the earliest; it is scored once, at the first item's place, and
        the basis line lists the parts. Items that differ otherwise (one qualifies, one is
        unknown) are scored one by one, and one subject keeps the higher (step 4)."""
        assert p.rule.amount is not None and p.rule.amount.of is not None
        field = p.rule.amount.of.removeprefix("item.")
        groups: dict[Any, list[tuple[str | None, Any, list[str]]]] = {}
        for entry in items:
            try:
                key: Any = subject_of(p, Facts(self.profile, entry[1], self.derived), self.assumptions)
            except Unknown:
                key = id(entry)
            # the item's own flat fields (not model_dump, whose serializer would be built at run time)
            rest = {k: getattr(entry[1], k) for k in type(entry[1]).model_fields if k not in (field, "date")}
            groups.setdefault((key, repr(sorted(rest.items()))), []).append(entry)
        out: list[Candidate] = []
        for group in groups.values():
            path, first, unknown = group[0]
            if len(group) == 1:
                out.extend(self._evaluate_one(p, Facts(self.profile, first, self.derived), path, unknown))
                continue
            parts = [getattr(x, field) for _, x, _ in group]
            joined = first.model_copy(update={field: sum(parts), "date": min(x.date for _, x, _ in group)})
            for cand in self._evaluate_one(p, Facts(self.profile, joined, self.derived), path, unknown):
                cand.item = f"{cand.item}({len(group)} 笔合计)"
                if cand.basis is not None and cand.computed is not None:
                    old = cand.basis
                    cand.basis = old.replace(f"{yuan(sum(parts))} 元", "(" + " + ".join(yuan(x) for x in parts)
                                             + ") 元", 1) + ",同一产品同一投保年度的保费合为一个基数"
                    cand.steps = [x.replace(old, cand.basis, 1) if x.startswith("公式:") else x
                                  for x in cand.steps]
                out.append(cand)
        return out

    def _selected(self, p: LoadedProvision, item: Any) -> tuple[bool, list[str]]:
        """Whether an item is one this provision is about, and the facts that could not decide it.
        Unknown counts as selected, and the item is then 需补充信息 naming those facts (award or
        support alike): it may or may not be one this provision is about, so it is neither listed
        as available, nor paid, nor dropped."""
        assert p.where is not None
        try:
            return bool(p.where.evaluate(Facts(self.profile, item, self.derived))), []
        except Unknown as exc:
            return True, list(exc.paths)

    def _evaluate_one(self, p: LoadedProvision, facts: Facts, item_path: str | None = None,
                      where_missing: list[str] | None = None) -> list[Candidate]:
        rule = p.rule
        cand = Candidate(p, "paid", item=item_label(facts.item) if facts.item is not None else None,
                          item_path=item_path)
        cand.interpretations = {n: self.assumptions[n] for n in rule.interpretations}
        missing: list[str] = list(where_missing or [])
        unmet: list[str] = []
        explain = self.explain
        for cond, expression in p.conditions:
            if cond.only_if is not None and not cond.applies(self.assumptions):
                continue  # a condition of another reading (e.g. insurance_renewal=every_year)
            read: dict[str, Any] = {}  # what Expression.evaluate records in its Trace
            try:
                ok = bool(expression.compiled(facts, read))
                outcome = "met" if ok else "unmet"
            except Unknown as exc:
                missing.extend(exc.paths)
                outcome = "unknown"
            if outcome == "unmet":
                unmet.append(cond.label)
            if explain:
                cand.conditions.append(trusted_model(ConditionCheck, {
                    "label": cond.label, "test": cond.test,
                    "values": {k: shown(v) for k, v in read.items()}, "outcome": outcome}))
                cand.steps.append(f"条件“{cond.label}”:{_OUTCOME_WORDS[outcome]}")
        if not self.in_force:
            # Checked before unmet/unknown facts and support: nothing under an expired policy is
            # payable, claimable or worth asking information for; the conditions stay recorded.
            cand.status, cand.reason = "not_eligible", self._not_in_force()
            return [cand]
        if unmet:
            cand.status, cand.reason = "not_eligible", f"不符合“{unmet[0]}”条件"
            return [cand]
        if missing:
            return [self._needs(cand, missing, rule.for_each)]
        if rule.kind == "support":
            cand.status = "support"
            return [cand]
        try:
            cand.subject = subject_of(p, facts, self.assumptions)
            window_problem = self._validity(p, facts, cand)
        except Unknown as exc:
            return [self._needs(cand, list(exc.paths), rule.for_each)]
        if window_problem:
            cand.status, cand.reason = "not_eligible", window_problem
            return [cand]
        if rule.kind == "land_benefit":
            cand.status = "land_benefit"
            return [cand]
        assert rule.amount is not None
        try:
            if rule.amount.tiers is not None:
                return tier_candidates(cand, rule.amount, facts, self.assumptions)
            compute_amount(cand, rule.amount, facts, self.assumptions)
        except Unknown as exc:
            return [self._needs(cand, list(exc.paths), rule.for_each)]
        if cand.computed is not None and cand.computed <= 0:
            cand.status, cand.reason = "not_eligible", "按公式计算金额为0"
            cand.amount = None
            return [cand]
        self._beneficiary(cand, facts)
        return [cand]

    def _needs(self, cand: Candidate, paths: list[str], for_each: str | None) -> Candidate:
        cand.status = "needs_info"
        paths = [DERIVED_SOURCES.get(x, x) for x in paths]  # ask for the field a user can fill in

        def where(path: str) -> str:  # "item.days" → "training_programmes[2].days": the profile's own path
            if cand.item_path and path.startswith("item."):
                return f"{cand.item_path}.{path[5:]}"
            return path

        cand.missing = list(dict.fromkeys(f"{title_of(x, for_each)}({where(x)})" for x in paths))
        cand.reason = "需补充:" + "、".join(cand.missing)
        cand.steps.append(cand.reason)
        cand.computed = cand.amount = None
        return cand

    def _not_in_force(self) -> str:
        start, end = self.window
        return (f"申报年度 {self.profile.claim_year} 不在政策有效期({start.isoformat()} 至 {end.isoformat()})"
                "内,本政策不予奖补")

    def _validity(self, p: LoadedProvision, facts: Facts, cand: Candidate) -> str | None:
        start, end = self.window
        claim_year = self.profile.claim_year
        rule = p.rule
        if rule.event_date is not None:
            when = facts(rule.event_date)
            if when is None:
                raise Unknown([rule.event_date])
            assert isinstance(when, dt.date)
            cand.event_year = when.year
            self._effective_date(cand, when)
            if not start <= when <= end:
                return f"事项日期 {when.isoformat()} 不在政策有效期({start.isoformat()} 至 {end.isoformat()})内"
            if when.year > claim_year:
                return f"事项日期 {when.isoformat()} 晚于申报年度 {claim_year},应在以后年度申报"
            cand.steps.append(f"有效期:事项日期 {when.isoformat()} 在 {start.isoformat()} 至 {end.isoformat()} 内")
        elif rule.event_year is not None:
            year = int(facts(rule.event_year))
            cand.event_year = year
            if not start.year <= year <= end.year:
                return f"年度 {year} 不在政策有效年度({start.year}–{end.year})内"
            cand.steps.append(f"有效期:{year} 年度在 {start.year}–{end.year} 内")
        return None

    def _effective_date(self, cand: Candidate, when: dt.date) -> None:
        """An event dated on a day the readings of the first day in force disagree on depends on
        that interpretation (effective_date): the outcome names it."""
        choice = self.policy.info.in_force_from_by
        if choice is None:
            return
        first = self.policy.info.in_force_from
        starts = [first + dt.timedelta(days=n) for n in choice.days_after.values()]
        if min(starts) <= when < max(starts):
            cand.interpretations[choice.interpretation] = self.assumptions[choice.interpretation]

    def _beneficiary(self, cand: Candidate, facts: Facts) -> None:
        rule = cand.p.rule
        if rule.beneficiary == "provider" and rule.provider is not None:
            provider = str(facts(rule.provider))
            if provider not in SELF_PROVIDER:
                cand.beneficiary = provider
                cand.steps.append(f"受益方:补贴付给培训主体“{provider}”,不计入企业合计")

    # -- steps 2–5 ----------------------------------------------------------------------------
