"""The towns and counties of Yangquan that the policy names (see docs/readings.md)."""

from __future__ import annotations

# 重点发展 (key towns) and 培育 (towns being grown), by leading industry.
KEY_TOWNS = ("砂陶", "耐火材料", "新能源电池", "煤机装备", "富硒农业")
GROWING_TOWNS = ("中药材加工", "杂粮", "泵阀")
TOWNS = KEY_TOWNS + GROWING_TOWNS
OUTSIDE_TOWNS = "无"  # the enterprise is not in any specialised town

COUNTIES = ("城区", "矿区", "郊区", "平定县", "盂县", "经济技术开发区")

_TOWN_ALIASES = {
    "富硒": "富硒农业",
    "“富硒”农业": "富硒农业",
    '"富硒"农业': "富硒农业",
    "耐火": "耐火材料",
    "耐材": "耐火材料",
    "中药材": "中药材加工",
    "none": OUTSIDE_TOWNS,
    "非专业镇": OUTSIDE_TOWNS,
}
_COUNTY_ALIASES = {"开发区": "经济技术开发区", "阳泉经济技术开发区": "经济技术开发区",
                   "平定": "平定县", "盂": "盂县"}


def normalise_town(name: str) -> str:
    text = name.strip().removesuffix("专业镇").strip()
    text = _TOWN_ALIASES.get(text, text)
    if text not in TOWNS and text != OUTSIDE_TOWNS:
        raise ValueError(
            f"未知的专业镇“{name}”;可选:{'、'.join(TOWNS)},不在专业镇的企业填“{OUTSIDE_TOWNS}”"
        )
    return text


def normalise_county(name: str) -> str:
    text = _COUNTY_ALIASES.get(name.strip(), name.strip())
    if text not in COUNTIES:
        raise ValueError(f"未知的县区“{name}”;可选:{'、'.join(COUNTIES)}")
    return text
