"""calculate(profile, policy, assumptions) -> Result: pure, no I/O, no printing.

Order of work, each step recorded in the outcome's ``steps`` so the explanation *is* the
evaluation; each step is a module of this package:
1. ``evaluation``: each provision × each subject: conditions (three-valued), validity window,
   amount (``amounts``; tiers newly reached, ``tiers``), item cap, and the beneficiary (money for
   a third-party training provider is kept out of the enterprise's total);
2. ``history``: an award already received under this policy is not paid again;
3. ``tiers``: of the tiers newly reached in one year, only the highest still payable (by default);
4. ``overlaps``: one subject, one award: of several provisions paying for one subject, the higher
   stays;
5. ``settlement``: other city policies (就高不就低) and per-enterprise caps, settled together:
   this policy's award counts only if it is higher than what another policy pays for the same
   subject, compared after the cap is shared out;
6. ``land``: the land-price benefit of each qualifying plot, apart from cash.

The working state is ``candidates.Candidate``; ``calculate`` freezes it into ``Outcome``s.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from zhuanyezhen import __version__
from zhuanyezhen.engine.candidates import ZERO, Candidate
from zhuanyezhen.engine.evaluation import Evaluator
from zhuanyezhen.engine.history import apply_history, one_time_of
from zhuanyezhen.engine.land import land_benefits
from zhuanyezhen.engine.overlaps import one_subject
from zhuanyezhen.engine.result import LandBenefit, Result, Totals
from zhuanyezhen.engine.settlement import settle
from zhuanyezhen.engine.tiers import highest_tier_only
from zhuanyezhen.errors import InputError, InputProblem
from zhuanyezhen.money import round_fen
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile.model import Profile
from zhuanyezhen.trusted import trusted_model


def resolve_assumptions(policy: Policy, given: Mapping[str, str] | None) -> dict[str, str]:
    """Defaults of every named interpretation, overridden by ``given``; unknown names refused."""
    chosen = {name: i.default for name, i in policy.interpretations.items()}
    problems = []
    for name, value in (given or {}).items():
        interp = policy.interpretations.get(name)
        if interp is None:
            problems.append(InputProblem(
                f"没有名为 {name} 的解释", field="--assume",
                hint="可用:" + "、".join(policy.interpretations)))
        elif value not in interp.options:
            problems.append(InputProblem(
                f"解释 {name} 没有选项 {value}", field="--assume",
                hint="可选:" + "、".join(f"{k}({v})" for k, v in interp.options.items())))
        else:
            chosen[name] = value
    if problems:
        raise InputError(problems)
    return chosen


def _settled(profile: Profile, policy: Policy, assumptions: Mapping[str, str] | None, explain: bool = True,
             ) -> tuple[Evaluator, list[Candidate], list[str], list[LandBenefit]]:
    """Steps 1–6 on working candidates; ``calculate`` freezes them into the ``Result``."""
    chosen = resolve_assumptions(policy, assumptions)
    engine = Evaluator(profile, policy, chosen, explain)
    notices: list[str] = []
    if not engine.in_force:
        start, end = engine.window
        notices.append(f"申报年度 {profile.claim_year} 不在本政策有效期({start.isoformat()} 至 "
                       f"{end.isoformat()})内:本政策不予奖补,以下仅列出各条款的判断。")
    cands: list[Candidate] = []
    for p in policy.provisions:
        cands.extend(engine.evaluate(p))
    # Steps 2–5 only ever act on paid candidates, and a status only ever goes from paid to
    # excluded, so they need not look at the rest.
    paid = [c for c in cands if c.status == "paid"]
    apply_history(paid, profile, chosen)
    highest_tier_only(paid, chosen)
    one_subject(paid)
    settle(cands, profile, notices, chosen, engine.window[0].year)
    land = land_benefits(cands, profile)
    return engine, cands, notices, land


def _totals(counted: list[tuple[str, Decimal | None, bool, str | None]], land: list[LandBenefit]) -> Totals:
    """The sums from (status, amount, counts_in_total, kind) of every outcome."""
    exact = sum((amount or ZERO for _, amount, counts, kind in counted if counts and kind == "exact"), ZERO)
    up_to = sum((amount or ZERO for _, amount, counts, kind in counted if counts and kind == "up_to"), ZERO)
    others = sum((amount or ZERO for status, amount, counts, _ in counted if status == "paid" and not counts), ZERO)
    # round_fen changes no value (every award is already in fen); it gives 0.00, not 0, when empty.
    return trusted_model(Totals, {
        "exact": round_fen(exact), "up_to": round_fen(up_to), "total": round_fen(exact + up_to),
        "payable_to_others": round_fen(others), "land_benefit": round_fen(sum((x.benefit for x in land), ZERO))})


def calculate(profile: Profile, policy: Policy, assumptions: Mapping[str, str] | None = None) -> Result:
    """Every provision of ``policy`` applied to ``profile``. Pure: no I/O, no printing."""
    engine, cands, notices, land = _settled(profile, policy, assumptions)
    outcomes = [c.freeze() for c in cands]
    totals = _totals([(o.status, o.amount, o.counts_in_total, o.kind) for o in outcomes], land)
    return trusted_model(Result, {
        "enterprise": profile.name, "credit_code": profile.credit_code, "county": profile.county,
        "town": profile.town, "claim_year": profile.claim_year, "policy_id": policy.info.id,
        "document_number": policy.info.document_number, "policy_title": policy.info.title,
        "in_force": engine.in_force, "notices": notices, "outcomes": outcomes, "land": land, "totals": totals,
        "assumptions": dict(engine.assumptions), "rules_hash": policy.rules_hash, "engine_version": __version__,
    })


class Award(NamedTuple):
    """What a score sheet needs of one outcome: the same figures ``calculate`` puts in ``Outcome``."""

    provision: str
    status: str
    amount: Decimal | None  # None unless paid
    counts_in_total: bool
    subject: str | None = None
    item_path: str | None = None
    city_once: bool = False  # one_time resolves to "city": paid once in the whole city (batch/city_once)
    tier: str | None = None  # for a later claim year's history (batch)


def calculate_awards(profile: Profile, policy: Policy,
                     assumptions: Mapping[str, str] | None = None) -> tuple[list[Award], Totals]:
    """The outcomes' statuses and amounts and the totals of ``calculate``, by the very same steps,
    without recording what each condition read and without freezing the outcomes into a
    ``Result`` (for ``zyz batch``; tests/test_fast_paths.py checks the figures are the same)."""
    engine, cands, _, land = _settled(profile, policy, assumptions, explain=False)
    awards: list[Award] = []
    counted: list[tuple[str, Decimal | None, bool, str | None]] = []
    for c in cands:
        if c.status != "paid":
            awards.append(Award(c.p.id, c.status, None, False, c.subject, c.item_path))
            continue  # counts in no sum: _totals would skip it
        counts = c.beneficiary == "本企业"
        awards.append(Award(c.p.id, "paid", c.amount, counts, c.subject, c.item_path,
                            one_time_of(c, engine.assumptions) == "city", c.tier))
        counted.append(("paid", c.amount, counts, c.p.rule.amount.kind if c.p.rule.amount else None))
    return awards, _totals(counted, land)
