"""The enterprise profile: every fact the policy's provisions test.

A fact left out is ``None``, meaning unknown (不是“否”或“零”); lists left out hold no items.
Money is ``Decimal`` in 元 and may be written with Chinese units; rates are fractions of 1.
"""

# No ``from __future__ import annotations`` here: pydantic would then evaluate every field's annotation
# from its text (a ForwardRef compiled and evaluated per field) each time ``zyz`` starts.

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from zhuanyezhen.money import parse_amount, parse_rate
from zhuanyezhen.profile.credit_code import validate_credit_code
from zhuanyezhen.profile.glossary import subject_key
from zhuanyezhen.profile.places import normalise_county, normalise_town
from zhuanyezhen.profile.vocabulary import (
    FIELD_ALIASES,
    HONOUR_ALIASES,
    LEVEL_ALIASES,
    NEVER_ALIASES,
    PROGRAMME_ALIASES,
    ROLE_ALIASES,
    SIZE_ALIASES,
)
from zhuanyezhen.profile.wording import show
from zhuanyezhen.profile.written import halfwidth, int_text

Money = Annotated[Decimal, BeforeValidator(parse_amount)]
YES_NO = {"是": True, "否": False, "有": True, "无": False, "yes": True, "no": False}


def _yes_no(value: Any) -> Any:
    """是/否/有/无 (as batch sheets and ``zyz init`` write them) for a yes/no field."""
    if isinstance(value, str):
        return YES_NO.get(value.strip().lower(), value)
    return value


YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Rate = Annotated[Decimal, BeforeValidator(parse_rate)]


def _aliases(mapping: dict[str, str]) -> BeforeValidator:
    def convert(value: Any) -> Any:
        if isinstance(value, str):
            return mapping.get(value.strip(), value.strip())
        return value

    return BeforeValidator(convert)


def _subject_key(value: Any) -> Any:
    """A subject copied from a table's display (``2024年度研发检测试验设备购置``) is its key."""
    return subject_key(value) if isinstance(value, str) else value


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_PERSONS = 1_000_000  # bounds that keep every product of counts and rates exact to the fen
MAX_DAYS = 3_660


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _strict_date(value: Any) -> Any:
    """Dates must be real ISO dates (YYYY-MM-DD), full-width digits allowed (２０２４－０６－３０);
    datetimes and other spellings are refused. (A batch sheet's 2024年6月30日 is turned into ISO by
    the batch cell reader before it gets here.)"""
    if isinstance(value, dt.datetime):
        raise ValueError("日期只写到日,如 2024-06-30")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            text = halfwidth(value)
            if not _ISO_DATE.match(text):
                raise ValueError(value)
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"“{value}”不是有效日期;请按 YYYY-MM-DD 填写真实日期,如 2024-06-30") from None
    raise ValueError(f"应为日期(YYYY-MM-DD,如 2024-06-30),收到 {show(value)}")


Date = Annotated[dt.date, BeforeValidator(_strict_date)]


HonourKind = Literal[
    "leader_city", "leader_province", "gi_zone", "gi_china_eu", "laozihao_china",
    "laozihao_shanxi", "single_champion", "craft_master_national", "craft_master_province",
    "craft_master_city", "heritage_national", "heritage_province", "high_tech",
]


def _no_items() -> list[Any]:
    """An empty list for each profile, as ``default_factory=list`` but a Python function: building
    the validator, pydantic reads each factory's signature, and for the builtin ``list`` that means
    parsing its text signature with ``tokenize``, whose large regular expression is compiled first
    (~20 M instructions of each ``zyz calc``, about 4% of the dependency import)."""
    return []


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)

    @field_validator(*("claim_year", "industry_revenue_rank", "market_rank", "market_rank_best_before",
                       "trainees", "days", "grade", "year"), mode="before", check_fields=False)
    @classmethod
    def _full_width_counts(cls, value: Any) -> Any:
        """Counts and years may be typed with full-width digits (２０２４, １２０)."""
        return int_text(value)


