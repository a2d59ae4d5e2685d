"""Rules in plain Chinese words, for ``zyz rules list`` and ``zyz rules show``.

This only describes rule files; it computes no amount.
"""

from __future__ import annotations

import re
from decimal import Decimal

from zhuanyezhen.money import percent, yuan
from zhuanyezhen.policy.models import PLACEHOLDER, Amount, Choice, Interpretation, LoadedProvision, Policy
from zhuanyezhen.profile.glossary import clause_label
from zhuanyezhen.profile.model import ITEM_MODELS, OnJobTraining, Profile, fact_title

KIND_WORDS = {"exact": "确定金额", "up_to": "最高可达"}
ONE_TIME_WORDS = {
    "enterprise": "一次性:每家企业只奖一次",
    "subject": "一次性:同一事项只奖一次",
    "tier": "一次性:每个档位只奖一次",
    "city": "一次性:同一事项全市只奖一次(批量计分时只奖第一家申报的企业)",
}


def _money(amount: Decimal) -> str:
    return f"{yuan(amount).removesuffix('.00')} 元"


def fact_words(path: str, for_each: str | None) -> str:
    """``item.fixed_asset_investment`` in a ``projects`` rule → ``固定资产投资额(元)``."""
    head, _, rest = path.partition(".")
    if head == "item" and for_each:
        return fact_title(ITEM_MODELS.get(for_each, OnJobTraining), rest)
    if head == "onjob_training" and rest:
        return fact_title(OnJobTraining, rest)
    return fact_title(Profile, head)


def _ref_words(ref: str | Choice, for_each: str | None) -> str:
    if isinstance(ref, Choice):
        return "、".join(f"{fact_words(v, for_each)}(口径 --assume {ref.interpretation}={k})"
                        for k, v in ref.values.items())
    return fact_words(ref, for_each)


