"""Hypothesis strategies that build valid profile dicts across every fact the profile holds.

Amounts are drawn as exact ``Decimal`` (fen precision) and, now and then, as the texts offices write
("300万元", "1.2亿", "3,500,000"), so the parsing path is exercised too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from zhuanyezhen.profile.credit_code import ALPHABET, check_character
from zhuanyezhen.profile.places import COUNTIES, TOWNS

HONOUR_KINDS = ["leader_city", "leader_province", "gi_zone", "gi_china_eu", "laozihao_china", "laozihao_shanxi",
                "single_champion", "craft_master_national", "craft_master_province", "craft_master_city",
                "heritage_national", "heritage_province", "high_tech"]
PROJECT_FIELDS = ["foundation", "smart_manufacturing", "green_manufacturing", "chain_strengthening",
                  "innovation", "upgrade", "other"]
# Provisions whose history can be given without contradicting the profile's own figures.
HISTORY_PROVISIONS = ["leader_city", "leader_province", "single_champion", "gi_zone", "laozihao_china",
                      "craft_master", "heritage_subsidy", "tech_project", "digital_project", "standard"]

dates = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2026, 12, 31))
names = st.text(alphabet="阳泉耐火砂陶泵阀材料产线改造智能一二三ABC", min_size=1, max_size=8)


def _with_units(amount: Decimal) -> st.SearchStrategy[Any]:
    """The same amount as a Decimal, or as a text with 万/亿 units or thousands separators."""
    options: list[Any] = [amount]
    if amount == amount.to_integral_value():
        whole = int(amount)
        options.append(f"{whole:,}")
        if whole % 10_000 == 0:
            options.append(f"{whole // 10_000}万元")
        if whole % 1_000_000 == 0:
            options.append(f"{Decimal(whole) / Decimal(100_000_000):f}亿")
    return st.sampled_from(options)


def money(max_yuan: int) -> st.SearchStrategy[Any]:
    """An amount from 0 to ``max_yuan`` 元, to the fen, written one of several ways."""
    fen = st.one_of(st.integers(0, max_yuan * 100), st.integers(0, max_yuan // 10_000).map(lambda w: w * 1_000_000))
    return fen.map(lambda f: Decimal(f) / 100).flatmap(_with_units)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    first17 = draw(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
    return first17 + check_character(first17)


def _items(strategy: st.SearchStrategy[dict[str, Any]], max_size: int = 3) -> st.SearchStrategy[list[dict[str, Any]]]:
    # Names are unique within a list (of one kind, for honours): a repeated one is bad input.
    return st.lists(strategy, max_size=max_size, unique_by=lambda d: (d.get("kind"), d.get("name", d.get("product"))))


def _unnamed_items(strategy: st.SearchStrategy[dict[str, Any]],
                   max_size: int = 3) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(strategy, max_size=max_size)


honours = st.fixed_dictionaries({"kind": st.sampled_from(HONOUR_KINDS), "date": dates}, optional={"name": names})
standards = st.fixed_dictionaries({
    "name": names, "level": st.sampled_from(["international", "national", "industry", "group", "local"]),
    "role": st.sampled_from(["lead", "participate"]), "date": dates})
projects = st.fixed_dictionaries({"name": names}, optional={
    "digital": maybe(st.booleans()), "key_project": maybe(st.booleans()),
    "field": maybe(st.sampled_from(PROJECT_FIELDS)),
    "software_hardware_investment": maybe(money(50_000_000)),
    "fixed_asset_investment": maybe(money(100_000_000)), "date": maybe(dates)})
premiums = st.fixed_dictionaries({"product": names, "premium": money(5_000_000), "date": dates},
                                 optional={"qualifies": maybe(st.booleans())})
onjob = st.fixed_dictionaries({"trainees": st.integers(0, 2_000), "finished": dates})
rates = st.integers(0, 100).flatmap(lambda p: st.sampled_from([Decimal(p) / 100, f"{p}%"]))
programmes = st.fixed_dictionaries({
    "name": names, "kind": st.sampled_from(["order", "project", "directed"]), "trainees": st.integers(0, 200),
    "days": st.integers(0, 60), "provider": st.sampled_from(["本企业", "阳泉职业技术学院"]), "finished": dates},
    optional={"employment_rate": maybe(rates)})
land = st.fixed_dictionaries({
    "name": names, "grade": st.integers(1, 15), "area_m2": money(200_000), "cost_sum": money(50_000_000)},
    optional={"supported_industrial": maybe(st.booleans())})
received = st.fixed_dictionaries({"provision": st.sampled_from(HISTORY_PROVISIONS), "year": st.integers(2023, 2025)})
other_awards = st.fixed_dictionaries({
    "subject": st.sampled_from(["设备购置:2024", "设备购置:2025", "项目:产线"]), "policy": st.just("阳泉市其他奖励办法"),
    "amount": money(3_000_000)})

profiles = st.fixed_dictionaries(
    {"name": names, "claim_year": st.integers(2022, 2026)},
    optional={
        "credit_code": maybe(credit_codes()),
        "county": maybe(st.sampled_from(COUNTIES)),
        "town": maybe(st.sampled_from([*TOWNS, "无"])),
        "leading_industry": maybe(st.booleans()),
        "backbone": maybe(st.booleans()),
        "sci_tech_sme": maybe(st.booleans()),
        "size": maybe(st.sampled_from(["large", "medium", "small", "micro", "大型", "小型"])),
        "revenue": maybe(money(5_000_000_000)),
        "highest_revenue_before": maybe(money(5_000_000_000)),
        "industry_revenue_rank": maybe(st.integers(1, 50)),
        "market_rank": maybe(st.integers(1, 50)),
        "market_rank_best_before": maybe(st.one_of(st.integers(1, 50), st.just("never"))),
        "equipment_investment": maybe(money(10_000_000)),
        "honours": _items(honours),
        "standards": _items(standards),
        "projects": _items(projects),
        "premiums": _unnamed_items(premiums),  # one product's premiums repeat by design
        "onjob_training": maybe(onjob),
        "training_programmes": _items(programmes),
        "land": _items(land, 2),
        "awards_received": _unnamed_items(received, 2),
        "other_policy_awards": _unnamed_items(other_awards, 2),
    },
)

# Profiles likely to be paid something: in a town, in the leading industry, within the policy window.
eligible_profiles = profiles.map(lambda p: {**p, "town": "耐火材料", "leading_industry": True, "backbone": True,
                                            "claim_year": 2024})
