"""Read the benchmark's input files into numpy arrays named after the input variables.

``towns.csv`` holds one row per enterprise; ``towns.<list>.csv`` beside it (projects, standards, honours,
training_programmes, premiums, other_policy_awards) one row per list item, joined on the credit code.
Headers may be the English field names or the Chinese titles (as batch.py writes them). Cells are read
as the benchmark writes them (plain numbers, ISO dates, 是/否, rates such as 85%); nothing is validated,
and a list row whose credit code is not in the main table is skipped (zyz would refuse both).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from openfisca_peer.enums import HonourKind, ProjectField, StandardLevel, StandardRole, Town, lookup
from openfisca_peer.helpers import NO_OTHER_POLICY

NEVER_RANKED = 1_000_000
TRUE_WORDS = ["是", "true", "True", "TRUE", "yes", "y", "1", "√", "对"]
SELF_PROVIDER = ("本企业", "企业自身", "self")
NO_DATE = numpy.datetime64("1970-01-01")

MAIN = {
    "credit_code": "统一社会信用代码", "town": "专业镇", "leading_industry": "属于主导产业", "backbone": "骨干企业",
    "claim_year": "申报年度", "revenue": "申报年度营业收入(元)", "highest_revenue_before": "以往最高年营收(元)",
    "industry_revenue_rank": "主导产业营收排名", "market_rank": "主导产品全国市场占有率排名",
    "market_rank_best_before": "以往最好全国排名", "equipment_investment": "当年研发检测试验设备投入(元)",
    "onjob_training.trainees": "在岗培训职工人数", "onjob_training.finished": "在岗培训完成日期",
}
LISTS = {  # list → (role index in Enterprise's roles, {field: Chinese title})
    "projects": (1, {"credit_code": "统一社会信用代码", "name": "项目名称", "digital": "信息化改造/5G融合应用项目",
                     "key_project": "重点项目", "field": "项目领域", "software_hardware_investment": "软硬件投资额(元)",
                     "fixed_asset_investment": "固定资产投资额(元)", "date": "投资完成日期"}),
    "standards": (2, {"credit_code": "统一社会信用代码", "name": "标准名称", "level": "标准级别", "role": "角色",
                      "date": "发布日期"}),
    "honours": (3, {"credit_code": "统一社会信用代码", "kind": "荣誉类别", "date": "获评日期"}),
    "training_programmes": (4, {"credit_code": "统一社会信用代码", "name": "培训项目名称", "trainees": "培训人数",
                                "days": "培训天数", "employment_rate": "培训后就业率", "provider": "培训主体",
                                "finished": "培训完成日期"}),
    "premiums": (5, {"credit_code": "统一社会信用代码", "product": "产品名称", "premium": "实际投保年度保费(元)",
                     "qualifies": "符合我省保险补偿机制", "date": "投保日期"}),
}
OTHER = {"credit_code": "统一社会信用代码", "subject": "事项", "amount": "其他政策金额(元)"}
# The subject (事项) of each one-time honour, as zyz names it: other-policy awards are matched on it.
HONOUR_SUBJECTS = {
    HonourKind.gi_zone: "荣誉:国家地理标志产品保护示范区", HonourKind.gi_china_eu: "荣誉:中欧地理标志互认互保",
    HonourKind.laozihao_china: "荣誉:中华老字号", HonourKind.laozihao_shanxi: "荣誉:山西老字号",
    HonourKind.single_champion: "荣誉:国家级制造业单项冠军产品",
}


def _columns(path: Path, wanted: dict[str, str]) -> tuple[dict[str, tuple[str, ...]], int]:
    """The file's columns by field name (empty tuple for a column the file lacks) and its row count."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader)]
        rows = [r for r in reader if any(r)]
    position = {}
    for name, title in wanted.items():
        for i, h in enumerate(header):
            if h in (name, title):
                position[name] = i
    columns = list(zip(*rows, strict=False)) if rows else []
    return {name: (columns[position[name]] if name in position and columns else ("",) * len(rows))
            for name in wanted}, len(rows)


def _text(column) -> numpy.ndarray:
    return numpy.char.strip(numpy.array(column, dtype=str))


def _money(column) -> numpy.ndarray:
    text = _text(column)
    return numpy.where(text == "", "nan", text).astype(numpy.float64)


