"""The documented, versioned shape of ``zyz calc --format json`` (and yaml).

Scripts and databases store this, so it is its own model rather than a dump of the engine's
internals: a field is added only with a new minor ``format_version``, and renamed or removed only
with a new major one. Amounts are strings of exact decimals in 元 with two places (``"1416000.00"``),
never floats. ``schemas/calc-output.schema.json`` is generated from this model
(``zyz schema output``); a test keeps the two identical.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from zhuanyezhen.engine.result import FORMAT_VERSION, KIND_LABELS, STATUS_LABELS, Outcome, Result, Status
from zhuanyezhen.money import round_fen
from zhuanyezhen.policy.models import Policy

SCHEMA_ID = "https://zhuanyezhen.invalid/schemas/calc-output.schema.json"
AMOUNT_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"


def _amount_text(value: Decimal) -> str:
    return f"{round_fen(value):f}"


Amount = Annotated[
    Decimal,
    PlainSerializer(_amount_text, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN,
                    "description": "元,精确到分的十进制字符串,如 \"1416000.00\";绝不是浮点数"}),
]
Quantity = Annotated[
    Decimal,
    PlainSerializer(lambda d: f"{d:f}", return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
                    "description": "精确的十进制字符串"}),
]


class OutputModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InterpretationUsed(OutputModel):
    """A reading of the policy where its text is silent, with the value this run used."""

    name: str = Field(description="解释名称,--assume 名称=取值 可覆盖")
    value: str = Field(description="本次采用的取值")
    default: str = Field(description="默认取值")
    changed: bool = Field(description="本次取值是否与默认不同")
    question: str = Field(description="该解释回答的问题")
    meaning: str = Field(description="本次取值的含义")


class Reproducibility(OutputModel):
    """Everything needed to reproduce this result: same policy files, engine, year and readings."""

    policy_id: str = Field(description="政策编号(规则目录名)")
    document_number: str = Field(description="政策文号,如 阳政办发〔2023〕25号")
    policy_title: str = Field(description="政策标题")
    rules_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="所用规则文件的 SHA-256 摘要")
    engine_version: str = Field(description="zyz 版本")
    claim_year: int = Field(description="申报年度")
    policy_in_force: bool = Field(description="申报年度是否在政策有效期内")
    assumptions: dict[str, str] = Field(description="全部解释的取值(名称 → 取值)")


class Enterprise(OutputModel):
    name: str = Field(description="企业名称")
    credit_code: str | None = Field(description="统一社会信用代码;null = 未填")
    county: str | None = Field(description="县区;null = 未填")
    town: str | None = Field(description="专业镇;null = 未填")


class ConditionOut(OutputModel):
    label: str = Field(description="条件的中文说明")
    test: str = Field(description="规则文件中的条件表达式")
    outcome: Literal["met", "unmet", "unknown"] = Field(description="met 满足 / unmet 不满足 / unknown 未知")
    values: dict[str, str | None] = Field(description="读取的档案事实(文字);null = 未知")


class CapAmounts(OutputModel):
    """The caps the rule file sets, as amounts; ``null`` where the rule sets none."""

    per_item: Amount | None = Field(description="每项(每个事项)最高(元)")
    per_enterprise: Amount | None = Field(description="单户企业最高(元)")
    per_person: Amount | None = Field(description="每人最高(元)")


class ProvisionOut(OutputModel):
    """One provision applied to one subject (or to the enterprise as a whole)."""

    provision: str = Field(description="项目编号,如 tech_project(见 zyz rules list)")
    clause: int = Field(description="条款序号(1–16)")
    title: str = Field(description="项目名称")
    status: Status = Field(description="paid 可获 / excluded 不予重复奖补 / not_eligible 不符合条件 / "
                                       "needs_info 需补充信息 / support 无固定金额的支持 / land_benefit 土地价格优惠")
    status_label: str = Field(description="status 的中文")
    subject: str | None = Field(description="奖补事项(不重复奖补按此比较);null = 未确定")
    item: str | None = Field(description="档案中的对应事项(项目、标准、荣誉等);null = 针对企业整体")
    tier: str | None = Field(description="分档奖励的档位")
    kind: Literal["exact", "up_to"] | None = Field(description="exact 确定金额 / up_to 最高可达;null = 无金额")
    kind_label: str | None = Field(description="kind 的中文")
    amount: Amount | None = Field(description="计入的金额(元);仅 status=paid 时有值")
    computed: Amount | None = Field(description="排除、封顶前按公式算出的金额(元)")
    basis: str | None = Field(description="计算依据(文字)")
    cap: str | None = Field(description="适用的上限(文字)")
    cap_amounts: CapAmounts = Field(description="规则设定的上限金额")
    capped: bool = Field(description="是否因上限而减少")
    beneficiary: str = Field(description="受益方;“本企业”或培训主体名称")
    counts_in_total: bool = Field(description="是否计入企业合计")
    departments: list[str] = Field(description="责任单位;第一个为申报部门")
    reason: str | None = Field(description="排除、不符合或需补充的原因")
    winner: str | None = Field(description="被排除时,胜出的项目编号、政策或已获奖励")
    missing: list[str] = Field(description="需补充的档案字段")
    conditions: list[ConditionOut] = Field(description="逐条检查的条件")
    steps: list[str] = Field(description="计算与判断的每一步(文字)")
    interpretations: list[InterpretationUsed] = Field(description="本项用到的政策解释")
    quote: str = Field(description="政策原文")


class LandOut(OutputModel):
    item: str = Field(description="地块或项目名称")
    grade: int = Field(description="土地等别")
    area_m2: Quantity = Field(description="面积(平方米)")
    standard_price: Amount = Field(description="按最低价标准计算的价格(元)")
    floor_price: Amount = Field(description="出让底价(元)")
    benefit: Amount = Field(description="价格优惠(元),非现金")
    basis: str = Field(description="计算依据(文字)")


class TotalsOut(OutputModel):
    exact: Amount = Field(description="确定金额合计(元)")
    up_to: Amount = Field(description="最高可达合计(元)")
    total: Amount = Field(description="企业合计 = exact + up_to(元)")
    payable_to_others: Amount = Field(description="付给培训主体等、不计入企业合计的金额(元)")
    land_benefit: Amount = Field(description="土地出让底价优惠(元),非现金,不计入合计")


class CalcOutput(OutputModel):
    """The result of ``zyz calc`` for one enterprise, in the stable output format."""

    model_config = ConfigDict(title="zyz calc 结果", json_schema_extra={"$id": SCHEMA_ID})

    format_version: Literal["1.0"] = Field(description="输出格式版本;新增字段升次版本号,改名或删除升主版本号")
    currency_unit: Literal["元"] = Field(description="所有金额的单位")
    reproducibility: Reproducibility
    enterprise: Enterprise
    claim_year: int = Field(description="申报年度")
    notices: list[str] = Field(description="需要特别注意的提示")
    totals: TotalsOut
    provisions: list[ProvisionOut] = Field(description="每个条款项目的判断结果,按规则顺序")
    land: list[LandOut] = Field(description="土地价格优惠明细")


def _interpretations(o: Outcome, policy: Policy) -> list[InterpretationUsed]:
    out = []
    for name, value in o.interpretations.items():
        interp = policy.interpretations.get(name)
        if interp is None:  # pragma: no cover - the loader refuses undefined interpretations
            continue
        out.append(InterpretationUsed(name=name, value=value, default=interp.default,
                                      changed=value != interp.default, question=interp.question,
                                      meaning=interp.options.get(value, value)))
    return out


def _caps(o: Outcome, policy: Policy) -> CapAmounts:
    try:
        amount = policy.provision(o.provision).rule.amount
    except KeyError:  # pragma: no cover - outcomes come from this policy's provisions
        amount = None
    if amount is None:
        return CapAmounts(per_item=None, per_enterprise=None, per_person=None)
    return CapAmounts(per_item=amount.cap_per_item, per_enterprise=amount.cap_per_enterprise,
                      per_person=amount.schedule.cap_per_person if amount.schedule else None)


def build_output(result: Result, policy: Policy) -> CalcOutput:
    """The stable output of one result; ``policy`` supplies the interpretations' defaults and words."""
    provisions = [
        ProvisionOut(
            provision=o.provision, clause=o.clause, title=o.title, status=o.status,
            status_label=STATUS_LABELS[o.status], subject=o.subject, item=o.item, tier=o.tier,
            kind=o.kind, kind_label=KIND_LABELS.get(o.kind) if o.kind else None,
            amount=o.amount, computed=o.computed, basis=o.basis, cap=o.cap, cap_amounts=_caps(o, policy),
            capped=o.capped,
            beneficiary=o.beneficiary, counts_in_total=o.counts_in_total, departments=list(o.departments),
            reason=o.reason, winner=o.winner, missing=list(o.missing),
            conditions=[ConditionOut(label=c.label, test=c.test, outcome=c.outcome, values=dict(c.values))
                        for c in o.conditions],
            steps=list(o.steps), interpretations=_interpretations(o, policy), quote=o.quote,
        )
        for o in result.outcomes
    ]
    t = result.totals
    return CalcOutput(
        format_version=FORMAT_VERSION,
        currency_unit="元",
        reproducibility=Reproducibility(
            policy_id=result.policy_id, document_number=result.document_number,
            policy_title=result.policy_title, rules_hash=result.rules_hash,
            engine_version=result.engine_version, claim_year=result.claim_year,
            policy_in_force=result.in_force, assumptions=dict(result.assumptions)),
        enterprise=Enterprise(name=result.enterprise, credit_code=result.credit_code,
                              county=result.county, town=result.town),
        claim_year=result.claim_year,
        notices=list(result.notices),
        totals=TotalsOut(exact=t.exact, up_to=t.up_to, total=t.total,
                         payable_to_others=t.payable_to_others, land_benefit=t.land_benefit),
        provisions=provisions,
        land=[LandOut(item=x.item, grade=x.grade, area_m2=x.area_m2, standard_price=x.standard_price,
                      floor_price=x.floor_price, benefit=x.benefit, basis=x.basis) for x in result.land],
    )


def output_data(result: Result, policy: Policy) -> dict[str, Any]:
    """The output as plain JSON-ready data (amounts already strings)."""
    return build_output(result, policy).model_dump(mode="json")


def output_schema() -> dict[str, Any]:
    """The JSON Schema of ``CalcOutput``, as shipped in ``schemas/calc-output.schema.json``."""
    schema = CalcOutput.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
