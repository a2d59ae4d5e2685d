"""Rule-file models: a policy, its clauses and provisions, amounts, tiers and named interpretations.

Unknown keys are refused; ``loader`` builds these from the YAML files and checks every condition.
"""

# No ``from __future__ import annotations`` here: pydantic would then evaluate every field's annotation
# from its text (a ForwardRef compiled and evaluated per field) each time ``zyz`` starts.

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from zhuanyezhen.policy import conditions as expr
from zhuanyezhen.profile.model import ITEM_MODELS, OnJobTraining

ONE_TIME = ("enterprise", "subject", "tier", "city")
ITEM_SOURCES: dict[str, type[BaseModel]] = {**ITEM_MODELS, "onjob_training": OnJobTraining}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


class RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @field_validator("*", mode="after")
    @classmethod
    def _finite_amounts(cls, value: Any) -> Any:
        """Every number in a rule file (amounts, rates, thresholds) is finite and not negative."""
        for number in _decimals(value):
            if not number.is_finite():
                raise ValueError("数值必须是有限数字,不能是 NaN 或无穷大")
            if number < 0:
                raise ValueError(f"数值不能为负数(收到 {number:f})")
        return value


def _decimals(value: Any) -> list[Decimal]:
    if isinstance(value, Decimal):
        return [value]
    if isinstance(value, dict):
        return [d for v in value.values() for d in _decimals(v)]
    if isinstance(value, list):
        return [d for v in value for d in _decimals(v)]
    return []


