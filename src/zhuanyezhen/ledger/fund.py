"""The 3000万 city fund against the ledger: 拟奖补, 已审定 and 已拨付 by claim year, provision,
department and county, and what remains.

Read as in ``batch.summary`` (named interpretation ``fund_scope``): every cash award of this policy
draws on the fund. What remains = the fund − (已审定 + 已拨付); 拟奖补 is shown beside it, and what
would remain if every pending line were approved at its computed amount (最高 awards at their ceiling).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from zhuanyezhen.ledger import queries
from zhuanyezhen.ledger.database import Ledger

ZERO = Decimal("0.00")
JSON_KEYS = ["group", "name", "proposed", "approved_unpaid", "paid", "approved_total", "lines"]
HEADER = ["分组", "名称", "拟奖补(元)", "已审定未拨付(元)", "已拨付(元)", "已审定合计(元)", "笔数"]


@dataclass
class Sums:
    proposed: Decimal = ZERO
    approved: Decimal = ZERO  # approved, not yet paid
    paid: Decimal = ZERO
    count: int = 0

    @property
    def committed(self) -> Decimal:
        return self.approved + self.paid

    def row(self, group: str, name: str) -> list[object]:
        return [group, name, f"{self.proposed:f}", f"{self.approved:f}", f"{self.paid:f}",
                f"{self.committed:f}", self.count]


@dataclass
class Fund:
    budget: Decimal
    year: int | None
    all: Sums = field(default_factory=Sums)
    groups: dict[str, dict[str, Sums]] = field(default_factory=dict)

    def remaining(self) -> Decimal:
        return self.budget - self.all.committed

    def rows(self) -> Iterator[list[object]]:
        for group, named in self.groups.items():
            for name, sums in sorted(named.items()):
                yield sums.row(group, name)
        yield self.all.row("合计", "全部")


GROUPS = (("按年度", "claim_year"), ("按条款项目", "provision"), ("按部门", "department"), ("按县区", "county"))


def fund(ledger: Ledger, budget: Decimal, policy_id: str, year: int | None = None) -> Fund:
    """Sums of the current line of every award of ``policy_id`` (of ``year`` if given)."""
    out = Fund(budget, year, groups={title: {} for title, _ in GROUPS})
    with ledger.engine.connect() as conn:
        for row in queries.all_current(conn):
            if row.policy_id != policy_id or (year is not None and row.claim_year != year):
                continue
            if row.status == "reversed":
                continue
            targets = [out.all, *(out.groups[title].setdefault(str(getattr(row, attr) or "(未填)"), Sums())
                                  for title, attr in GROUPS)]
            for sums in targets:
                sums.count += 1
                if row.status == "proposed":
                    sums.proposed += row.computed_amount
                elif row.status == "approved":
                    sums.approved += row.approved_amount
                else:
                    sums.paid += row.approved_amount
    return out
