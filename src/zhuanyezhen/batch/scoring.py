"""One main row (with its list rows) → profile → ``engine.calculate`` → one output record.

The row path: the columnar path (``batch.columnar``) hands it every row it cannot take, and
XLSX or GB18030 input whole.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from zhuanyezhen.batch.columns import CODE, LIST_BY_NAME, LIST_KINDS, MAIN_COLUMNS, ONJOB_PREFIX, Layout, convert_cell
from zhuanyezhen.batch.join import ListRow
from zhuanyezhen.engine.calculation import calculate_awards, resolve_assumptions
from zhuanyezhen.errors import InputError
from zhuanyezhen.policy.choice import choose_policy
from zhuanyezhen.policy.loader import load_policies
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile.model import Profile
from zhuanyezhen.profile.wording import describe_pydantic_error

ZERO = Decimal(0)


@dataclass(frozen=True)
class Provision:
    """An award provision as a column of the output and a line of the summary."""

    id: str
    clause: int
    title: str
    kind: str  # exact / up_to
    department: str
    header: str


class Problem(NamedTuple):
    source: str
    row: int
    column: str
    reason: str


class Scored(NamedTuple):
    """One scored enterprise. Amounts are exact decimal text in 元 (two places); '' = nothing paid."""

    row: int
    code: str
    name: str
    county: str
    town: str
    claim_year: int
    exact: str
    up_to: str
    total: str
    amounts: tuple[str, ...]  # one per provision, paid to anyone
    to_others: tuple[str, ...]  # one per provision, the part paid to a training provider
    payable_to_others: str
    land_benefit: str
    excluded: int
    needs_info: int


class Rejected(NamedTuple):
    row: int
    code: str
    name: str
    problems: tuple[Problem, ...]


class Task(NamedTuple):
    row: int
    cells: list[Any]
    items: list[ListRow]
    problems: tuple[Problem, ...]  # found while joining (missing or repeated code)


CLAUSE_NUMERALS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                   "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十")


def clause_label(n: int) -> str:
    return f"({CLAUSE_NUMERALS[n]})" if 0 < n < len(CLAUSE_NUMERALS) else f"({n})"


def award_provisions(policies: Mapping[str, Policy]) -> list[Provision]:
    """Every award provision of the loaded policies, in rule order, once each by id."""
    out: dict[str, Provision] = {}
    for policy in policies.values():
        for p in policy.provisions:
            if p.rule.kind != "award" or p.id in out or p.rule.amount is None:
                continue
            out[p.id] = Provision(p.id, p.clause, p.rule.title, p.rule.amount.kind,
                                  p.departments[0] if p.departments else "",
                                  f"{clause_label(p.clause)}{p.rule.title}(元)")
    return list(out.values())


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


IDENTITY = ("name", "credit_code", "county")
CACHE_SIZE = 4096


def facts_read(policies: Mapping[str, Policy]) -> set[str]:
    """Top-level profile fields that any rule reads (conditions, amounts, dates, subjects)."""
    from zhuanyezhen.policy.loader import _fact_refs, _templates
    from zhuanyezhen.policy.models import ITEM_SOURCES, PLACEHOLDER

    read: set[str] = set()
    for policy in policies.values():
        for p in policy.provisions:
            paths = [name for _, e in p.conditions for name in e.names]
            paths += list(p.where.names) if p.where is not None else []
            paths += [ref for _, ref in _fact_refs(p.rule)]
            item_model = ITEM_SOURCES.get(p.rule.for_each or "")
            for _, template in _templates(p.rule):
                for name in PLACEHOLDER.findall(template):
                    first = name.split(".")[0]
                    if item_model is None or first not in item_model.model_fields:
                        paths.append(first)
            read.update(path.split(".")[0] for path in paths)
    return read


class Scorer:
    """Everything a worker needs, built once per process.

    Scores are memoised (a small LRU) by the row's facts without the enterprise's identity (name,
    code, county), which no rule reads (checked against the loaded rules): many rows of a county
    sheet carry the same few facts, and ``calculate`` is pure, so equal facts give equal awards.
    """

    def __init__(self, rules: Path | None, policy_id: str | None, assumptions: dict[str, str],
                 main: Layout, lists: Sequence[Layout]) -> None:
        self.policies = load_policies(rules)
        if policy_id is not None:
            choose_policy(self.policies, 0, policy_id)  # refuses an unknown id
        for policy in self.policies.values():
            resolve_assumptions(policy, assumptions)  # refuses unknown names before any row
        self.policy_id = policy_id
        self.assumptions = assumptions
        self.main = main
        self.lists = list(lists)
        self.provisions = award_provisions(self.policies)
        self.position = {p.id: i for i, p in enumerate(self.provisions)}
        self.main_columns = [(i, c) for i, c in enumerate(main.columns) if c is not None]
        self.ignored = frozenset(IDENTITY) - facts_read(self.policies)
        self.cache: OrderedDict[Any, tuple[Any, ...]] = OrderedDict()
        self.hits = 0

    # -- input ---------------------------------------------------------------------------------
    def _data(self, task: Task) -> tuple[dict[str, Any], dict[tuple[str, int], tuple[Layout, int, str]],
                                         list[Problem]]:
        data: dict[str, Any] = {}
        onjob: dict[str, Any] = {}
        problems: list[Problem] = []
        cells = task.cells
        for index, column in self.main_columns:
            if index >= len(cells):
                break
            value = convert_cell(column, cells[index])
            if value is None:
                continue
            if column.field.startswith(ONJOB_PREFIX):
                onjob[column.field[len(ONJOB_PREFIX):]] = value
            else:
                data[column.field] = value
        if len(cells) > len(self.main.columns):
            extra = [c for c in cells[len(self.main.columns):] if c not in (None, "")]
            if extra:
                problems.append(Problem(self.main.source, task.row, f"第{len(self.main.columns) + 1}列起",
                                        f"本行比表头多出 {len(cells) - len(self.main.columns)} 个单元格"
                                        f"(如“{extra[0]}”),没有列名的内容无法读取"))
        if onjob:
            data["onjob_training"] = onjob
        positions: dict[tuple[str, int], tuple[Layout, int, str]] = {}  # (list, index) → origin
        for kind_index, layout_index, row, values in task.items:
            kind = LIST_KINDS[kind_index]
            layout = self.lists[layout_index]
            item: dict[str, Any] = {}
            for item_column, value in zip(layout.columns, values, strict=False):
                if item_column is None or item_column.field == CODE:
                    continue
                converted = convert_cell(item_column, value)
                if converted is not None:
                    item[item_column.field] = converted
            if len(values) > len(layout.columns) and any(v not in (None, "") for v in values[len(layout.columns):]):
                problems.append(Problem(layout.source, row, f"第{len(layout.columns) + 1}列起",
                                        "本行比表头多出单元格,没有列名的内容无法读取"))
            bucket = data.setdefault(kind.name, [])
            positions[(kind.name, len(bucket))] = (layout, row, kind.name)
            bucket.append(item)
        return data, positions, problems

    def _locate(self, loc: tuple[Any, ...], task: Task,
                positions: dict[tuple[str, int], tuple[Layout, int, str]]) -> tuple[str, int, str]:
        """The file, row and column (as written) that a pydantic error location points to."""
        if len(loc) >= 2 and isinstance(loc[1], int) and (str(loc[0]), loc[1]) in positions:
            layout, row, kind = positions[(str(loc[0]), loc[1])]
            field = str(loc[2]) if len(loc) > 2 else ""
            return layout.source, row, layout.header_of(field) or _list_title(kind, field)
        if loc and loc[0] == "onjob_training":
            field = ONJOB_PREFIX + (str(loc[1]) if len(loc) > 1 else "")
        else:
            field = str(loc[0]) if loc else ""
        return self.main.source, task.row, self.main.header_of(field) or _main_title(field)

    # -- one row -------------------------------------------------------------------------------
    def score(self, task: Task) -> Scored | Rejected:
        code = _text(task.cells, self.main, CODE)
        name = _text(task.cells, self.main, "name")
        try:
            data, positions, problems = self._data(task)
            problems = [*task.problems, *problems]
            try:
                profile = Profile.model_validate(data)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = tuple(p for p in err["loc"]
                                if not (isinstance(p, str) and p.startswith("function-")))
                    message, hint = describe_pydantic_error(err)
                    source, row, column = self._locate(loc, task, positions)
                    problems.append(Problem(source, row, column, message + (f"({hint})" if hint else "")))
                return Rejected(task.row, code, name, tuple(problems))
            if problems:
                return Rejected(task.row, code, name, tuple(problems))
            key = self._key(data)
            scores = self.cache.get(key)
            if scores is None:
                scores = self._scores(profile)
                self.cache[key] = scores
                if len(self.cache) > CACHE_SIZE:
                    self.cache.popitem(last=False)
            else:
                self.hits += 1
                self.cache.move_to_end(key)
            return Scored(task.row, profile.credit_code or "", profile.name, profile.county or "",
                          profile.town or "", profile.claim_year, *scores)
        except InputError as exc:
            return Rejected(task.row, code, name, tuple(
                Problem(self.main.source, task.row, p.field or "", p.message) for p in exc.problems))
        except Exception as exc:  # one bad row never stops the others; the reason is kept
            return Rejected(task.row, code, name, (Problem(
                self.main.source, task.row, "", f"内部错误,本行未能计分:{type(exc).__name__}: {exc}"),))

    def _key(self, data: dict[str, Any]) -> Any:
        parts = []
        for field, value in data.items():
            if field in self.ignored:
                continue
            if isinstance(value, dict):
                value = tuple(value.items())
            elif isinstance(value, list):
                value = tuple(tuple(item.items()) for item in value)
            parts.append((field, value))
        return tuple(parts)

    def _scores(self, profile: Profile) -> tuple[Any, ...]:
        """Everything of ``Scored`` after the identity columns: ``engine.calculate``'s figures."""
        policy = choose_policy(self.policies, profile.claim_year, self.policy_id)
        awards, t = calculate_awards(profile, policy, self.assumptions)
        amounts: list[Decimal | None] = [None] * len(self.provisions)
        others: list[Decimal | None] = [None] * len(self.provisions)
        excluded = needs = 0
        for o in awards:
            if o.status == "paid" and o.amount is not None and o.provision in self.position:
                at = self.position[o.provision]
                amounts[at] = (amounts[at] or ZERO) + o.amount
                if not o.counts_in_total:
                    others[at] = (others[at] or ZERO) + o.amount
            elif o.status == "excluded":
                excluded += 1
            elif o.status == "needs_info":
                needs += 1
        return (
            money(t.exact), money(t.up_to), money(t.total),
            tuple("" if a is None else money(a) for a in amounts),
            tuple("" if a is None else money(a) for a in others),
            money(t.payable_to_others), money(t.land_benefit), excluded, needs)

    def score_chunk(self, tasks: list[Task]) -> list[Scored | Rejected]:
        return [self.score(task) for task in tasks]


def _text(cells: list[Any], layout: Layout, field: str) -> str:
    for index, column in enumerate(layout.columns):
        if column is not None and column.field == field and index < len(cells):
            value = cells[index]
            return "" if value is None else str(value).strip()
    return ""


def _list_title(kind: str, field: str) -> str:
    for column in LIST_BY_NAME[kind].columns:
        if column.field == field:
            return column.title
    return field


def _main_title(field: str) -> str:
    for column in MAIN_COLUMNS:
        if column.field == field:
            return column.title
    return field


__all__ = ["Problem", "Provision", "Rejected", "Scored", "Scorer", "Task", "award_provisions"]
