"""Near misses: what an enterprise is close to, and what closing the gap would be worth.

Found from the rules' own structure, never from words: a condition that is a single numeric
comparison (``fact >= 300000``, ``fact <= 5``, ``fact == 1``), the levels of a tiered award, and the
caps of a formula. What closing a gap is worth is never worked out by a second formula: the profile
is changed to the threshold (a what-if) and ``calculate`` is run again, so the figure is exactly
what ``zyz calc`` would pay. Only facts an enterprise legitimately chooses or grows are ever
proposed (``ADVISABLE_FACTS``): investment, premium, revenue, rank. Pure, like the engine: no I/O,
no clock.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from zhuanyezhen.engine.calculation import calculate
from zhuanyezhen.engine.result import Outcome, Result
from zhuanyezhen.engine.whatif import NESTED_MODELS, Change, apply_changes
from zhuanyezhen.errors import InputError
from zhuanyezhen.money import YI, chinese_amount, percent, round_fen
from zhuanyezhen.policy.conditions import dotted_name
from zhuanyezhen.policy.models import LoadedProvision, Policy
from zhuanyezhen.profile.glossary import item_label
from zhuanyezhen.profile.model import Profile, fact_title

ZERO = Decimal(0)

# The only facts a near miss may propose to change (issue 12): what an enterprise legitimately
# chooses or grows, so that the advice is one a reviewer would sign: investment (equipment,
# projects), premium, revenue and rank (market share; revenue rank within the leading industry,
# which moves with revenue). Never training days, employment rates, trainee counts, dates, kinds
# or anything else that would re-describe what already happened. List items by their list name.
ADVISABLE_FACTS = frozenset({
    "equipment_investment", "projects.software_hardware_investment", "projects.fixed_asset_investment",
    "premiums.premium", "revenue", "market_rank", "industry_revenue_rank",
})


def advisable(path: str) -> bool:
    """Whether a near miss may advise changing the fact at ``path`` (``premiums[0].premium``)."""
    return re.sub(r"\[\d+\]", "", path) in ADVISABLE_FACTS


Kind = Literal["threshold", "tier", "below_cap", "capped"]
KIND_LABELS: dict[str, str] = {
    "threshold": "未达门槛", "tier": "下一档", "below_cap": "未到上限", "capped": "已达上限",
}


class NearMiss(BaseModel):
    """One gap: the fact, where it stands, the target, and what ``calc`` pays once it is reached."""

    provision: str
    clause: int
    title: str
    kind: Kind
    item: str | None = None
    fact: str | None = Field(default=None, description="profile path of the fact to change")
    fact_title: str | None = None
    current: str | None = Field(default=None, description="the fact now, as text")
    target: str | None = Field(default=None, description="the value that closes the gap, as text")
    gap: Decimal | None = Field(default=None, description="target − current (absolute), in the fact's unit")
    changes: dict[str, str] = Field(default_factory=dict, description="the what-if that was run")
    amount_before: Decimal = Field(default=ZERO, description="paid now for this item (or provision) (元)")
    amount_after: Decimal = Field(default=ZERO, description="paid after the what-if for this item (or provision) (元)")
    worth: Decimal = Field(default=ZERO, description="change of everything this provision pays (元)")
    total_change: Decimal = Field(default=ZERO, description="change of the enterprise total (元)")
    status_after: str | None = None
    reason_after: str | None = None
    beneficiary: str = "本企业"
    text: str


# -- reading the rules' structure -----------------------------------------------------------------


_FLIP = {"ge": "le", "le": "ge", "eq": "eq"}
_OPS: dict[type[ast.cmpop], str] = {ast.GtE: "ge", ast.LtE: "le", ast.Eq: "eq"}


def numeric_comparison(tree: ast.expr) -> tuple[str, str, Decimal] | None:
    """``(fact, op, constant)`` when a condition is one ``fact >= / <= / == number`` comparison."""
    if not isinstance(tree, ast.Compare) or len(tree.ops) != 1:
        return None
    op = _OPS.get(type(tree.ops[0]))
    if op is None:
        return None
    left, right = tree.left, tree.comparators[0]
    if isinstance(left, ast.Constant):
        left, right, op = right, left, _FLIP[op]
    fact = dotted_name(left)
    if fact is None or not isinstance(right, ast.Constant):
        return None
    value = right.value
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return fact, op, Decimal(value)


def _profile_path(fact: str, o: Outcome) -> str | None:
    """The settable profile path of a fact, or None for a derived fact."""
    head, _, rest = fact.partition(".")
    if head == "item":
        if o.item_path is None:
            return None
        model = NESTED_MODELS[o.item_path.split("[")[0]]
        return f"{o.item_path}.{rest}" if rest in model.model_fields else None
    if rest:
        nested = NESTED_MODELS.get(head)
        return fact if nested is not None and rest in nested.model_fields else None
    return fact if head in Profile.model_fields else None


def _read(profile: Profile, path: str) -> Any:
    value: Any = profile
    for piece in path.split("."):
        name, _, index = piece.partition("[")
        value = getattr(value, name)
        if index:
            value = value[int(index.rstrip("]"))]
        if value is None:
            return None
    return value


def _title_full(path: str) -> str:
    """The profile field's Chinese title, e.g. ``申报年度营业收入(元)``."""
    head, _, rest = path.partition(".")
    name = head.split("[")[0]
    return fact_title(NESTED_MODELS[name], rest) if rest else fact_title(Profile, name)


