"""What becomes ledger lines: rows of a file of awards paid before zyz (``import``), the rows of a
``zyz batch`` score sheet, or the payable outcomes of one scored profile (``propose``).

A bad row is rejected with its file, row, column and reason, and every other row is still read,
as in ``zyz batch``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhuanyezhen.batch.cells import code_text
from zhuanyezhen.batch.columns import normalise_header
from zhuanyezhen.batch.scoring import award_provisions
from zhuanyezhen.engine.result import Result
from zhuanyezhen.errors import InputError
from zhuanyezhen.ledger.lines import NewAward
from zhuanyezhen.ledger.sheets import Field, amount_of, header_positions, open_table, rows
from zhuanyezhen.money import AmountError
from zhuanyezhen.policy.choice import choose_policy
from zhuanyezhen.policy.models import LoadedProvision, Policy
from zhuanyezhen.profile.credit_code import validate_credit_code
from zhuanyezhen.profile.places import normalise_county, normalise_town

PROVIDER = "培训主体"


@dataclass(frozen=True)
class Rejected:
    row: int
    column: str
    reason: str
    code: str = ""
    name: str = ""


@dataclass
class Intake:
    """The awards read from one file and the rows rejected, with the file's name."""

    source: str
    awards: list[NewAward] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    read: int = 0


def _provision_by_name(policy: Policy) -> dict[str, LoadedProvision]:
    found: dict[str, LoadedProvision] = {}
    for p in policy.provisions:
        if p.rule.kind == "award" and p.rule.amount is not None:
            found[normalise_header(p.id)] = p
            found[normalise_header(p.rule.title)] = p
    return found


def _beneficiary(p: LoadedProvision) -> str:
    return PROVIDER if p.rule.beneficiary == "provider" else "本企业"


def _department(p: LoadedProvision) -> str:
    return p.departments[0] if p.departments else ""


IMPORT_FIELDS = (
    Field("credit_code", "统一社会信用代码", True, ("信用代码",)),
    Field("enterprise", "企业名称", True, ("name",)),
    Field("year", "年度", True, ("申报年度", "获得年度", "claim_year")),
    Field("provision", "条款项目", True, ("条款项目编号", "项目", "奖补项目")),
    Field("subject", "事项", False, ()),
    Field("tier", "档位", False, ()),
    Field("amount", "金额(元)", True, ("金额", "拨付金额(元)", "拨付金额")),
    Field("department", "部门", False, ("受理部门", "拨付部门")),
    Field("county", "县区", False, ()),
    Field("town", "专业镇", False, ()),
    Field("note", "备注", False, ()),
)


