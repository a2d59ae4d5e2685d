"""Terminal rendering of ``zyz explain`` and ``zyz whatif``: Chinese, plain text, no amounts computed.

Every value from a profile goes into ``rich.text.Text`` objects, never into markup, so a name such
as ``[bold]`` or ``<script>`` is printed as written.
"""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from zhuanyezhen.engine.explain import Explanation, ProvisionExplained
from zhuanyezhen.engine.near_miss import KIND_LABELS as MISS_LABELS
from zhuanyezhen.engine.near_miss import NearMiss
from zhuanyezhen.engine.result import KIND_LABELS, STATUS_LABELS, Totals
from zhuanyezhen.engine.whatif import WhatIf
from zhuanyezhen.money import wan, yuan
from zhuanyezhen.render.table import _box

MARK = {"met": "满足", "unmet": "不满足", "unknown": "未知"}
CONDITION_PREFIX = "条件“"


def _money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{yuan(amount)} 元({wan(amount)}万元)"


def _provision(p: ProvisionExplained) -> list[RenderableType]:
    out: list[RenderableType] = []
    head = Text()
    head.append(f"━━ ({p.clause}) {p.title}", style="bold")
    head.append(f"  [{p.id}]", style="dim")
    out.append(head)
    if not p.outcomes:
        out.append(Text("   档案未列出本项所需的事项,未作判断"))
    for ox in p.outcomes:
        o = ox.outcome
        line = Text("   结论:")
        line.append(STATUS_LABELS[o.status], style="bold")
        if o.status == "paid":
            line.append(f"  {_money(o.amount)}")
            if o.kind:
                line.append(f"({KIND_LABELS[o.kind]})")
            if o.beneficiary != "本企业":
                line.append(f",付给 {o.beneficiary},不计入企业合计")
        elif o.status == "excluded":
            line.append(f"  原计算 {_money(o.computed)}")
        out.append(line)
        if o.item or o.subject:
            out.append(Text("   事项:" + " / ".join(x for x in (o.item, o.subject) if x)))
        if ox.conditions:
            out.append(Text("   条件:"))
            for c in ox.conditions:
                facts = ",".join(f"{f.title}({f.path})={'未填' if f.value is None else f.value}"
                                 for f in c.facts)
                row = Text(f"     [{MARK[c.outcome]}] {c.label}")
                row.append(f"  〔{c.test}〕", style="dim")
                if facts:
                    row.append(f"  读到:{facts}")
                out.append(row)
        steps = [s for s in o.steps if not s.startswith(CONDITION_PREFIX)]
        if steps:
            out.append(Text("   过程:"))
            out.extend(Text(f"     · {s}") for s in steps)
        if o.status == "paid" and o.cap:
            out.append(Text(f"   上限:{o.cap}" + (",已封顶" if o.capped else ",未封顶")))
        if o.reason and o.status != "excluded":
            out.append(Text(f"   原因:{o.reason}"))
        if o.winner:
            won = f"{ox.winner_title}({o.winner})" if ox.winner_title else o.winner
            out.append(Text(f"   胜出:{won}"))
    for i in p.interpretations:
        out.append(Text(f"   解释:{i.name}={i.chosen}({i.meaning});问题:{i.question}"))
    if p.note:
        out.append(Text(f"   说明:{p.note}"))
    out.append(Text(f"   原文:“{p.quote}”", style="italic"))
    out.append(Text(f"   责任单位:{'、'.join(p.departments)}"))
    for m in p.near_misses:
        out.append(Text(f"   差一点:{m.text}"))
    return out


def near_miss_table(console: Console, misses: list[NearMiss]) -> RenderableType:
    if not misses:
        return Text("差一点就能拿到的奖补:无")
    table = Table(title="差一点就能拿到的奖补(按可增加的金额排序)", title_justify="left", box=_box(console),
                  title_style="bold", header_style="bold", pad_edge=False)
    for column in ("条款", "类别", "说明", "本项可增加(元)"):
        table.add_column(column, overflow="fold")
    for m in misses:
        table.add_row(f"({m.clause})", MISS_LABELS[m.kind], m.text, yuan(m.worth) if m.worth else "—")
    return table


def totals_lines(label: str, totals: Totals) -> Text:
    return Text(f"{label}:确定金额 {_money(totals.exact)};最高可达 {_money(totals.up_to)};"
                f"企业合计 {_money(totals.total)}")


def render_explanation(e: Explanation, console: Console, only_one: bool) -> None:
    parts: list[RenderableType] = []
    head = Text()
    head.append(e.enterprise, style="bold")
    head.append(f"  申报年度 {e.claim_year}  依据:{e.document_number}《{e.policy_title}》")
    parts.append(head)
    parts.extend(Text(f"注意:{n}", style="bold red") for n in e.notices)
    for p in e.provisions:
        parts.extend(_provision(p))
    if not only_one:
        parts.append(near_miss_table(console, e.near_misses))
        parts.append(totals_lines("合计", e.totals))
    parts.append(Text(f"规则哈希 {e.rules_hash[:16]}…  引擎版本 {e.engine_version}", style="dim"))
    console.print(Group(*parts))


def render_whatif(w: WhatIf, console: Console) -> None:
    parts: list[RenderableType] = [Text("假设:" + ";".join(f"{k}={v}" for k, v in w.changes.items()))]
    t = Table(title="合计对比", title_justify="left", box=_box(console), title_style="bold",
              header_style="bold", pad_edge=False)
    for column in ("项目", "变更前(元)", "变更后(元)", "差额(元)"):
        t.add_column(column)
    rows = (("确定金额", w.before.exact, w.after.exact), ("最高可达", w.before.up_to, w.after.up_to),
            ("企业合计", w.before.total, w.after.total),
            ("另付培训主体", w.before.payable_to_others, w.after.payable_to_others),
            ("土地价格优惠(非现金)", w.before.land_benefit, w.after.land_benefit))
    for label, a, b in rows:
        t.add_row(label, yuan(a), yuan(b), _signed(b - a))
    parts.append(t)
    if not w.awards:
        parts.append(Text("没有奖补发生变化"))
    else:
        c = Table(title="发生变化的奖补", title_justify="left", box=_box(console), title_style="bold",
                  header_style="bold", pad_edge=False)
        for column in ("条款", "项目", "事项", "变更前", "变更后", "说明"):
            c.add_column(column, overflow="fold")
        for award in w.awards:
            c.add_row(f"({award.clause})", award.title, " ".join(x for x in (award.item, award.tier) if x),
                      _state(award.status_before, award.amount_before),
                      _state(award.status_after, award.amount_after), award.reason_after or "")
        parts.append(c)
    console.print(Group(*parts))


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + yuan(amount) if amount else "0.00"


def _state(status: str | None, amount: Decimal | None) -> str:
    if status is None:
        return "无"
    label = STATUS_LABELS.get(status, status)
    return f"{label} {yuan(amount)}" if amount is not None else label