class Honour(StrictModel):
    """A title, listing or selection the enterprise (or its product) was granted."""

    kind: Annotated[HonourKind, _aliases(HONOUR_ALIASES)] = Field(
        title="荣誉类别", description="leader_city 全市领军企业 / leader_province 全省领军企业 / gi_zone 地理标志保护示范区 / gi_china_eu 中欧地理标志互认互保 / laozihao_china 中华老字号 / laozihao_shanxi 山西(三晋)老字号 / single_champion 国家级制造业单项冠军产品 等;条款二、五、六、九")
    date: Date = Field(title="获评日期", description="授予、公布或入选的日期;须在政策有效期 2023-05-11 至 2025-12-31 内")
    name: str | None = Field(default=None, title="名称", description="荣誉或产品名称;地理标志保护示范区写示范区名称、中欧互认写产品名称,按默认解释 gi_award=once_per_zone 这是不重复奖补的事项名(全市只奖一次),须填写")

    applicant: bool | None = Field(default=None, title="申报单位", description="本企业是否为该示范区(中欧互认产品)奖励的申报单位;批量计分时同一示范区(产品)只奖一家,标明“是”的企业优先,否则按输入顺序奖第一家")

    DERIVED: ClassVar[dict[str, str]] = {"first_of_kind": "首次获评(档案中没有更早的同类荣誉)"}


class Standard(StrictModel):
    """A standard the enterprise led or took part in drafting or revising (条款三)."""

    name: str = Field(title="标准名称", description="标准名称或编号;也是不重复奖补的事项名")
    level: Annotated[Literal["international", "national", "industry", "group", "local"],
                     _aliases(LEVEL_ALIASES)] = Field(
        title="标准级别", description="international 国际 / national 国家 / industry 行业 / group 团体 / local 地方;团体、地方标准本条不补助")
    role: Annotated[Literal["lead", "participate"], _aliases(ROLE_ALIASES)] = Field(
        title="角色", description="lead 主导 / participate 参与")
    date: Date = Field(title="发布日期", description="标准发布日期")


class Project(StrictModel):
    """An investment project: informatisation / 5G (条款八) or technical transformation (条款九)."""

    name: str = Field(title="项目名称", description="项目名称;也是不重复奖补的事项名")
    digital: YesNo | None = Field(default=None, title="信息化改造/5G融合应用项目", description="是否为企业信息化改造、5G融合应用等数字化项目;条款八")
    key_project: YesNo | None = Field(default=None, title="重点项目", description="是否为市级认定的技术改造重点项目;条款九")
    field: Annotated[Literal["foundation", "smart_manufacturing", "green_manufacturing",
                             "chain_strengthening", "innovation", "upgrade", "other"] | None,
                     _aliases(FIELD_ALIASES)] = Field(
        default=None, title="项目领域",
        description="foundation 产业基础再造 / smart_manufacturing 智能制造示范 / green_manufacturing 绿色制造推广 / chain_strengthening 产业链锻长补短 / innovation 技术创新提升 / upgrade 企业提标改造 / other 其他;条款九")
    software_hardware_investment: Money | None = Field(default=None, title="软硬件投资额(元)", description="项目软硬件投资,元;条款八按10%奖励,最高200万元")
    fixed_asset_investment: Money | None = Field(default=None, title="固定资产投资额(元)", description="项目固定资产投资,元;条款九最高按10%贴息或补助")
    date: Date | None = Field(default=None, title="投资完成日期", description="项目投资完成(或验收)日期;须在政策有效期内")


class Premium(StrictModel):
    """Insurance for a key new material's first batch (条款九)."""

    product: str = Field(title="产品名称", description="重点新材料首批次产品名称;也是不重复奖补的事项名")
    premium: Money = Field(title="实际投保年度保费(元)", description="当年实际缴纳的保费,元;按20%补贴,单户最高50万元")
    qualifies: YesNo | None = Field(default=None, title="符合我省保险补偿机制", description="是否符合山西省重点新材料首批次保险补偿机制")
    date: Date = Field(title="投保日期", description="保单起保或缴费日期;其年份为投保年度;须在政策有效期内")

    DERIVED: ClassVar[dict[str, str]] = {"first_insured_year": "首个投保年度(此前年度未投保过该产品)"}


