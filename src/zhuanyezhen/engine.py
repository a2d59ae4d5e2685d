"""calculate(profile, policy, assumptions) -> Result: pure, no I/O, no printing.

Order of work, each step recorded in the outcome's ``steps`` so the explanation *is* the
evaluation:
1. each provision × each subject: conditions (three-valued), validity window, amount, item cap,
   and the beneficiary (money for a third-party training provider is kept out of the enterprise's
   total);
2. history: an award already received under this policy is not paid again;
3. tiers: of the tiers newly reached in one year, only the highest still payable (by default);
4. one subject, one award: of several provisions paying for one subject, the higher stays;
5. other city policies (就高不就低) and per-enterprise caps, settled together: this policy's award
   counts only if it is higher than what another policy pays for the same subject, compared after
   the cap is shared out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from . import __version__
from .errors import InputError, InputProblem
from .expr import Unknown
from .money import chinese_amount, percent, round_fen, yuan
from .policy import PLACEHOLDER, Amount, Choice, LoadedProvision, Policy
from .profile import (
    DERIVED_SOURCES,
    ITEM_CONTEXT_FACTS,
    ITEM_MODELS,
    OnJobTraining,
    OtherPolicyAward,
    Profile,
    derived_facts,
    fact_title,
)
from .result import ConditionCheck, LandBenefit, Outcome, Result, Totals
from .trusted import trusted_model as _trusted

SELF_PROVIDER = ("本企业", "企业自身", "self")
_OUTCOME_WORDS = {"met": "满足", "unmet": "不满足", "unknown": "未知"}
ZERO = Decimal(0)


def resolve_assumptions(policy: Policy, given: Mapping[str, str] | None) -> dict[str, str]:
    """Defaults of every named interpretation, overridden by ``given``; unknown names refused."""
    chosen = {name: i.default for name, i in policy.interpretations.items()}
    problems = []
    for name, value in (given or {}).items():
        interp = policy.interpretations.get(name)
        if interp is None:
            problems.append(InputProblem(
                f"没有名为 {name} 的解释", field="--assume",
                hint="可用:" + "、".join(policy.interpretations)))
        elif value not in interp.options:
            problems.append(InputProblem(
                f"解释 {name} 没有选项 {value}", field="--assume",
                hint="可选:" + "、".join(f"{k}({v})" for k, v in interp.options.items())))
        else:
            chosen[name] = value
    if problems:
        raise InputError(problems)
    return chosen


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


class _Candidate:
    """A working outcome while the exclusion steps run; frozen into ``Outcome`` at the end.

    A plain slotted class: some thirty are made per enterprise, and a hand-written ``__init__``
    costs a quarter less than a dataclass's with default factories.
    """

    __slots__ = ("amount", "basis", "beneficiary", "cap", "capped", "computed", "conditions", "event_year",
                 "interpretations", "item", "item_path", "missing", "p", "reason", "status", "steps", "subject",
                 "tier", "winner")

    def __init__(self, p: LoadedProvision, status: str, *, subject: str | None = None, item: str | None = None,
                 item_path: str | None = None, tier: str | None = None, reason: str | None = None,
                 conditions: list[ConditionCheck] | None = None, steps: list[str] | None = None,
                 interpretations: dict[str, str] | None = None, event_year: int | None = None) -> None:
        self.p = p
        self.status = status
        self.subject = subject
        self.item = item
        self.item_path = item_path
        self.tier = tier
        self.computed: Decimal | None = None
        self.amount: Decimal | None = None
        self.basis: str | None = None
        self.cap: str | None = None
        self.capped = False
        self.beneficiary = "本企业"
        self.reason = reason
        self.winner: str | None = None
        self.missing: list[str] = []
        self.conditions: list[ConditionCheck] = [] if conditions is None else conditions
        self.steps: list[str] = [] if steps is None else steps
        self.interpretations: dict[str, str] = {} if interpretations is None else interpretations
        self.event_year = event_year

    def exclude(self, reason: str, winner: str | None = None) -> None:
        self.status = "excluded"
        self.reason = reason
        self.winner = winner
        self.steps.append(f"排除:{reason}")
        self.amount = None

    def freeze(self) -> Outcome:
        kind = self.p.rule.amount.kind if self.p.rule.amount else None
        paid = self.status == "paid"
        # Every field in declaration order, as validation would store it (lists and dicts are
        # fresh copies, so no outcome shares one with the policy or with another outcome).
        return _trusted(Outcome, {
            "provision": self.p.id, "clause": self.p.clause, "title": self.p.rule.title,
            "status": self.status, "subject": self.subject, "item": self.item, "item_path": self.item_path,
            "tier": self.tier, "amount": self.amount if paid else None, "computed": self.computed,
            "kind": kind, "basis": self.basis, "cap": self.cap, "capped": self.capped,
            "beneficiary": self.beneficiary, "counts_in_total": paid and self.beneficiary == "本企业",
            "departments": list(self.p.departments), "reason": self.reason, "winner": self.winner,
            "missing": list(self.missing), "conditions": list(self.conditions), "steps": list(self.steps),
            "interpretations": dict(self.interpretations), "quote": self.p.rule.quote,
        })


# "a.b.c" → ("a", "b.c", ("b", "c")): fact names come from the rules, so this stays small.
_SPLIT_PATHS: dict[str, tuple[str, str, tuple[str, ...]]] = {}


class _Facts:
    """Looks up dotted fact names for one profile and, inside a per-item provision, one item."""

    def __init__(self, profile: Profile, item: Any = None, derived: dict[str, Any] | None = None) -> None:
        self.profile = profile
        self.item = item
        self.derived = derived_facts(profile) if derived is None else derived

    def __call__(self, path: str) -> Any:
        split = _SPLIT_PATHS.get(path)
        if split is None:
            head, _, rest = path.partition(".")
            split = _SPLIT_PATHS[path] = (head, rest, tuple(rest.split(".")) if rest else ())
        head, rest, parts = split
        if head == "item":
            if rest in ITEM_CONTEXT_FACTS:
                return ITEM_CONTEXT_FACTS[rest](self.profile, self.item)
            return getattr(self.item, rest)
        if head in self.derived:
            return self.derived[head]
        value = getattr(self.profile, head)
        for part in parts:
            if value is None:
                return None
            value = getattr(value, part)
        return value

    def number(self, path: str) -> Decimal:
        value = self(path)
        if value is None:
            raise Unknown([path])
        return Decimal(value)


def _title_of(path: str, for_each: str | None) -> str:
    head, _, rest = path.partition(".")
    if head == "item" and for_each:
        model = ITEM_MODELS.get(for_each, OnJobTraining)
        return fact_title(model, rest)
    if head == "onjob_training" and rest:
        return fact_title(OnJobTraining, rest)
    return fact_title(Profile, head)


def _item_label(item: Any) -> str | None:
    for attr in ("name", "product"):
        value = getattr(item, attr, None)
        if value:
            return str(value)
    if isinstance(item, OnJobTraining):
        return f"在岗职工培训({item.finished.isoformat()})"
    kind = getattr(item, "kind", None)
    return str(kind) if kind else None


def _subject(p: LoadedProvision, facts: _Facts, assumptions: dict[str, str]) -> str | None:
    template = p.rule.subject
    if isinstance(template, Choice):
        template = template.values[assumptions[template.interpretation]]
    if template is None:
        return None

    def fill(match: Any) -> str:
        name = match.group(1)
        if name == "claim_year":
            return str(facts.profile.claim_year)
        first, *rest = name.split(".")
        value = getattr(facts.item, first) if facts.item is not None and hasattr(facts.item, first) \
            else facts(first)
        for part in rest:
            value = getattr(value, part)
        return str(value)

    return PLACEHOLDER.sub(fill, template)


class _Engine:
    def __init__(self, profile: Profile, policy: Policy, assumptions: dict[str, str],
                 explain: bool = True) -> None:
        self.profile = profile
        # False only for calculate_awards: conditions are evaluated all the same, but what each
        # one read is not written out (no ConditionCheck, no "条件…" step).
        self.explain = explain
        self.policy = policy
        self.assumptions = assumptions
        info = policy.info
        self.window = (info.in_force_from, info.in_force_until)
        self.in_force = policy.in_force_year(profile.claim_year)
        self.derived = derived_facts(profile)  # the same for every provision and item

    # -- step 1 -------------------------------------------------------------------------------
    def evaluate(self, p: LoadedProvision) -> list[_Candidate]:
        rule = p.rule
        if rule.for_each is None:
            items: list[tuple[str | None, Any]] = [(None, None)]
        else:
            source = getattr(self.profile, rule.for_each)
            items = [] if source is None else (
                [(f"{rule.for_each}[{i}]", x) for i, x in enumerate(source)] if isinstance(source, list)
                else [(rule.for_each, source)])
            if p.where is not None:
                items = [(path, i) for path, i in items if self._selected(p, i)]
            if not items:
                if rule.kind == "land_benefit":
                    return []
                return [_Candidate(p, "not_eligible", reason="档案中没有适用本项的事项",
                                   steps=["档案未列出本项所需的事项"])]
        out: list[_Candidate] = []
        for path, item in items:
            out.extend(self._evaluate_one(p, _Facts(self.profile, item, self.derived), path))
        return out

    def _selected(self, p: LoadedProvision, item: Any) -> bool:
        """Whether an item is one this provision is about; unknown counts as selected, so that
        the conditions report the missing fact instead of the item vanishing."""
        assert p.where is not None
        try:
            return bool(p.where.evaluate(_Facts(self.profile, item, self.derived)))
        except Unknown:
            return True

    def _evaluate_one(self, p: LoadedProvision, facts: _Facts, item_path: str | None = None) -> list[_Candidate]:
        rule = p.rule
        cand = _Candidate(p, "paid", item=_item_label(facts.item) if facts.item is not None else None,
                          item_path=item_path)
        cand.interpretations = {n: self.assumptions[n] for n in rule.interpretations}
        missing: list[str] = []
        unmet: list[str] = []
        explain = self.explain
        for cond, expression in p.conditions:
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
                cand.conditions.append(_trusted(ConditionCheck, {
                    "label": cond.label, "test": cond.test,
                    "values": {k: _text(v) for k, v in read.items()}, "outcome": outcome}))
                cand.steps.append(f"条件“{cond.label}”:{_OUTCOME_WORDS[outcome]}")
        if not self.in_force:
            # Checked before unmet/unknown facts and support: nothing under an expired policy is
            # payable, claimable or worth asking information for; the conditions stay recorded.
            cand.status, cand.reason = "not_eligible", self._not_in_force()
            return [cand]
        if unmet:
            cand.status, cand.reason = "not_eligible", f"不满足条件:{unmet[0]}"
            return [cand]
        if missing:
            return [self._needs(cand, missing, rule.for_each)]
        if rule.kind == "support":
            cand.status = "support"
            return [cand]
        try:
            cand.subject = _subject(p, facts, self.assumptions)
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
                return self._tiers(cand, rule.amount, facts)
            self._amount(cand, rule.amount, facts)
        except Unknown as exc:
            return [self._needs(cand, list(exc.paths), rule.for_each)]
        if cand.computed is not None and cand.computed <= 0:
            cand.status, cand.reason = "not_eligible", "按公式计算金额为0"
            cand.amount = None
            return [cand]
        self._beneficiary(cand, facts)
        return [cand]

    def _needs(self, cand: _Candidate, paths: list[str], for_each: str | None) -> _Candidate:
        cand.status = "needs_info"
        paths = [DERIVED_SOURCES.get(x, x) for x in paths]  # ask for the field a user can fill in

        def where(path: str) -> str:  # "item.days" → "training_programmes[2].days": the profile's own path
            if cand.item_path and path.startswith("item."):
                return f"{cand.item_path}.{path[5:]}"
            return path

        cand.missing = list(dict.fromkeys(f"{_title_of(x, for_each)}({where(x)})" for x in paths))
        cand.reason = "需补充:" + "、".join(cand.missing)
        cand.steps.append(cand.reason)
        cand.computed = cand.amount = None
        return cand

    def _not_in_force(self) -> str:
        start, end = self.window
        return (f"申报年度 {self.profile.claim_year} 不在政策有效期({start.isoformat()} 至 {end.isoformat()})"
                "内,本政策不予奖补")

    def _validity(self, p: LoadedProvision, facts: _Facts, cand: _Candidate) -> str | None:
        start, end = self.window
        claim_year = self.profile.claim_year
        rule = p.rule
        if rule.event_date is not None:
            when = facts(rule.event_date)
            if when is None:
                raise Unknown([rule.event_date])
            assert isinstance(when, dt.date)
            cand.event_year = when.year
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

    def _amount(self, cand: _Candidate, a: Amount, facts: _Facts) -> None:
        unit = a.unit or ""
        if a.fixed is not None:
            value, basis = a.fixed, f"定额 {yuan(a.fixed)} 元"
        elif a.rate is not None and a.of is not None:
            base = facts.number(a.of)
            value = a.rate * base
            basis = f"{percent(a.rate)} × {yuan(base)} 元"
        elif a.per_unit is not None and a.count is not None:
            count = facts.number(a.count)
            value = a.per_unit * count
            basis = f"{yuan(a.per_unit)} 元 × {count}{unit}"
        elif a.table is not None and a.table_by is not None:
            row, col = (_text(facts(ref)) for ref in a.table_by)
            if row is None or col is None:
                raise Unknown([ref for ref in a.table_by if facts(ref) is None])
            found = a.table.get(row, {}).get(col)
            if found is None:
                cand.status, cand.reason = "not_eligible", f"{row}/{col} 不在本条补助范围内"
                return
            value = found
            if a.kind == "up_to":
                cand.cap = f"每项最高 {yuan(found)} 元"
            names = a.table_labels
            ceiling = "最高 " if a.kind == "up_to" else ""
            basis = f"{names.get(row, row)}·{names.get(col, col)}:{ceiling}{yuan(found)} 元"
        elif a.schedule is not None:
            value, basis = self._schedule(a, facts)
        else:  # pragma: no cover - Amount validates that one form is present
            raise AssertionError(a.form)
        cand.basis = basis
        cand.steps.append(f"公式:{basis} = {yuan(value)} 元")
        if a.cap_per_item is not None:
            cand.cap = f"每项最高 {yuan(a.cap_per_item)} 元"
            if value > a.cap_per_item:
                cand.capped = True
                cand.steps.append(f"封顶:超过每项上限,按 {yuan(a.cap_per_item)} 元计")
                value = a.cap_per_item
        if a.cap_per_enterprise is not None:
            cand.cap = f"单户企业最高 {yuan(a.cap_per_enterprise)} 元"
            if value > a.cap_per_enterprise:
                cand.capped = True
                cand.steps.append(f"封顶:超过单户企业上限,按 {yuan(a.cap_per_enterprise)} 元计")
                value = a.cap_per_enterprise
        cand.computed = cand.amount = round_fen(value)

    def _schedule(self, a: Amount, facts: _Facts) -> tuple[Decimal, str]:
        s = a.schedule
        assert s is not None
        ref = s.persons
        if isinstance(ref, Choice):
            ref = ref.values[self.assumptions[ref.interpretation]]
        persons = facts.number(ref)
        days = int(facts.number(s.days))
        per_person = ZERO
        parts: list[str] = []
        done = 0
        for band in s.bands:
            last = days if band.up_to_day is None else min(days, band.up_to_day)
            n = max(0, last - done)
            if n:
                per_person += n * band.per_day
                parts.append(f"{n}天×{yuan(band.per_day)}元")
            done = max(done, last)
        capped = per_person > s.cap_per_person
        shown = " + ".join(parts) or "0天"
        each = min(per_person, s.cap_per_person)
        basis = f"每人 {shown} = {yuan(per_person)} 元"
        if capped:
            basis += f",超过每人最高 {yuan(s.cap_per_person)} 元,按 {yuan(each)} 元计"
        basis += f";× {persons} 人"
        return each * persons, basis

    def _tiers(self, cand: _Candidate, a: Amount, facts: _Facts) -> list[_Candidate]:
        t = a.tiers
        assert t is not None
        mode = self.assumptions[t.interpretation]
        cand.interpretations[t.interpretation] = mode
        now = facts(t.measure)
        before = facts(t.before)
        missing = [path for path, v in ((t.measure, now), (t.before, before)) if v is None]
        if missing:
            raise Unknown(missing)
        higher = t.better == "higher"

        def reached(value: Any, threshold: Decimal) -> bool:
            if value == "never":
                return False
            return bool(value >= threshold) if higher else bool(value <= threshold)

        label_now = _title_of(t.measure, None)
        shown_now = chinese_amount(Decimal(now)) if higher else f"第{now}名"
        shown_before = ("从未进入" if before == "never"
                        else (chinese_amount(Decimal(before)) if higher else f"第{before}名"))
        cand.steps.append(f"{label_now}:{shown_now};以往:{shown_before}")
        new = [lv for lv in t.levels if reached(now, lv.threshold) and not reached(before, lv.threshold)]
        if not new:
            cand.status = "not_eligible"
            if not any(reached(now, lv.threshold) for lv in t.levels):
                lowest = t.levels[0]
                cand.reason = f"未达到最低档 {lowest.id}({shown_now})"
            else:
                cand.reason = f"已达到的档位以往均已达到,非首次({shown_before})"
            return [cand]
        out = []
        for lv in new:
            c = _Candidate(cand.p, "paid", item=cand.item, item_path=cand.item_path, tier=lv.id,
                           subject=f"{cand.subject}:{lv.id}" if cand.subject else lv.id,
                           conditions=cand.conditions, steps=[*cand.steps],
                           interpretations=dict(cand.interpretations), event_year=cand.event_year)
            c.computed = c.amount = round_fen(lv.amount)
            c.basis = f"{shown_now},首次达到“{lv.id}”档:定额 {yuan(lv.amount)} 元"
            c.steps.append(f"公式:{c.basis}")
            out.append(c)
        return out  # highest_only is applied after the history check: see highest_tier_only

    def _beneficiary(self, cand: _Candidate, facts: _Facts) -> None:
        rule = cand.p.rule
        if rule.beneficiary == "provider" and rule.provider is not None:
            provider = str(facts(rule.provider))
            if provider not in SELF_PROVIDER:
                cand.beneficiary = provider
                cand.steps.append(f"受益方:补贴付给培训主体“{provider}”,不计入企业合计")

    # -- steps 2–5 ----------------------------------------------------------------------------
    def history(self, cands: list[_Candidate]) -> None:
        for c in cands:
            if c.status != "paid":
                continue
            once = c.p.rule.one_time
            for r in self.profile.awards_received:
                if r.provision != c.p.id:
                    continue
                if once == "enterprise":
                    hit = True
                elif once == "tier":
                    hit = r.tier is None or r.tier == c.tier
                elif once == "subject":
                    hit = r.subject is None or r.subject == c.subject
                else:
                    hit = r.subject is not None and r.subject == c.subject
                if hit:
                    what = "一次性奖励" if once else "奖励"
                    c.exclude(f"已于 {r.year} 年获得本政策该项{what}"
                              + (f"(档位 {r.tier})" if r.tier else "") + ",不再重复奖补",
                              winner=f"已获:{r.provision}({r.year})")
                    break
            else:
                c.steps.append("历史:未获过本项奖励")

    def one_subject(self, cands: list[_Candidate]) -> None:
        groups: dict[str, list[_Candidate]] = {}
        for c in cands:
            if c.status == "paid" and c.subject:
                groups.setdefault(c.subject, []).append(c)
        for subject, group in groups.items():
            if len(group) < 2:
                continue
            best = max(group, key=lambda c: c.computed or ZERO)  # first wins a tie: rule order
            for c in group:
                if c is not best:
                    c.exclude(f"同一事项“{subject}”只奖一次,按较高的“{best.p.rule.title}”"
                              f"({yuan(best.computed or ZERO)} 元)计", winner=best.p.id)
            best.steps.append(f"不重复:同一事项另有 {len(group) - 1} 项较低奖补被排除")

    def highest_tier_only(self, cands: list[_Candidate]) -> None:
        """Tiers newly reached in one year: with ``highest_only`` only the highest still payable
        after the history check pays (a tier already received never blocks a lower new one)."""
        groups: dict[str, list[_Candidate]] = {}
        names: dict[str, str] = {}
        for c in cands:
            tiers = c.p.rule.amount.tiers if c.p.rule.amount else None
            if c.status == "paid" and c.tier is not None and tiers is not None \
                    and self.assumptions[tiers.interpretation] == "highest_only":
                groups.setdefault(c.p.id, []).append(c)
                names[c.p.id] = tiers.interpretation
        for provision_id, group in groups.items():
            if len(group) < 2:
                continue
            best = max(group, key=lambda c: c.computed or ZERO)
            name = names[provision_id]
            for c in group:
                if c is not best:
                    c.exclude(f"同年跨越多档,只奖最高档“{best.tier}”,不累加(解释 {name}=highest_only)",
                              winner=f"{best.p.id}:{best.tier}")

    def _allocate(self, cands: list[_Candidate]) -> dict[int, Decimal]:
        """What each paid award gets once per-enterprise caps are shared out in rule order."""
        used: dict[str, Decimal] = {}
        out: dict[int, Decimal] = {}
        for c in cands:
            if c.status != "paid" or c.computed is None:
                continue
            a = c.p.rule.amount
            amount = c.computed
            if a is not None and a.cap_per_enterprise is not None:
                amount = max(min(amount, a.cap_per_enterprise - used.get(c.p.id, ZERO)), ZERO)
                used[c.p.id] = used.get(c.p.id, ZERO) + amount
            out[id(c)] = amount
        return out

    def settle(self, cands: list[_Candidate], notices: list[str]) -> None:
        """Other city policies (就高不就低) and per-enterprise caps, together.

        The choice against another policy compares the amount this policy would really pay, after
        the per-enterprise cap is shared out. An award lost to another policy frees cap room for
        the others, so the two are repeated until nothing more changes; a lost award stays lost.
        """
        subjects = {c.subject for c in cands if c.subject}
        best_other: dict[str, OtherPolicyAward] = {}
        for other in self.profile.other_policy_awards:
            if other.subject not in subjects:
                notices.append(f"其他政策奖补的事项“{other.subject}”与本政策任何奖补事项都不对应,未参与比较;"
                               "请核对事项写法(见结果中的“事项”)")
                continue
            known = best_other.get(other.subject)
            if known is None or other.amount > known.amount:
                best_other[other.subject] = other
        cands = [c for c in cands if c.status == "paid"]  # the only ones the rest can change
        while True:
            alloc = self._allocate(cands)
            lost = False
            for c in cands:
                rival = best_other.get(c.subject or "")
                if c.status != "paid" or rival is None:
                    continue
                amount = alloc[id(c)]
                if rival.amount >= amount:
                    c.exclude(f"就高不就低:同一事项“{rival.subject}”按《{rival.policy}》"
                              f"{yuan(rival.amount)} 元申报(不低于本政策 {yuan(amount)} 元)",
                              winner=rival.policy)
                    lost = True
            if not lost:
                break
        for c in cands:
            if c.status != "paid" or c.computed is None:
                continue
            amount = alloc[id(c)]
            a = c.p.rule.amount
            if amount < c.computed and a is not None and a.cap_per_enterprise is not None:
                c.capped = True
                c.steps.append(f"封顶:本项单户企业合计最高 {yuan(a.cap_per_enterprise)} 元,"
                               f"本事项按余额 {yuan(amount)} 元计")
                if amount == 0:
                    c.exclude(f"本项单户企业合计已达上限 {yuan(a.cap_per_enterprise)} 元")
                    continue
            c.amount = amount
            chosen_over = best_other.get(c.subject or "")
            if chosen_over is not None:
                c.steps.append(f"就高不就低:本政策 {yuan(amount)} 元高于《{chosen_over.policy}》"
                               f"{yuan(chosen_over.amount)} 元,按本政策申报")

    def land(self, cands: list[_Candidate]) -> list[LandBenefit]:
        out = []
        for c in cands:
            if c.status != "land_benefit":
                continue
            lp = c.p.rule.land_price
            assert lp is not None
            item = next(i for i in self.profile.land if i.name == c.item)
            standard = lp.price_by_grade[item.grade - 1] * item.area_m2
            floor = max(round_fen(lp.ratio * standard), item.cost_sum)
            benefit = max(standard - floor, ZERO)
            basis = (f"{item.grade}等地 {yuan(lp.price_by_grade[item.grade - 1])} 元/㎡ × {item.area_m2} ㎡ = "
                     f"{yuan(standard)} 元;底价 = max({percent(lp.ratio)} × {yuan(standard)}, 成本 "
                     f"{yuan(item.cost_sum)}) = {yuan(floor)} 元")
            c.basis = basis
            c.steps.append(f"土地:{basis};优惠 {yuan(benefit)} 元(非现金)")
            out.append(_trusted(LandBenefit, {
                "item": item.name, "grade": item.grade, "area_m2": item.area_m2,
                "standard_price": round_fen(standard), "floor_price": floor, "benefit": round_fen(benefit),
                "basis": basis}))
        return out


def _settled(profile: Profile, policy: Policy, assumptions: Mapping[str, str] | None, explain: bool = True,
             ) -> tuple[_Engine, list[_Candidate], list[str], list[LandBenefit]]:
    """Steps 1–6 on working candidates; ``calculate`` freezes them into the ``Result``."""
    chosen = resolve_assumptions(policy, assumptions)
    engine = _Engine(profile, policy, chosen, explain)
    notices: list[str] = []
    if not engine.in_force:
        start, end = engine.window
        notices.append(f"申报年度 {profile.claim_year} 不在本政策有效期({start.isoformat()} 至 "
                       f"{end.isoformat()})内:本政策不予奖补,以下仅列出各条款的判断。")
    cands: list[_Candidate] = []
    for p in policy.provisions:
        cands.extend(engine.evaluate(p))
    # Steps 2–5 only ever act on paid candidates, and a status only ever goes from paid to
    # excluded, so they need not look at the rest.
    paid = [c for c in cands if c.status == "paid"]
    engine.history(paid)
    engine.highest_tier_only(paid)
    engine.one_subject(paid)
    engine.settle(cands, notices)
    land = engine.land(cands)
    return engine, cands, notices, land


def _totals(counted: list[tuple[str, Decimal | None, bool, str | None]], land: list[LandBenefit]) -> Totals:
    """The sums from (status, amount, counts_in_total, kind) of every outcome."""
    exact = sum((amount or ZERO for _, amount, counts, kind in counted if counts and kind == "exact"), ZERO)
    up_to = sum((amount or ZERO for _, amount, counts, kind in counted if counts and kind == "up_to"), ZERO)
    others = sum((amount or ZERO for status, amount, counts, _ in counted if status == "paid" and not counts), ZERO)
    # round_fen changes no value (every award is already in fen); it gives 0.00, not 0, when empty.
    return _trusted(Totals, {
        "exact": round_fen(exact), "up_to": round_fen(up_to), "total": round_fen(exact + up_to),
        "payable_to_others": round_fen(others), "land_benefit": round_fen(sum((x.benefit for x in land), ZERO))})


def calculate(profile: Profile, policy: Policy, assumptions: Mapping[str, str] | None = None) -> Result:
    """Every provision of ``policy`` applied to ``profile``. Pure: no I/O, no printing."""
    engine, cands, notices, land = _settled(profile, policy, assumptions)
    outcomes = [c.freeze() for c in cands]
    totals = _totals([(o.status, o.amount, o.counts_in_total, o.kind) for o in outcomes], land)
    return _trusted(Result, {
        "enterprise": profile.name, "credit_code": profile.credit_code, "county": profile.county,
        "town": profile.town, "claim_year": profile.claim_year, "policy_id": policy.info.id,
        "document_number": policy.info.document_number, "policy_title": policy.info.title,
        "in_force": engine.in_force, "notices": notices, "outcomes": outcomes, "land": land, "totals": totals,
        "assumptions": dict(engine.assumptions), "rules_hash": policy.rules_hash, "engine_version": __version__,
    })


class Award(NamedTuple):
    """What a score sheet needs of one outcome: the same figures ``calculate`` puts in ``Outcome``."""

    provision: str
    status: str
    amount: Decimal | None  # None unless paid
    counts_in_total: bool


def calculate_awards(profile: Profile, policy: Policy,
                     assumptions: Mapping[str, str] | None = None) -> tuple[list[Award], Totals]:
    """The outcomes' statuses and amounts and the totals of ``calculate``, by the very same steps,
    without recording what each condition read and without freezing the outcomes into a
    ``Result`` (for ``zyz batch``; tests/test_fast_paths.py checks the figures are the same)."""
    _, cands, _, land = _settled(profile, policy, assumptions, explain=False)
    awards: list[Award] = []
    counted: list[tuple[str, Decimal | None, bool, str | None]] = []
    for c in cands:
        if c.status != "paid":
            awards.append(Award(c.p.id, c.status, None, False))
            continue  # counts in no sum: _totals would skip it
        counts = c.beneficiary == "本企业"
        awards.append(Award(c.p.id, "paid", c.amount, counts))
        counted.append(("paid", c.amount, counts, c.p.rule.amount.kind if c.p.rule.amount else None))
    return awards, _totals(counted, land)