def _integer(column, empty: int = 0) -> numpy.ndarray:
    text = _text(column)
    return numpy.where(text == "", str(empty), text).astype(numpy.float64).astype(numpy.int64)


def _bool(column) -> numpy.ndarray:
    return numpy.isin(_text(column), TRUE_WORDS)


def _date(column) -> numpy.ndarray:
    text = _text(column)
    return numpy.where(text == "", str(NO_DATE), text).astype("datetime64[D]")


def _rate(column) -> numpy.ndarray:
    text = _text(column)
    percent = numpy.char.endswith(text, "%")
    value = _money(numpy.char.rstrip(text, "%"))
    return numpy.where(percent, value / 100, value)


def _enum(column, enum, fallback: str) -> numpy.ndarray:
    words, inverse = numpy.unique(_text(column), return_inverse=True)
    table = lookup(enum, fallback)
    index = table[fallback]
    return numpy.array([table.get(str(w), index) for w in words], dtype=numpy.int16)[inverse.reshape(-1)]


def _year(dates: numpy.ndarray) -> numpy.ndarray:
    return dates.astype("datetime64[Y]").astype(numpy.int64) + 1970


@dataclass
class Data:
    codes: list[str]
    claim_year: numpy.ndarray
    enterprise: dict[str, numpy.ndarray]
    item_enterprise: numpy.ndarray  # per item: index of its enterprise
    item_role: numpy.ndarray  # per item: index of its role in Enterprise's roles (0 = the enterprise itself)
    item: dict[str, numpy.ndarray] = field(default_factory=dict)


