"""Step 5, other city policies (就高不就低) and per-enterprise caps, settled together."""

from __future__ import annotations

from decimal import Decimal

from zhuanyezhen.engine.candidates import ZERO, Candidate
from zhuanyezhen.money import yuan
from zhuanyezhen.profile.glossary import subject_label
from zhuanyezhen.profile.model import OtherPolicyAward, Profile


def allocate(cands: list[Candidate]) -> dict[int, Decimal]:
    """What each paid award gets once per-enterprise caps are shared out in rule order."""
    used: dict[str, Decimal] = {}
    out: dict[int, Decimal] = {}
    for c in cands:
        if c.status != "paid" or c.computed is None:
            continue
        a = c.p.rule.amount
        amount = c.computed
        if a is not None and a.cap_per_enterprise is not None:
            amount = max(min(amount, a.cap_per_enterprise - used.get(c.p.id, ZERO)), ZERO)
            used[c.p.id] = used.get(c.p.id, ZERO) + amount
        out[id(c)] = amount
    return out


def settle(cands: list[Candidate], profile: Profile, notices: list[str]) -> None:
    """Other city policies (就高不就低) and per-enterprise caps, together.

    The choice against another policy compares the amount this policy would really pay, after
    the per-enterprise cap is shared out. An award lost to another policy frees cap room for
    the others, so the two are repeated until nothing more changes; a lost award stays lost.
    """
    subjects = {c.subject for c in cands if c.subject}
    best_other: dict[str, OtherPolicyAward] = {}
    for other in profile.other_policy_awards:
        if other.subject not in subjects:
            notices.append(f"其他政策奖补的事项“{subject_label(other.subject)}”与本政策任何奖补事项都不对应,未参与比较;"
                           "请核对事项写法(见结果中的“事项”)")
            continue
        known = best_other.get(other.subject)
        if known is None or other.amount > known.amount:
            best_other[other.subject] = other
    cands = [c for c in cands if c.status == "paid"]  # the only ones the rest can change
    while True:
        alloc = allocate(cands)
        lost = False
        for c in cands:
            rival = best_other.get(c.subject or "")
            if c.status != "paid" or rival is None:
                continue
            amount = alloc[id(c)]
            if rival.amount >= amount:
                c.exclude(f"就高不就低:同一事项“{subject_label(rival.subject)}”按《{rival.policy}》"
                          f"{yuan(rival.amount)} 元申报(不低于本政策 {yuan(amount)} 元)",
                          winner=rival.policy)
                lost = True
        if not lost:
            break
    for c in cands:
        if c.status != "paid" or c.computed is None:
            continue
        amount = alloc[id(c)]
        a = c.p.rule.amount
        if amount < c.computed and a is not None and a.cap_per_enterprise is not None:
            c.capped = True
            c.steps.append(f"封顶:本项单户企业合计最高 {yuan(a.cap_per_enterprise)} 元,"
                           f"本事项按余额 {yuan(amount)} 元计")
            if amount == 0:
                c.exclude(f"本项单户企业合计已达上限 {yuan(a.cap_per_enterprise)} 元")
                continue
        c.amount = amount
        chosen_over = best_other.get(c.subject or "")
        if chosen_over is not None:
            c.steps.append(f"就高不就低:本政策 {yuan(amount)} 元高于《{chosen_over.policy}》"
                           f"{yuan(chosen_over.amount)} 元,按本政策申报")
