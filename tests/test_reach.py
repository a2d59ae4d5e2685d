"""Properties that reach the interesting region: every provision paid, capped, excluded, asked for.

Each generated enterprise sits in a town, in the leading industry, claiming for 2024, and for every
monetary provision a scenario is drawn (paid, capped, excluded by history / another policy / one
subject / a shared cap, needs information, not eligible), with the facts that produce it. The
expected status and amount of every outcome is then worked out here from ``POLICY``, a table
copied by hand from the policy text (never from the loaded rules), and compared with the engine.
The same run counts what it reached; the test fails if any provision is paid, capped, excluded or
asked for fewer than ``REACH`` times. The profiles come from ``random.Random(seed)`` for seeds
0 … ``EXAMPLES`` − 1, so CI runs the same ones every time (and a failure names its seed); plain
seeded choices cost a tenth of hypothesis's drawing for profiles this rich.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhuanyezhen import calculate, profile_from_data

D = Decimal
YEAR = 2024
DATE = "2024-05-01"

# -- the policy, by hand (阳政办发〔2023〕25号; INTERPRETATION.md's reading) --------------------------
POLICY: dict[str, Any] = {
    # (二) "评选为全市…规模化领军企业的,给予100万元奖励;…全省…给予500万元奖励"
    "leader_city": D(1_000_000), "leader_province": D(5_000_000),
    # (五) 国家地理标志产品保护示范区 / 中欧互认互保 10万; 中华老字号 10万; 山西老字号 5万
    "gi_zone": D(100_000), "gi_china_eu": D(100_000), "laozihao_china": D(100_000), "laozihao_shanxi": D(50_000),
    # (九) "首次获评国家级制造业单项冠军产品的,给予50万元奖励"
    "single_champion": D(500_000),
    # (三) 主导/参与 国际 20万/10万, 国家 10万/5万, 行业 5万/2万 (最高)
    "standard": {("international", "lead"): D(200_000), ("international", "participate"): D(100_000),
                 ("national", "lead"): D(100_000), ("national", "participate"): D(50_000),
                 ("industry", "lead"): D(50_000), ("industry", "participate"): D(20_000)},
    # (七) "按照每人300元的标准"
    "onjob_per_person": D(300),
    # (七) 就业率达到80%; 前10天每天150元、超过一天100元; 最高每人4000元
    "order_min_rate": D("0.80"), "order_first_days": 10, "order_first": D(150), "order_later": D(100),
    "order_cap": D(4000),
    # (八) 奖励比例不高于10%,最高200万元 (per project)
    "digital_rate": D("0.10"), "digital_cap": D(2_000_000),
    # (九) 重点项目 最高按10%
    "tech_rate": D("0.10"),
    # (九) 设备投入30万元以上 按10% 单户最高20万元
    "rd_min": D(300_000), "rd_rate": D("0.10"), "rd_cap": D(200_000),
    # (九) 保费 20%,单户企业最高50万元
    "insurance_rate": D("0.20"), "insurance_cap": D(500_000),
    # (十六) 营收首次达到1亿、3亿、10亿元 10万、20万、30万; 首次进入全国前10、前5 10万、20万
    "revenue_tiers": [("1亿", D(100_000_000), D(100_000)), ("3亿", D(300_000_000), D(200_000)),
                      ("10亿", D(1_000_000_000), D(300_000))],
    "market_tiers": [("前10", 10, D(100_000)), ("前5", 5, D(200_000))],
}
# "最高" / "不高于" make an amount a ceiling (up to); a fixed figure or formula is exact.
UP_TO = {"standard", "digital_project", "tech_project"}
TECH_FIELDS = ["foundation", "smart_manufacturing", "green_manufacturing", "chain_strengthening"]
FIXED_HONOURS = ["leader_city", "leader_province", "gi_zone", "gi_china_eu", "laozihao_china", "laozihao_shanxi",
                 "single_champion"]
CAPPED = ["digital_project", "rd_equipment", "new_material_insurance", "training_order"]
MONETARY = [*FIXED_HONOURS, "standard", "training_onjob", "training_order", "digital_project", "tech_project",
            "rd_equipment", "new_material_insurance", "revenue_tier", "market_share"]
EXAMPLES = 400
REACH = 30  # each provision × each status at least this many times in one run
OTHER = "阳泉市其他奖励办法"


def fen(amount: Decimal) -> Decimal:
    return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)


class Pick:
    """Seeded choices (``random.Random``): cheap enough for hundreds of rich profiles per run."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def one(self, options: list[Any]) -> Any:
        return self.random.choice(options)

    def integer(self, low: int, high: int) -> int:
        return self.random.randint(low, high)

    def flag(self) -> bool:
        return self.random.random() < 0.5

    def yuan(self, low: int, high: int) -> Decimal:
        """An amount in 元 from ``low`` to ``high``, to the fen; one time in five an end itself."""
        if self.random.random() < 0.2:
            return D(self.one([low, high]))
        return D(self.random.randint(low * 100, high * 100)) / 100


