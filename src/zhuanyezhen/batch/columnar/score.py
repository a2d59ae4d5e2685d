"""One chunk of enterprises scored in columns: candidates, then the engine's steps 2–5 as frame
operations (history, highest tier only, one subject one award, other policies with the
per-enterprise caps), then one row of figures per enterprise (integer fen).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from zhuanyezhen.batch.columnar.expressions import NotCompiled, compile_expression, truth
from zhuanyezhen.batch.columnar.history import one_base
from zhuanyezhen.batch.columnar.provisions import (
    _GO,
    CANDIDATE_SCHEMA,
    EXCLUDED,
    LAND,
    NEEDS,
    PAID,
    Compiled,
    Resolver,
    compile_provision,
    one_time,
)
from zhuanyezhen.policy.models import ITEM_SOURCES, LoadedProvision, Policy


@dataclass
class CompiledPolicy:
    policy: Policy
    provisions: list[Compiled]
    not_compiled: dict[str, str]  # provision id → why; rows it may touch take the row path
    uncovered_lists: set[str]  # list facts of provisions not compiled
    uncovered_all: bool  # a provision not compiled applies to every enterprise
    positions: dict[str, int]  # provision id → output column
    # list → the ``where`` of provisions not compiled whose items are told by their own fields:
    # only an item it selects (or may select) touches the enterprise
    uncovered_where: dict[str, list[pl.Expr]] = field(default_factory=dict)


def compile_policy(policy: Policy, assumptions: dict[str, str], positions: dict[str, int],
                   refuse: frozenset[str] = frozenset()) -> CompiledPolicy:
    """Every provision compiled once; ``refuse`` names provisions always left to the row path."""
    out: list[Compiled] = []
    missing: dict[str, str] = {}
    lists: set[str] = set()
    selected: dict[str, list[pl.Expr]] = {}
    every = False
    for index, p in enumerate(policy.provisions):
        try:
            if p.id in refuse:
                raise NotCompiled("left to the row path")
            out.append(compile_provision(p, index, policy, assumptions))
        except NotCompiled as exc:
            missing[p.id] = str(exc)
            if p.rule.for_each is None:
                every = True
                continue
            where = _plain_where(p)
            if where is None:
                lists.add(p.rule.for_each)
            else:
                selected.setdefault(p.rule.for_each, []).append(where)
    return CompiledPolicy(policy, out, missing, lists - set(selected), every, positions,
                          {k: v for k, v in selected.items() if k not in lists})


def _plain_where(p: LoadedProvision) -> pl.Expr | None:
    """A provision's ``where`` over its items' own fields (unknown counts as selected, as in the
    engine), or None when it has none or reads anything else."""
    model = ITEM_SOURCES.get(p.rule.for_each or "")
    if p.where is None or model is None:
        return None
    if not all(n.startswith("item.") and n[5:] in model.model_fields for n in p.where.names):
        return None
    try:
        return truth(compile_expression(p.where, Resolver(p.rule.for_each))).fill_null(True)
    except NotCompiled:
        return None


def _base(c: Compiled, enterprises: pl.LazyFrame, items: dict[str, pl.LazyFrame]) -> pl.LazyFrame:
    for_each = c.p.rule.for_each
    if for_each is None:
        base = enterprises.with_columns(item=pl.lit(-1, pl.Int32))
    elif for_each == "onjob_training":
        base = enterprises.filter(pl.col("f:onjob_training.trainees").is_not_null()).with_columns(
            pl.col("f:onjob_training.trainees").alias("i:trainees"),
            pl.col("f:onjob_training.finished").alias("i:finished"), item=pl.lit(0, pl.Int32))
    else:
        base = items[for_each].join(enterprises, on="rid", how="inner")
    if c.where is not None:
        base = base.filter(c.where)
    if c.p.rule.sum_by_subject:
        assert for_each is not None
        base = one_base(base, c.p, c.subject, list(ITEM_SOURCES[for_each].model_fields))
    return base.with_columns(status=c.status)


def _uniform(frame: pl.LazyFrame, c: Compiled, **columns: pl.Expr) -> pl.LazyFrame:
    values = {"rid": pl.col("rid"), "pidx": pl.lit(c.pidx, pl.Int32), "item": pl.col("item").cast(pl.Int32),
              "tier": pl.lit(-1, pl.Int32), "status": pl.col("status"), "computed": pl.lit(None, pl.Int64),
              "subject": c.subject, "tier_id": pl.lit(None, pl.String), "self": c.self_benefit,
              "benefit": pl.lit(None, pl.Int64),
              "event_year": c.event_year if c.event_year is not None else pl.lit(None, pl.Int32)}
    values.update(columns)
    return frame.select([values[name].cast(dtype).alias(name) for name, dtype in CANDIDATE_SCHEMA.items()])


def _needs(c: Compiled) -> pl.Expr:
    """Whether the provision's candidate is 需补充信息 (after the formula stage, if any)."""
    status = pl.col("status")
    if c.formula_status is not None:
        status = pl.when(status == _GO).then(c.formula_status).otherwise(status)
    return status == NEEDS


