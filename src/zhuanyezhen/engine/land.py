"""Step 6, the land-price benefit: the standard price by grade × area, less the floor price."""

from __future__ import annotations

from zhuanyezhen.engine.candidates import ZERO, Candidate
from zhuanyezhen.engine.result import LandBenefit
from zhuanyezhen.money import percent, round_fen, yuan
from zhuanyezhen.profile.glossary import chinese_number
from zhuanyezhen.profile.model import Profile
from zhuanyezhen.trusted import trusted_model


def land_benefits(cands: list[Candidate], profile: Profile) -> list[LandBenefit]:
    """The land-price benefit (clause 十二) of each plot that qualified: not cash, shown apart."""
    out = []
    for c in cands:
        if c.status != "land_benefit":
            continue
        lp = c.p.rule.land_price
        assert lp is not None
        # By position, never by name: the candidate's item_path is ``land[i]``.
        assert c.item_path is not None
        item = profile.land[int(c.item_path.removeprefix("land[").removesuffix("]"))]
        standard = lp.price_by_grade[item.grade - 1] * item.area_m2
        floor = max(round_fen(lp.ratio * standard), item.cost_sum)
        benefit = max(standard - floor, ZERO)
        basis = (f"{chinese_number(item.grade)}等地,{yuan(lp.price_by_grade[item.grade - 1])} 元/平方米 × "
                 f"{item.area_m2:,f}平方米 = {yuan(standard)} 元;底价取 {percent(lp.ratio)} × {yuan(standard)} 元"
                 f"与实际成本 {yuan(item.cost_sum)} 元中的较高者,为 {yuan(floor)} 元")
        c.basis = basis
        c.steps.append(f"土地:{basis};优惠 {yuan(benefit)} 元(非现金)")
        out.append(trusted_model(LandBenefit, {
            "item": item.name, "grade": item.grade, "area_m2": item.area_m2,
            "standard_price": round_fen(standard), "floor_price": floor, "benefit": round_fen(benefit),
            "basis": basis}))
    return out
