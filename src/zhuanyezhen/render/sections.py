"""The sections of a ``zyz calc`` report, in order and numbered, shared by every text layout.

The terminal table, the plain (piped or narrow) layout and Markdown all draw these same sections,
so their numbering, headings and Chinese wording cannot drift apart. Only words are chosen here;
every amount comes from the ``Result``. Importing this module does not import rich.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from zhuanyezhen.engine.result import KIND_LABELS, Outcome, Result
from zhuanyezhen.money import wan, yuan
from zhuanyezhen.profile.glossary import (
    SECTION_NUMBERS,
    clause_label,
    interpretations_line,
    item_label,
    subject_label,
)


@dataclass(frozen=True)
class Money:
    """An amount cell: drawn as ``元`` with ``万元`` beside or below it, never broken inside."""

    amount: Decimal | None

    def lines(self) -> tuple[str, str]:
        if self.amount is None:
            return "—", ""
        return yuan(self.amount), f"({wan(self.amount)}万元)"

    def one_line(self) -> str:
        first, second = self.lines()
        return f"{first} 元{second}" if second else first


Cell = str | Money


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    heading_column: int = 1  # with column 0, names a row in the block layout
    line_format: str | None = None  # in the block layout, one line per row in this format


def _cap(o: Outcome) -> str:
    return (o.cap or "—") + (" (已封顶)" if o.capped else "")


def _subject(o: Outcome) -> str:
    return subject_label(o.subject) or item_label(o.item)


def calc_sections(result: Result) -> list[Section]:
    """Every section of the report, numbered 一、二、… in the order printed."""
    paid = Section("可获奖补", ["条款", "项目", "事项", "计算依据", "金额(元)", "上限", "性质",
                              "资金拨付对象", "受理部门"],
                   [[clause_label(o.clause), o.title, _subject(o), o.basis or "", Money(o.amount), _cap(o),
                     KIND_LABELS.get(o.kind or "", ""), o.beneficiary, o.apply_to]
                    for o in result.by_status("paid")])
    excluded = Section("不予重复奖补(已排除)", ["条款", "项目", "事项", "原计算金额(元)", "原因"],
                       [[clause_label(o.clause), o.title, _subject(o), Money(o.computed), o.reason or ""]
                        for o in result.by_status("excluded")])
    needs = Section("需补充信息", ["条款", "项目", "事项", "需补充"],
                    [[clause_label(o.clause), o.title, item_label(o.item), "、".join(o.missing)]
                     for o in result.by_status("needs_info")])
    support = Section("可享受的无固定金额支持(不计入合计)", ["条款", "支持内容", "事项", "联系部门"],
                      [[clause_label(o.clause), o.title, item_label(o.item), o.apply_to]
                       for o in result.by_status("support")])
    land = Section("土地出让底价优惠(价格优惠,非现金,不计入合计)", ["地块", "计算依据", "优惠(元)"],
                   [[x.item, x.basis, Money(x.benefit)] for x in result.land], heading_column=0)
    not_eligible = Section("不符合条件的条款", ["条款", "项目", "事项", "原因"],
                           [[clause_label(o.clause), o.title, item_label(o.item), o.reason or ""]
                            for o in result.by_status("not_eligible")])
    t = result.totals
    rows: list[list[Cell]] = [["确定金额", yuan(t.exact), wan(t.exact)],
                              ["最高可达", yuan(t.up_to), wan(t.up_to)],
                              ["企业合计", yuan(t.total), wan(t.total)]]
    if t.payable_to_others:
        rows.append(["另付培训主体(不计入企业合计)", yuan(t.payable_to_others), wan(t.payable_to_others)])
    if t.land_benefit:
        rows.append(["土地价格优惠(非现金)", yuan(t.land_benefit), wan(t.land_benefit)])
    totals = Section("合计(同一事项不重复计算)", ["项目", "金额(元)", "万元"], rows, heading_column=0,
                     line_format="{0}:{1} 元({2}万元)")
    sections = [paid, excluded, needs, support, land, not_eligible, totals]
    for number, section in zip(SECTION_NUMBERS, sections, strict=False):
        section.title = f"{number}、{section.title}"
    return sections


def header_lines(result: Result) -> list[str]:
    where = "·".join(x for x in (result.county, result.town and f"{result.town}专业镇") if x)
    return [f"{result.enterprise}  {where}  申报年度 {result.claim_year}".replace("    ", "  "),
            f"依据:{result.document_number}《{result.policy_title}》"]


def assumptions_line(result: Result, interpretations: object) -> str:
    return interpretations_line(result.assumptions, interpretations)