class OnJobTraining(StrictModel):
    """On-the-job skills training (条款七, 每人300元)."""

    trainees: int = Field(ge=0, le=MAX_PERSONS, title="培训在岗职工人数", description="参加职业技能提升培训的在岗职工人数;每人300元")
    finished: Date = Field(title="培训完成日期", description="培训结束日期;须在政策有效期内")


class TrainingProgramme(StrictModel):
    """An order-style, project-style or directed training programme (条款七)."""

    name: str = Field(title="培训项目名称", description="项目名称;也是不重复奖补的事项名")
    kind: Annotated[Literal["order", "project", "directed"], _aliases(PROGRAMME_ALIASES)] = Field(
        title="培训方式", description="order 订单式 / project 项目制 / directed 定向式")
    trainees: int = Field(ge=0, le=MAX_PERSONS, title="培训人数", description="参加培训的人数")
    days: int = Field(ge=0, le=MAX_DAYS, title="培训天数", description="每人培训天数;前10天每天150元,第11天起每天100元,每人最高4000元")
    employment_rate: Rate | None = Field(default=None, title="培训后就业率", description="签订就业协议或提供就业证明的比例,如 0.85 或 “85%”;须达到80%")
    provider: str = Field(title="培训主体", description="承担培训的院校或机构名称;企业自己承担时写“本企业”。补贴发给培训主体")
    finished: Date = Field(title="培训完成日期", description="培训结束日期;须在政策有效期内")

    DERIVED: ClassVar[dict[str, str]] = {"employed_trainees": "就业人数(参训人数×就业率,向下取整)"}

    @property
    def employed_trainees(self) -> int | None:
        if self.employment_rate is None:
            return None
        return int(self.trainees * self.employment_rate)


class Land(StrictModel):
    """A plot for a supported industrial project (条款十二): a land-price benefit, not cash."""

    name: str = Field(title="地块或项目名称", description="地块或项目名称")
    grade: int = Field(ge=1, le=15, title="土地等别", description="《全国工业用地出让最低价标准》土地等别,1至15")
    area_m2: Money = Field(title="面积(平方米)", description="出让面积,平方米")
    cost_sum: Money = Field(title="实际各项成本费用之和(元)", description="征地、拆迁、开发等实际成本之和,元;底价不得低于此数")
    supported_industrial: YesNo | None = Field(default=None, title="支持类工业项目", description="是否为专业镇范围内支持类工业项目")


class ReceivedAward(StrictModel):
    """An award already received under this policy (one-time awards are not paid again)."""

    provision: str = Field(title="条款项目编号", description="已获奖励的项目编号,如 revenue_tier、single_champion(见 zyz rules list)")
    year: int = Field(ge=2000, le=2100, title="获得年度", description="获得奖励的年度")
    tier: str | None = Field(default=None, title="档位", description="分档奖励的档位,如 1亿、3亿、前10、前5")
    subject: Annotated[str | None, BeforeValidator(_subject_key)] = Field(default=None, title="事项", description="奖励所针对的事项,写法同结果中的“事项”,如 项目:智能产线改造。不填时:每家企业只奖一次的项目视为已获,不再奖励;按事项奖励的项目无法判断是哪一事项,凡可能即为该次奖励的事项(事项年度不晚于获得年度)列为需补充信息,请写明事项")
    amount: Money | None = Field(default=None, title="金额(元)", description="已获金额,元;计算单户企业上限(设备20万元、保险50万元)已用额度时需要,缺少时该项列为需补充信息")


class OtherPolicyAward(StrictModel):
    """An award for the same subject under another Yangquan policy (就高不就低)."""

    subject: Annotated[str, BeforeValidator(_subject_key)] = Field(title="事项", description="与本政策相同的奖补事项,写法同结果中的“事项”,如 项目:智能产线改造、设备购置:2024")
    policy: str = Field(title="其他政策名称", description="其他政策的名称或文号")
    amount: Money = Field(title="其他政策金额(元)", description="其他政策给予或可给予的金额,元")


