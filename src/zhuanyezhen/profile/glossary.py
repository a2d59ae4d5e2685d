"""The one glossary every human-readable output uses: each code, key and number in official Chinese.

English ids (``single_champion``, ``national``, ``revenue_tier=highest_only``) stay in JSON/YAML
output and in ``--assume``; tables, Markdown, explanations, the report, batch sheets and messages
show the words below instead. ``vocabulary`` holds the opposite direction (Chinese a profile may
use → code); this module is built from it so the two cannot disagree.
"""

from __future__ import annotations

import re
from typing import Any

from zhuanyezhen.profile import vocabulary

CHINESE_DIGITS = "零一二三四五六七八九"

# The preferred Chinese name of each code (the first alias in vocabulary is the official one).
VALUE_LABELS: dict[str, str] = {}
for _table in (vocabulary.SIZE_ALIASES, vocabulary.HONOUR_ALIASES, vocabulary.LEVEL_ALIASES,
               vocabulary.ROLE_ALIASES, vocabulary.FIELD_ALIASES, vocabulary.PROGRAMME_ALIASES,
               vocabulary.NEVER_ALIASES):
    for _chinese, _code in _table.items():
        VALUE_LABELS.setdefault(_code, _chinese)
VALUE_LABELS["laozihao_shanxi"] = "山西(三晋)老字号"
VALUE_LABELS["never"] = "从未进入"

STATUS_LABELS: dict[str, str] = {
    "paid": "可获奖补",
    "excluded": "不予重复奖补",
    "not_eligible": "不符合条件",
    "needs_info": "需补充信息",
    "support": "无固定金额的支持",
    "land_benefit": "土地价格优惠",
}
KIND_LABELS: dict[str, str] = {"exact": "确定金额", "up_to": "最高可达"}
SECTION_NUMBERS = "一二三四五六七八九十"


def chinese_number(number: int) -> str:
    """``16`` → ``"十六"``, ``10`` → ``"十"``, ``21`` → ``"二十一"`` (0–99)."""
    if number < 10:
        return CHINESE_DIGITS[number]
    tens, ones = divmod(number, 10)
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return head + "十" + (CHINESE_DIGITS[ones] if ones else "")


def clause_label(number: int | None) -> str:
    """A clause as the policy writes it: ``3`` → ``"（三）"`` (full-width brackets)."""
    return f"（{chinese_number(number)}）" if number else ""


def value_label(value: Any) -> str:
    """A coded value (``national``, ``True``) in Chinese; anything else as written."""
    if value is None:
        return "未填"
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    return VALUE_LABELS.get(text, text)


def item_label(item: str | None) -> str:
    """An item name for display: an honour recorded only by its kind is shown by its Chinese name."""
    if not item:
        return ""
    return VALUE_LABELS.get(item, item)


def interpretation_words(name: str, option: str, interpretations: Any) -> str:
    """``revenue_tier=highest_only`` as ``营收跨档:只奖最高档``, from the rule files' own labels.

    ``interpretations`` maps names to ``policy.models.Interpretation``; a rule set without
    Chinese labels falls back to the option's description, never to the English id.
    """
    interp = interpretations.get(name) if interpretations is not None else None
    if interp is None:
        return "其他口径"
    title = getattr(interp, "title", None) or interp.question.rstrip("?？")
    labels = getattr(interp, "labels", None) or {}
    words = labels.get(option) or interp.options.get(option) or "未知取值"
    return f"{title}:{words}"


def interpretations_line(assumptions: dict[str, str], interpretations: Any) -> str:
    """The last line of every report: ``口径:…;…``, every reading in Chinese words."""
    return "口径:" + ";".join(interpretation_words(n, v, interpretations) for n, v in assumptions.items())


# -- subjects: the non-duplication key stays as it is; only its display is worded ------------------
# Each pair is (key pattern, display) and (display pattern, key), for the subject keys the rule files
# write ("设备购置:{claim_year}"). A key no pattern matches ("项目:智能产线改造") is shown as written.
_SUBJECTS: list[tuple[str, str, str, str]] = [
    (r"设备购置:(?P<y>\d{4})", "{y}年度研发检测试验设备购置",
     r"(?P<y>\d{4})年度研发检测试验设备购置", "设备购置:{y}"),
    (r"保险:(?P<p>.+):(?P<y>\d{4})", "{p}首批次保险({y}年度)",
     r"(?P<p>.+)首批次保险[(（](?P<y>\d{4})年度[)）]", "保险:{p}:{y}"),
    (r"营收首次达标:(?P<t>\d+(?:\.\d+)?[亿万])", "营业收入首次达到{t}元",
     r"营业收入首次达到(?P<t>\d+(?:\.\d+)?[亿万])元", "营收首次达标:{t}"),
    (r"市场占有率首次进入:前(?P<n>\d+)", "首次进入全国前{n}名",
     r"首次进入全国前(?P<n>\d+)名", "市场占有率首次进入:前{n}"),
    (r"在岗职工培训:(?P<y>\d{4})", "{y}年度在岗职工培训",
     r"(?P<y>\d{4})年度在岗职工培训", "在岗职工培训:{y}"),
]


def _rewrite(text: str, to_display: bool) -> str:
    for key_re, display, display_re, key in _SUBJECTS:
        pattern, target = (key_re, display) if to_display else (display_re, key)
        match = re.fullmatch(pattern, text)
        if match:
            return target.format(**match.groupdict())
    return text


def subject_label(subject: str | None) -> str:
    """A subject key (``保险:高纯刚玉:2024``) as a clerk writes it (``高纯刚玉首批次保险(2024年度)``)."""
    return _rewrite(subject, to_display=True) if subject else ""


def subject_key(text: str) -> str:
    """The key behind a displayed subject, so a profile may copy either form from a result."""
    return _rewrite(text.strip(), to_display=False)


def tier_label(tier: str | None) -> str:
    """A tier id (``1亿``, ``前10``) in words: ``1亿元``, ``全国前10名``."""
    if not tier:
        return ""
    if re.fullmatch(r"前\d+", tier):
        return f"全国{tier}名"
    if re.fullmatch(r"\d+(?:\.\d+)?[亿万]", tier):
        return f"{tier}元"
    return tier
