"""Totals of a batch run: by provision, county, town and lead department, and the city fund.

Named interpretation ``fund_scope`` (the policy is silent on which payments draw on the fund):
every cash award this policy pays counts against clause (一)'s 3000万元 city fund: awards to
enterprises, exact and up-to (at their ceiling), and the clause (七) order-style training subsidy
paid to third-party providers, because it is still money the city pays under this policy. The
text says 市级 outright for some awards; those are shown as a sub-total, so the finance bureau
can see both readings. Non-cash support and the land-price benefit are not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from zhuanyezhen.batch.scoring import Provision, Scored, clause_label

ZERO = Decimal(0)

# Award provisions whose quoted text itself says the city pays (市级):
#   (二) "给予500万元市级奖励"; (五) "市级一次性奖励10万元" ×2, "市级分别奖励10万元、5万元";
#   (九) "市级给予最高不超过项目固定资产投资额10%的贴息、补助支持";
#   (十六) "一次性市级奖励" (营收规模、市场占有率).
EXPLICIT_CITY_LEVEL = frozenset({
    "leader_province", "gi_zone", "gi_china_eu", "laozihao_china", "laozihao_shanxi",
    "tech_project", "revenue_tier", "market_share",
})

# 企业数 always counts enterprises (one enterprise with three awards is one); 奖项数 counts awards.
HEADER = ["名称", "企业数", "奖项数", "确定金额(元)", "最高可达(元)", "企业合计(元)", "另付培训主体(元)",
          "奖补合计(元)", "说明"]
AMOUNT_COLUMNS = range(3, 8)
UNFILLED = "(未填)"


@dataclass
class Sums:
    """Money of a group of enterprises or awards. ``others`` is paid to training providers."""

    count: int = 0  # enterprises
    awards: int | None = None  # awards, where the group is of awards (provisions, departments)
    exact: Decimal = ZERO
    up_to: Decimal = ZERO
    others: Decimal = ZERO

    @property
    def enterprise(self) -> Decimal:
        return self.exact + self.up_to

    @property
    def cash(self) -> Decimal:
        return self.exact + self.up_to + self.others

    def row(self, name: str, note: str = "") -> list[object]:
        awards = "" if self.awards is None else self.awards
        return [name, self.count, awards, _m(self.exact), _m(self.up_to), _m(self.enterprise), _m(self.others),
                _m(self.cash), note]


def _m(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


@dataclass
class Summary:
    provisions: list[Provision]
    budget: Decimal
    by_provision: list[Sums] = field(default_factory=list)
    by_county: dict[str, Sums] = field(default_factory=dict)
    by_town: dict[str, Sums] = field(default_factory=dict)
    all: Sums = field(default_factory=Sums)
    awarded: int = 0  # enterprises with at least one award
    explicit_enterprises: int = 0  # enterprises with an award whose text says 市级
    department_enterprises: dict[str, int] = field(default_factory=dict)
    ledger_held: Decimal | None = None  # ``--ledger``: already approved or paid, before this batch

    def __post_init__(self) -> None:
        self.by_provision = [Sums(awards=0) for _ in self.provisions]

    def add(self, row: Scored) -> None:
        self.add_enterprises(row.county, row.town, 1, Decimal(row.exact), Decimal(row.up_to),
                             Decimal(row.payable_to_others))
        awarded = []
        for index, text in enumerate(row.amounts):
            if not text:
                continue
            awarded.append(index)
            to_others = Decimal(row.to_others[index]) if row.to_others[index] else ZERO
            self.add_awards(index, 1, Decimal(text), to_others)
        self.add_awarded(awarded, 1)

    # ``add`` in parts, so that many rows at once (the columnar path's sums) count exactly as one by one

    def add_enterprises(self, county: str | None, town: str | None, count: int, exact: Decimal, up_to: Decimal,
                        others: Decimal) -> None:
        """``count`` enterprises of one county and town, with the sums of their figures."""
        for group in (self.all, self.by_county.setdefault(county or UNFILLED, Sums()),
                      self.by_town.setdefault(town or UNFILLED, Sums())):
            group.count += count
            group.exact += exact
            group.up_to += up_to
            group.others += others

    def add_awards(self, index: int, count: int, amount: Decimal, to_others: Decimal) -> None:
        """``count`` awards of provision ``index`` (one per enterprise: its awards of a provision are
        summed), their sum and the part of it paid to others."""
        sums = self.by_provision[index]
        sums.count += count
        sums.awards = (sums.awards or 0) + count
        sums.others += to_others
        if self.provisions[index].kind == "up_to":
            sums.up_to += amount - to_others
        else:
            sums.exact += amount - to_others

    def add_awarded(self, indexes: Iterable[int], count: int) -> None:
        """``count`` enterprises with an award of each provision in ``indexes`` (and of no other)."""
        chosen = [self.provisions[i] for i in indexes]
        departments = {p.department for p in chosen}
        if departments:
            self.awarded += count
        if any(p.id in EXPLICIT_CITY_LEVEL for p in chosen):
            self.explicit_enterprises += count
        for department in departments:
            self.department_enterprises[department] = self.department_enterprises.get(department, 0) + count

    def by_department(self) -> dict[str, tuple[Sums, list[Provision]]]:
        out: dict[str, tuple[Sums, list[Provision]]] = {}
        for p, s in zip(self.provisions, self.by_provision, strict=True):
            sums, members = out.setdefault(p.department, (Sums(awards=0), []))
            sums.count = self.department_enterprises.get(p.department, 0)
            sums.awards = (sums.awards or 0) + (s.awards or 0)
            sums.exact += s.exact
            sums.up_to += s.up_to
            sums.others += s.others
            members.append(p)
        return out

    def sections(self) -> Iterator[tuple[str, list[list[object]]]]:
        """(section title, rows) in the order they are written; every row has ``HEADER``'s shape."""
        kinds = {"exact": "确定金额", "up_to": "最高可达"}
        rows = [s.row(f"{clause_label(p.clause)}{p.title}",
                      f"{kinds.get(p.kind, p.kind)};牵头部门 {p.department}"
                      + (";条文写明市级" if p.id in EXPLICIT_CITY_LEVEL else ""))
                for p, s in zip(self.provisions, self.by_provision, strict=True)]
        yield "按条款", [*rows, self._awards_total().row("合计", "企业数为获得任一奖补的企业数;奖项数为各条款奖项之和")]
        yield "按县区", [*(s.row(k) for k, s in sorted(self.by_county.items())), self.all.row("合计")]
        yield "按专业镇", [*(s.row(k) for k, s in sorted(self.by_town.items())), self.all.row("合计")]
        departments = self.by_department()
        yield "按牵头部门", [
            *(s.row(d, "、".join(f"{clause_label(p.clause)}{p.title}" for p in members))
              for d, (s, members) in departments.items()),
            self._awards_total().row("合计", "企业数为获得任一奖补的企业数;奖项数为各条款奖项之和")]
        yield "资金对比", self.fund_rows()

    def _awards_total(self) -> Sums:
        total = Sums(count=self.awarded, awards=0)
        for s in self.by_provision:
            total.awards = (total.awards or 0) + (s.awards or 0)
            total.exact += s.exact
            total.up_to += s.up_to
            total.others += s.others
        return total

    def fund_rows(self) -> list[list[object]]:
        used = self._awards_total()
        explicit = Sums(count=self.explicit_enterprises, awards=0)
        for p, s in zip(self.provisions, self.by_provision, strict=True):
            if p.id in EXPLICIT_CITY_LEVEL:
                explicit.awards = (explicit.awards or 0) + (s.awards or 0)
                explicit.exact += s.exact
                explicit.up_to += s.up_to
                explicit.others += s.others
        held = self.ledger_held or ZERO
        left = self.budget - held - used.cash
        left_exact = self.budget - held - used.exact - used.others
        ledger: list[list[object]] = [] if self.ledger_held is None else [
            ["台账中已审定、已拨付", "", "", "", "", "", "", _m(held),
             "--ledger:台账中本政策已审定和已拨付的金额,先从资金中扣除(拟奖补不扣除)"]]
        return [
            ["市级专项资金(条款一)", "", "", "", "", "", "", _m(self.budget),
             "市级统筹安排3000万元专项资金支持全市培育特色专业镇发展"],
            *ledger,
            used.row("计入市级资金的奖补", "口径:本政策全部现金奖补,含最高可达(按上限)和付给培训主体的补贴"),
            explicit.row("其中条文写明“市级”的条款", "、".join(
                f"{clause_label(p.clause)}{p.title}" for p in self.provisions if p.id in EXPLICIT_CITY_LEVEL)),
            _balance_row("按奖补合计(最高可达按上限)", left),
            _balance_row("仅按确定金额(含付给培训主体)", left_exact),
        ]


def _balance_row(name: str, left: Decimal) -> list[object]:
    label = f"结余:{name}" if left >= 0 else f"超出:{name}"
    note = "资金尚有结余" if left >= 0 else "奖补超出市级专项资金"
    return [label, "", "", "", "", "", "", _m(abs(left)), note]