class Profile(StrictModel):
    """One enterprise, for one claim year."""

    name: str = Field(min_length=1, title="企业名称", description="企业全称")
    credit_code: str | None = Field(default=None, title="统一社会信用代码", description="18位统一社会信用代码,校验位按 GB 32100-2015 核对")
    county: str | None = Field(default=None, title="县区", description="城区、矿区、郊区、平定县、盂县、经济技术开发区")
    town: str | None = Field(default=None, title="专业镇", description="所在专业镇(按主导产业):砂陶、耐火材料、新能源电池、煤机装备、富硒农业、中药材加工、杂粮、泵阀;不在专业镇填“无”;所有条款都要求位于专业镇")
    leading_industry: YesNo | None = Field(default=None, title="属于主导产业", description="企业是否属于所在专业镇的主导产业;条款七、十六等")
    backbone: YesNo | None = Field(default=None, title="骨干企业", description="是否为专业镇主导产业骨干企业;条款十六营收奖励")
    sci_tech_sme: YesNo | None = Field(default=None, title="科技型中小企业", description="是否为科技型中小企业;条款二科技创新券")
    size: Annotated[Literal["large", "medium", "small", "micro"] | None, _aliases(SIZE_ALIASES)] = Field(
        default=None, title="企业规模", description="large 大型 / medium 中型 / small 小型 / micro 微型")
    claim_year: int = Field(ge=2000, le=2100, title="申报年度", description="本次申报的年度;营收、设备投入等按该年度计")
    revenue: Money | None = Field(default=None, title="申报年度营业收入(元)", description="申报年度营收,元;条款十六 1亿/3亿/10亿 档")
    highest_revenue_before: Money | None = Field(default=None, title="以往最高年营收(元)", description="申报年度以前各年营收的最高值,元;用于判断“首次达到”")
    industry_revenue_rank: int | None = Field(default=None, ge=1, title="主导产业营收排名", description="营收规模在所在专业镇主导产业中的排名,1为第一;条款九设备补助")
    market_rank: int | None = Field(default=None, ge=1, title="主导产品全国市场占有率排名", description="申报年度主导产品全国市场占有率排名;条款十六 前10/前5")
    market_rank_best_before: Annotated[int | Literal["never"] | None, _aliases(NEVER_ALIASES)] = Field(
        default=None, title="以往最好全国排名", description="申报年度以前的最好排名;从未进入排名填 never(从未进入)")
    equipment_investment: Money | None = Field(default=None, title="当年研发检测试验设备投入(元)", description="申报年度购置研发、检测、试验等设备的实际投资额,元;30万元以上按10%补助,最高20万元")
    honours: list[Honour] = Field(default_factory=_no_items, title="荣誉", description="获评的荣誉、名单、称号")
    standards: list[Standard] = Field(default_factory=_no_items, title="标准", description="主导或参与制修订的标准")
    projects: list[Project] = Field(default_factory=_no_items, title="项目", description="数字化改造、技术改造项目")
    premiums: list[Premium] = Field(default_factory=_no_items, title="首批次保险保费", description="重点新材料首批次保险")
    onjob_training: OnJobTraining | None = Field(default=None, title="在岗职工技能培训", description="在岗职工职业技能提升培训")
    training_programmes: list[TrainingProgramme] = Field(default_factory=_no_items, title="订单式等培训项目", description="订单式、项目制、定向式培训")
    land: list[Land] = Field(default_factory=_no_items, title="用地", description="支持类工业项目用地")
    awards_received: list[ReceivedAward] = Field(default_factory=_no_items, title="已获本政策奖励", description="以往已按本政策获得的奖励")
    other_policy_awards: list[OtherPolicyAward] = Field(default_factory=_no_items, title="其他政策同类奖补", description="同一事项在本市其他政策下已获或可获的奖补")

    @model_validator(mode="after")
    def _distinct_names(self) -> Self:
        """Two items of one list may not share a name: the name is the subject of non-duplication."""
        errors = duplicate_names(self)
        if errors:
            raise ValidationError.from_exception_data("Profile", errors)
        return self

    @field_validator("credit_code")
    @classmethod
    def _check_code(cls, value: str | None) -> str | None:
        return None if value is None else validate_credit_code(value)

    @field_validator("town")
    @classmethod
    def _check_town(cls, value: str | None) -> str | None:
        return None if value is None else normalise_town(value)

    @field_validator("county")
    @classmethod
    def _check_county(cls, value: str | None) -> str | None:
        return None if value is None else normalise_county(value)


