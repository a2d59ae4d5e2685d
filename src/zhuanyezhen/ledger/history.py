"""Ledger lines as the awards an enterprise has received, for ``--ledger`` on calc, explain, report
and batch. The engine stays pure: the command line adds these to the profile's ``awards_received``.

Counted: the current line of an award is 已审定 or 已拨付. Shown, not counted: 拟奖补 (pending).
Not counted: 已撤销.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhuanyezhen.ledger import queries
from zhuanyezhen.ledger.database import Ledger
from zhuanyezhen.ledger.schema import COUNTED, STATUS_LABELS
from zhuanyezhen.profile.model import ReceivedAward


@dataclass
class LedgerAwards:
    """One enterprise's awards in the ledger: counted as received, and pending (拟奖补)."""

    received: list[dict[str, Any]] = field(default_factory=list)  # ReceivedAward fields
    pending: list[str] = field(default_factory=list)  # descriptions of 拟奖补 lines


def _received(row: Any) -> dict[str, Any]:
    return {"provision": row.provision, "year": row.claim_year, "tier": row.tier,
            "subject": row.subject or None, "amount": row.approved_amount}


def _pending(row: Any) -> str:
    subject = f" {row.subject}" if row.subject else ""
    amount = f"最高 {row.computed_amount}" if row.kind == "up_to" else f"{row.computed_amount}"
    return f"{row.claim_year}年 {row.provision}{subject} {amount} 元(台账第{row.id}行,批次 {row.batch_id})"


def _collect(rows: Iterable[Any], into: dict[str, LedgerAwards]) -> dict[str, LedgerAwards]:
    for row in rows:
        if row.status in COUNTED:
            into.setdefault(row.credit_code, LedgerAwards()).received.append(_received(row))
        elif row.status == "proposed":
            into.setdefault(row.credit_code, LedgerAwards()).pending.append(_pending(row))
    return into


def awards_received_for(ledger: Ledger, codes: Iterable[str] | None = None) -> dict[str, LedgerAwards]:
    """Credit code → its awards in the ledger; every enterprise of the ledger when ``codes`` is None."""
    with ledger.engine.connect() as conn:
        rows = queries.all_current(conn) if codes is None else queries.current_for_codes(conn, codes)
        return _collect(rows, {})


def committed_total(ledger: Ledger, policy_id: str | None = None) -> tuple[Decimal, Decimal]:
    """(已审定 + 已拨付 amounts, 拟奖补 computed amounts) of the ledger, for the fund comparison."""
    held = pending = Decimal("0.00")
    with ledger.engine.connect() as conn:
        for row in queries.all_current(conn):
            if policy_id is not None and row.policy_id != policy_id:
                continue
            if row.status in COUNTED:
                held += row.approved_amount
            elif row.status == "proposed":
                pending += row.computed_amount
    return held, pending


def _same(profile: ReceivedAward, ledger: dict[str, Any]) -> bool:
    if profile.provision != ledger["provision"] or profile.year != ledger["year"]:
        return False
    if profile.tier is not None and ledger["tier"] is not None and profile.tier != ledger["tier"]:
        return False
    return profile.subject is None or ledger["subject"] is None or profile.subject == ledger["subject"]


def disagreements(profile_awards: Sequence[ReceivedAward], ledger: LedgerAwards, claim_year: int) -> list[str]:
    """Where the profile's ``awards_received`` and the ledger's counted lines do not say the same.
    Ledger lines of the claim year itself or later are this claim's own awards: a profile does not
    list them, so their absence is no disagreement."""
    out: list[str] = []
    matched: set[int] = set()
    for p in profile_awards:
        hit = next((i for i, line in enumerate(ledger.received) if i not in matched and _same(p, line)), None)
        what = (f"{p.year}年 {p.provision}" + (f" {p.subject}" if p.subject else "")
                + (f"(档位 {p.tier})" if p.tier else ""))
        if hit is None:
            out.append(f"档案填写已获 {what},台账中没有已审定或已拨付的记录")
            continue
        matched.add(hit)
        line = ledger.received[hit]
        if p.amount is not None and line["amount"] is not None and p.amount != line["amount"]:
            out.append(f"档案填写已获 {what} {p.amount} 元,台账记为 {line['amount']} 元")
    for i, line in enumerate(ledger.received):
        if i not in matched and line["year"] < claim_year:
            what = f"{line['year']}年 {line['provision']}" + (f" {line['subject']}" if line["subject"] else "")
            out.append(f"台账记有已获 {what} {line['amount']} 元,档案的“已获本政策奖励”中没有填写")
    return out


def merged(profile_awards: Sequence[ReceivedAward], ledger: LedgerAwards) -> list[dict[str, Any]]:
    """The profile's awards received and the ledger's counted lines together (both count)."""
    return [*(a.model_dump() for a in profile_awards), *ledger.received]


def notices(ledger: LedgerAwards, shown: str, found: list[str]) -> list[str]:
    """What a result must say about the ledger: pending lines, disagreements."""
    out = [f"已从台账 {shown} 读取已审定、已拨付的奖补 {len(ledger.received)} 笔,计入“已获本政策奖励”。"]
    out.extend(f"台账中有拟奖补(待审定,未计入已获奖励):{text}" for text in ledger.pending)
    out.extend(f"档案与台账不一致:{text}" for text in found)
    return out


__all__ = ["STATUS_LABELS", "LedgerAwards", "awards_received_for", "committed_total", "disagreements",
           "merged", "notices"]