@dataclass
class Case:
    profile: dict[str, Any]
    # provision → outcome key (item name, tier or None) → (status, amount or None, capped)
    expected: dict[str, dict[Any, tuple[str, Decimal | None, bool]]] = field(default_factory=dict)

    def expect(self, provision: str, key: Any, status: str, amount: Decimal | None = None,
               capped: bool = False) -> None:
        self.expected.setdefault(provision, {})[key] = (status, amount, capped)

    def add(self, name: str, value: Any) -> None:
        self.profile.setdefault(name, []).append(value)

    def rival(self, subject: str, amount: Decimal) -> None:
        self.add("other_policy_awards", {"subject": subject, "policy": OTHER, "amount": str(amount)})


def build(draw: Pick) -> Case:
    town_known = draw.integer(0, 99) >= 25  # 25%: the town is unknown, every provision asks
    case = Case({"name": "测试耐材有限公司", "county": "郊区", "leading_industry": True, "backbone": True,
                 "size": "medium", "claim_year": YEAR, **({"town": "耐火材料"} if town_known else {})})

    # Fixed honours: paid, excluded by history of this provision, or dated before the policy.
    for kind in FIXED_HONOURS:
        scenario = draw.one(["paid", "excluded", "not_eligible", "absent"])
        if scenario == "absent":
            continue
        year = 2023 if kind == "leader_city" else YEAR  # the two leader selections: different years
        date = f"{year}-06-01" if scenario != "not_eligible" else "2023-05-10"  # the day before 施行
        case.add("honours", {"kind": kind, "date": date, "name": f"{kind}名"})
        if scenario == "excluded":  # the entry names its subject, as the rule writes it
            subject = {"gi_zone": f"示范区:{kind}名", "gi_china_eu": f"中欧互认产品:{kind}名",
                       "laozihao_china": "荣誉:中华老字号", "laozihao_shanxi": "荣誉:山西老字号",
                       "single_champion": "荣誉:国家级制造业单项冠军产品"}.get(kind, f"领军企业评选:{year}")
            case.add("awards_received", {"provision": kind, "year": 2023, "subject": subject})
        case.expect(kind, f"{kind}名", scenario, POLICY[kind] if scenario == "paid" else None)

    # (三) standards: paid at the table's ceiling, or lost to another policy paying as much or more.
    for i in range(draw.integer(0, 2)):
        level = draw.one(["international", "national", "industry", "group"])
        role = draw.one(["lead", "participate"])
        name = f"标准{i}"
        case.add("standards", {"name": name, "level": level, "role": role, "date": DATE})
        if level == "group":  # 团体标准 get nothing here
            case.expect("standard", name, "not_eligible")
            continue
        ceiling = POLICY["standard"][(level, role)]
        if draw.flag():
            case.rival(f"标准:{name}", ceiling + draw.one([D(0), D(1)]))
            case.expect("standard", name, "excluded")
        else:
            case.expect("standard", name, "paid", ceiling)

    # (七) on-the-job training: 300 per trainee, or lost to another policy.
    scenario = draw.one(["paid", "excluded", "absent"])
    if scenario != "absent":
        trainees = draw.integer(1, 3000)
        award = POLICY["onjob_per_person"] * trainees
        case.profile["onjob_training"] = {"trainees": trainees, "finished": DATE}
        if scenario == "excluded":
            case.rival(f"在岗职工培训:{YEAR}", award + draw.one([D(0), D("0.01")]))
        case.expect("training_onjob", None, scenario, award if scenario == "paid" else None)

    # (七) order-style programmes: per trainee per day, capped per person; rate ≥ 80% or unknown.
    for i in range(draw.integer(0, 2)):
        scenario = draw.one(["paid", "paid", "excluded", "needs_info", "not_eligible"])
        name, trainees, days = f"培训{i}", draw.integer(1, 60), draw.integer(1, 90)
        programme = {"name": name, "kind": "order", "trainees": trainees, "days": days,
                     "provider": draw.one(["本企业", "阳泉职业技术学院"]), "finished": DATE}
        if scenario != "needs_info":
            low = scenario == "not_eligible"
            rate = draw.integer(50, 79) if low else draw.integer(80, 100)
            programme["employment_rate"] = f"{rate}%"
        first = min(days, POLICY["order_first_days"])
        per_person = POLICY["order_first"] * first + POLICY["order_later"] * (days - first)
        award = min(per_person, POLICY["order_cap"]) * trainees
        if scenario == "excluded":
            case.rival(f"培训:{name}", award + draw.one([D(0), D(100)]))
        case.add("training_programmes", programme)
        case.expect("training_order", name, scenario, award if scenario == "paid" else None,
                    capped=scenario == "paid" and per_person > POLICY["order_cap"])

    # (八)/(九) projects: digital only, key only, or both (one subject: the higher; a tie: 八).
    for i in range(draw.integer(0, 3)):
        name = f"项目{i}"
        shape = draw.one(["digital", "tech", "both"])
        project: dict[str, Any] = {"name": name, "date": DATE, "digital": shape != "tech",
                                   "key_project": shape != "digital"}
        if shape == "both":
            sw = (draw.yuan(1, 30_000_000) if draw.flag() else D(10_000_000))
            fa = (draw.yuan(1, 30_000_000) if draw.flag() else D(10_000_000))
            project |= {"software_hardware_investment": str(sw), "fixed_asset_investment": str(fa),
                        "field": draw.one(TECH_FIELDS)}
            digital = min(fen(POLICY["digital_rate"] * sw), POLICY["digital_cap"])
            tech = fen(POLICY["tech_rate"] * fa)
            capped = POLICY["digital_rate"] * sw > POLICY["digital_cap"]
            if digital >= tech:
                case.expect("digital_project", name, "paid", digital, capped)
                case.expect("tech_project", name, "excluded")
            else:
                case.expect("digital_project", name, "excluded")
                case.expect("tech_project", name, "paid", tech)
        elif shape == "digital":
            scenario = draw.one(["paid", "capped", "excluded", "needs_info"])
            sw = draw.yuan(20_000_001, 90_000_000) if scenario == "capped" else draw.yuan(1, 20_000_000)
            if scenario != "needs_info":
                project["software_hardware_investment"] = str(sw)
            award = min(fen(POLICY["digital_rate"] * sw), POLICY["digital_cap"])
            if scenario == "excluded":
                case.rival(f"项目:{name}", award + draw.one([D(0), D("0.01")]))
            case.expect("digital_project", name, "paid" if scenario == "capped" else scenario,
                        award if scenario in ("paid", "capped") else None, scenario == "capped")
        else:
            scenario = draw.one(["paid", "excluded", "needs_info", "not_eligible"])
            fa = draw.yuan(1, 90_000_000)
            project["fixed_asset_investment"] = str(fa)
            if scenario != "needs_info":
                project["field"] = draw.one(TECH_FIELDS) if scenario != "not_eligible" else "other"
            award = fen(POLICY["tech_rate"] * fa)
            if scenario == "excluded":
                case.rival(f"项目:{name}", award + draw.one([D(0), D(1)]))
            case.expect("tech_project", name, scenario, award if scenario == "paid" else None)
        case.add("projects", project)

    # (九) R&D equipment: ≥ 300,000, 10%, capped at 200,000 per enterprise.
    scenario = draw.one(["paid", "capped", "excluded", "needs_info", "not_eligible"])
    case.profile["industry_revenue_rank"] = 1
    low, high = {"paid": (300_000, 2_000_000), "capped": (2_000_001, 9_000_000),
                 "not_eligible": (0, 299_999)}.get(scenario, (300_000, 9_000_000))
    equipment = draw.yuan(low, high)
    if scenario != "needs_info":
        case.profile["equipment_investment"] = str(equipment)
    award = min(fen(POLICY["rd_rate"] * equipment), POLICY["rd_cap"])
    if scenario == "excluded":
        case.rival(f"设备购置:{YEAR}", award + draw.one([D(0), D(1)]))
    case.expect("rd_equipment", None, "paid" if scenario == "capped" else scenario,
                award if scenario in ("paid", "capped") else None, scenario == "capped")

    # (九) first-batch insurance: 20% of each premium, 500,000 per enterprise shared in order.
    used = D(0)
    for i in range(draw.integer(0, 3)):
        product = f"材料{i}"
        scenario = draw.one(["paid", "paid", "excluded", "needs_info", "not_eligible"])
        premium = draw.yuan(1, 1_000_000) if draw.flag() else draw.yuan(2_500_000, 6_000_000)  # 20% of the second: over the cap
        item = {"product": product, "premium": str(premium), "date": DATE}
        if scenario != "needs_info":
            item["qualifies"] = scenario != "not_eligible"
        case.add("premiums", item)
        computed = fen(POLICY["insurance_rate"] * premium)
        if scenario == "excluded":  # lost whatever its share of the cap: its full 20% is matched
            case.rival(f"保险:{product}:{YEAR}", computed + draw.one([D(0), D(1)]))
        if scenario != "paid":
            case.expect("new_material_insurance", product, scenario)
            continue
        share = min(computed, POLICY["insurance_cap"] - used)
        used += share
        if share == 0:  # the cap is used up by the premiums before it
            case.expect("new_material_insurance", product, "excluded")
        else:
            case.expect("new_material_insurance", product, "paid", share, share < computed)

    # (十六) revenue tiers and market-share tiers: the highest tier newly reached and not received.
    _tiers(draw, case, "revenue_tier", "revenue", "highest_revenue_before", POLICY["revenue_tiers"], higher=True)
    _tiers(draw, case, "market_share", "market_rank", "market_rank_best_before", POLICY["market_tiers"],
           higher=False)
    return case