def _title(path: str) -> str:
    """The title without its trailing unit, for sentences: ``申报年度营业收入``."""
    return re.sub(r"[((][^))]*[))]$", "", _title_full(path))


# -- display --------------------------------------------------------------------------------------


def _unit_kind(path: str) -> str:
    full = _title_full(path)
    if "(元)" in full:
        return "money"
    if path.endswith("rate"):
        return "rate"
    if path.endswith("rank"):
        return "rank"
    if path.endswith("days"):
        return "days"
    return "count"


def _money(value: Decimal, like: Decimal | None = None) -> str:
    """In 亿元 when the figure it is compared with is (0.92亿元 next to 1亿元), else as officers say it."""
    if like is not None and like >= YI and value < YI:
        return f"{(value / YI).normalize():f}亿元"
    return chinese_amount(value)


def _show(kind: str, value: Decimal, like: Decimal | None = None) -> str:
    if kind == "money":
        return _money(value, like)
    if kind == "rate":
        return percent(value)
    if kind == "rank":
        return f"第{value.normalize():f}名"
    if kind == "days":
        return f"{value.normalize():f}天"
    return f"{value.normalize():f}"


def _show_gap(kind: str, gap: Decimal) -> str:
    if kind == "money":
        return chinese_amount(gap)
    if kind == "rate":
        return f"{(gap * 100).normalize():f}个百分点"
    if kind == "rank":
        return f"{gap.normalize():f}名"
    if kind == "days":
        return f"{gap.normalize():f}天"
    return f"{gap.normalize():f}"


def _value_text(value: Any) -> str:
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


# -- the what-if ----------------------------------------------------------------------------------


def _paid(result: Result, provision: str, item_path: str | None = None) -> Decimal:
    """What ``result`` pays under one provision: for one item when ``item_path`` is given."""
    return sum((o.amount or ZERO for o in result.outcomes
                if o.provision == provision and o.status == "paid"
                and (item_path is None or o.item_path == item_path)), ZERO)


