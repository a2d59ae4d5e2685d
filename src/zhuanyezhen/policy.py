"""Rule files: pydantic models and the strict loader.

``rules/<policy-id>/policy.yaml`` describes the policy (number, dates, budget); every other YAML
file in that folder is one clause with its provisions. Unknown keys are refused, every condition
is parsed by ``expr`` against the profile's facts, and every error names the file and line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import expr
from .errors import InputError, InputProblem
from .messages import describe_kind
from .profile import DERIVED_FACTS, ITEM_MODELS, OnJobTraining, Profile
from .rule_types import type_problems
from .trusted import trusted_model
from .yamlio import LineMap, dotted, problems_from_pydantic, read_document

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
    question: str
    default: str
    options: dict[str, str]
    basis: str | None = None

    @model_validator(mode="after")
    def _default_is_option(self) -> Interpretation:
        if self.default not in self.options:
            raise ValueError(f"默认值 {self.default} 不在可选项 {list(self.options)} 中")
        return self


class Condition(RuleModel):
    label: str
    test: str


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
    unit: str | None = None  # the unit of ``count`` for display, e.g. 人

    @model_validator(mode="after")
    def _one_formula(self) -> Amount:
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
    one_time: Literal["enterprise", "subject", "tier"] | None = None
    subject: str | Choice | None = None
    departments: list[str] | None = None
    interpretations: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Provision:
        if self.kind == "award" and (self.amount is None or self.subject is None):
            raise ValueError("奖补项目(kind: award)须有 amount 和 subject")
        if self.kind == "land_benefit" and self.land_price is None:
            raise ValueError("土地价格优惠(kind: land_benefit)须有 land_price")
        if self.kind == "support" and self.amount is not None:
            raise ValueError("无固定金额的支持(kind: support)不能有 amount")
        if self.beneficiary == "provider" and self.provider is None:
            raise ValueError("beneficiary: provider 须写明 provider 字段")
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


def default_rules_dir() -> Path:
    """The rules shipped with the package (``src/zhuanyezhen/rules`` links to ``rules/``)."""
    return Path(__file__).resolve().parent / "rules"


def _known_fact(for_each: str | None) -> Any:
    top = set(Profile.model_fields) | set(DERIVED_FACTS)
    nested: dict[str, type[BaseModel]] = {"onjob_training": OnJobTraining}

    def known(path: str) -> bool:
        head, _, rest = path.partition(".")
        if head == "item":
            if for_each is None:
                return False
            model = ITEM_SOURCES[for_each]
            return rest in model.model_fields or rest in getattr(model, "DERIVED", {})
        if not rest:
            return head in top
        parent = nested.get(head)
        return parent is not None and rest in parent.model_fields

    return known


def _check_path(path: str, for_each: str | None) -> bool:
    return bool(_known_fact(for_each)(path))


def _load_yaml(path: Path) -> tuple[Any, LineMap]:
    data, lines = read_document(path)
    if not isinstance(data, dict):
        what = "空的" if data is None else describe_kind(data)
        raise InputError.one(f"规则文件应为键值表(每行“字段: 值”),而这里是{what}", file=str(path),
                             hint="参照同目录下其他条款文件的写法")
    return data, lines


def load_clause(path: Path) -> tuple[Clause, list[LoadedProvision], LineMap]:
    data, lines = _load_yaml(path)
    try:
        clause = Clause.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_pydantic(exc, str(path), lines, Clause)) from None
    problems: list[InputProblem] = []
    loaded: list[LoadedProvision] = []
    for index, rule in enumerate(clause.provisions):
        base: tuple[str | int, ...] = ("provisions", index)

        def fail(message: str, *where: str | int, _base: tuple[str | int, ...] = base) -> None:
            full = (*_base, *where)
            problems.append(InputProblem(message, file=str(path), line=lines.line_of(full),
                                         field=dotted(full)))

        known = _known_fact(rule.for_each)
        conditions: list[tuple[Condition, expr.Expression]] = []
        for ci, cond in enumerate(rule.conditions):
            try:
                conditions.append((cond, expr.parse(cond.test, known)))
            except expr.ExpressionError as exc:
                fail(str(exc), "conditions", ci, "test")
                continue
            for message in type_problems(conditions[-1][1], rule.for_each):
                fail(message, "conditions", ci, "test")
        where = None
        if rule.where is not None:
            try:
                where = expr.parse(rule.where, known)
            except expr.ExpressionError as exc:
                fail(str(exc), "where")
            else:
                for message in type_problems(where, rule.for_each):
                    fail(message, "where")
        for label, ref in _fact_refs(rule):
            if not known(ref):
                fail(f"引用了不存在的档案字段 {ref}", *label)
        for label, template in _templates(rule):
            for name in PLACEHOLDER.findall(template):
                first = name.split(".")[0]
                if first != "claim_year" and not known(f"item.{first}") and not known(first):
                    fail(f"事项模板引用了不存在的字段 {name}", *label)
        loaded.append(trusted_model(LoadedProvision, {  # every part validated above
            "rule": rule, "clause": clause.clause, "clause_title": clause.title,
            "departments": list(rule.departments or clause.departments), "conditions": conditions,
            "where": where, "file": path.name,
        }))
    if problems:
        raise InputError(problems)
    return clause, loaded, lines


def _fact_refs(rule: Provision) -> list[tuple[tuple[str | int, ...], str]]:
    refs: list[tuple[tuple[str | int, ...], str]] = []
    a = rule.amount
    if a is not None:
        if a.of:
            refs.append((("amount", "of"), a.of))
        if a.count:
            refs.append((("amount", "count"), a.count))
        for i, ref in enumerate(a.table_by or []):
            refs.append((("amount", "table_by", i), ref))
        if a.schedule:
            persons = a.schedule.persons
            for option, ref in (persons.values.items() if isinstance(persons, Choice)
                                else [("", persons)]):
                refs.append((("amount", "schedule", "persons", option), ref))
            refs.append((("amount", "schedule", "days"), a.schedule.days))
        if a.tiers:
            refs += [(("amount", "tiers", "measure"), a.tiers.measure),
                     (("amount", "tiers", "before"), a.tiers.before)]
    if rule.land_price:
        lp = rule.land_price
        refs += [(("land_price", k), getattr(lp, k)) for k in ("grade", "area", "cost")]
    for key in ("event_date", "event_year", "provider"):
        value = getattr(rule, key)
        if value is not None:
            refs.append(((key,), value))
    return refs


def _templates(rule: Provision) -> list[tuple[tuple[str, ...], str]]:
    if isinstance(rule.subject, str):
        return [(("subject",), rule.subject)]
    if isinstance(rule.subject, Choice):
        return [(("subject", "values", k), v) for k, v in rule.subject.values.items()]
    return []


def load_policy(folder: Path) -> Policy:
    """Load one policy folder: ``policy.yaml`` and one file per clause."""
    if not folder.is_dir():
        raise InputError.one("规则目录不存在", file=str(folder))
    info_path = folder / "policy.yaml"
    data, lines = _load_yaml(info_path)
    try:
        info = PolicyInfo.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_pydantic(exc, str(info_path), lines, PolicyInfo)) from None
    digest = hashlib.sha256()
    clauses: dict[int, Clause] = {}
    provisions: list[LoadedProvision] = []
    interpretations: dict[str, Interpretation] = {}
    problems: list[InputProblem] = []
    seen_ids: dict[str, str] = {}
    located: dict[str, tuple[LineMap, int]] = {}  # provision id → its file's lines, its index there
    files = sorted(p for p in folder.glob("*.yaml") if p.name != "policy.yaml")
    for stray in sorted(folder.glob("*.yml")):
        problems.append(InputProblem("规则文件扩展名应为 .yaml;以 .yml 结尾的文件不会被读取", file=str(stray),
                                     hint=f"改名为 {stray.stem}.yaml"))
    if not (folder / info.text_file).is_file():
        problems.append(InputProblem(f"政策原文文件 {info.text_file} 不存在", file=str(info_path),
                                     line=lines.line_of(("text_file",)), field="text_file"))
    for path in [info_path, *files]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for path in files:
        try:
            clause, loaded, clause_lines = load_clause(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if clause.clause > info.clauses:
            problems.append(InputProblem(
                f"条款编号 {clause.clause} 超出政策的条款数 {info.clauses}", file=str(path),
                line=clause_lines.line_of(("clause",)), field="clause"))
        if clause.clause in clauses:
            problems.append(InputProblem(f"条款 {clause.clause} 已在另一个文件中定义", file=str(path),
                                         line=clause_lines.line_of(("clause",)), field="clause"))
        clauses[clause.clause] = clause
        for index, interp in enumerate(clause.interpretations):
            if interp.name in interpretations:
                problems.append(InputProblem(
                    f"解释 {interp.name} 重复定义", file=str(path),
                    line=clause_lines.line_of(("interpretations", index, "name")),
                    field=f"interpretations[{index}].name", hint="每个解释的 name 在整个政策中只能用一次"))
            interpretations[interp.name] = interp
        for index, p in enumerate(loaded):
            if p.id in seen_ids:
                problems.append(InputProblem(
                    f"项目编号 {p.id} 重复:已在 {seen_ids[p.id]} 中使用", file=str(path),
                    line=clause_lines.line_of(("provisions", index, "id")), field=f"provisions[{index}].id"))
            seen_ids[p.id] = path.name
            located.setdefault(p.id, (clause_lines, index))
            provisions.append(p)
    for p in provisions:
        file_lines, index = located[p.id]
        used: list[tuple[str, tuple[str | int, ...]]] = [
            (name, ("interpretations", i)) for i, name in enumerate(p.rule.interpretations)]
        if isinstance(p.rule.subject, Choice):
            used.append((p.rule.subject.interpretation, ("subject", "interpretation")))
        if p.rule.amount and p.rule.amount.tiers:
            used.append((p.rule.amount.tiers.interpretation, ("amount", "tiers", "interpretation")))
        if p.rule.amount and p.rule.amount.schedule and isinstance(p.rule.amount.schedule.persons, Choice):
            used.append((p.rule.amount.schedule.persons.interpretation,
                         ("amount", "schedule", "persons", "interpretation")))
        for name, where in used:
            if name not in interpretations:
                full = ("provisions", index, *where)
                problems.append(InputProblem(
                    f"引用了未定义的解释 {name}", file=str(folder / p.file), line=file_lines.line_of(full),
                    field=dotted(full), hint="可用:" + "、".join(interpretations)))
    missing = [n for n in range(1, info.clauses + 1) if n not in clauses]
    if missing and not problems:
        problems.append(InputProblem(f"缺少条款 {missing} 的规则文件", file=str(folder)))
    if problems:
        raise InputError(problems)
    return trusted_model(Policy, {  # every part validated above
        "info": info, "clauses": dict(sorted(clauses.items())), "provisions": provisions,
        "interpretations": interpretations, "rules_hash": digest.hexdigest(), "folder": folder})


def load_policies(rules_dir: Path | None = None) -> dict[str, Policy]:
    """Every policy under the rules folder, by id."""
    root = rules_dir or default_rules_dir()
    folders = sorted(p.parent for p in root.glob("*/policy.yaml"))
    if (root / "policy.yaml").exists():
        folders.insert(0, root)
    if not folders:
        raise InputError.one("规则目录中没有找到任何政策(policy.yaml)", file=str(root))
    policies: dict[str, Policy] = {}
    for folder in folders:
        policy = load_policy(folder)
        policies[policy.info.id] = policy
    return policies


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