def read_import(path: Path, policy: Policy) -> Intake:
    """Awards paid before zyz: one row each, recorded as 已拨付."""
    table, close = open_table(path)
    intake = Intake(table.source)
    names = _provision_by_name(policy)
    try:
        positions = header_positions(table, IMPORT_FIELDS, "已拨付奖补表")
        for number, values in rows(table, positions):
            intake.read += 1
            code, name = code_text(values.get("credit_code")), str(values.get("enterprise", ""))

            def reject(column: str, reason: str, number: int = number, code: str = code, name: str = name) -> None:
                intake.rejected.append(Rejected(number, column, reason, code, name))

            try:
                code = validate_credit_code(code)
            except ValueError as exc:
                reject("统一社会信用代码", str(exc) if code else "缺少统一社会信用代码")
                continue
            if not name:
                reject("企业名称", "缺少企业名称")
                continue
            try:
                year = int(str(values.get("year", "")).strip().removesuffix("年").removesuffix(".0"))
                if not 2000 <= year <= 2100:
                    raise ValueError
            except ValueError:
                reject("年度", f"年度应为四位数字年份,如 2023,收到“{values.get('year', '')}”")
                continue
            provision = names.get(normalise_header(values.get("provision", "")))
            if provision is None:
                reject("条款项目", f"不认识的条款项目“{values.get('provision', '')}”;"
                       "请写项目编号或名称(见 zyz rules list),无固定金额的支持不记入台账")
                continue
            try:
                amount = amount_of(values.get("amount", ""))
            except AmountError as exc:
                reject("金额(元)", str(exc))
                continue
            if amount <= 0:
                reject("金额(元)", "金额应大于零")
                continue
            tier = str(values["tier"]) if "tier" in values else None
            levels = provision.rule.amount.tiers.levels if provision.rule.amount and provision.rule.amount.tiers else []
            if tier is not None and levels and tier not in [lv.id for lv in levels]:
                reject("档位", f"条款项目 {provision.id} 没有档位“{tier}”;可用:" + "、".join(lv.id for lv in levels))
                continue
            try:
                county = normalise_county(str(values["county"])) if "county" in values else None
                town = normalise_town(str(values["town"])) if "town" in values else None
            except ValueError as exc:
                reject("县区/专业镇", str(exc))
                continue
            intake.awards.append(NewAward(
                credit_code=code, enterprise=name, county=county, town=town, policy_id=policy.info.id,
                provision=provision.id, subject=str(values.get("subject", "")), tier=tier, claim_year=year,
                kind="exact", computed_amount=amount, beneficiary=_beneficiary(provision),
                department=str(values.get("department") or _department(provision)),
                note=str(values["note"]) if "note" in values else None,
                origin=f"{table.source} 第{number}行"))
        return intake
    finally:
        close()


SCORE_FIELDS = (
    Field("credit_code", "统一社会信用代码", True),
    Field("enterprise", "企业名称", True),
    Field("county", "县区", False),
    Field("town", "专业镇", False),
    Field("claim_year", "申报年度", True),
)
SCORE_TOTALS = {normalise_header(t) for t in (
    "行号", "确定金额(元)", "最高可达(元)", "企业合计(元)", "另付培训主体(元)", "土地价格优惠(元,非现金)",
    "不予重复奖补项数", "需补充信息项数", "以前年度奖励", "说明")}


def _tier_for(p: LoadedProvision, amount: Decimal) -> str | None:
    """The tier a batch amount stands for: the one level paying exactly that much."""
    tiers = p.rule.amount.tiers if p.rule.amount is not None else None
    if tiers is None:
        return None
    matching = [lv.id for lv in tiers.levels if lv.amount == amount]
    if len(matching) != 1:
        raise ValueError(f"无法从金额 {amount} 元判断 {p.id} 的档位(可能一年跨越了几个档位);"
                         "请用该企业的档案提出:zyz ledger propose 档案.yaml --claim")
    return matching[0]


def _subject_for(p: LoadedProvision, year: int, tier: str | None) -> str:
    """The subject the engine gives an award, where a score sheet's row fixes it: a fixed text, or
    one that names only the claim year, with the tier after a colon (as ``engine.tiers`` writes
    it). A subject naming an item (a project, a standard) cannot be known from the sheet: ''."""
    template = p.rule.subject if isinstance(p.rule.subject, str) else None
    if template is None:
        return ""
    text = template.replace("{claim_year}", str(year))
    if "{" in text:
        return ""
    return f"{text}:{tier}" if tier else text


