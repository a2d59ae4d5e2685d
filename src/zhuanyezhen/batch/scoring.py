"""One main row (with its list rows) → profile → ``engine.calculate`` → one output record.

This is the part that runs in worker processes with ``--jobs N``. Each worker loads the rules once
(``init_worker``); rows arrive in chunks and come back in the same order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from zhuanyezhen.batch.cells import CellError, column_letter, error_value
from zhuanyezhen.batch.city_once import Claim
from zhuanyezhen.batch.columns import CODE, LIST_BY_NAME, LIST_KINDS, MAIN_COLUMNS, ONJOB_PREFIX, Layout, convert_cell
from zhuanyezhen.batch.join import ListRow
from zhuanyezhen.engine.calculation import calculate_awards, resolve_assumptions
from zhuanyezhen.errors import InputError
from zhuanyezhen.policy.choice import choose_policy
from zhuanyezhen.policy.loader import load_policies
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile import glossary
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


def missing_code(layout: Layout, row: int) -> Problem:
    """A main row without a credit code: it cannot be joined to its list rows or checked for repeats."""
    return Problem(layout.source, row, layout.header_of(CODE) or "统一社会信用代码",
                   "缺少统一社会信用代码;批量计分按此代码关联清单并核对重复")


def repeated_claim(layout: Layout, row: int, code: str, year: str, earlier: int) -> Problem:
    """A main row repeating an earlier row's code and claim year: the list rows are the earlier row's."""
    return Problem(layout.source, row, layout.header_of(CODE),
                   f"统一社会信用代码 {code} 申报年度 {year} 与第{earlier}行重复;清单行已归第{earlier}行,本行不计分")


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
    claims: tuple[Claim, ...] = ()  # awards paid once in the whole city (batch/city_once)
    note: str = ""  # 说明: e.g. an award another row was paid for (同一示范区已由……申报)
    once: tuple[tuple[str, str | None, str | None], ...] = ()  # paid one-time/tier awards
    carried: str = ""  # earlier years' awards counted as received, said in the output


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
    earlier: tuple[Task, ...] = ()  # the same enterprise's earlier claim years, oldest first
    received: tuple[dict[str, Any], ...] = ()  # awards received from the ledger (``--ledger``)


def clause_label(n: int) -> str:
    """``3`` → ``（三）``, as every other output writes clauses (the glossary's own words)."""
    return glossary.clause_label(n)


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
                 main: Layout, lists: Sequence[Layout], check_only: bool = False) -> None:
        self.check_only = check_only  # ``zyz validate``: every row read and checked, none computed
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
        self.one_time = {p.id for policy in self.policies.values() for p in policy.provisions
                         if p.rule.kind == "award" and p.rule.one_time}
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
            try:
                value = convert_cell(column, cells[index], self.main.unit_at(index), self.main.headers[index])
            except CellError as exc:
                problems.append(Problem(self.main.source, task.row, self.main.headers[index],
                                        f"单元格 {column_letter(index)}{task.row}:{exc}"))
                continue
            if value is None:
                continue
            if column.field.startswith(ONJOB_PREFIX):
                onjob[column.field[len(ONJOB_PREFIX):]] = value
            else:
                data[column.field] = value
        problems.extend(_error_cells(self.main, task.row, cells))
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
            for at, (item_column, value) in enumerate(zip(layout.columns, values, strict=False)):
                if item_column is None or item_column.field == CODE:
                    continue
                try:
                    converted = convert_cell(item_column, value, layout.unit_at(at), layout.headers[at])
                except CellError as exc:
                    problems.append(Problem(layout.source, row, layout.headers[at],
                                            f"单元格 {column_letter(at)}{row}:{exc}"))
                    continue
                if converted is not None:
                    item[item_column.field] = converted
            problems.extend(_error_cells(layout, row, values))
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
        """One claim. An enterprise's earlier claim years are scored first, in year order; each
        one's payable one-time or tier awards count as received for the later years."""
        carried: list[dict[str, Any]] = []
        notes: list[str] = []
        for earlier in task.earlier:
            outcome = self._score_one(earlier, carried)
            if isinstance(outcome, Rejected):
                code = _text(task.cells, self.main, CODE)
                return Rejected(task.row, code, _text(task.cells, self.main, "name"), (Problem(
                    self.main.source, task.row, self.main.header_of("claim_year"),
                    f"同一企业第{earlier.row}行(更早年度)的申报未能计分,无法确定本政策已付的一次性奖励,"
                    "本行不计分;请先改正该行"),))
            for provision, tier, subject in outcome.once:
                carried.append({"provision": provision, "year": outcome.claim_year, "tier": tier,
                                "subject": subject})
                notes.append(f"{outcome.claim_year}年 {provision}" + (f"({tier})" if tier else "")
                             + (f"[{subject}]" if subject else ""))
        result = self._score_one(task, carried)
        if notes and isinstance(result, Scored):
            result = result._replace(carried="视为已获(同表以前年度应付):" + "、".join(notes))
        return result

    def _score_one(self, task: Task, carried: list[dict[str, Any]]) -> Scored | Rejected:
        code = _text(task.cells, self.main, CODE)
        name = _text(task.cells, self.main, "name")
        try:
            data, positions, problems = self._data(task)
            if carried:
                data["awards_received"] = [*data.get("awards_received", []), *carried]
            problems = [*task.problems, *problems]
            if task.received:
                data["awards_received"] = [*data.get("awards_received", []), *task.received]
            try:
                profile = Profile.model_validate(data)
            except ValidationError as exc:
                refused = {(p.source, p.row, p.column) for p in problems}
                for err in exc.errors():
                    loc = tuple(p for p in err["loc"]
                                if not (isinstance(p, str) and p.startswith("function-")))
                    message, hint = describe_pydantic_error(err)
                    source, row, column = self._locate(loc, task, positions)
                    if err["type"] == "missing" and (source, row, column) in refused:
                        continue  # the cell was there and refused above; "missing" would mislead
                    problems.append(Problem(source, row, column, message + (f"({hint})" if hint else "")))
                return Rejected(task.row, code, name, tuple(problems))
            if problems:
                return Rejected(task.row, code, name, tuple(problems))
            if self.check_only:
                return Scored(task.row, profile.credit_code or "", profile.name, profile.county or "",
                              profile.town or "", profile.claim_year, "", "", "", (), (), "", "", 0, 0)
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
        claims = tuple(Claim(o.provision, o.subject, o.amount, _applicant(profile, o.item_path))
                       for o in awards if o.city_once and o.status == "paid" and o.subject and o.amount)
        once = []
        for o in awards:
            if o.status == "paid" and o.provision in self.one_time:
                once.append((o.provision, o.tier, o.subject))
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
            money(t.payable_to_others), money(t.land_benefit), excluded, needs, claims, "", tuple(once))

    def score_chunk(self, tasks: list[Task]) -> list[Scored | Rejected]:
        return [self.score(task) for task in tasks]


