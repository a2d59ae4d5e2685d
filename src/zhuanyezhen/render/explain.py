"""Rendering of ``zyz explain`` and ``zyz whatif``: Chinese, no amounts computed.

Built from ``layout`` parts (plain lines and sections), so a pipe gets plain text without rich and
a terminal gets tables that fit its width. Profile values are printed as written, never as markup.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, TextIO

from zhuanyezhen.engine.explain import Explanation, ProvisionExplained
from zhuanyezhen.engine.near_miss import KIND_LABELS as MISS_LABELS
from zhuanyezhen.engine.near_miss import NearMiss
from zhuanyezhen.engine.result import KIND_LABELS, STATUS_LABELS, Totals
from zhuanyezhen.engine.whatif import WhatIf
from zhuanyezhen.money import wan, yuan
from zhuanyezhen.profile.glossary import (
    SECTION_NUMBERS,
    clause_label,
    interpretation_words,
    interpretations_line,
    item_label,
    subject_label,
    tier_label,
    value_label,
)
from zhuanyezhen.profile.model import ITEM_MODELS, OnJobTraining, Profile, fact_title
from zhuanyezhen.render.layout import Line, Part, draw, screen_for
from zhuanyezhen.render.sections import Money, Section

MARK = {"met": "满足", "unmet": "不满足", "unknown": "未知"}
CONDITION_PREFIX = "条件“"


def _money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{yuan(amount)} 元({wan(amount)}万元)"


def path_title(path: str) -> str:
    """``projects[0].fixed_asset_investment`` → ``项目第1项的固定资产投资额(元)``."""
    match = re.fullmatch(r"([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?", path)
    if not match:
        return path
    head, index, rest = match.groups()
    words = fact_title(Profile, head)
    if index is not None:
        words += f"第{int(index) + 1}项"
    if rest:
        model = ITEM_MODELS.get(head, OnJobTraining)
        words += f"的{fact_title(model, rest)}"
    return words


def _provision(p: ProvisionExplained, interpretations: Any) -> list[Part]:
    out: list[Part] = [Line(f"━━ {clause_label(p.clause)}{p.title}", "bold")]
    if not p.outcomes:
        out.append(Line("   档案未列出本项所需的事项,未作判断"))
    for ox in p.outcomes:
        o = ox.outcome
        line = f"   结论:{STATUS_LABELS[o.status]}"
        if o.status == "paid":
            line += f"  {_money(o.amount)}"
            if o.kind:
                line += f"({KIND_LABELS[o.kind]})"
            if o.beneficiary != "本企业":
                line += f",资金拨付对象为{o.beneficiary},不计入企业合计"
        elif o.status == "excluded":
            line += f"  原计算 {_money(o.computed)}"
        out.append(Line(line))
        shown_item = item_label(o.item)
        shown_subject = subject_label(o.subject)
        if shown_item or shown_subject:
            both = [shown_subject] if shown_item and shown_item in shown_subject else [shown_item, shown_subject]
            out.append(Line("   事项:" + " / ".join(x for x in both if x)))
        if ox.conditions:
            out.append(Line("   条件:"))
            for c in ox.conditions:
                facts = ",".join(f"{f.title}={value_label(f.value)}" for f in c.facts)
                out.append(Line(f"     [{MARK[c.outcome]}] {c.label}" + (f"  读到:{facts}" if facts else "")))
        steps = [s for s in o.steps if not s.startswith(CONDITION_PREFIX)]
        if steps:
            out.append(Line("   过程:"))
            out.extend(Line(f"     · {s}") for s in steps)
        if o.status == "paid" and o.cap:
            out.append(Line(f"   上限:{o.cap}" + (",已封顶" if o.capped else ",未封顶")))
        if o.reason and o.status != "excluded":
            out.append(Line(f"   原因:{o.reason}"))
        if o.status == "excluded" and o.reason:
            out.append(Line(f"   结果:按“{ox.winner_title}”计" if ox.winner_title else f"   原因:{o.reason}"))
    for i in p.interpretations:
        out.append(Line(f"   口径:{interpretation_words(i.name, i.chosen, interpretations)};问题:{i.question}"))
    if p.note:
        out.append(Line(f"   说明:{p.note}"))
    out.append(Line(f"   原文:“{p.quote}”"))
    out.append(Line(f"   责任单位:{'、'.join(p.departments)}"))
    for m in p.near_misses:
        out.append(Line(f"   临近奖补条件:{m.text}"))
    return out


def near_miss_section(misses: list[NearMiss], number: str = "") -> Section:
    return Section(f"{number}临近奖补条件事项(按可增加的金额排序)", ["条款", "类别", "说明", "本项可增加(元)"],
                   [[clause_label(m.clause), MISS_LABELS[m.kind], m.text, Money(m.worth) if m.worth else "—"]
                    for m in misses])


def totals_line(label: str, totals: Totals) -> Line:
    return Line(f"{label}:确定金额 {_money(totals.exact)};最高可达 {_money(totals.up_to)};"
                f"企业合计 {_money(totals.total)}")


def render_explanation(e: Explanation, file: TextIO | None, only_one: bool, interpretations: Any = None) -> None:
    parts: list[Part] = [Line(f"{e.enterprise}  申报年度 {e.claim_year}  依据:{e.document_number}《{e.policy_title}》",
                              "bold")]
    parts += [Line(f"注意:{n}", "bold red") for n in e.notices]
    parts.append(Line(f"{SECTION_NUMBERS[0]}、逐条说明"))
    for p in e.provisions:
        parts += _provision(p, interpretations)
    if not only_one:
        parts.append(near_miss_section(e.near_misses, f"{SECTION_NUMBERS[1]}、"))
        parts.append(Line(f"{SECTION_NUMBERS[2]}、合计"))
        parts.append(totals_line("合计", e.totals))
    parts.append(Line(interpretations_line(e.assumptions, interpretations), "dim"))
    parts.append(Line(f"规则摘要 {e.rules_hash[:16]}…  zyz {e.engine_version}", "dim"))
    draw(parts, screen_for(file))


def render_whatif(w: WhatIf, file: TextIO | None) -> None:
    parts: list[Part] = [Line("假设:" + ";".join(f"{path_title(k)}({k})={v}" for k, v in w.changes.items()))]
    rows = (("确定金额", w.before.exact, w.after.exact), ("最高可达", w.before.up_to, w.after.up_to),
            ("企业合计", w.before.total, w.after.total),
            ("另付培训主体", w.before.payable_to_others, w.after.payable_to_others),
            ("土地价格优惠(非现金)", w.before.land_benefit, w.after.land_benefit))
    parts.append(Section(f"{SECTION_NUMBERS[0]}、合计对比", ["项目", "变更前(元)", "变更后(元)", "差额(元)"],
                         [[label, yuan(a), yuan(b), _signed(b - a)] for label, a, b in rows], heading_column=0,
                         line_format="{0}:变更前 {1} 元,变更后 {2} 元,差额 {3} 元"))
    columns = ["条款", "项目", "事项", "变更前", "变更后", "说明"]
    parts.append(Section(f"{SECTION_NUMBERS[1]}、发生变化的奖补", columns, [
        [clause_label(a.clause), a.title, " ".join(x for x in (item_label(a.item), tier_label(a.tier)) if x),
         _state(a.status_before, a.amount_before), _state(a.status_after, a.amount_after), a.reason_after or ""]
        for a in w.awards]))
    draw(parts, screen_for(file))


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + yuan(amount) if amount else "0.00"


def _state(status: str | None, amount: Decimal | None) -> str:
    if status is None:
        return "无"
    label = STATUS_LABELS.get(status, status)
    return f"{label} {yuan(amount)}" if amount is not None else label
