"""Each loaded provision compiled once into column expressions that make its candidates.

A candidate frame has one row per (enterprise, provision, item[, tier]) whose status matters to
the output: paid (with the amount computed by the formula and item/enterprise cap, in fen),
需补充信息, or a land-price benefit. The checks run in the engine's order (``engine.evaluation``):
in force, conditions (unmet, then unknown), support, subject and validity window, formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from zhuanyezhen.batch.columnar.cells import Fact, fact_of
from zhuanyezhen.batch.columnar.expressions import (
    LIMIT,
    NotCompiled,
    Value,
    compile_expression,
    fact_value,
    number,
    truth,
)
from zhuanyezhen.engine.candidates import SELF_PROVIDER
from zhuanyezhen.policy.models import ITEM_SOURCES, PLACEHOLDER, Amount, Choice, LoadedProvision, Policy
from zhuanyezhen.profile.model import ITEM_MODELS, MAX_PERSONS, OnJobTraining, Profile

PAID, NEEDS, LAND, EXCLUDED = 0, 1, 2, 3
_NE, _SUPPORT, _GO = 9, 8, 7

TOP_FACTS: dict[str, Fact] = {
    **{name: fact_of(Profile, name) for name in Profile.model_fields
       if name not in (*ITEM_MODELS, "onjob_training", "awards_received", "other_policy_awards")},
    **{f"onjob_training.{name}": fact_of(OnJobTraining, name) for name in OnJobTraining.model_fields},
    "in_town": Fact("bool"), "small_or_micro": Fact("bool"),
}
ITEM_DERIVED: dict[str, Fact] = {"first_of_kind": Fact("bool"), "first_insured_year": Fact("bool"),
                                 "employed_trainees": Fact("int", 0, MAX_PERSONS)}

CANDIDATE_SCHEMA: dict[str, pl.DataType] = {
    "rid": pl.Int64(), "pidx": pl.Int32(), "item": pl.Int32(), "tier": pl.Int32(), "status": pl.Int8(),
    "computed": pl.Int64(), "subject": pl.String(), "tier_id": pl.String(), "self": pl.Boolean(),
    "benefit": pl.Int64(), "event_year": pl.Int32(),
}


def item_facts(for_each: str) -> dict[str, Fact]:
    model = ITEM_SOURCES[for_each]
    facts = {name: fact_of(model, name) for name in model.model_fields}
    facts.update({k: v for k, v in ITEM_DERIVED.items() if k in getattr(model, "DERIVED", {})})
    return facts


@dataclass
class Compiled:
    """One provision as column expressions over its base frame (enterprise facts, and item facts)."""

    p: LoadedProvision
    pidx: int
    status: pl.Expr  # _NE / NEEDS / _SUPPORT / LAND / _GO (a formula still to apply)
    computed: pl.Expr | None  # fen, when _GO and not tiers
    formula_status: pl.Expr | None  # NEEDS / _NE / PAID once _GO
    subject: pl.Expr
    self_benefit: pl.Expr
    where: pl.Expr | None
    tiers: list[tuple[pl.Expr, int, str]]  # (newly reached, fen, tier id) for tier provisions
    benefit: pl.Expr | None  # land: the benefit scaled by 10**benefit_decimals
    benefit_decimals: int = 0
    event_year: pl.Expr | None = None  # the year of the event (history: could an entry have paid it)


class Resolver:
    def __init__(self, for_each: str | None) -> None:
        self.items = item_facts(for_each) if for_each else {}

    def fact(self, path: str) -> tuple[pl.Expr, Fact]:
        if path.startswith("item."):
            name = path[5:]
            if name not in self.items:
                raise NotCompiled(f"item fact {name}")
            return pl.col(f"i:{name}"), self.items[name]
        if path not in TOP_FACTS:
            raise NotCompiled(f"fact {path}")
        return pl.col(f"f:{path}"), TOP_FACTS[path]

    def __call__(self, path: str) -> Value:
        expr, fact = self.fact(path)
        return fact_value(expr, fact)


def round_fen(value: Value) -> pl.Expr:
    """Half-up to the fen (every amount here is ≥ 0)."""
    if value.decimals <= 2:
        return value.scaled(2)
    step = 10 ** (value.decimals - 2)
    rounded: pl.Expr = (value.expr + step // 2) // step
    return rounded


# The rule-file keys this compiler knows. A provision that sets any other key (one added to the
# rule models after this was written) is not compiled: its rows take the row path.
KNOWN_KEYS = {
    "Provision": {"id", "title", "quote", "kind", "beneficiary", "provider", "for_each", "where", "conditions",
                  "event_date", "event_year", "amount", "land_price", "one_time", "subject", "departments",
                  "interpretations", "note", "sum_by_subject"},
    "Amount": {"kind", "fixed", "rate", "of", "per_unit", "count", "table", "table_by", "table_labels", "schedule",
               "tiers", "cap_per_item", "cap_per_enterprise", "unit",
               # which awards received use cap room: score.steps (used_before)
               "cap_period"},
    "Schedule": {"persons", "days", "bands", "cap_per_person"},
    "Tiers": {"measure", "before", "better", "levels", "interpretation"},
    "LandPrice": {"ratio", "grade", "area", "cost", "price_by_grade"},
}
# "city": paid once in the whole city; settled across rows after the chunk (columnar/city_once)
ONE_TIME = (None, "enterprise", "subject", "tier", "city")


def _known(model: Any) -> None:
    if model is None:
        return
    known = KNOWN_KEYS.get(type(model).__name__, set())
    for name, info in type(model).model_fields.items():
        if name not in known and getattr(model, name) != info.get_default(call_default_factory=True):
            raise NotCompiled(f"rule key {name} unknown to the compiler")


def compile_provision(p: LoadedProvision, pidx: int, policy: Policy, assumptions: dict[str, str]) -> Compiled:
    rule = p.rule
    for part in (rule, rule.amount, rule.land_price, rule.amount and rule.amount.schedule,
                 rule.amount and rule.amount.tiers):
        _known(part)
    if one_time(rule.one_time, assumptions) not in ONE_TIME:
        raise NotCompiled(f"one_time {rule.one_time}")
    resolve = Resolver(rule.for_each)
    # an item whose ``where`` is unknown is selected, and 需补充信息 like an unknown condition
    selects = truth(compile_expression(p.where, resolve)) if p.where is not None else None
    where = selects.fill_null(True) if selects is not None else None
    conds = [truth(compile_expression(e, resolve)) for cond, e in p.conditions if cond.applies(assumptions)]
    unmet = pl.any_horizontal([(~c).fill_null(False) for c in conds]) if conds else pl.lit(False)
    missing = pl.any_horizontal([c.is_null() for c in conds]) if conds else pl.lit(False)
    if selects is not None:
        missing = missing | selects.is_null()
    if rule.sum_by_subject and (p.where is not None or rule.amount is None or rule.amount.of is None
                                or rule.event_date != "item.date"):
        raise NotCompiled("sum_by_subject other than by item.date over every item")
    # the first day in force follows effective_date; whether a claim year is in force does not
    # (``Policy.in_force_year`` reads in_force_from's year, as the engine does)
    start, end = policy.info.starts(assumptions), policy.info.in_force_until
    first_year = policy.info.in_force_from.year
    in_force = pl.col("f:claim_year").is_between(first_year, end.year)
    chain = pl.when(~in_force | unmet).then(pl.lit(_NE, pl.Int8)).when(missing).then(pl.lit(NEEDS, pl.Int8))
    subject, unnamed = _subject(p, resolve, assumptions)
    if rule.kind == "support":
        return Compiled(p, pidx, chain.otherwise(pl.lit(_SUPPORT, pl.Int8)), None, None, subject, pl.lit(True),
                        where, [], None)
    if unnamed is not None:  # a subject named by an unknown fact (a 示范区 without its name): 需补充信息
        chain = chain.when(unnamed).then(pl.lit(NEEDS, pl.Int8))
    event_year: pl.Expr | None = None
    if rule.event_date is not None:
        when, fact = resolve.fact(rule.event_date)
        if fact.kind != "date":
            raise NotCompiled("event_date not a date")
        chain = chain.when(when.is_null()).then(pl.lit(NEEDS, pl.Int8))
        chain = chain.when(~when.is_between(start, end) | (when.dt.year() > pl.col("f:claim_year"))) \
            .then(pl.lit(_NE, pl.Int8))
        event_year = when.dt.year()
    elif rule.event_year is not None:
        year, fact = resolve.fact(rule.event_year)
        if rule.event_year != "claim_year":
            raise NotCompiled("event_year other than claim_year")
        chain = chain.when(~year.is_between(start.year, end.year)).then(pl.lit(_NE, pl.Int8))
        event_year = year
    if rule.kind == "land_benefit":
        benefit, decimals = _land(p, resolve)
        return Compiled(p, pidx, chain.otherwise(pl.lit(LAND, pl.Int8)), None, None, subject, pl.lit(True),
                        where, [], benefit, decimals)
    status = chain.otherwise(pl.lit(_GO, pl.Int8))
    a = rule.amount
    assert a is not None
    self_benefit: pl.Expr = pl.lit(True)
    if rule.beneficiary == "provider" and rule.provider is not None:
        provider = resolve(rule.provider)
        if provider.kind != "str":
            raise NotCompiled("provider not text")
        self_benefit = provider.expr.is_in(list(SELF_PROVIDER)).fill_null(False)
    if a.tiers is not None:
        tiered = _tiers(p, pidx, a, resolve, assumptions, status, subject, where)
        tiered.event_year = event_year
        return tiered
    computed, formula = _formula(a, resolve, assumptions)
    return Compiled(p, pidx, status, computed, formula, subject, self_benefit, where, [], None,
                    event_year=event_year)


def one_time(value: str | Choice | None, assumptions: dict[str, str]) -> str | None:
    """A rule's ``one_time``, resolved through its interpretation (``engine.history.one_time_of``)."""
    if isinstance(value, Choice):
        return value.values[assumptions[value.interpretation]]
    return value