def _applicant(profile: Profile, item_path: str | None) -> bool | None:
    """The 申报单位 mark of the honour a city-once award came from."""
    if item_path is None or not item_path.startswith("honours["):
        return None
    return profile.honours[int(item_path[len("honours["):-1])].applicant


def _error_cells(layout: Layout, row: int, cells: list[Any]) -> list[Problem]:
    """Excel error values in columns the scorer does not read (序号, 备注) still reject the row:
    a formula went wrong somewhere in it."""
    out = []
    for index, value in enumerate(cells):
        if not isinstance(value, str) or value[:1] != "#":
            continue
        column = layout.columns[index] if index < len(layout.columns) else None
        shown = error_value(value)
        if shown and column is None:
            header = layout.headers[index] if index < len(layout.headers) else ""
            out.append(Problem(layout.source, row, header,
                               f"单元格 {column_letter(index)}{row}:单元格是 Excel 错误值 {shown}(公式出错);"
                               "请改正公式或填入数值"))
    return out


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


_scorer: Scorer | None = None


def init_worker(rules: Path | None, policy_id: str | None, assumptions: dict[str, str],
                main: Layout, lists: Sequence[Layout]) -> None:
    global _scorer
    _scorer = Scorer(rules, policy_id, assumptions, main, lists)


def score_in_worker(tasks: list[Task]) -> list[Scored | Rejected]:
    assert _scorer is not None, "init_worker was not called"
    return _scorer.score_chunk(tasks)


__all__ = ["Problem", "Provision", "Rejected", "Scored", "Scorer", "Task", "award_provisions"]
