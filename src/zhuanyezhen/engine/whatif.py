"""What-if: the same profile with some fields changed, scored again by the same engine.

Field paths follow the profile schema, with list items by index: ``revenue``,
``projects[0].fixed_asset_investment``, ``onjob_training.trainees``. A changed profile goes through
the same ``Profile`` validation as a file, so ``revenue=1.2亿`` and ``employment_rate=85%`` work and
a bad value is refused in Chinese. Nothing here computes an amount: it only calls ``calculate``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from zhuanyezhen.engine.calculation import calculate
from zhuanyezhen.engine.result import Outcome, Result, Totals
from zhuanyezhen.errors import InputError, InputProblem
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile.loader import profile_from_data
from zhuanyezhen.profile.model import ITEM_MODELS, OnJobTraining, Profile
from zhuanyezhen.profile.wording import named

_SEGMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$")
NESTED_MODELS: dict[str, type[BaseModel]] = {**ITEM_MODELS, "onjob_training": OnJobTraining}

Change = tuple[str, Any]


def _bad(message: str, path: str, hint: str | None = None) -> InputError:
    return InputError([InputProblem(message, field=f"--set {path}", hint=hint)])


def _parse_path(path: str) -> list[tuple[str, int | None]]:
    parts: list[tuple[str, int | None]] = []
    for piece in path.strip().split("."):
        match = _SEGMENT.match(piece)
        if not match:
            raise _bad(f"字段路径“{path}”写法有误", path,
                       "例:revenue、projects[0].fixed_asset_investment、onjob_training.trainees")
        parts.append((match.group(1), int(match.group(2)) if match.group(2) is not None else None))
    return parts


def field_names(model: Any, keys: list[str]) -> list[str]:
    """``revenue(申报年度营业收入)``: each key with its Chinese name, as every error names a field."""
    return [named(k, {k: v.title for k, v in model.model_fields.items() if v.title}) for k in keys]


def set_field(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in a profile's plain data (as from ``model_dump``); refuse a path the schema lacks."""
    parts = _parse_path(path)
    fields = list(Profile.model_fields)
    (head, index), rest = parts[0], parts[1:]
    if head not in Profile.model_fields:
        raise _bad(f"档案中没有字段 {head}", path, "可用字段:" + "、".join(field_names(Profile, fields)))
    if head in ITEM_MODELS:
        if index is None and rest:
            raise _bad(f"{head} 是列表,须写明第几项,如 {head}[0].{rest[0][0]}", path)
        if index is not None:
            items = data.get(head) or []
            if index >= len(items):
                raise _bad(f"{head} 只有 {len(items)} 项(编号从0开始),没有第 {index} 项", path)
    elif index is not None:
        raise _bad(f"{head} 不是列表,不能写 [{index}]", path)
    if not rest:
        if index is None:
            data[head] = value
        else:
            data[head][index] = value
        return
    if head not in NESTED_MODELS:
        raise _bad(f"{head} 没有下级字段", path)
    if len(rest) > 1 or rest[0][1] is not None:
        raise _bad(f"字段路径“{path}”层级过深", path)
    model = NESTED_MODELS[head]
    name = rest[0][0]
    if name not in model.model_fields:
        raise _bad(f"{head} 中没有字段 {name}", path,
                   "可用字段:" + "、".join(field_names(model, list(model.model_fields))))
    target = data[head][index] if index is not None else data.get(head)
    if target is None:
        raise _bad(f"档案中没有 {head},不能只设置其中的 {name}", path)
    target[name] = value


def apply_changes(profile: Profile, changes: Sequence[Change], source: str = "--set") -> Profile:
    """A new profile with ``changes`` applied, validated like a profile file."""
    data = profile.model_dump()
    for path, value in changes:
        set_field(data, path, value)
    return profile_from_data(data, source)


def parse_assignment(text: str) -> Change:
    """``FIELD=VALUE`` from the command line; the value is read as a YAML scalar (8 → 8, 0.85 → exact
    decimal, null → unknown, 1.2亿 stays text for the money parser)."""
    from zhuanyezhen.files.documents import load_yaml_text

    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise _bad(f"“{text}”格式应为 字段=取值,如 revenue=1.2亿", text)
    raw = raw.strip()
    value: Any = raw
    if raw:
        try:
            value, _ = load_yaml_text(raw, "--set")
        except InputError:
            value = raw
        if isinstance(value, list | dict):
            raise _bad(f"“{raw}”应为单个取值", path.strip())
    return path.strip(), value


# -- comparing two results ------------------------------------------------------------------------


class AwardChange(BaseModel):
    """One award whose status or amount differs between the two runs."""

    provision: str
    clause: int
    title: str
    item: str | None = None
    tier: str | None = None
    status_before: str | None = None
    status_after: str | None = None
    amount_before: Decimal | None = None
    amount_after: Decimal | None = None
    reason_after: str | None = None


class WhatIf(BaseModel):
    """Totals before and after, and every award that changes."""

    changes: dict[str, str]
    before: Totals
    after: Totals
    awards: list[AwardChange] = Field(default_factory=list)
    before_result: Result
    after_result: Result


def outcome_key(o: Outcome) -> tuple[str, str, str]:
    return (o.provision, o.item_path or o.item or "", o.tier or "")


def compare(before: Result, after: Result) -> list[AwardChange]:
    old = {outcome_key(o): o for o in before.outcomes}
    new = {outcome_key(o): o for o in after.outcomes}
    out: list[AwardChange] = []
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and (a.status, a.amount) == (b.status, b.amount):
            continue
        ref = b or a
        assert ref is not None
        out.append(AwardChange(
            provision=ref.provision, clause=ref.clause, title=ref.title, item=ref.item, tier=ref.tier,
            status_before=a.status if a else None, status_after=b.status if b else None,
            amount_before=a.amount if a else None, amount_after=b.amount if b else None,
            reason_after=b.reason if b else None))
    return out


def what_if(profile: Profile, policy: Policy, changes: Sequence[Change],
            assumptions: Mapping[str, str] | None = None) -> WhatIf:
    changed = apply_changes(profile, changes)
    before = calculate(profile, policy, assumptions)
    after = calculate(changed, policy, assumptions)
    return WhatIf(changes={p: "" if v is None else str(v) for p, v in changes}, before=before.totals,
                  after=after.totals, awards=compare(before, after),
                  before_result=before, after_result=after)
