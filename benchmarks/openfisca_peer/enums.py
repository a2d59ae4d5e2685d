"""Enumerations of the input's choice fields; values are the Chinese words the input files use."""

from openfisca_core.indexed_enums import Enum


class Town(Enum):
    unknown = "未填"
    sand_pottery = "砂陶"
    refractory = "耐火材料"
    battery = "新能源电池"
    coal_machinery = "煤机装备"
    selenium = "富硒农业"
    herbs = "中药材加工"
    grains = "杂粮"
    pumps = "泵阀"
    outside = "无"  # in no specialised town


class HonourKind(Enum):
    none = "不是荣誉"  # every item that is not an honour
    leader_city = "全市特色专业镇规模化领军企业"
    leader_province = "全省特色专业镇规模化领军企业"
    gi_zone = "国家地理标志产品保护示范区"
    gi_china_eu = "中欧地理标志产品互认互保名单"
    laozihao_china = "中华老字号"
    laozihao_shanxi = "山西老字号"
    single_champion = "国家级制造业单项冠军产品"
    other = "其他荣誉"  # craft masters, heritage inheritors, high-tech: support, no amount here


class StandardLevel(Enum):
    none = "不是标准"
    international = "国际标准"
    national = "国家标准"
    industry = "行业标准"
    group = "团体标准"
    local = "地方标准"


class StandardRole(Enum):
    participate = "参与"
    lead = "主导"


class ProjectField(Enum):
    unknown = "未填"
    foundation = "产业基础再造"
    smart_manufacturing = "智能制造示范"
    green_manufacturing = "绿色制造推广"
    chain_strengthening = "产业链锻长补短"
    innovation = "技术创新提升"
    upgrade = "企业提标改造"
    other = "其他"


# Other spellings the input may use for the same member (English codes are accepted for every enum).
ALIASES: dict[type[Enum], dict[str, str]] = {
    Town: {"富硒": "selenium", "“富硒”农业": "selenium", "耐火": "refractory", "耐材": "refractory",
           "中药材": "herbs", "非专业镇": "outside", "none": "outside", "": "unknown"},
    HonourKind: {"三晋老字号": "laozihao_shanxi", "": "none"},
    StandardLevel: {"国际": "international", "国家": "national", "行业": "industry", "团体": "group",
                    "地方": "local"},
    StandardRole: {},
    ProjectField: {"": "unknown"},
}


def lookup(enum: type[Enum], fallback: str) -> dict[str, int]:
    """Word → member index, for the reader: Chinese value, English name or alias. Words not found map to
    ``fallback`` (the peer validates nothing; zyz would refuse them)."""
    members = list(enum)
    index = {m.name: i for i, m in enumerate(members)}
    out = {**index, **{m.value: i for i, m in enumerate(members)}}
    out.update({word: index[name] for word, name in ALIASES[enum].items()})
    out[""] = out.get("", index[fallback])
    return out