def _subject(p: LoadedProvision, resolve: Resolver, assumptions: dict[str, str]) -> tuple[pl.Expr, pl.Expr | None]:
    """(the subject's text, whether it is unknown: an optional item fact it names is empty)."""
    template = p.rule.subject
    if isinstance(template, Choice):
        template = template.values[assumptions[template.interpretation]]
    if template is None:
        return pl.lit(None, pl.String), None
    parts: list[pl.Expr] = []
    unknown: list[pl.Expr] = []
    at = 0
    model = ITEM_SOURCES.get(p.rule.for_each or "")
    for match in PLACEHOLDER.finditer(template):
        if match.start() > at:
            parts.append(pl.lit(template[at:match.start()]))
        name = match.group(1)
        first, *rest = name.split(".")
        if name == "claim_year":
            parts.append(pl.col("f:claim_year").cast(pl.String))
        elif model is not None and first in model.model_fields:
            info = model.model_fields[first]
            fact = resolve.items[first]
            column = pl.col(f"i:{first}")
            if not info.is_required():
                unknown.append(column.is_null())
            if rest == ["year"] and fact.kind == "date":
                parts.append(column.dt.year().cast(pl.String))
            elif not rest and fact.kind in ("text", "choice"):
                parts.append(column)
            else:
                raise NotCompiled(f"subject placeholder {name}")
        else:
            raise NotCompiled(f"subject placeholder {name}")
        at = match.end()
    if at < len(template):
        parts.append(pl.lit(template[at:]))
    return (pl.concat_str(parts) if parts else pl.lit(template)), (pl.any_horizontal(unknown) if unknown else None)


