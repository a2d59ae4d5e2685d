"""The ledger's writes. Every command is one transaction, and every change is a new line.

- ``record_batch``: new awards under a new batch id: ``import`` (paid before zyz, 已拨付) or
  ``propose`` (拟奖补). An award whose chain already holds a live line is not recorded again;
  one whose last line is 已撤销 may be proposed again, continuing its chain.
- ``approve``, ``pay``, ``reverse``: a new line after the current line of each award.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, insert

from zhuanyezhen.errors import InputError, InputProblem
from zhuanyezhen.ledger import queries
from zhuanyezhen.ledger.database import Ledger
from zhuanyezhen.ledger.queries import Key, key_of
from zhuanyezhen.ledger.schema import STATUS_LABELS, batches, lines


@dataclass(frozen=True)
class NewAward:
    """One award to record: who, under which provision and subject, for which claim year, how much."""

    credit_code: str
    enterprise: str
    county: str | None
    town: str | None
    policy_id: str
    provision: str
    subject: str  # '' = the whole provision
    tier: str | None
    claim_year: int
    kind: str  # exact / up_to
    computed_amount: Decimal
    beneficiary: str
    department: str
    rules_sha256: str | None = None
    engine_version: str | None = None
    note: str | None = None
    origin: str = ""  # where it came from (file and row), for messages only

    @property
    def key(self) -> Key:
        return (self.credit_code, self.provision, self.subject, self.claim_year)


@dataclass
class Written:
    """What one command recorded and what it left out, with the reason for each."""

    batch_id: str | None
    recorded: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    amount: Decimal = Decimal("0.00")


def describe(line: Any) -> str:
    subject = f" {line.subject}" if line.subject else ""
    return f"{line.enterprise}({line.credit_code}){line.claim_year}年 {line.provision}{subject}"


def _local(at: dt.datetime) -> dt.datetime:
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone()


def _stamp(by: str, now: dt.datetime) -> dict[str, Any]:
    if not by.strip():
        raise InputError.one("请用 --by 写明经办人", field="--by")
    return {"recorded_by": by.strip(), "recorded_at": now}


def new_batch_id(kind: str, now: dt.datetime) -> str:
    prefix = {"import": "I", "propose": "P"}[kind]
    return f"{prefix}{now:%Y%m%d}-{secrets.token_hex(3)}"


def record_batch(ledger: Ledger, kind: str, awards: Sequence[NewAward], *, source_name: str, sha256: str,
                 policy_id: str | None, by: str, now: dt.datetime, note: str | None = None) -> Written:
    """Record ``awards`` as one new batch: 已拨付 for ``import``, 拟奖补 for ``propose``.

    The same file (by its SHA-256) is never recorded twice as the same kind of batch.
    """
    status = {"import": "paid", "propose": "proposed"}[kind]
    stamp = _stamp(by, now)
    with ledger.write() as conn:
        earlier = queries.batch_by_file(conn, kind, sha256)
        if earlier is not None:
            what = "提出" if kind == "propose" else "导入"
            raise InputError.one(
                f"这个文件已于 {_local(earlier.recorded_at):%Y-%m-%d %H:%M} 由 {earlier.recorded_by} "
                f"{what}为批次 {earlier.id},"
                "不再重复记录", file=source_name, hint=f"用 zyz ledger export 或 zyz ledger notice {earlier.id} 查看")
        current = {key_of(row): row for row in queries.current_for_codes(conn, {a.credit_code for a in awards})}
        batch_id = new_batch_id(kind, now)
        conn.execute(insert(batches).values(id=batch_id, kind=kind, source_name=source_name, source_sha256=sha256,
                                            policy_id=policy_id, note=note, **stamp))
        written = Written(batch_id)
        rows: list[dict[str, Any]] = []
        seen: dict[Key, str] = {}
        for award in awards:
            if award.key in seen:
                written.skipped.append((award.origin or award.provision,
                                        f"与{seen[award.key]}是同一笔奖补(信用代码、条款项目、事项、年度相同),只记录一次"))
                continue
            last = current.get(award.key)
            if last is not None and last.status != "reversed":
                written.skipped.append((award.origin or award.provision,
                                        f"台账第{last.id}行已记录这笔奖补({STATUS_LABELS[last.status]},"
                                        f"批次 {last.batch_id}),"
                                        "不再重复记录"))
                continue
            seen[award.key] = award.origin or "前面一行"
            approved = award.computed_amount if status == "paid" else None
            rows.append({
                "refers_to": last.id if last is not None else None, "batch_id": batch_id,
                "credit_code": award.credit_code, "enterprise": award.enterprise, "county": award.county,
                "town": award.town, "policy_id": award.policy_id, "provision": award.provision,
                "subject": award.subject, "tier": award.tier, "claim_year": award.claim_year, "kind": award.kind,
                "computed_amount": award.computed_amount, "approved_amount": approved,
                "beneficiary": award.beneficiary, "department": award.department, "status": status,
                "paid_on": None, "rules_sha256": award.rules_sha256, "engine_version": award.engine_version,
                "note": award.note or note, **stamp})
            written.amount += award.computed_amount
        for start in range(0, len(rows), 5000):
            conn.execute(insert(lines), rows[start:start + 5000])
        written.recorded = len(rows)
        if not rows:
            raise InputError.one("没有可记录的奖补,台账未改动", file=source_name,
                                 hint=";".join(f"{what}:{why}" for what, why in written.skipped[:5]) or None)
    return written


def _follow(row: Row[Any], status: str, stamp: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """A new line continuing ``row``'s chain: same award, new status and stamp."""
    values = {c.name: getattr(row, c.name) for c in lines.columns if c.name != "id"}
    values.update(refers_to=row.id, status=status, **stamp)
    values.update(changes)
    return values