def _fill_words(template: str, for_each: str | None) -> str:
    """``培训:{name}`` → ``培训:〈培训项目名称〉``."""

    def word(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "claim_year":
            return "〈申报年度〉"
        head, _, rest = name.partition(".")
        item_fields = ITEM_MODELS.get(for_each or "", OnJobTraining).model_fields if for_each else {}
        words = fact_words(f"item.{head}" if head in item_fields else head, for_each)
        return f"〈{words}{'的' + {'year': '年份'}.get(rest, rest) if rest else ''}〉"

    return PLACEHOLDER.sub(word, template)


def kind_words(p: LoadedProvision) -> str:
    rule = p.rule
    if rule.kind == "support":
        return "无固定金额的支持"
    if rule.kind == "land_benefit":
        return "土地价格优惠(非现金)"
    assert rule.amount is not None
    return KIND_WORDS[rule.amount.kind]


def _table_words(a: Amount) -> list[str]:
    assert a.table is not None
    names = a.table_labels
    return [f"{names.get(r, r)}·{names.get(c, c)}:{_money(v)}" for r, cols in a.table.items() for c, v in cols.items()]


def amount_words(p: LoadedProvision, short: bool = False) -> str:
    """The amount rule in words: ``10% × 固定资产投资额(元)``."""
    rule = p.rule
    if rule.kind == "support":
        return "无固定金额(按有关规定支持)"
    if rule.kind == "land_benefit":
        lp = rule.land_price
        assert lp is not None
        return (f"出让底价取 {percent(lp.ratio)} × 土地等别最低价 × 面积与实际成本之和中的较高者;"
                "优惠 = 最低价 × 面积 - 底价")
    a = rule.amount
    assert a is not None
    f = rule.for_each
    if a.fixed is not None:
        return f"定额 {_money(a.fixed)}"
    if a.rate is not None and a.of is not None:
        return f"{percent(a.rate)} × {fact_words(a.of, f)}"
    if a.per_unit is not None and a.count is not None:
        unit = a.unit or "单位"
        return f"每{unit} {_money(a.per_unit)} × {fact_words(a.count, f)}"
    if a.table is not None and a.table_by is not None:
        by = "、".join(fact_words(x, f) for x in a.table_by)
        if short:
            values = [v for cols in a.table.values() for v in cols.values()]
            return f"按{by}查表({_money(min(values))}–{_money(max(values))})"
        return f"按{by}查表:" + ";".join(_table_words(a))
    if a.schedule is not None:
        s = a.schedule
        bands = []
        start = 1
        for band in s.bands:
            if band.up_to_day is None:
                bands.append(f"第{start}天起每天 {_money(band.per_day)}")
            else:
                bands.append(f"第{start}–{band.up_to_day}天每天 {_money(band.per_day)}")
                start = band.up_to_day + 1
        return f"每人:{','.join(bands)}(天数:{fact_words(s.days, f)})× {_ref_words(s.persons, f)}"
    if a.tiers is not None:
        t = a.tiers
        levels = " / ".join(f"{lv.id} {_money(lv.amount)}" for lv in t.levels)
        return f"{fact_words(t.measure, f)}首次达到:{levels}(与{fact_words(t.before, f)}比较)"
    raise AssertionError(a.form)  # pragma: no cover - Amount validates its form


def cap_words(p: LoadedProvision) -> str:
    a = p.rule.amount
    if a is None:
        return "—"
    caps = []
    if a.cap_per_item is not None:
        caps.append(f"每项最高 {_money(a.cap_per_item)}")
    if a.cap_per_enterprise is not None:
        caps.append(f"单户企业最高 {_money(a.cap_per_enterprise)}")
    if a.schedule is not None:
        caps.append(f"每人最高 {_money(a.schedule.cap_per_person)}")
    if not caps and a.kind == "up_to":
        fixed = a.fixed is not None or a.table is not None
        caps.append("所列金额即上限" if fixed else "无绝对上限(按比例计算的最高额)")
    return ";".join(caps) or "—"


def interpretations_of(p: LoadedProvision, policy: Policy) -> list[Interpretation]:
    """Every named interpretation the provision's result can depend on."""
    rule = p.rule
    names = list(rule.interpretations)
    if isinstance(rule.subject, Choice):
        names.append(rule.subject.interpretation)
    if isinstance(rule.one_time, Choice):
        names.append(rule.one_time.interpretation)
    if rule.amount is not None and rule.amount.cap_period:
        names.append(rule.amount.cap_period)
    names += [n for cond in rule.conditions for n in cond.only_if or {}]
    if rule.amount is not None and rule.amount.tiers is not None:
        names.append(rule.amount.tiers.interpretation)
    if rule.amount is not None and rule.amount.schedule is not None \
            and isinstance(rule.amount.schedule.persons, Choice):
        names.append(rule.amount.schedule.persons.interpretation)
    return [policy.interpretations[n] for n in dict.fromkeys(names) if n in policy.interpretations]


def interpretation_text(i: Interpretation, policy: Policy) -> str:
    """``zyz rules show NAME`` for a named interpretation: question, options, default, basis and
    the provisions that depend on it."""
    users = [p.id for p in policy.provisions if i in interpretations_of(p, policy)]
    out = [f"解释 {i.name}:{i.question}"]
    for key, words in i.options.items():
        out.append(f"  - {key}{'(默认)' if key == i.default else ''}:{words}")
    if i.basis:
        out.append(f"依据:{i.basis.strip()}")
    out.append("适用项目:" + ("、".join(users) if users else "政策整体(有效期)"))
    out.append(f"改变取值:--assume {i.name}=取值")
    return "\n".join(out) + "\n"


def list_rows(policy: Policy) -> list[dict[str, str]]:
    """One row per provision, for ``zyz rules list``."""
    return [{
        "clause": clause_label(p.clause),
        "id": p.id,
        "title": p.rule.title,
        "amount_rule": amount_words(p, short=True),
        "cap": cap_words(p),
        "kind": kind_words(p),
        "department": p.departments[0] if p.departments else "",
    } for p in policy.provisions]


def show_text(p: LoadedProvision, policy: Policy) -> str:
    """One provision in full, as plain text."""
    rule = p.rule
    f = rule.for_each
    out = [f"{rule.title}(编号 {p.id})",
           f"条款:{clause_label(p.clause)}{p.clause_title}    政策:{policy.info.document_number}",
           f"性质:{kind_words(p)}",
           "",
           "政策原文:",
           f"  “{rule.quote}”",
           "",
           "适用条件(全部满足才可获得;档案未填的条件列为“需补充信息”):"]
    if f:
        scope = fact_title(Profile, f)
        out.append(f"  - 逐项适用于档案中的“{scope}”({f})" + (",其中与本项相关的事项" if rule.where else ""))
    for cond, _ in p.conditions:
        out.append(f"  - {cond.label}")
    if rule.event_date:
        out.append(f"  - {fact_words(rule.event_date, f)}须在政策有效期"
                   f"({policy.info.in_force_from.isoformat()} 至 {policy.info.in_force_until.isoformat()})内")
    if rule.event_year:
        out.append(f"  - {fact_words(rule.event_year, f)}须在政策有效年度"
                   f"({policy.info.in_force_from.year}–{policy.info.in_force_until.year})内")
    if not (f or p.conditions or rule.event_date or rule.event_year):
        out.append("  (无)")
    out += ["", f"金额:{amount_words(p)}", f"上限:{cap_words(p)}"]
    if isinstance(rule.one_time, str):
        out.append(ONE_TIME_WORDS[rule.one_time])
    elif rule.one_time is not None:
        out += [f"{ONE_TIME_WORDS[v]}(口径 --assume {rule.one_time.interpretation}={k})"
                for k, v in rule.one_time.values.items()]
    if rule.subject is not None:
        subject = rule.subject
        templates = [subject] if isinstance(subject, str) else list(dict.fromkeys(subject.values.values()))
        subjects = "、".join(_fill_words(t, f) for t in templates)
        out.append(f"不重复奖补的事项:{subjects}")
    if rule.beneficiary == "provider":
        out.append(f"资金拨付对象:{fact_words(rule.provider or '', f)}(付给培训主体;企业自己承担时计入企业合计)")
    out.append(f"受理部门:{'、'.join(p.departments)}")
    if rule.note:
        out.append(f"说明:{rule.note}")
    interps = interpretations_of(p, policy)
    out += ["", "口径(原文未明确之处;可用 --assume 名称=取值 改变):"]
    for i in interps:
        out.append(f"  {i.title or i.question}:{i.question}")
        for key, words in i.options.items():
            mark = "默认;" if key == i.default else ""
            out.append(f"    - {i.labels.get(key, words)}({mark}--assume {i.name}={key}):{words}")
        if i.basis:
            out.append(f"    依据:{i.basis}")
    if not interps:
        out.append("  (无)")
    out.append(f"\n规则文件:{p.file}")
    return "\n".join(out) + "\n"
