"""Two clerks at the same moment, as two processes, on SQLite and PostgreSQL: an award is never
recorded twice, and a command is written whole or not at all."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from zhuanyezhen.ledger import lines as ledger_lines
from zhuanyezhen.ledger import migrate
from zhuanyezhen.ledger.database import open_ledger
from zhuanyezhen.ledger.schema import lines
from zhuanyezhen.profile.credit_code import check_character

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
N = 300
HEADER = ["行号", "统一社会信用代码", "企业名称", "县区", "专业镇", "申报年度", "(九)主导产业营收第一企业研发检测试验设备补助(元)"]


def code(n: int) -> str:
    body = "91140300" + "".join(ALPHABET[(n // 31 ** i) % 31] for i in range(9))
    return body + check_character(body)


def scores(path: Path, numbers: range) -> Path:
    """A score sheet as ``zyz batch`` writes it: equipment 10% × 500,000 = 50,000 for each."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for n in numbers:
            writer.writerow([n + 2, code(n), f"企业{n}", "郊区", "耐火材料", 2024, "50000.00"])
    return path


def together(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command at once (each its own Python process) and wait for all."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    procs = [subprocess.Popen([sys.executable, "-m", "zhuanyezhen", *c], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for c in commands]
    out = []
    for proc, command in zip(procs, commands, strict=True):
        stdout, stderr = proc.communicate(timeout=180)
        out.append(subprocess.CompletedProcess(command, proc.returncode, stdout, stderr))
    return out


def counts(url: str) -> dict[str, int]:
    ledger = open_ledger(url)
    with ledger.engine.connect() as conn:
        found = dict(conn.execute(select(lines.c.status, func.count()).group_by(lines.c.status)).all())
        keys = conn.execute(select(func.count()).select_from(
            select(lines.c.credit_code, lines.c.provision, lines.c.subject, lines.c.claim_year)
            .where(lines.c.refers_to.is_(None)).distinct().subquery())).scalar()
        roots = conn.execute(select(func.count()).where(lines.c.refers_to.is_(None))).scalar()
    ledger.close()
    assert keys == roots, "an award was started twice"
    return {str(k): int(v) for k, v in found.items()}


def test_two_clerks_proposing_overlapping_sheets(ledger_url: str, tmp_path: Path) -> None:
    ledger = open_ledger(ledger_url, must_exist=False)
    migrate.upgrade(ledger)
    ledger.close()
    first = scores(tmp_path / "a.csv", range(0, 200))
    second = scores(tmp_path / "b.csv", range(100, N))  # enterprises 100..199 are on both sheets
    done = together(["ledger", "propose", str(first), "--by", "甲", "--ledger", ledger_url],
                    ["ledger", "propose", str(second), "--by", "乙", "--ledger", ledger_url])
    assert [r.returncode for r in done].count(0) >= 1, [r.stderr for r in done]
    for r in done:
        assert r.returncode in (0, 2), r.stderr
        assert "Traceback" not in r.stderr
    found = counts(ledger_url)
    recorded = sum(int(r.stdout.split("记入拟奖补 ")[1].split(" 笔")[0]) for r in done if r.returncode == 0)
    assert found == {"proposed": recorded}
    assert recorded in (200, N)  # the loser either skipped the shared 100, or wrote nothing at all


def test_two_clerks_approving_the_same_batch(ledger_url: str, tmp_path: Path) -> None:
    ledger = open_ledger(ledger_url, must_exist=False)
    migrate.upgrade(ledger)
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    awards = [ledger_lines.NewAward(
        credit_code=code(n), enterprise=f"企业{n}", county="郊区", town="耐火材料", policy_id="yangquan-2023-25",
        provision="rd_equipment", subject="设备购置:2024", tier=None, claim_year=2024, kind="exact",
        computed_amount=Decimal("50000.00"), beneficiary="本企业", department="市工信局") for n in range(N)]
    batch = ledger_lines.record_batch(ledger, "propose", awards, source_name="s.csv", sha256="d" * 64,
                                      policy_id=None, by="甲", now=now).batch_id
    ledger.close()
    assert batch is not None
    done = together(*(["ledger", "approve", batch, "--by", who, "--ledger", ledger_url] for who in ("甲", "乙")))
    assert [r.returncode for r in done].count(0) >= 1, [r.stderr for r in done]
    for r in done:
        assert r.returncode in (0, 2), r.stderr
        assert "Traceback" not in r.stderr
    # every award approved exactly once: 300 proposed lines, 300 approved lines, each following one
    assert counts(ledger_url) == {"proposed": N, "approved": N}
    ledger = open_ledger(ledger_url)
    with ledger.engine.connect() as conn:
        followed = conn.execute(select(func.count(lines.c.refers_to.distinct()))).scalar()
    ledger.close()
    assert followed == N


def test_a_clerk_writing_while_another_holds_the_same_award(ledger_url: str, tmp_path: Path) -> None:
    """Deterministic overlap: this process (clerk 1) approves one award inside an open transaction;
    clerk 2's ``zyz ledger approve`` of the whole batch starts meanwhile and must wait. When clerk 1
    commits, clerk 2 either approves only the others (SQLite: writers take turns) or is refused
    whole, writing nothing (PostgreSQL: the unique index clashes); running it again finishes the
    batch. Either way each award is approved exactly once."""
    import time

    from sqlalchemy import insert

    ledger = open_ledger(ledger_url, must_exist=False)
    migrate.upgrade(ledger)
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    awards = [ledger_lines.NewAward(
        credit_code=code(n), enterprise=f"企业{n}", county="郊区", town="耐火材料", policy_id="yangquan-2023-25",
        provision="rd_equipment", subject="设备购置:2024", tier=None, claim_year=2024, kind="exact",
        computed_amount=Decimal("50000.00"), beneficiary="本企业", department="市工信局") for n in range(50)]
    batch = ledger_lines.record_batch(ledger, "propose", awards, source_name="s.csv", sha256="e" * 64,
                                      policy_id=None, by="甲", now=now).batch_id
    assert batch is not None
    command = [sys.executable, "-m", "zhuanyezhen", "ledger", "approve", batch, "--by", "乙", "--ledger", ledger_url]
    with ledger.engine.connect() as conn:
        trans = conn.begin()
        first = conn.execute(select(lines).order_by(lines.c.id).limit(1)).one()
        values = {c.name: getattr(first, c.name) for c in lines.columns if c.name != "id"}
        values.update(refers_to=first.id, status="approved", approved_amount=first.computed_amount,
                      recorded_by="甲", recorded_at=now)
        conn.execute(insert(lines).values(**values))
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        time.sleep(6)
        assert proc.poll() is None, "clerk 2 did not wait for clerk 1"
        trans.commit()
    stdout, stderr = proc.communicate(timeout=120)
    ledger.close()
    if ledger.backend == "sqlite":
        assert proc.returncode == 0 and "审定 49 笔" in stdout, stderr
    else:
        assert proc.returncode == 2 and "未写入任何行" in stderr, (stdout, stderr)
        assert counts(ledger_url) == {"proposed": 50, "approved": 1}
        again = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        assert again.returncode == 0 and "审定 49 笔" in again.stdout, again.stderr
    assert counts(ledger_url) == {"proposed": 50, "approved": 50}