def _num(resolve: Resolver, path: str) -> Value:
    value = resolve(path)
    if value.kind != "num":
        raise NotCompiled(f"{path} is not a number")
    return value


def _times(a: Value, b: Value) -> Value:
    bound = a.bound * b.bound
    if bound > LIMIT:
        raise NotCompiled("product too large")
    return Value(a.expr * b.expr, "num", a.decimals + b.decimals, bound)


def _capped(value: Value, cap: Decimal | None) -> Value:
    if cap is None:
        return value
    c = number(cap)
    d = max(value.decimals, c.decimals)
    v, k = value.scaled(d), c.scaled(d)
    return Value(pl.min_horizontal(v, k), "num", d, max(value.bound, c.bound) * 10**d)


def _formula(a: Amount, resolve: Resolver, assumptions: dict[str, str]) -> tuple[pl.Expr, pl.Expr]:
    """(computed fen, status once the checks before the formula passed)."""
    inputs: list[pl.Expr] = []
    not_found: pl.Expr = pl.lit(False)
    if a.fixed is not None:
        value = number(a.fixed)
    elif a.rate is not None and a.of is not None:
        base = _num(resolve, a.of)
        inputs.append(base.expr)
        value = _times(number(a.rate), base)
    elif a.per_unit is not None and a.count is not None:
        count = _num(resolve, a.count)
        inputs.append(count.expr)
        value = _times(number(a.per_unit), count)
    elif a.table is not None and a.table_by is not None:
        row, col = (resolve(ref) for ref in a.table_by)
        if row.kind != "str" or col.kind != "str":
            raise NotCompiled("table by non-text facts")
        inputs += [row.expr, col.expr]
        found: pl.Expr | None = None
        entries = [(r, c, number(v)) for r, cols in a.table.items() for c, v in cols.items()]
        d = max([v.decimals for _, _, v in entries], default=0)
        for r, c, v in entries:
            test = (row.expr == r) & (col.expr == c)
            found = (pl.when(test) if found is None else found.when(test)).then(v.scaled(d))  # type: ignore[attr-defined]
        looked = found.otherwise(None) if found is not None else pl.lit(None, pl.Int64)  # type: ignore[attr-defined]
        not_found = looked.is_null()
        value = Value(looked, "num", d, max([v.bound for _, _, v in entries], default=0) * 10**d)
    elif a.schedule is not None:
        value, more = _schedule(a, resolve, assumptions)
        inputs += more
    else:
        raise NotCompiled(a.form)
    value = _capped(_capped(value, a.cap_per_item), a.cap_per_enterprise)
    computed = round_fen(value)
    unknown = pl.any_horizontal([e.is_null() for e in inputs]) if inputs else pl.lit(False)
    status = pl.when(unknown).then(pl.lit(NEEDS, pl.Int8)).when(not_found).then(pl.lit(_NE, pl.Int8)) \
        .when(computed <= 0).then(pl.lit(_NE, pl.Int8)).otherwise(pl.lit(PAID, pl.Int8))
    return computed, status


