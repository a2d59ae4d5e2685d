"""The Chinese terminal report of ``zyz calc``, drawn with rich."""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from typing import TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from zhuanyezhen.engine.result import KIND_LABELS, Outcome, Result
from zhuanyezhen.money import wan, yuan


def make_console(file: TextIO | None = None) -> Console:
    """A console that draws colour and boxes only on a terminal, and never with NO_COLOR set."""
    stream = file or sys.stdout
    plain = not stream.isatty() or bool(os.environ.get("NO_COLOR"))
    return Console(file=stream, no_color=plain, color_system=None if plain else "auto",
                   highlight=False, soft_wrap=False, width=None if not plain else 200,
                   emoji=False, force_terminal=False if plain else None)


def _box(console: Console) -> box.Box | None:
    return None if console.no_color else box.SIMPLE_HEAVY


def money_cell(amount: Decimal | None) -> str:
    if amount is None:
        return "—"
    return f"{yuan(amount)}\n({wan(amount)}万元)"


def _clause(o: Outcome) -> str:
    return f"({o.clause})" if o.clause else ""


def _table(console: Console, title: str, columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left", box=_box(console), show_lines=False,
                  title_style="bold", header_style="bold", pad_edge=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def render_result(result: Result, console: Console) -> None:
    console.print(Group(*report_parts(result, console)))


def report_parts(result: Result, console: Console) -> list[RenderableType]:
    parts: list[RenderableType] = []
    head = Text()
    head.append(f"{result.enterprise}", style="bold")
    where = "·".join(x for x in (result.county, result.town and f"{result.town}专业镇") if x)
    head.append(f"  {where}  申报年度 {result.claim_year}\n")
    head.append(f"依据:{result.document_number}《{result.policy_title}》")
    parts.append(head)
    for notice in result.notices:
        parts.append(Text(f"注意:{notice}", style="bold red"))

    paid = result.by_status("paid")
    table = _table(console, "一、可获奖补", ["条款", "项目", "事项", "计算依据", "金额(元)",
                                            "上限", "性质", "受益方", "申报部门"])
    for o in paid:
        table.add_row(_clause(o), o.title, o.subject or "", o.basis or "", money_cell(o.amount),
                      (o.cap or "—") + (" (已封顶)" if o.capped else ""),
                      KIND_LABELS.get(o.kind or "", ""), o.beneficiary, o.apply_to)
    parts.append(table if paid else Text("一、可获奖补:无"))

    excluded = result.by_status("excluded")
    if excluded:
        t = _table(console, "二、不予重复奖补(已排除)", ["条款", "项目", "事项", "原计算金额(元)", "原因"])
        for o in excluded:
            t.add_row(_clause(o), o.title, o.subject or "", money_cell(o.computed), o.reason or "")
        parts.append(t)
    else:
        parts.append(Text("二、不予重复奖补:无"))

    needs = result.by_status("needs_info")
    if needs:
        t = _table(console, "三、需补充信息", ["条款", "项目", "事项", "需补充"])
        for o in needs:
            t.add_row(_clause(o), o.title, o.item or "", "、".join(o.missing))
        parts.append(t)
    else:
        parts.append(Text("三、需补充信息:无"))

    support = result.by_status("support")
    if support:
        t = _table(console, "四、可享受的无固定金额支持(不计入合计)", ["条款", "支持内容", "事项", "联系部门"])
        for o in support:
            t.add_row(_clause(o), o.title, o.item or "", o.apply_to)
        parts.append(t)

    if result.land:
        t = _table(console, "五、土地出让底价优惠(价格优惠,非现金,不计入合计)",
                   ["地块", "计算依据", "优惠(元)"])
        for land in result.land:
            t.add_row(land.item, land.basis, money_cell(land.benefit))
        parts.append(t)

    not_eligible = result.by_status("not_eligible")
    if not_eligible:
        t = _table(console, "不符合条件的条款", ["条款", "项目", "事项", "原因"])
        for o in not_eligible:
            t.add_row(_clause(o), o.title, o.item or "", o.reason or "")
        parts.append(t)

    totals = result.totals
    t = _table(console, "合计(同一事项不重复计算)", ["项目", "金额(元)", "万元"])
    t.add_row("确定金额", yuan(totals.exact), wan(totals.exact))
    t.add_row("最高可达", yuan(totals.up_to), wan(totals.up_to))
    t.add_row("企业合计", yuan(totals.total), wan(totals.total))
    if totals.payable_to_others:
        t.add_row("另付培训主体(不计入企业合计)", yuan(totals.payable_to_others), wan(totals.payable_to_others))
    if totals.land_benefit:
        t.add_row("土地价格优惠(非现金)", yuan(totals.land_benefit), wan(totals.land_benefit))
    parts.append(t)
    changed = [f"{k}={v}" for k, v in result.assumptions.items()]
    parts.append(Text("采用的解释:" + ";".join(changed), style="dim"))
    return parts
