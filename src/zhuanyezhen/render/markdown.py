"""``--format markdown``: the same report as the terminal table, as Markdown to file or paste."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from zhuanyezhen.engine.result import KIND_LABELS, Outcome, Result, Status
from zhuanyezhen.money import wan, yuan
from zhuanyezhen.policy.models import Policy


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{yuan(amount)}({wan(amount)}万元)"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _clause(o: Outcome) -> str:
    return f"({o.clause})"


def result_markdown(result: Result, policy: Policy) -> str:
    out: list[str] = [f"# {result.enterprise}:专业镇奖补测算", ""]
    where = "·".join(x for x in (result.county, result.town and f"{result.town}专业镇") if x)
    out += [f"- 申报年度:{result.claim_year}" + (f";{where}" if where else ""),
            f"- 依据:{result.document_number}《{result.policy_title}》", ""]
    for notice in result.notices:
        out += [f"> **注意**:{_cell(notice)}", ""]

    paid = result.by_status("paid")
    out += ["## 一、可获奖补", ""]
    if paid:
        out += _table(["条款", "项目", "事项", "计算依据", "金额(元)", "上限", "性质", "受益方", "申报部门"], [
            [_clause(o), o.title, o.subject or "", o.basis or "", _money(o.amount),
             (o.cap or "—") + (" (已封顶)" if o.capped else ""), KIND_LABELS.get(o.kind or "", ""),
             o.beneficiary, o.apply_to] for o in paid])
    else:
        out += ["无", ""]
    Row = Callable[[Outcome], list[str]]
    sections: list[tuple[str, Status, list[str], Row]] = [
        ("二、不予重复奖补(已排除)", "excluded", ["条款", "项目", "事项", "原计算金额(元)", "原因"],
         lambda o: [_clause(o), o.title, o.subject or "", _money(o.computed), o.reason or ""]),
        ("三、需补充信息", "needs_info", ["条款", "项目", "事项", "需补充"],
         lambda o: [_clause(o), o.title, o.item or "", "、".join(o.missing)]),
        ("四、可享受的无固定金额支持(不计入合计)", "support", ["条款", "支持内容", "事项", "联系部门"],
         lambda o: [_clause(o), o.title, o.item or "", o.apply_to]),
        ("不符合条件的条款", "not_eligible", ["条款", "项目", "事项", "原因"],
         lambda o: [_clause(o), o.title, o.item or "", o.reason or ""]),
    ]
    for title, status, head, row in sections:
        found = result.by_status(status)
        out += [f"## {title}", ""]
        out += _table(head, [row(o) for o in found]) if found else ["无", ""]
    if result.land:
        out += ["## 五、土地出让底价优惠(价格优惠,非现金,不计入合计)", ""]
        out += _table(["地块", "计算依据", "优惠(元)"], [[x.item, x.basis, _money(x.benefit)] for x in result.land])

    t = result.totals
    rows = [["确定金额", yuan(t.exact), wan(t.exact)], ["最高可达", yuan(t.up_to), wan(t.up_to)],
            ["企业合计", yuan(t.total), wan(t.total)]]
    if t.payable_to_others:
        rows.append(["另付培训主体(不计入企业合计)", yuan(t.payable_to_others), wan(t.payable_to_others)])
    if t.land_benefit:
        rows.append(["土地价格优惠(非现金)", yuan(t.land_benefit), wan(t.land_benefit)])
    out += ["## 合计(同一事项不重复计算)", "", *_table(["项目", "金额(元)", "万元"], rows)]

    out += ["## 采用的解释", ""]
    out += _table(["名称", "取值", "含义", "默认"], [
        [name, value, policy.interpretations[name].options.get(value, value) if name in policy.interpretations else "",
         "是" if name in policy.interpretations and policy.interpretations[name].default == value else "否(已改)"]
        for name, value in result.assumptions.items()])
    out += [f"规则摘要 `{result.rules_hash}`;zyz {result.engine_version}。", ""]
    return "\n".join(out)
