"""Tiers ("首次达到"): the candidates for tiers newly reached (step 1), and step 3, which of several
tiers reached in one year is paid (only the highest still payable, by default)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhuanyezhen.engine.candidates import ZERO, Candidate, Facts, title_of
from zhuanyezhen.money import chinese_amount, round_fen, yuan
from zhuanyezhen.policy.conditions import Unknown
from zhuanyezhen.policy.models import Amount
from zhuanyezhen.profile.glossary import tier_label


def tier_candidates(cand: Candidate, a: Amount, facts: Facts, assumptions: dict[str, str]) -> list[Candidate]:
    """One paid candidate for each tier newly reached; none (and the reason) if no tier is new."""
    t = a.tiers
    assert t is not None
    mode = assumptions[t.interpretation]
    cand.interpretations[t.interpretation] = mode
    now = facts(t.measure)
    before = facts(t.before)
    missing = [path for path, v in ((t.measure, now), (t.before, before)) if v is None]
    if missing:
        raise Unknown(missing)
    higher = t.better == "higher"

    def reached(value: Any, threshold: Decimal) -> bool:
        if value == "never":
            return False
        return bool(value >= threshold) if higher else bool(value <= threshold)

    label_now = title_of(t.measure, None)
    shown_now = chinese_amount(Decimal(now)) if higher else f"第{now}名"
    shown_before = ("从未进入" if before == "never"
                    else (chinese_amount(Decimal(before)) if higher else f"第{before}名"))
    cand.steps.append(f"{label_now}:{shown_now};以往:{shown_before}")
    new = [lv for lv in t.levels if reached(now, lv.threshold) and not reached(before, lv.threshold)]
    if not new:
        cand.status = "not_eligible"
        if not any(reached(now, lv.threshold) for lv in t.levels):
            lowest = t.levels[0]
            cand.reason = f"未达到最低档{tier_label(lowest.id)}({shown_now})"
        else:
            cand.reason = f"已达到的档位以往均已达到,非首次({shown_before})"
        return [cand]
    out = []
    for lv in new:
        c = Candidate(cand.p, "paid", item=cand.item, item_path=cand.item_path, tier=lv.id,
                       subject=f"{cand.subject}:{lv.id}" if cand.subject else lv.id,
                       conditions=cand.conditions, steps=[*cand.steps],
                       interpretations=dict(cand.interpretations), event_year=cand.event_year)
        c.computed = c.amount = round_fen(lv.amount)
        reach = "首次达到" if higher else "首次进入"
        c.basis = f"{shown_now},{reach}{tier_label(lv.id)}:定额 {yuan(lv.amount)} 元"
        c.steps.append(f"公式:{c.basis}")
        out.append(c)
    return out  # highest_only is applied after the history check: see highest_tier_only


def highest_tier_only(cands: list[Candidate], assumptions: dict[str, str]) -> None:
    """Tiers newly reached in one year: with ``highest_only`` only the highest still payable
    after the history check pays (a tier already received never blocks a lower new one)."""
    groups: dict[str, list[Candidate]] = {}
    names: dict[str, str] = {}
    for c in cands:
        tiers = c.p.rule.amount.tiers if c.p.rule.amount else None
        if c.status == "paid" and c.tier is not None and tiers is not None \
                and assumptions[tiers.interpretation] == "highest_only":
            groups.setdefault(c.p.id, []).append(c)
            names[c.p.id] = tiers.interpretation
    for group in groups.values():
        if len(group) < 2:
            continue
        best = max(group, key=lambda c: c.computed or ZERO)
        for c in group:
            if c is not best:
                c.exclude(f"同年跨越多档,只奖最高档({tier_label(best.tier)}),不累加",
                          winner=f"{best.p.id}:{best.tier}")