class Interpretation(RuleModel):
    """A reading chosen where the policy text is silent; overridable per run with --assume."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str | None = None  # a short Chinese name, shown in every report's 口径 line
    question: str
    default: str
    options: dict[str, str]
    labels: dict[str, str] = Field(default_factory=dict)  # short Chinese words for each option
    basis: str | None = None

    @model_validator(mode="after")
    def _default_is_option(self) -> Self:
        if self.default not in self.options:
            raise ValueError(f"默认值 {self.default} 不在可选项 {list(self.options)} 中")
        unknown = sorted(set(self.labels) - set(self.options))
        if unknown:
            raise ValueError(f"labels 中的 {'、'.join(unknown)} 不在可选项 {list(self.options)} 中")
        return self


class Condition(RuleModel):
    label: str
    test: str
    # Applies only under these options of named interpretations ({name: option}); e.g. the
    # first-insured-year condition holds only under insurance_renewal=first_year_only.
    only_if: dict[str, str] | None = None

    def applies(self, assumptions: dict[str, str]) -> bool:
        return self.only_if is None or all(assumptions.get(k) == v for k, v in self.only_if.items())


class Choice(RuleModel):
    """A value that depends on an interpretation: ``{interpretation: x, values: {option: value}}``."""

    interpretation: str
    values: dict[str, str]


class Band(RuleModel):
    up_to_day: int | None = None  # inclusive; None = every later day
    per_day: Decimal


class Schedule(RuleModel):
    persons: str | Choice
    days: str
    bands: list[Band]
    cap_per_person: Decimal


class Tier(RuleModel):
    id: str
    threshold: Decimal
    amount: Decimal


class Tiers(RuleModel):
    measure: str
    before: str
    better: Literal["higher", "lower"]
    levels: list[Tier]
    interpretation: str


class LandPrice(RuleModel):
    ratio: Decimal
    grade: str
    area: str
    cost: str
    price_by_grade: list[Decimal] = Field(min_length=15, max_length=15)


class Amount(RuleModel):
    """How much: exactly one of fixed / rate+of / per_unit+count / table / schedule / tiers."""

    kind: Literal["exact", "up_to"]
    fixed: Decimal | None = None
    rate: Decimal | None = None
    of: str | None = None
    per_unit: Decimal | None = None
    count: str | None = None
    table: dict[str, dict[str, Decimal]] | None = None
    table_by: list[str] | None = None
    table_labels: dict[str, str] = Field(default_factory=dict)  # Chinese words for table keys
    schedule: Schedule | None = None
    tiers: Tiers | None = None
    cap_per_item: Decimal | None = None
    cap_per_enterprise: Decimal | None = None
    # The named interpretation that says over which period ``cap_per_enterprise`` runs; its options
    # are ``per_claim_year`` (this claim year's awards) and ``policy_period`` (every award of the
    # provision under this policy, from ``awards_received``). None: per claim year.
    cap_period: str | None = None
    unit: str | None = None  # the unit of ``count`` for display, e.g. 人

    @model_validator(mode="after")
    def _one_formula(self) -> Self:
        forms = {
            "fixed": self.fixed is not None,
            "rate": self.rate is not None or self.of is not None,
            "per_unit": self.per_unit is not None or self.count is not None,
            "table": self.table is not None or self.table_by is not None,
            "schedule": self.schedule is not None,
            "tiers": self.tiers is not None,
        }
        chosen = [k for k, v in forms.items() if v]
        if len(chosen) != 1:
            raise ValueError(f"金额须且只能写一种算法(fixed/rate/per_unit/table/schedule/tiers),现为 {chosen or '无'}")
        if forms["rate"] and (self.rate is None or self.of is None):
            raise ValueError("rate 与 of 须同时填写")
        if forms["per_unit"] and (self.per_unit is None or self.count is None):
            raise ValueError("per_unit 与 count 须同时填写")
        if forms["table"] and (self.table is None or not self.table_by or len(self.table_by) != 2):
            raise ValueError("table 须配 table_by(两个字段)")
        return self

    @property
    def form(self) -> str:
        for name in ("fixed", "rate", "per_unit", "table", "schedule", "tiers"):
            if getattr(self, name) is not None:
                return name
        raise AssertionError("validated above")


class Provision(RuleModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    quote: str
    kind: Literal["award", "support", "land_benefit"] = "award"
    beneficiary: Literal["enterprise", "provider"] = "enterprise"
    provider: str | None = None
    for_each: str | None = None
    where: str | None = None
    conditions: list[Condition] = Field(default_factory=list)
    event_date: str | None = None
    event_year: str | None = None
    amount: Amount | None = None
    land_price: LandPrice | None = None
    # enterprise: once per enterprise for ever; subject: once per subject; tier: once per tier;
    # city: once per subject in the whole city (a 示范区 or a listed product): one enterprise's
    # calculation pays it per subject, and ``zyz batch`` pays the first claim of the subject only.
    one_time: str | Choice | None = None

    @field_validator("one_time")
    @classmethod
    def _one_time_word(cls, value: str | Choice | None) -> str | Choice | None:
        if isinstance(value, str) and value not in ONE_TIME:
            raise ValueError(f"“{value}”不是可选值(可选:{'、'.join(ONE_TIME)})")
        return value
    subject: str | Choice | None = None
    departments: list[str] | None = None
    interpretations: list[str] = Field(default_factory=list)
    note: str | None = None
    # Items of one subject are one base: their ``amount.of`` facts are added and paid as one award
    # (premiums of one product and one insured year, "实际投保年度保费").
    sum_by_subject: bool = False

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.kind == "award" and (self.amount is None or self.subject is None):
            raise ValueError("奖补项目(kind: award)须有 amount 和 subject")
        if self.kind == "land_benefit" and self.land_price is None:
            raise ValueError("土地价格优惠(kind: land_benefit)须有 land_price")
        if self.kind == "support" and self.amount is not None:
            raise ValueError("无固定金额的支持(kind: support)不能有 amount")
        if self.beneficiary == "provider" and self.provider is None:
            raise ValueError("beneficiary: provider 须写明 provider 字段")
        if isinstance(self.one_time, Choice) and not set(self.one_time.values.values()) <= set(ONE_TIME):
            raise ValueError(f"one_time 的取值只能是 {'、'.join(ONE_TIME)}")
        if self.sum_by_subject and (self.for_each is None or self.amount is None or self.amount.of is None
                                    or not self.amount.of.startswith("item.")):
            raise ValueError("sum_by_subject 须用于逐项(for_each)且金额为 rate × item.字段 的项目")
        if self.for_each is not None and self.for_each not in ITEM_SOURCES:
            raise ValueError(f"for_each 只能是 {'、'.join(ITEM_SOURCES)} 之一")
        return self


class Clause(RuleModel):
    clause: int = Field(ge=1)
    title: str
    quote: str | None = None
    departments: list[str] = Field(min_length=1)
    interpretations: list[Interpretation] = Field(default_factory=list)
    provisions: list[Provision] = Field(default_factory=list)
    note: str | None = None


class StartChoice(RuleModel):
    """The first day in force as a named interpretation: days after ``in_force_from`` per option."""

    interpretation: str
    days_after: dict[str, int]


class PolicyInfo(RuleModel):
    id: str
    document_number: str
    title: str
    issuer: str
    published: dt.date
    in_force_from: dt.date
    in_force_until: dt.date
    validity_quote: str
    budget: Decimal
    budget_quote: str
    non_duplication_quote: str
    text_file: str
    clauses: int = Field(ge=1)
    # Readings of the policy as a whole (e.g. effective_date), like a clause's interpretations.
    interpretations: list[Interpretation] = Field(default_factory=list)
    # The first day in force by a named interpretation: {interpretation: x, days_after: {option: n}},
    # n days after ``in_force_from`` under each option (0 under the default).
    in_force_from_by: StartChoice | None = None

    @model_validator(mode="after")
    def _start_choice(self) -> Self:
        choice = self.in_force_from_by
        if choice is None:
            return self
        named = {i.name: i for i in self.interpretations}
        interp = named.get(choice.interpretation)
        if interp is None:
            raise ValueError(f"in_force_from_by 引用了未定义的解释 {choice.interpretation}")
        if set(choice.days_after) != set(interp.options):
            raise ValueError(f"in_force_from_by 须为解释 {interp.name} 的每个选项给出天数")
        if choice.days_after[interp.default] != 0:
            raise ValueError("in_force_from_by 中默认选项的天数须为 0(即 in_force_from 当天)")
        return self

    def starts(self, assumptions: dict[str, str]) -> dt.date:
        """The first day in force under the chosen interpretations."""
        choice = self.in_force_from_by
        if choice is None:
            return self.in_force_from
        return self.in_force_from + dt.timedelta(days=choice.days_after[assumptions[choice.interpretation]])


class LoadedProvision(BaseModel):
    """A provision with its clause, its parsed expressions and its departments resolved."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    rule: Provision
    clause: int
    clause_title: str
    departments: list[str]
    conditions: list[tuple[Condition, expr.Expression]]
    where: expr.Expression | None
    file: str

    @property
    def id(self) -> str:
        return self.rule.id


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

    info: PolicyInfo
    clauses: dict[int, Clause]
    provisions: list[LoadedProvision]
    interpretations: dict[str, Interpretation]
    rules_hash: str
    folder: Path

    def provision(self, provision_id: str) -> LoadedProvision:
        for p in self.provisions:
            if p.id == provision_id:
                return p
        raise KeyError(provision_id)

    def in_force_year(self, year: int) -> bool:
        return self.info.in_force_from.year <= year <= self.info.in_force_until.year

    def text(self) -> str:
        return (self.folder / self.info.text_file).read_text(encoding="utf-8")