class _Finder:
    def __init__(self, profile: Profile, policy: Policy, assumptions: Mapping[str, str] | None,
                 base: Result) -> None:
        self.profile = profile
        self.policy = policy
        self.assumptions = assumptions
        self.base = base
        self.found: list[NearMiss] = []
        self.seen: set[tuple[str, tuple[Change, ...]]] = set()

    def run(self, p: LoadedProvision, o: Outcome, kind: Kind, changes: list[Change],
            describe: Any) -> None:
        """Re-run ``calculate`` with ``changes``; ``describe(said)`` words the finding around the worth."""
        key = (p.id, tuple(changes))
        if key in self.seen or not all(advisable(path) for path, _ in changes):
            return
        self.seen.add(key)
        try:
            changed = apply_changes(self.profile, changes)
        except InputError:
            return  # a threshold the profile schema cannot hold (e.g. a rank below 1): no near miss
        after = calculate(changed, self.policy, self.assumptions)
        worth = _paid(after, p.id) - _paid(self.base, p.id)
        before_amount, after_amount = _paid(self.base, p.id, o.item_path), _paid(after, p.id, o.item_path)
        if worth <= 0 and kind != "threshold":
            return  # only a refused threshold is worth naming when closing it would add nothing
        mine = [x for x in after.outcomes if x.provision == p.id
                and (x.item_path == o.item_path or o.item_path is None)]
        best = next((x for x in mine if x.status == "paid"), mine[0] if mine else None)
        total_change = after.totals.total - self.base.totals.total
        beneficiary = best.beneficiary if best is not None else "本企业"
        if worth > 0:
            said = f"可得{chinese_amount(after_amount)}"
            if before_amount > 0 or after_amount != worth:
                said += f"(本项比现在多{chinese_amount(worth)})"
            if beneficiary != "本企业":
                said += f",付给{beneficiary}"
            elif total_change != worth:
                verb = "增加" if total_change >= 0 else "减少"
                said += f";因不重复奖补,企业合计{verb}{chinese_amount(abs(total_change))}"
        else:
            why = best.reason if best is not None and best.status != "paid" else None
            said = "补足后也不增加奖补" + (f":{why}" if why else "")
        self.found.append(NearMiss(
            provision=p.id, clause=p.clause, title=p.rule.title, kind=kind, item=o.item,
            fact=changes[0][0], fact_title=_title(changes[0][0]),
            current=None, target=None, changes={k: _value_text(v) for k, v in changes},
            amount_before=before_amount, amount_after=after_amount, worth=worth,
            total_change=total_change, status_after=best.status if best else None,
            reason_after=best.reason if best else None, beneficiary=beneficiary,
            text=describe(said)))

    def last(self, **fields: Any) -> None:
        if self.found:
            self.found[-1] = self.found[-1].model_copy(update=fields)


def _threshold(f: _Finder, p: LoadedProvision, o: Outcome) -> None:
    """A provision refused only by numeric conditions: set each fact to its threshold."""
    conditions = [(c, e) for c, e in p.conditions if c.applies(f.base.assumptions)]
    if len(o.conditions) != len(conditions):
        return  # the profile lists no item for this provision: nothing to close
    unmet = [(check, expression) for check, (_, expression) in zip(o.conditions, conditions, strict=True)
             if check.outcome == "unmet"]
    if not unmet:
        return
    changes: list[Change] = []
    shown: list[str] = []
    first: tuple[str, Decimal, Decimal, str] | None = None
    for _, expression in unmet:
        found = numeric_comparison(expression.tree)
        if found is None:
            return
        fact, op, constant = found
        path = _profile_path(fact, o)
        if path is None:
            return
        now = _read(f.profile, path)
        if now is None:
            return
        now = Decimal(now)
        kind = _unit_kind(path)
        gap = abs(constant - now)
        target: Any = int(constant) if kind in ("rank", "days", "count") else constant
        changes.append((path, target))
        wanted = {"ge": f"须达到{_show(kind, constant)}", "le": f"须不超过{_show(kind, constant)}",
                  "eq": f"须为{_show(kind, constant)}"}[op]
        shown.append(f"{_title(path)}{_show(kind, now, constant)},{wanted},还差{_show_gap(kind, gap)}")
        if first is None:
            first = (path, now, constant, kind)
    assert first is not None
    name = f"({item_label(o.item)})" if o.item else ""
    f.run(p, o, "threshold", changes, lambda said: f"{p.rule.title}{name}:{';'.join(shown)};{said}")
    path, now, constant, kind = first
    f.last(current=_show(kind, now, constant), target=_show(kind, constant), gap=abs(constant - now))