def read_scores(path: Path, policies: dict[str, Policy], policy_id: str | None) -> Intake:
    """The payable awards of a ``zyz batch`` score sheet: one line per enterprise and provision."""
    table, close = open_table(path, "评分结果")
    intake = Intake(table.source)
    by_header = {normalise_header(h): p for p in award_provisions(policies)
                 for h in (p.header, p.header.replace("（", "(").replace("）", ")"))}  # sheets made before （三）
    identity = {normalise_header(f.title) for f in SCORE_FIELDS}
    known = set(by_header) | identity
    try:
        table.take_header(lambda cells: sum(1 for c in cells if c is not None and normalise_header(c) in known) >= 2)
        amount_columns = {i: by_header[normalise_header(h)] for i, h in enumerate(table.header)
                          if normalise_header(h) in by_header}
        unknown = [h for i, h in enumerate(table.header) if i not in amount_columns and normalise_header(h)
                   and normalise_header(h) not in identity | SCORE_TOTALS]
        if unknown:
            raise InputError.one("不认识的列:" + "、".join(map(str, unknown)), file=table.source, line=1,
                                 hint="SCORES 应为 zyz batch 写出的评分结果,列名不要改动")
        table.header = [h if normalise_header(h) in identity else None for h in table.header]
        positions = header_positions(table, SCORE_FIELDS, "计分结果(zyz batch 的输出)")
        if not amount_columns:
            raise InputError.one("没有找到条款金额列;SCORES 应为 zyz batch 的评分结果", file=table.source)
        for number, values in _score_rows(table, positions, amount_columns):
            intake.read += 1
            code, name = code_text(values.get("credit_code")), str(values.get("enterprise", ""))
            try:
                year = int(str(values.get("claim_year", "")).removesuffix(".0"))
                policy = choose_policy(policies, year, policy_id)
            except (ValueError, InputError):
                intake.rejected.append(Rejected(number, "申报年度", "申报年度无法识别", code, name))
                continue
            for provision_id, cell, header in values["amounts"]:
                try:
                    amount = amount_of(cell)
                    p = policy.provision(provision_id)
                    tier = _tier_for(p, amount)
                except (AmountError, ValueError, KeyError) as exc:
                    intake.rejected.append(Rejected(number, header, str(exc), code, name))
                    continue
                if amount <= 0:
                    continue
                intake.awards.append(NewAward(
                    credit_code=code, enterprise=name, county=values.get("county"), town=values.get("town"),
                    policy_id=policy.info.id, provision=p.id, subject=_subject_for(p, year, tier), tier=tier,
                    claim_year=year,
                    kind=p.rule.amount.kind if p.rule.amount else "exact", computed_amount=amount,
                    beneficiary=_beneficiary(p), department=_department(p), rules_sha256=policy.rules_hash,
                    origin=f"{table.source} 第{number}行 {header}"))
        return intake
    finally:
        close()


def _score_rows(table: Any, positions: dict[str, int],
                amount_columns: dict[int, Any]) -> Any:
    headers = {i: p.header for i, p in amount_columns.items()}
    ids = {i: p.id for i, p in amount_columns.items()}
    for number, cells in table.rows:
        if all(c in (None, "") for c in cells):
            continue
        values: dict[str, Any] = {}
        for name, index in positions.items():
            value = cells[index] if index < len(cells) else None
            if value not in (None, ""):
                values[name] = str(value).strip()
        values["amounts"] = [(ids[i], cells[i], headers[i]) for i in amount_columns
                             if i < len(cells) and cells[i] not in (None, "")]
        yield number, values


def awards_from_result(result: Result, origin: str) -> list[NewAward]:
    """The payable outcomes of one scored profile (最高 awards at their ceiling)."""
    if not result.credit_code:
        raise InputError.one("档案缺少统一社会信用代码;台账按信用代码记录", file=origin, field="credit_code")
    out = []
    for o in result.outcomes:
        if o.status != "paid" or o.amount is None or o.amount <= 0:
            continue
        out.append(NewAward(
            credit_code=result.credit_code, enterprise=result.enterprise, county=result.county, town=result.town,
            policy_id=result.policy_id, provision=o.provision, subject=o.subject or "", tier=o.tier,
            claim_year=result.claim_year, kind=o.kind or "exact", computed_amount=o.amount,
            beneficiary=o.beneficiary, department=o.apply_to, rules_sha256=result.rules_hash,
            engine_version=result.engine_version, origin=f"{origin} {o.provision} {o.subject or ''}".strip()))
    return out