def _batch_lines(conn: Connection, batch_id: str) -> list[Row[Any]]:
    if queries.batch(conn, batch_id) is None:
        raise InputError.one(f"台账中没有批次 {batch_id}", field="BATCH",
                             hint="批次号见 zyz ledger propose 的输出或 zyz ledger export")
    return queries.current_lines(conn, lines.c.batch_id == batch_id)


def approve(ledger: Ledger, batch_id: str, amounts: Mapping[int, tuple[Decimal | None, str]] | None, *,
            by: str, now: dt.datetime, note: str | None = None) -> Written:
    """Approve a batch (已审定). Without ``amounts``: every 拟奖补 line of a fixed amount, at that
    amount; 最高 lines wait for a decided amount. With ``amounts`` (line id → (amount, where)): only
    those lines, at the amount decided (blank = the computed amount of a fixed award), never above
    the computed amount (for 最高 awards, the ceiling). An approved line given a new amount is
    corrected by a new 已审定 line."""
    stamp = _stamp(by, now)
    with ledger.write() as conn:
        current = _batch_lines(conn, batch_id)
        written = Written(batch_id)
        rows: list[dict[str, Any]] = []
        if amounts is None:
            for row in current:
                if row.status != "proposed":
                    continue
                if row.kind == "up_to":
                    written.skipped.append((f"第{row.id}行 {describe(row)}",
                                            f"最高可达 {row.computed_amount} 元,需用 --amounts 给出部门审定的金额"))
                    continue
                rows.append(_follow(row, "approved", stamp, approved_amount=row.computed_amount, note=note))
        else:
            rows = _decided(conn, batch_id, current, amounts, stamp, note, written)
        for start in range(0, len(rows), 5000):
            conn.execute(insert(lines), rows[start:start + 5000])
        written.recorded = len(rows)
        written.amount = sum((r["approved_amount"] for r in rows), Decimal("0.00"))
    return written