def _tiers(draw: Pick, case: Case, provision: str, measure: str, before: str,
           tiers: list[tuple[str, Any, Decimal]], higher: bool) -> None:
    scenario = draw.one(["paid", "excluded", "needs_info", "not_eligible"])
    if higher:
        now = draw.one([D(50_000_000), D(100_000_000), D(299_999_999), D(300_000_000), D(350_000_000),
                                    D(1_000_000_000), D(2_000_000_000)])
        was: Any = draw.one([D(0), D(80_000_000), D(99_999_999), D(100_000_000), D(300_000_000)])
    else:
        now = draw.one([3, 5, 6, 10, 11, 20])
        was = draw.one(["never", 4, 5, 8, 10, 12])

    def reached(value: Any, threshold: Any) -> bool:
        if value == "never":
            return False
        return bool(value >= threshold) if higher else bool(value <= threshold)

    new = [(tier, amount) for tier, threshold, amount in tiers if reached(now, threshold) and not reached(was, threshold)]
    if scenario != "needs_info":  # the figures decide: no tier newly reached, or one to pay
        scenario = "not_eligible" if not new else ("paid" if scenario == "not_eligible" else scenario)
    case.profile[measure] = str(now) if higher else now
    if scenario != "needs_info":
        case.profile[before] = str(was) if higher and was != "never" else was
    if scenario == "needs_info":
        case.expect(provision, None, "needs_info")
        return
    if scenario == "not_eligible":
        case.expect(provision, None, "not_eligible")
        return
    received = {new[-1][0]} if scenario == "excluded" else set()  # the highest new tier was paid before
    for tier in received:
        case.add("awards_received", {"provision": provision, "year": 2023, "tier": tier})
    payable = [(tier, amount) for tier, amount in new if tier not in received]
    best = max(payable, key=lambda t: t[1]) if payable else None
    for tier, amount in new:
        if best is not None and tier == best[0]:
            case.expect(provision, tier, "paid", amount)
        else:
            case.expect(provision, tier, "excluded")


