"""Step 1b, the amount of a candidate: fixed, rate × fact, per unit × count, a level × role table or
a per-day schedule, then the cap per item and per enterprise, rounded half-up to the fen."""

from __future__ import annotations

from decimal import Decimal

from zhuanyezhen.engine.candidates import ZERO, Candidate, Facts, shown
from zhuanyezhen.money import percent, round_fen, yuan
from zhuanyezhen.policy.conditions import Unknown
from zhuanyezhen.policy.models import Amount, Choice


def compute_amount(cand: Candidate, a: Amount, facts: Facts, assumptions: dict[str, str]) -> None:
    """The award of one candidate by its formula, with its basis and item / enterprise cap."""
    unit = a.unit or ""
    if a.fixed is not None:
        value, basis = a.fixed, f"定额 {yuan(a.fixed)} 元"
    elif a.rate is not None and a.of is not None:
        base = facts.number(a.of)
        value = a.rate * base
        basis = f"{percent(a.rate)} × {yuan(base)} 元"
    elif a.per_unit is not None and a.count is not None:
        count = facts.number(a.count)
        value = a.per_unit * count
        basis = f"{yuan(a.per_unit)} 元 × {count}{unit}"
    elif a.table is not None and a.table_by is not None:
        row, col = (shown(facts(ref)) for ref in a.table_by)
        if row is None or col is None:
            raise Unknown([ref for ref in a.table_by if facts(ref) is None])
        found = a.table.get(row, {}).get(col)
        if found is None:
            cand.status, cand.reason = "not_eligible", f"{row}/{col} 不在本条补助范围内"
            return
        value = found
        if a.kind == "up_to":
            cand.cap = f"每项最高 {yuan(found)} 元"
        names = a.table_labels
        ceiling = "最高 " if a.kind == "up_to" else ""
        basis = f"{names.get(row, row)}·{names.get(col, col)}:{ceiling}{yuan(found)} 元"
    elif a.schedule is not None:
        value, basis = schedule_amount(a, facts, assumptions)
    else:  # pragma: no cover - Amount validates that one form is present
        raise AssertionError(a.form)
    cand.basis = basis
    cand.steps.append(f"公式:{basis} = {yuan(value)} 元")
    if a.cap_per_item is not None:
        cand.cap = f"每项最高 {yuan(a.cap_per_item)} 元"
        if value > a.cap_per_item:
            cand.capped = True
            cand.steps.append(f"封顶:超过每项上限,按 {yuan(a.cap_per_item)} 元计")
            value = a.cap_per_item
    if a.cap_per_enterprise is not None:
        cand.cap = f"单户企业最高 {yuan(a.cap_per_enterprise)} 元"
        if value > a.cap_per_enterprise:
            cand.capped = True
            cand.steps.append(f"封顶:超过单户企业上限,按 {yuan(a.cap_per_enterprise)} 元计")
            value = a.cap_per_enterprise
    cand.computed = cand.amount = round_fen(value)


def schedule_amount(a: Amount, facts: Facts, assumptions: dict[str, str]) -> tuple[Decimal, str]:
    """Per-day bands per trainee up to a per-person cap, times the trainees counted."""
    s = a.schedule
    assert s is not None
    ref = s.persons
    if isinstance(ref, Choice):
        ref = ref.values[assumptions[ref.interpretation]]
    persons = facts.number(ref)
    days = int(facts.number(s.days))
    per_person = ZERO
    parts: list[str] = []
    done = 0
    for band in s.bands:
        last = days if band.up_to_day is None else min(days, band.up_to_day)
        n = max(0, last - done)
        if n:
            per_person += n * band.per_day
            parts.append(f"{n}天×{yuan(band.per_day)}元")
        done = max(done, last)
    capped = per_person > s.cap_per_person
    shown = " + ".join(parts) or "0天"
    each = min(per_person, s.cap_per_person)
    basis = f"每人 {shown} = {yuan(per_person)} 元"
    if capped:
        basis += f",超过每人最高 {yuan(s.cap_per_person)} 元,按 {yuan(each)} 元计"
    basis += f";× {persons} 人"
    return each * persons, basis