def _schedule(a: Amount, resolve: Resolver, assumptions: dict[str, str]) -> tuple[Value, list[pl.Expr]]:
    s = a.schedule
    assert s is not None
    ref = s.persons
    if isinstance(ref, Choice):
        ref = ref.values[assumptions[ref.interpretation]]
    persons, days = _num(resolve, ref), _num(resolve, s.days)
    if persons.decimals or days.decimals:
        raise NotCompiled("schedule over fractional counts")
    bands = [number(b.per_day) for b in s.bands]
    d = max([b.decimals for b in bands] + [number(s.cap_per_person).decimals])
    per_person: pl.Expr = pl.lit(0, pl.Int64)
    done: pl.Expr = pl.lit(0, pl.Int64)
    for band, rate in zip(s.bands, bands, strict=True):
        last = days.expr if band.up_to_day is None else pl.min_horizontal(days.expr, pl.lit(band.up_to_day))
        n = pl.max_horizontal(pl.lit(0), last - done)
        per_person = per_person + n * rate.scaled(d)
        done = pl.max_horizontal(done, last)
    cap = number(s.cap_per_person).scaled(d)
    each = pl.min_horizontal(per_person, cap)
    bound = max(b.bound for b in bands) * days.bound * 10**d * persons.bound
    if bound > LIMIT:
        raise NotCompiled("schedule too large")
    return Value(each * persons.expr, "num", d, bound), [persons.expr, days.expr]


