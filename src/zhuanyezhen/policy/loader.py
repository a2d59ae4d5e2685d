"""The strict loader of rule files.

``rules/<policy-id>/policy.yaml`` describes the policy (number, dates, budget); every other YAML
file in that folder is one clause with its provisions. Every condition is parsed by
``conditions`` against the profile's facts, and every error names the file and line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from zhuanyezhen.errors import InputError, InputProblem
from zhuanyezhen.files.documents import LineMap, dotted, read_document
from zhuanyezhen.policy import cache
from zhuanyezhen.policy import conditions as expr
from zhuanyezhen.policy.models import (
    ITEM_SOURCES,
    PLACEHOLDER,
    Choice,
    Clause,
    Condition,
    Interpretation,
    LoadedProvision,
    Policy,
    PolicyInfo,
    Provision,
)
from zhuanyezhen.policy.type_checks import type_problems
from zhuanyezhen.profile.model import DERIVED_FACTS, OnJobTraining, Profile
from zhuanyezhen.profile.wording import describe_kind, problems_from_pydantic
from zhuanyezhen.trusted import trusted_model


def default_rules_dir() -> Path:
    """The rules shipped with the package: the repository's ``rules/`` folder, installed as
    ``zhuanyezhen.rules`` (a mapped package, so it works from a checkout, editable or not)."""
    import zhuanyezhen.rules  # type: ignore[import-not-found,unused-ignore]  # rules/ mapped in by pyproject

    return Path(zhuanyezhen.rules.__file__).resolve().parent


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
    """Load one policy folder: ``policy.yaml`` and one file per clause.

    A policy loaded before from exactly these files by exactly this code comes from the per-user
    cache (``cache``); anything else is read and checked in full.
    """
    if not folder.is_dir():
        raise InputError.one("规则目录不存在", file=str(folder))
    key = cache.cache_key(folder)
    cached = cache.load_cached(folder, key) if key is not None else None
    if cached is not None:
        return cached
    policy = _load_policy(folder)
    if key is not None:
        cache.store(policy, key)
    return policy


def _load_policy(folder: Path) -> Policy:
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
    for interp in info.interpretations:
        interpretations[interp.name] = interp
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
        if isinstance(p.rule.one_time, Choice):
            used.append((p.rule.one_time.interpretation, ("one_time", "interpretation")))
        if p.rule.amount and p.rule.amount.cap_period:
            used.append((p.rule.amount.cap_period, ("amount", "cap_period")))
        for ci, cond in enumerate(p.rule.conditions):
            used.extend((name, ("conditions", ci, "only_if", name)) for name in cond.only_if or {})
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