def candidates(compiled: CompiledPolicy, enterprises: pl.LazyFrame,
               items: dict[str, pl.LazyFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the paid and land-benefit candidates in the engine's order, 需补充信息 counts per enterprise).

    需补充信息 candidates take part in no later step, so they are only counted.
    """
    parts: list[pl.LazyFrame] = []
    needs_rows: list[pl.LazyFrame] = []
    needs_top: list[pl.Expr] = []
    for c in compiled.provisions:
        rule = c.p.rule
        if rule.for_each is None:
            needs_top.append(pl.when(c.status == _GO).then(c.formula_status).otherwise(c.status) == NEEDS
                             if c.formula_status is not None else c.status == NEEDS)
        if rule.kind == "support" and rule.for_each is None:
            continue
        base = _base(c, enterprises, items)
        if rule.for_each is not None:
            needs_rows.append(base.filter(_needs(c)).select("rid"))
        if rule.kind == "land_benefit":
            assert c.benefit is not None
            parts.append(_uniform(base.filter(pl.col("status") == LAND), c, benefit=c.benefit))
        elif c.tiers:
            for number, (new, fen, tier_id) in enumerate(c.tiers):
                parts.append(_uniform(
                    base.filter((pl.col("status") == _GO) & new), c, status=pl.lit(PAID, pl.Int8),
                    tier=pl.lit(number, pl.Int32), computed=pl.lit(fen, pl.Int64), tier_id=pl.lit(tier_id),
                    subject=pl.concat_str([c.subject, pl.lit(":" + tier_id)]) if rule.subject else pl.lit(tier_id)))
        elif c.formula_status is not None and c.computed is not None:
            staged = base.filter(pl.col("status") == _GO).with_columns(status=c.formula_status)
            parts.append(_uniform(staged.filter(pl.col("status") == PAID), c, computed=c.computed))
    needs = [enterprises.select("rid", pl.sum_horizontal([e.cast(pl.Int64) for e in needs_top]).alias("n"))
             if needs_top else enterprises.select("rid", pl.lit(0, pl.Int64).alias("n"))]
    needs += [rows.select("rid", pl.lit(1, pl.Int64).alias("n")) for rows in needs_rows]
    counted = pl.concat(needs).group_by("rid").agg(pl.col("n").sum().alias("needs"))
    frame = pl.concat(parts, parallel=False).sort(["rid", "pidx", "item", "tier"]) if parts else \
        pl.LazyFrame(schema=CANDIDATE_SCHEMA)
    found, counts = pl.collect_all([frame, counted])
    return found.with_row_index("cid"), counts


def _exclude(frame: pl.DataFrame, test: pl.Expr) -> pl.DataFrame:
    return frame.with_columns(status=pl.when(test).then(pl.lit(EXCLUDED, pl.Int8)).otherwise(pl.col("status")))


def _best_of(group: list[str]) -> pl.Expr:
    """The candidate kept in a group: the highest computed amount, the first in rule order on a tie."""
    top = pl.col("computed").max().over(group)
    return pl.when(pl.col("computed") == top).then(pl.col("cid")).otherwise(None).min().over(group)


_HIT, _ASK = 1, 2


def steps(frame: pl.DataFrame, compiled: CompiledPolicy, assumptions: dict[str, str],
          history: pl.DataFrame, others: pl.DataFrame, years: pl.DataFrame) -> pl.DataFrame:
    """Steps 2–5 of ``engine.calculation`` on a chunk's candidates; adds the settled ``amount``.

    Only paid candidates take part (a status only ever goes from paid to excluded or, for want
    of history, to 需补充信息), so the others are set aside first: most candidates of a county
    sheet are 需补充信息. ``years`` gives each enterprise's claim year (rid, f:claim_year).
    """
    meta = pl.DataFrame({
        "pidx": [c.pidx for c in compiled.provisions],
        "pid": [c.p.id for c in compiled.provisions],
        "once": [one_time(c.p.rule.one_time, assumptions) or "" for c in compiled.provisions],
        "cap": [int(c.p.rule.amount.cap_per_enterprise * 100)
                if c.p.rule.amount is not None and c.p.rule.amount.cap_per_enterprise is not None else None
                for c in compiled.provisions],
        "highest": [bool(c.p.rule.amount and c.p.rule.amount.tiers
                         and assumptions[c.p.rule.amount.tiers.interpretation] == "highest_only")
                    for c in compiled.provisions],
        "policy_period": [bool(c.p.rule.amount and c.p.rule.amount.cap_period
                               and assumptions.get(c.p.rule.amount.cap_period, "per_claim_year") == "policy_period")
                          for c in compiled.provisions],
    }, schema={"pidx": pl.Int32, "pid": pl.String, "once": pl.String, "cap": pl.Int64, "highest": pl.Boolean,
               "policy_period": pl.Boolean})
    rest = frame.filter(pl.col("status") != PAID).with_columns(amount=pl.lit(None, pl.Int64))
    frame = frame.filter(pl.col("status") == PAID).join(meta, on="pidx", how="left", maintain_order="left")
    paid = pl.col("status") == PAID
    # 2. history: an award already received under this policy is not paid again
    if history.height:
        frame = _history(frame, history)
    # 3. of several tiers newly reached in one year, only the highest (by interpretation)
    tiered = paid & (pl.col("tier") >= 0) & pl.col("highest")
    if frame.select(tiered.any()).item():
        frame = frame.with_columns(g=pl.when(tiered).then(pl.col("pidx")).otherwise(None))
        frame = _exclude(frame, tiered & (pl.col("cid") != _best_of(["rid", "g"])))
    # 4. one subject, one award: the higher stays
    subjected = paid & pl.col("subject").is_not_null()
    shared = frame.filter(subjected).select("rid", "subject").is_duplicated()
    if shared.any():
        frame = frame.with_columns(s=pl.when(subjected).then(pl.col("subject")).otherwise(None))
        frame = _exclude(frame, subjected & (pl.col("cid") != _best_of(["rid", "s"])))
    # 5. other policies (就高不就低) and per-enterprise caps, settled together
    frame = _settle(frame, history, others, years, compiled.policy.info.starts(assumptions).year)
    frame = frame.with_columns(amount=pl.when(pl.col("status") == PAID).then(pl.col("alloc")))
    return pl.concat([frame.select(rest.columns), rest])


def _history(frame: pl.DataFrame, history: pl.DataFrame) -> pl.DataFrame:
    """``engine.history.apply_history``: of the entries for a candidate's provision, the first (in
    list order) that decides it: an entry that paid it (excluded), or an entry without a subject
    that may have paid it (需补充信息); an entry that cannot be it is passed over."""
    once, subject = pl.col("once"), pl.col("subject")
    h_tier, h_subject = pl.col("h_tier"), pl.col("h_subject")
    decides = pl.when(once == "enterprise").then(pl.lit(_HIT)) \
        .when(once == "tier").then(pl.when(h_tier.is_null() | (h_tier == pl.col("tier_id"))).then(pl.lit(_HIT))) \
        .when(h_subject.is_not_null()).then(pl.when(h_subject == subject).then(pl.lit(_HIT))) \
        .when(pl.col("event_year").is_not_null() & (pl.col("event_year") > pl.col("h_year"))) \
        .then(pl.lit(None, pl.Int32)).otherwise(pl.lit(_ASK))
    pairs = frame.filter(pl.col("status") == PAID).select("cid", "rid", "pid", "once", "tier_id", "subject",
                                                         "event_year") \
        .join(history, left_on=["rid", "pid"], right_on=["rid", "provision"], how="inner")
    first = pairs.with_columns(decides.alias("d")).filter(pl.col("d").is_not_null()) \
        .sort("h_index").group_by("cid").agg(pl.col("d").first())
    if first.height == 0:
        return frame
    frame = frame.join(first, on="cid", how="left", maintain_order="left")
    return frame.with_columns(status=pl.when(pl.col("d") == _HIT).then(pl.lit(EXCLUDED, pl.Int8))
                              .when(pl.col("d") == _ASK).then(pl.lit(NEEDS, pl.Int8))
                              .otherwise(pl.col("status"))).drop("d")


def _settle(frame: pl.DataFrame, history: pl.DataFrame, others: pl.DataFrame, years: pl.DataFrame,
            first_year: int) -> pl.DataFrame:
    """``engine.settlement.settle``: the cap room left by awards received (unknown room: 需补充信息),
    then other policies in two phases, then the caps shared out; adds ``alloc``."""
    paid = pl.col("status") == PAID
    capped = frame.filter(pl.col("cap").is_not_null())
    used = pl.DataFrame(schema={"rid": pl.Int64, "pid": pl.String, "before": pl.Int64, "unknown": pl.Boolean})
    if history.height and capped.height:
        claims = capped.select("rid", "pid", "policy_period").unique().join(years, on="rid", how="left")
        counted = claims.join(history, left_on=["rid", "pid"], right_on=["rid", "provision"], how="inner").filter(
            pl.when(pl.col("policy_period"))
            .then(pl.col("h_year").is_between(first_year, pl.col("f:claim_year")))
            .otherwise(pl.col("h_year") == pl.col("f:claim_year")))
        used = counted.group_by("rid", "pid").agg(pl.col("h_amount").sum().alias("before"),
                                                  pl.col("h_amount").is_null().any().alias("unknown"))
    frame = frame.join(used, on=["rid", "pid"], how="left", maintain_order="left")
    frame = frame.with_columns(status=pl.when(paid & pl.col("unknown").fill_null(False))
                               .then(pl.lit(NEEDS, pl.Int8)).otherwise(pl.col("status")))
    room = pl.max_horizontal(pl.col("cap") - pl.col("before").fill_null(0), pl.lit(0, pl.Int64))
    frame = frame.with_columns(room=pl.when(pl.col("cap").is_not_null()).then(room))
    if others.height:
        rivals = others.group_by("rid", "subject").agg(pl.col("amount").max().alias("rival"))
        frame = frame.join(rivals, on=["rid", "subject"], how="left", maintain_order="left")
    else:
        frame = frame.with_columns(rival=pl.lit(None, pl.Int64))
    rival = pl.col("rival")
    # 1. an item whose other award is at least what it would get with all the room left to it
    alone = pl.when(pl.col("room").is_null()).then(pl.col("computed")) \
        .otherwise(pl.min_horizontal(pl.col("computed"), pl.col("room")))
    frame = _exclude(frame, paid & rival.is_not_null() & (rival >= alone))
    # 2. then, one at a time, the item losing with the smallest share (the later on a tie)
    while True:
        frame = frame.with_columns(alloc=_allocation())
        losing = paid & rival.is_not_null() & (rival >= pl.col("alloc"))
        if not frame.select(losing.any()).item():
            break
        goes = frame.filter(losing).sort(["rid", "alloc", "cid"], descending=[False, False, True]) \
            .group_by("rid", maintain_order=True).agg(pl.col("cid").first()).get_column("cid")
        frame = _exclude(frame, pl.col("cid").is_in(goes.implode()))
    return _exclude(frame, paid & pl.col("room").is_not_null() & (pl.col("alloc") < pl.col("computed"))
                    & (pl.col("alloc") == 0))


def _allocation() -> pl.Expr:
    """Per-enterprise caps shared out in rule order: each award gets what is left of the room."""
    paid = pl.col("status") == PAID
    counted = pl.when(paid).then(pl.col("computed")).otherwise(0)
    running = pl.when(pl.col("room").is_null()).then(0).otherwise(counted.cum_sum().over(["rid", "pidx"]))
    before = running - counted
    capped = pl.min_horizontal(pl.col("room"), running) - pl.min_horizontal(pl.col("room"), before)
    return pl.when(~paid).then(None).when(pl.col("room").is_null()).then(pl.col("computed")).otherwise(capped)


def figures(frame: pl.DataFrame, needs: pl.DataFrame, compiled: CompiledPolicy, columns: int) -> pl.DataFrame:
    """One row per enterprise: totals, amounts per output column (paid to anyone, and to others),
    excluded and 需补充信息 counts; money in fen."""
    position = {c.pidx: compiled.positions.get(c.p.id, -1) for c in compiled.provisions}
    up_to = {c.pidx: bool(c.p.rule.amount and c.p.rule.amount.kind == "up_to") for c in compiled.provisions}
    paid = frame.filter(pl.col("status") == PAID).with_columns(
        pos=pl.col("pidx").replace_strict(position, return_dtype=pl.Int32),
        up_to=pl.col("pidx").replace_strict(up_to, return_dtype=pl.Boolean))
    amount = pl.col("amount")
    mine = pl.col("self")
    totals = paid.group_by("rid").agg(
        amount.filter(mine & ~pl.col("up_to")).sum().alias("exact"),
        amount.filter(mine & pl.col("up_to")).sum().alias("up_to_sum"),
        amount.filter(~mine).sum().alias("others"))
    by_column = paid.group_by("rid", "pos").agg(amount.sum().alias("a"),
                                               pl.when((~mine).any()).then(amount.filter(~mine).sum()).alias("o"))
    wide = by_column.pivot(on="pos", index="rid", values=["a", "o"], on_columns=list(range(columns))) \
        if by_column.height else pl.DataFrame({"rid": []}, schema={"rid": pl.Int64})
    wide = wide.rename({name: _wide_name(name) for name in wide.columns if name != "rid"})
    land = frame.filter(pl.col("status") == LAND).group_by("rid").agg(pl.col("benefit").sum().alias("land"))
    excluded = frame.filter(pl.col("status") == EXCLUDED).group_by("rid").agg(pl.len().cast(pl.Int64).alias("excluded"))
    asked = frame.filter(pl.col("status") == NEEDS).group_by("rid").agg(pl.len().cast(pl.Int64).alias("asked"))
    out = needs.join(asked, on="rid", how="left").with_columns(
        (pl.col("needs") + pl.col("asked").fill_null(0)).alias("needs")).drop("asked")
    for part in (totals, wide, land, excluded):
        out = out.join(part, on="rid", how="left")
    missing = [pl.lit(None, pl.Int64).alias(f"{k}{i}") for i in range(columns) for k in "ao"
               if f"{k}{i}" not in out.columns]
    return out.with_columns(missing)


def _wide_name(name: str) -> str:
    """pivot's ``a_3`` / ``o_3`` → ``a3`` / ``o3``."""
    kind, _, at = name.partition("_")
    return f"{kind}{at}"
