"""Step 5, other city policies (就高不就低) and per-enterprise caps, settled together.

Semantics (every path that must equal ``calculate`` follows them):

- Cap room. A provision's ``cap_per_enterprise`` is shared among its paid items in rule (profile)
  order: each takes what is left. Awards of the provision already received under this policy
  (``awards_received`` with an ``amount``) use room first: those of the claim year under
  ``enterprise_cap_period=per_claim_year``, those of every year of the policy up to the claim
  year under ``policy_period``. Such an entry without an amount leaves the room unknown: every
  paid item of the provision is then 需补充信息, naming the entry's amount.
- Other policies. An item goes to another policy when that policy pays at least as much (a tie
  keeps the other policy). The comparison is with what this policy would really pay after the cap
  is shared, and an item that goes elsewhere frees its room for the others, whatever the order:
  1. an item whose other award is at least what it would get here with all the room left to
     it goes, whatever the others do; repeated until none is left;
  2. then, of the items whose other award is at least their current share, the one with the
     smallest share (the later on a tie) goes, and the room is shared again; repeated.
"""

from __future__ import annotations

from decimal import Decimal

from zhuanyezhen.engine.candidates import ZERO, Candidate
from zhuanyezhen.money import yuan
from zhuanyezhen.profile.glossary import subject_label
from zhuanyezhen.profile.model import OtherPolicyAward, Profile


def used_before(cands: list[Candidate], profile: Profile, assumptions: dict[str, str],
                first_year: int) -> dict[str, Decimal]:
    """Cap room already used by awards received (see the module's semantics); items of a
    provision whose room is unknown are made 需补充信息 here."""
    used: dict[str, Decimal] = {}
    unknown: dict[str, list[int]] = {}
    capped = {c.p.id: c.p.rule.amount for c in cands if c.p.rule.amount is not None
              and c.p.rule.amount.cap_per_enterprise is not None}
    for index, r in enumerate(profile.awards_received):
        a = capped.get(r.provision)
        if a is None:
            continue
        period = assumptions.get(a.cap_period, "per_claim_year") if a.cap_period else "per_claim_year"
        counts = r.year == profile.claim_year if period == "per_claim_year" \
            else first_year <= r.year <= profile.claim_year
        if not counts:
            continue
        if r.amount is None:
            unknown.setdefault(r.provision, []).append(index)
        else:
            used[r.provision] = used.get(r.provision, ZERO) + r.amount
    for c in cands:
        entries = unknown.get(c.p.id)
        if c.status != "paid" or not entries:
            continue
        c.status = "needs_info"
        c.missing = [f"金额(awards_received[{i}].amount)" for i in entries]
        c.reason = ("需补充:" + "、".join(c.missing) + ";已获的本项奖励计入单户企业上限,"
                    "金额未知则无法确定本项尚可补助的余额")
        c.steps.append(c.reason)
        c.computed = c.amount = None
    return used


def allocate(cands: list[Candidate], before: dict[str, Decimal] | None = None) -> dict[int, Decimal]:
    """What each paid award gets once per-enterprise caps are shared out in rule order."""
    used: dict[str, Decimal] = dict(before or {})
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


def _alone(c: Candidate, before: dict[str, Decimal]) -> Decimal:
    """What ``c`` would get with all the cap room left to it."""
    a = c.p.rule.amount
    amount = c.computed or ZERO
    if a is not None and a.cap_per_enterprise is not None:
        amount = max(min(amount, a.cap_per_enterprise - before.get(c.p.id, ZERO)), ZERO)
    return amount


def _goes(c: Candidate, rival: OtherPolicyAward, amount: Decimal, shared: bool) -> None:
    why = "(单户企业上限由本项其他事项占用后)" if shared else ""
    c.exclude(f"就高不就低:同一事项“{subject_label(rival.subject)}”按《{rival.policy}》"
              f"{yuan(rival.amount)} 元申报(不低于本政策{why} {yuan(amount)} 元)", winner=rival.policy)


def settle(cands: list[Candidate], profile: Profile, notices: list[str],
           assumptions: dict[str, str] | None = None, first_year: int | None = None) -> None:
    """Other city policies (就高不就低) and per-enterprise caps, together (see the module)."""
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
    before = used_before(cands, profile, assumptions or {},
                         profile.claim_year if first_year is None else first_year)
    cands = [c for c in cands if c.status == "paid"]
    rivals = [(c, best_other[c.subject]) for c in cands if c.subject in best_other]
    while True:  # 1. items that lose whatever the others do
        lost = [(c, r) for c, r in rivals if c.status == "paid" and r.amount >= _alone(c, before)]
        for c, rival in lost:
            _goes(c, rival, _alone(c, before), shared=False)
        if not lost:
            break
    while True:  # 2. items that lose only for the room the others take: one at a time
        alloc = allocate(cands, before)
        losing = [(alloc[id(c)], -i, c, r) for i, (c, r) in enumerate(rivals)
                  if c.status == "paid" and r.amount >= alloc[id(c)]]
        if not losing:
            break
        amount, _, c, rival = min(losing, key=lambda x: (x[0], x[1]))
        _goes(c, rival, amount, shared=True)
    alloc = allocate(cands, before)
    for c in cands:
        if c.status != "paid" or c.computed is None:
            continue
        amount = alloc[id(c)]
        a = c.p.rule.amount
        if amount < c.computed and a is not None and a.cap_per_enterprise is not None:
            c.capped = True
            already = before.get(c.p.id, ZERO)
            c.steps.append(f"封顶:本项单户企业合计最高 {yuan(a.cap_per_enterprise)} 元"
                           + (f"(已获本项奖励 {yuan(already)} 元计入)" if already else "")
                           + f",本事项按余额 {yuan(amount)} 元计")
            if amount == 0:
                c.exclude(f"本项单户企业合计已达上限 {yuan(a.cap_per_enterprise)} 元")
                continue
        c.amount = amount
        chosen_over = best_other.get(c.subject or "")
        if chosen_over is not None:
            c.steps.append(f"就高不就低:本政策 {yuan(amount)} 元高于《{chosen_over.policy}》"
                           f"{yuan(chosen_over.amount)} 元,按本政策申报")