def read(main_path: Path) -> Data:
    cols, n = _columns(main_path, MAIN)
    codes = [c.strip() for c in cols["credit_code"]]
    index = {code: i for i, code in enumerate(codes)}
    best_before = _text(cols["market_rank_best_before"])
    never = numpy.isin(best_before, ["从未进入", "从未", "无", "never"])
    best_before = numpy.where(never, str(NEVER_RANKED), best_before)
    enterprise = {
        "town": _enum(cols["town"], Town, "unknown"),
        "leading_industry": _bool(cols["leading_industry"]),
        "backbone": _bool(cols["backbone"]),
        "revenue": _money(cols["revenue"]),
        "highest_revenue_before": _money(cols["highest_revenue_before"]),
        "industry_revenue_rank": _integer(cols["industry_revenue_rank"]),
        "market_rank": _integer(cols["market_rank"]),
        "market_rank_best_before": _integer(best_before),
        "equipment_investment": _money(cols["equipment_investment"]),
        "onjob_trainees": _integer(cols["onjob_training.trainees"]),
        "onjob_finished": _date(cols["onjob_training.finished"]),
    }
    claim_year = _integer(cols["claim_year"])

    # Lists: every enterprise is a member of itself (role 0), then one member per list row.
    blocks = []
    for name, (role, wanted) in LISTS.items():
        path = main_path.with_name(f"{main_path.stem}.{name}.csv")
        if path.exists():
            lcols, _ = _columns(path, wanted)
            owner = numpy.array([index.get(c.strip(), -1) for c in lcols["credit_code"]], dtype=numpy.int64)
            blocks.append((name, role, lcols, owner))
    sizes = [n] + [int((owner >= 0).sum()) for *_, owner in blocks]
    total = sum(sizes)
    item: dict[str, numpy.ndarray] = {
        "item_date": numpy.full(total, NO_DATE), "other_policy_amount": numpy.full(total, NO_OTHER_POLICY),
        "honour_kind": numpy.zeros(total, numpy.int16), "standard_level": numpy.zeros(total, numpy.int16),
        "standard_role": numpy.zeros(total, numpy.int16), "project_digital": numpy.zeros(total, bool),
        "project_key": numpy.zeros(total, bool), "project_field": numpy.zeros(total, numpy.int16),
        "software_hardware_investment": numpy.full(total, numpy.nan),
        "fixed_asset_investment": numpy.full(total, numpy.nan), "premium": numpy.zeros(total),
        "premium_qualifies": numpy.zeros(total, bool), "trainees": numpy.zeros(total, numpy.int64),
        "training_days": numpy.zeros(total, numpy.int64), "employment_rate": numpy.full(total, numpy.nan),
        "provider_is_self": numpy.zeros(total, bool),
    }
    item_enterprise = numpy.empty(total, numpy.int64)
    item_role = numpy.zeros(total, numpy.int16)
    item_enterprise[:n] = numpy.arange(n)
    subjects: list[tuple[slice, numpy.ndarray, list[str]]] = []  # for the other-policy join
    start = n
    for (name, role, lcols, owner), size in zip(blocks, sizes[1:], strict=True):
        keep = owner >= 0
        at = slice(start, start + size)
        start += size
        item_enterprise[at] = owner[keep]
        item_role[at] = role

        def col(key, lcols=lcols, keep=keep):
            return numpy.asarray(lcols[key], dtype=str)[keep]

        date = _date(col("finished" if name == "training_programmes" else "date"))
        item["item_date"][at] = date
        if name == "projects":
            item["project_digital"][at] = _bool(col("digital"))
            item["project_key"][at] = _bool(col("key_project"))
            item["project_field"][at] = _enum(col("field"), ProjectField, "unknown")
            item["software_hardware_investment"][at] = _money(col("software_hardware_investment"))
            item["fixed_asset_investment"][at] = _money(col("fixed_asset_investment"))
            subjects.append((at, owner[keep], ["项目:" + s.strip() for s in col("name")]))
        elif name == "standards":
            item["standard_level"][at] = _enum(col("level"), StandardLevel, "none")
            item["standard_role"][at] = _enum(col("role"), StandardRole, "participate")
            subjects.append((at, owner[keep], ["标准:" + s.strip() for s in col("name")]))
        elif name == "honours":
            kinds = _enum(col("kind"), HonourKind, "other")
            item["honour_kind"][at] = kinds
            members = list(HonourKind)
            leader = (HonourKind.leader_city.index, HonourKind.leader_province.index)
            names = [f"领军企业评选:{y}" if k in leader else HONOUR_SUBJECTS.get(members[k], "")
                     for k, y in zip(kinds.tolist(), _year(date).tolist(), strict=True)]
            subjects.append((at, owner[keep], names))
        elif name == "training_programmes":
            item["trainees"][at] = _integer(col("trainees"))
            item["training_days"][at] = _integer(col("days"))
            item["employment_rate"][at] = _rate(col("employment_rate"))
            item["provider_is_self"][at] = numpy.isin(numpy.char.strip(col("provider")), SELF_PROVIDER)
            subjects.append((at, owner[keep], ["培训:" + s.strip() for s in col("name")]))
        elif name == "premiums":
            item["premium"][at] = _money(col("premium"))
            item["premium_qualifies"][at] = _bool(col("qualifies"))
            subjects.append((at, owner[keep], [f"保险:{p.strip()}:{y}" for p, y in
                                                zip(col("product"), _year(date).tolist(), strict=True)]))

    # 就高不就低: the best other-policy award per (enterprise, subject), put on the item or enterprise it names.
    other_path = main_path.with_name(f"{main_path.stem}.other_policy_awards.csv")
    if other_path.exists():
        ocols, _ = _columns(other_path, OTHER)
        best: dict[tuple[int, str], float] = {}
        for code, subject, amount in zip(ocols["credit_code"], ocols["subject"], _money(ocols["amount"]).tolist(),
                                         strict=True):
            key = (index.get(code.strip(), -1), subject.strip())
            if key[0] >= 0 and amount > best.get(key, NO_OTHER_POLICY):
                best[key] = amount
        claimants = {e for e, _ in best}
        for at, owners, names in subjects:
            values = item["other_policy_amount"][at]
            for i, (e, s) in enumerate(zip(owners.tolist(), names, strict=True)):
                if e in claimants:
                    values[i] = best.get((e, s), NO_OTHER_POLICY)
        onjob_year = _year(enterprise["onjob_finished"])
        for variable, subject in (("equipment_other_policy", lambda e: f"设备购置:{claim_year[e]}"),
                                  ("onjob_other_policy", lambda e: f"在岗职工培训:{onjob_year[e]}"),
                                  ("revenue_tier_other_policy", lambda e: "营收首次达标"),
                                  ("market_share_other_policy", lambda e: "市场占有率首次进入")):
            values = numpy.full(n, NO_OTHER_POLICY)
            for e in claimants:
                values[e] = best.get((e, subject(e)), NO_OTHER_POLICY)
            enterprise[variable] = values
    return Data(codes, claim_year, enterprise, item_enterprise, item_role, item)
