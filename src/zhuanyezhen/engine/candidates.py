"""The working state of one calculation: a candidate award per provision and subject, and the
facts it reads. Every step after the first changes candidates; ``calculate`` freezes them into
``Outcome``s at the end."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhuanyezhen.engine.result import ConditionCheck, Outcome
from zhuanyezhen.policy.conditions import Unknown
from zhuanyezhen.policy.models import PLACEHOLDER, Choice, LoadedProvision
from zhuanyezhen.profile.model import ITEM_CONTEXT_FACTS, ITEM_MODELS, OnJobTraining, Profile, derived_facts, fact_title
from zhuanyezhen.trusted import trusted_model

SELF_PROVIDER = ("本企业", "企业自身", "self")
ZERO = Decimal(0)


def shown(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


class Candidate:
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
        return trusted_model(Outcome, {
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


class Facts:
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


def title_of(path: str, for_each: str | None) -> str:
    head, _, rest = path.partition(".")
    if head == "item" and for_each:
        model = ITEM_MODELS.get(for_each, OnJobTraining)
        return fact_title(model, rest)
    if head == "onjob_training" and rest:
        return fact_title(OnJobTraining, rest)
    return fact_title(Profile, head)


def item_label(item: Any) -> str | None:
    for attr in ("name", "product"):
        value = getattr(item, attr, None)
        if value:
            return str(value)
    if isinstance(item, OnJobTraining):
        return f"在岗职工培训({item.finished.isoformat()})"
    kind = getattr(item, "kind", None)
    return str(kind) if kind else None


def subject_of(p: LoadedProvision, facts: Facts, assumptions: dict[str, str]) -> str | None:
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
        on_item = facts.item is not None and hasattr(facts.item, first)
        value = getattr(facts.item, first) if on_item else facts(first)
        if value is None:  # a subject named by an unknown fact (a 示范区 without its name)
            raise Unknown([f"item.{first}" if on_item else first])
        for part in rest:
            value = getattr(value, part)
        return str(value)

    return PLACEHOLDER.sub(fill, template)
