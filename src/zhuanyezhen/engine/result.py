"""What the engine returns and every renderer reads. No renderer computes an amount."""

# No ``from __future__ import annotations`` here: pydantic would then evaluate every field's annotation
# from its text (a ForwardRef compiled and evaluated per field) each time ``zyz`` starts.

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from zhuanyezhen.profile.glossary import KIND_LABELS as KIND_LABELS
from zhuanyezhen.profile.glossary import STATUS_LABELS as STATUS_LABELS

# The version of the documented JSON shapes built from these results: ``render/output_model.py``
# for calc, and the explanation of ``engine/explain.py``. Kept here so the engine need not import render.
FORMAT_VERSION = "1.0"

Status = Literal["paid", "excluded", "not_eligible", "needs_info", "support", "land_benefit"]

# Chinese words for statuses and kinds live in the one glossary (profile/glossary.py).


class ResultModel(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class ConditionCheck(ResultModel):
    """One condition as tested: its words, the facts it read, and the outcome."""

    label: str
    test: str
    values: dict[str, str | None] = Field(description="facts read, as text; null = unknown")
    outcome: Literal["met", "unmet", "unknown"]


class Outcome(ResultModel):
    """One provision applied to one subject (or to the enterprise)."""

    provision: str
    clause: int
    title: str
    status: Status
    subject: str | None = None
    item: str | None = None
    item_path: str | None = Field(default=None, description="where the item sits in the profile, e.g. projects[0]")
    tier: str | None = None
    amount: Decimal | None = Field(default=None, description="amount counted (元); null when not paid")
    computed: Decimal | None = Field(default=None, description="amount before exclusions (元)")
    kind: Literal["exact", "up_to"] | None = None
    basis: str | None = None
    cap: str | None = None
    capped: bool = False
    beneficiary: str = "本企业"
    counts_in_total: bool = True
    departments: list[str] = Field(default_factory=list)
    reason: str | None = None
    winner: str | None = None
    missing: list[str] = Field(default_factory=list)
    conditions: list[ConditionCheck] = Field(default_factory=list)
    steps: list[str] = Field(default_factory=list)
    interpretations: dict[str, str] = Field(default_factory=dict)
    quote: str = ""

    @property
    def apply_to(self) -> str:
        return self.departments[0] if self.departments else ""


class LandBenefit(ResultModel):
    item: str
    grade: int
    area_m2: Decimal
    standard_price: Decimal
    floor_price: Decimal
    benefit: Decimal
    basis: str


class Totals(ResultModel):
    exact: Decimal = Field(description="确定金额合计(元)")
    up_to: Decimal = Field(description="最高可达合计(元)")
    total: Decimal = Field(description="exact + up_to(元)")
    payable_to_others: Decimal = Field(description="付给培训主体等第三方、不计入企业合计的金额(元)")
    land_benefit: Decimal = Field(description="土地出让底价优惠(元),非现金,不计入合计")


class Result(ResultModel):
    enterprise: str
    credit_code: str | None
    county: str | None
    town: str | None
    claim_year: int
    policy_id: str
    document_number: str
    policy_title: str
    in_force: bool
    notices: list[str]
    outcomes: list[Outcome]
    land: list[LandBenefit]
    totals: Totals
    assumptions: dict[str, str]
    rules_hash: str
    engine_version: str

    def by_status(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]