def _tier(f: _Finder, p: LoadedProvision, outcomes: list[Outcome]) -> None:
    """A tiered award: the next level the enterprise has not reached, now or before."""
    a = p.rule.amount
    assert a is not None and a.tiers is not None
    t = a.tiers
    if any(c.outcome != "met" for o in outcomes for c in o.conditions):
        return
    if any(o.status in ("needs_info",) for o in outcomes):
        return
    path = _profile_path(t.measure, outcomes[0])
    now, before = _read(f.profile, t.measure), _read(f.profile, t.before)
    if path is None or now is None or before is None:
        return
    higher = t.better == "higher"

    def reached(value: Any, threshold: Decimal) -> bool:
        if value == "never":
            return False
        return bool(value >= threshold) if higher else bool(value <= threshold)

    levels = sorted(t.levels, key=lambda lv: lv.threshold, reverse=not higher)
    nxt = next((lv for lv in levels if not reached(now, lv.threshold) and not reached(before, lv.threshold)), None)
    if nxt is None:
        return
    kind = "money" if higher else "rank"
    now_d = Decimal(now)
    gap = abs(nxt.threshold - now_d)
    target: Any = nxt.threshold if higher else int(nxt.threshold)
    level = f"{chinese_amount(nxt.threshold)}档" if higher else f"{nxt.id}名"
    current = _show(kind, now_d, nxt.threshold)
    f.run(p, outcomes[0], "tier", [(path, target)],
          lambda said: f"{p.rule.title}:{_title(path)}{current},距{level}还差{_show_gap(kind, gap)},{said}")
    f.last(current=current, target=_show(kind, nxt.threshold), gap=gap)


def _cap(f: _Finder, p: LoadedProvision, o: Outcome) -> None:
    """A paid award below its cap (what more would add), or held by it (more adds nothing)."""
    a = p.rule.amount
    if a is None or o.status != "paid":
        return
    name = f"({item_label(o.item)})" if o.item else ""
    if a.schedule is not None:
        return  # a per-day schedule's cap is reached by training days: never advice (ADVISABLE_FACTS)
    cap = a.cap_per_item if a.cap_per_item is not None else a.cap_per_enterprise
    if cap is None:
        return
    if o.capped:
        f.found.append(NearMiss(
            provision=p.id, clause=p.clause, title=p.rule.title, kind="capped", item=o.item,
            fact=None, amount_before=o.amount or ZERO, amount_after=o.amount or ZERO,
            beneficiary=o.beneficiary,
            text=f"{p.rule.title}{name}:已按上限{chinese_amount(cap)}计,再增加投入不增加奖补"))
        return
    if a.rate is None or a.of is None:
        return
    path = _profile_path(a.of, o)
    if path is None:
        return
    now = _read(f.profile, path)
    if now is None:
        return
    if o.computed is not None and round_fen(a.rate * Decimal(now)) != o.computed:
        return  # the base is more than this item's fact (one base per subject): no simple target
    needed = cap / a.rate
    if needed <= now:
        return
    gap = needed - Decimal(now)
    f.run(p, o, "below_cap", [(path, needed)],
          lambda said: f"{p.rule.title}{name}:{_title(path)}{chinese_amount(Decimal(now))},按{percent(a.rate or ZERO)}"
                       f"计未到上限{chinese_amount(cap)};增至{chinese_amount(needed)}(再增加{chinese_amount(gap)}),{said}")
    f.last(current=chinese_amount(Decimal(now)), target=chinese_amount(needed), gap=gap)


def near_misses(profile: Profile, policy: Policy, assumptions: Mapping[str, str] | None = None,
                base: Result | None = None) -> list[NearMiss]:
    """Every near miss for ``profile``, most valuable first; caps that bind come last."""
    if base is None:
        base = calculate(profile, policy, assumptions)
    f = _Finder(profile, policy, assumptions, base)
    if not base.in_force:
        return []
    for p in policy.provisions:
        mine = [o for o in base.outcomes if o.provision == p.id]
        if not mine or p.rule.amount is None:
            continue
        if p.rule.amount.tiers is not None:
            _tier(f, p, mine)
            continue
        for o in mine:
            if o.status == "not_eligible":
                _threshold(f, p, o)
            elif o.status == "paid":
                _cap(f, p, o)
    order = {"threshold": 0, "tier": 0, "below_cap": 0, "capped": 1}
    return sorted(f.found, key=lambda n: (order[n.kind], -n.worth, n.clause))