def _check(case: Case, policy: Any, seen: Counter[tuple[str, str]]) -> None:
    result = calculate(profile_from_data(copy.deepcopy(case.profile)), policy)
    town_known = "town" in case.profile
    for provision in MONETARY:
        got = [o for o in result.outcomes if o.provision == provision]
        expected = case.expected.get(provision, {})
        if not expected:  # nothing of this provision in the profile: one outcome saying so
            assert [o.status for o in got] == ["not_eligible"], (provision, [o.status for o in got])
            continue
        if not town_known and provision in ("revenue_tier", "market_share"):  # asked before any tier
            assert [o.status for o in got] == ["needs_info"], (provision, [o.status for o in got])
            seen[(provision, "needs_info")] += 1
            continue
        # an outcome's key: its tier, or the item of a list (its name, product or honour kind)
        by_key = {(o.tier or (o.item if o.item_path and "[" in o.item_path else None)): o for o in got}
        assert set(by_key) == set(expected), (provision, sorted(map(str, by_key)), sorted(map(str, expected)))
        for key, (status, amount, capped) in expected.items():
            o = by_key[key]
            if not town_known:  # 位于专业镇 unknown: asked for unless another condition already fails
                want = ("needs_info",) if status != "not_eligible" else ("not_eligible", "needs_info")
                assert o.status in want, (provision, key, o.status, status)
            else:
                assert (o.status, o.amount) == (status, amount), (provision, key, o.status, o.amount, status, amount)
                assert o.kind == ("up_to" if provision in UP_TO else "exact"), (provision, o.kind)
                if status == "paid" and provision != "training_order":  # (its per-person cap is not flagged)
                    assert o.capped == capped, (provision, key, o.capped, capped)
            label = "capped" if o.status == "paid" and capped and town_known else o.status
            seen[(provision, label)] += 1
    for o in result.outcomes:  # every outcome explains itself: a reason, or a basis and its conditions
        assert "None" not in f"{o.reason or ''} {o.basis or ''} {' '.join(o.steps)}", (o.provision, o.reason, o.basis)
        assert o.quote == policy.provision(o.provision).rule.quote
        assert (o.winner is not None) <= (o.status == "excluded"), (o.provision, o.status, o.winner)
        if o.status in ("not_eligible", "excluded", "needs_info"):
            assert o.reason, (o.provision, o.status)
        if o.status == "needs_info":
            assert o.basis is None and o.computed is None, o.provision
        if o.status == "paid":
            assert o.basis and o.steps, o.provision
            assert len(o.conditions) == len(policy.provision(o.provision).conditions), o.provision
            assert all(c.outcome == "met" and c.test and c.values for c in o.conditions), o.provision
        if o.status == "needs_info":  # the fields a user fills in, never a derived fact
            assert o.missing and not any("(in_town)" in m for m in o.missing), o.missing
            if not town_known:
                assert any("(town)" in m for m in o.missing), o.missing
    counted = [o for o in result.outcomes if o.status == "paid" and o.counts_in_total]
    assert result.totals.total == sum((o.amount or D(0) for o in counted), D(0))


def test_every_provision_is_paid_capped_excluded_and_asked_for(policy: Any) -> None:
    """The amounts agree with the policy table, and the run reached every status of every provision."""
    seen: Counter[tuple[str, str]] = Counter()
    for seed in range(EXAMPLES):
        case = build(Pick(seed))
        try:
            _check(case, policy, seen)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed}: {exc}\nprofile: {case.profile}") from None
    wanted = [(p, s) for p in MONETARY for s in ("paid", "excluded", "needs_info")]
    wanted += [(p, "capped") for p in CAPPED]
    short = {f"{p}:{s}": seen[(p, s)] for p, s in wanted if seen[(p, s)] < REACH}
    assert not short, f"reached fewer than {REACH} times: {short}"