def _tiers(p: LoadedProvision, pidx: int, a: Amount, resolve: Resolver, assumptions: dict[str, str],
           status: pl.Expr, subject: pl.Expr, where: pl.Expr | None) -> Compiled:
    t = a.tiers
    assert t is not None
    now_expr, now_fact = resolve.fact(t.measure)
    before_expr, before_fact = resolve.fact(t.before)
    if now_fact.kind not in ("money", "int") or before_fact.kind not in ("money", "int", "int_or_never"):
        raise NotCompiled("tier measure")
    if now_fact.decimals != before_fact.decimals:
        raise NotCompiled("tier measure and history in different units")
    status = pl.when((status == _GO) & (now_expr.is_null() | before_expr.is_null())) \
        .then(pl.lit(NEEDS, pl.Int8)).otherwise(status)
    never = before_expr == -1 if before_fact.kind == "int_or_never" else pl.lit(False)
    levels = []
    for level in t.levels:
        threshold = number(level.threshold)
        if threshold.decimals > now_fact.decimals:
            raise NotCompiled("tier threshold finer than its measure")
        limit = threshold.expr * 10 ** (now_fact.decimals - threshold.decimals)

        def reached(value: pl.Expr, limit: pl.Expr = limit) -> pl.Expr:
            return value >= limit if t.better == "higher" else value <= limit

        new = reached(now_expr) & ~(reached(before_expr) & ~never)
        levels.append((new, _fen_constant(level.amount), level.id))
    return Compiled(p, pidx, status, None, None, subject, pl.lit(True), where, levels, None)


def _fen_constant(amount: Decimal) -> int:
    rounded = amount.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    return int(rounded * 100)


def _land(p: LoadedProvision, resolve: Resolver) -> tuple[pl.Expr, int]:
    lp = p.rule.land_price
    assert lp is not None
    grade, area, cost = _num(resolve, lp.grade), _num(resolve, lp.area), _num(resolve, lp.cost)
    if grade.decimals:
        raise NotCompiled("land grade")
    prices = [number(x) for x in lp.price_by_grade]
    dp = max(x.decimals for x in prices)
    table = {i + 1: int(Decimal(x).scaleb(dp)) for i, x in enumerate(lp.price_by_grade)}
    price_expr = grade.expr.replace_strict(list(table), list(table.values()), default=None, return_dtype=pl.Int64)
    standard = Value(price_expr * area.expr, "num", dp + area.decimals,
                     max(table.values()) * area.bound)
    if standard.bound > LIMIT:
        raise NotCompiled("land too large")
    floor_rounded = round_fen(_times(number(lp.ratio), standard))  # fen
    cost_fen = cost.scaled(2) if cost.decimals <= 2 else None
    if cost_fen is None:
        raise NotCompiled("land cost")
    floor = pl.max_horizontal(floor_rounded, cost_fen)
    d = max(standard.decimals, 2)
    benefit = pl.max_horizontal(standard.scaled(d) - floor * 10 ** (d - 2), pl.lit(0))
    return round_fen(Value(benefit, "num", d, standard.bound * 10 ** (d - standard.decimals))), 2