# Lists whose items are told apart by name (the subject of non-duplication is built from it), and
# what one item is called in a message. Premiums are not here: one product's name repeats by design
# (the premiums of one product and insured year are one base). Honours are compared within a kind.
NAMED_LISTS: dict[str, str] = {
    "standards": "标准", "projects": "项目", "training_programmes": "培训项目", "land": "地块", "honours": "同类荣誉",
}


def duplicate_names(profile: Profile) -> list[InitErrorDetails]:
    """``同一清单中有两个名为“一期”的地块``, located at the later item's name."""
    errors: list[InitErrorDetails] = []
    for field, noun in NAMED_LISTS.items():
        seen: dict[tuple[str, str], int] = {}
        for index, item in enumerate(getattr(profile, field)):
            name = getattr(item, "name", None)
            if not name:
                continue
            key = (getattr(item, "kind", ""), name)
            if key in seen:
                errors.append(InitErrorDetails(
                    type=PydanticCustomError("duplicate_name", "同一清单中有两个名为“{name}”的{noun}",
                                             {"name": name, "noun": noun,
                                              "hint": f"与第{seen[key] + 1}项同名;不重复奖补按名称区分事项,请改用不同名称"}),
                    loc=(field, index, "name"), input=name))
            else:
                seen[key] = index
    return errors


# Facts that rules may test besides the profile's own fields: computed, never stored.
DERIVED_FACTS: dict[str, str] = {
    "in_town": "位于专业镇",
    "small_or_micro": "小微企业",
}


# The profile field a user fills in to make each derived fact known.
DERIVED_SOURCES: dict[str, str] = {"in_town": "town", "small_or_micro": "size"}


def derived_facts(profile: Profile) -> dict[str, Any]:
    in_town = None if profile.town is None else profile.town != "无"
    small = None if profile.size is None else profile.size in ("small", "micro")
    return {"in_town": in_town, "small_or_micro": small}


def fact_title(model: type[BaseModel], name: str) -> str:
    """The Chinese title of a field, for messages and explanations."""
    info = model.model_fields.get(name)
    if info is not None and info.title:
        return info.title
    derived: dict[str, str] = {**DERIVED_FACTS, **getattr(model, "DERIVED", {})}
    return derived.get(name, name)


def _first_of_kind(profile: Profile, item: Any) -> bool:
    """首次获评: no honour of the same kind in the profile is dated earlier than this one."""
    return not any(h.kind == item.kind and h.date < item.date for h in profile.honours)


def _first_insured_year(profile: Profile, item: Any) -> bool:
    """首个投保年度: no premium of the same product in the profile, and no award received for it
    (``new_material_insurance`` with subject ``保险:<product>:<year>``), in an earlier year."""
    year = item.date.year
    if any(p.product == item.product and p.date.year < year for p in profile.premiums):
        return False
    prefix = f"保险:{item.product}:"
    for r in profile.awards_received:
        if r.provision == "new_material_insurance" and r.subject and r.subject.startswith(prefix):
            tail = r.subject[len(prefix):]
            if tail.isdigit() and int(tail) < year:
                return False
    return True


# Item facts that need the whole profile (``item.first_of_kind``); computed by the engine.
ITEM_CONTEXT_FACTS: dict[str, Any] = {"first_of_kind": _first_of_kind, "first_insured_year": _first_insured_year}

ITEM_MODELS: dict[str, type[StrictModel]] = {
    "honours": Honour,
    "standards": Standard,
    "projects": Project,
    "premiums": Premium,
    "training_programmes": TrainingProgramme,
    "land": Land,
}