def _decided(conn: Connection, batch_id: str, current: list[Row[Any]],
             amounts: Mapping[int, tuple[Decimal | None, str]], stamp: Mapping[str, Any],
             note: str | None, written: Written) -> list[dict[str, Any]]:
    by_id = {row.id: row for row in current}
    problems: list[InputProblem] = []
    rows: list[dict[str, Any]] = []
    for line_id, (amount, where) in amounts.items():
        tip = by_id.get(line_id)
        if tip is None:
            found = queries.tip_of(conn, line_id)
            tip = found if found is not None and found.batch_id == batch_id else None
        if tip is None:
            problems.append(InputProblem(f"台账第{line_id}行不属于批次 {batch_id}", file=where))
            continue
        if tip.status not in ("proposed", "approved"):
            problems.append(InputProblem(f"{describe(tip)}已是“{STATUS_LABELS[tip.status]}”(第{tip.id}行),不能再审定",
                                         file=where))
            continue
        if amount is None:
            if tip.kind == "up_to":
                problems.append(InputProblem(f"{describe(tip)}是最高可达 {tip.computed_amount} 元的奖补,"
                                             "请填写部门审定的金额", file=where))
                continue
            amount = tip.computed_amount
        if amount > tip.computed_amount:
            ceiling = "上限" if tip.kind == "up_to" else "计算金额"
            problems.append(InputProblem(f"审定金额 {amount} 元超过{ceiling} {tip.computed_amount} 元({describe(tip)})",
                                         file=where))
            continue
        if tip.status == "approved" and tip.approved_amount == amount:
            written.skipped.append((f"第{tip.id}行 {describe(tip)}", f"已按 {amount} 元审定,未改动"))
            continue
        change = note if tip.status == "proposed" else f"更正审定金额:{tip.approved_amount} → {amount}" + (
            f";{note}" if note else "")
        rows.append(_follow(tip, "approved", stamp, approved_amount=amount, note=change))
    if problems:
        raise InputError(problems)
    return rows


def pay(ledger: Ledger, batch_id: str, *, paid_on: dt.date, by: str, now: dt.datetime,
        note: str | None = None) -> Written:
    """Every 已审定 line of the batch becomes 已拨付 on ``paid_on``."""
    stamp = _stamp(by, now)
    with ledger.write() as conn:
        current = _batch_lines(conn, batch_id)
        rows = [_follow(row, "paid", stamp, paid_on=paid_on, note=note) for row in current if row.status == "approved"]
        written = Written(batch_id)
        written.skipped = [(f"第{row.id}行 {describe(row)}", "尚未审定,未拨付") for row in current
                           if row.status == "proposed"]
        if not rows:
            raise InputError.one(f"批次 {batch_id} 没有已审定、待拨付的奖补", field="BATCH",
                                 hint="先用 zyz ledger approve 审定")
        for start in range(0, len(rows), 5000):
            conn.execute(insert(lines), rows[start:start + 5000])
        written.recorded = len(rows)
        written.amount = sum((r["approved_amount"] for r in rows), Decimal("0.00"))
    return written


def reverse(ledger: Ledger, line_id: int, *, reason: str, by: str, now: dt.datetime) -> Row[Any]:
    """撤销 the award that line ``line_id`` belongs to: a new 已撤销 line after its current line."""
    if not reason.strip():
        raise InputError.one("撤销必须写明原因", field="--reason")
    stamp = _stamp(by, now)
    with ledger.write() as conn:
        tip = queries.tip_of(conn, line_id)
        if tip is None:
            raise InputError.one(f"台账中没有第{line_id}行", field="LINE")
        if tip.status == "reversed":
            raise InputError.one(f"{describe(tip)}已于第{tip.id}行撤销", field="LINE")
        conn.execute(insert(lines).values(**_follow(tip, "reversed", stamp, note=reason.strip())))
        found = queries.tip_of(conn, tip.id)
        assert found is not None
        return found
