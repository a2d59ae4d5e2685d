"""The ``zyz ledger`` commands one by one, and ``--ledger`` on calc, on SQLite and PostgreSQL.

examples/refractory-history.yaml (claim year 2025), worked by hand in its header: exact
24,000 (在岗培训 300 × 80) + 60,000 (设备 10% × 600,000) + 200,000 (营收 3亿档) + 200,000 (前5)
= 484,000, and 最高 50,000 (参与国家标准), 534,000 in all.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from zhuanyezhen.cli import app

CODE = "91140322MA0H9N2G42"
PROFILE = str(EXAMPLES / "refractory-history.yaml")
runner = CliRunner()


def zyz(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (args, result.output)
    return result.output


def history(ledger: str) -> list[dict[str, object]]:
    return json.loads(zyz("ledger", "history", CODE, "-f", "json", "--ledger", ledger))  # type: ignore[no-any-return]


def test_commands_need_a_ledger(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ZYZ_LEDGER", raising=False)
    assert "没有指定台账" in zyz("ledger", "history", CODE, code=2)
    assert "台账文件不存在" in zyz("ledger", "fund", "--ledger", str(tmp_path / "none.sqlite"), code=2)
    assert not (tmp_path / "none.sqlite").exists()
    monkeypatch.setenv("ZYZ_LEDGER", str(tmp_path / "env.sqlite"))
    assert "已建立台账" in zyz("ledger", "init")
    assert (tmp_path / "env.sqlite").is_file()


def test_import_rejects_bad_rows_and_keeps_the_rest(ledger_url: str, tmp_path: Path) -> None:
    zyz("ledger", "init", "--ledger", ledger_url)
    paid = tmp_path / "paid.csv"
    paid.write_text("统一社会信用代码,企业名称,年度,条款项目,金额(元)\n"
                    f"{CODE},甲,2023,laozihao_shanxi,50000\n"
                    f"{CODE[:-1]}X,甲,2023,gi_zone,100000\n"
                    f"{CODE},甲,二〇二三,gi_zone,100000\n"
                    f"{CODE},甲,2023,no_such,100000\n"
                    f"{CODE},甲,2023,gi_zone,-5\n", encoding="utf-8")
    rejected = tmp_path / "rejected.csv"
    said = zyz("ledger", "import", str(paid), "--by", "张三", "--rejected", str(rejected), "--ledger", ledger_url)
    assert "读取 5 行 = 导入 1 + 拒绝 4" in said and "50000.00 元" in said
    with rejected.open(encoding="utf-8-sig") as f:
        reasons = [(r["行号"], r["列"]) for r in csv.DictReader(f)]
    assert reasons == [("3", "统一社会信用代码"), ("4", "年度"), ("5", "条款项目"), ("6", "金额(元)")]
    assert [(x["provision"], x["status"], x["approved_amount"]) for x in history(ledger_url)] == [
        ("laozihao_shanxi", "paid", "50000.00")]


def test_propose_a_profile_then_calc_shows_it_pending_and_uncounted(ledger_url: str) -> None:
    zyz("ledger", "init", "--ledger", ledger_url)
    said = zyz("ledger", "propose", PROFILE, "--claim", "--by", "李四", "--ledger", ledger_url)
    assert "记入拟奖补 5 笔,计算金额合计 534000.00 元" in said
    assert "提出为批次" in zyz("ledger", "propose", PROFILE, "--claim", "--ledger", ledger_url, code=2)
    out = json.loads(zyz("calc", PROFILE, "-f", "json", "--ledger", ledger_url))
    assert out["totals"]["total"] == "534000.00"  # pending lines are not awards received
    pending = [n for n in out["notices"] if "拟奖补(待审定,未计入已获奖励)" in n]
    assert len(pending) == 5
    # the profile lists six awards received that the ledger does not hold: each is reported
    assert len([n for n in out["notices"] if n.startswith("档案与台账不一致")]) == 6


def test_approve_correct_pay_reverse_and_fund(ledger_url: str, tmp_path: Path) -> None:
    zyz("ledger", "init", "--ledger", ledger_url)
    said = zyz("ledger", "propose", PROFILE, "--claim", "--by", "李四", "--ledger", ledger_url)
    batch = re.search(r"批次 (P\S+):", said).group(1)  # type: ignore[union-attr]
    assert "没有已审定、待拨付" in zyz("ledger", "pay", batch, "--ledger", ledger_url, code=2)
    # fixed amounts: 24,000 + 60,000 + 200,000 + 200,000 = 484,000; the 最高 standard waits
    assert "审定 4 笔,审定金额合计 484000.00 元;1 笔未审定" in zyz("ledger", "approve", batch, "--ledger", ledger_url)
    standard = next(x["id"] for x in history(ledger_url) if x["provision"] == "standard")
    amounts = tmp_path / "amounts.csv"
    amounts.write_text(f"台账行号,审定金额(元)\n{standard},30000\n", encoding="utf-8")
    zyz("ledger", "approve", batch, "--amounts", str(amounts), "--ledger", ledger_url)
    amounts.write_text(f"台账行号,审定金额(元)\n{standard},40000\n", encoding="utf-8")  # a correction
    zyz("ledger", "approve", batch, "--amounts", str(amounts), "--ledger", ledger_url)
    lines = [x for x in history(ledger_url) if x["provision"] == "standard"]
    assert [(x["status"], x["approved_amount"]) for x in lines] == [
        ("proposed", None), ("approved", "30000.00"), ("approved", "40000.00")]
    assert lines[2]["refers_to"] == lines[1]["id"] and "更正" in str(lines[2]["note"])
    fund = json.loads(zyz("ledger", "fund", "-f", "json", "--ledger", ledger_url))
    assert fund["remaining"] == "29476000.00"  # 30,000,000 − (484,000 + 40,000)
    assert "拨付 5 笔,金额合计 524000.00 元" in zyz("ledger", "pay", batch, "--date", "2025-12-01", "--ledger", ledger_url)
    # reverse the standard's award: a new line; the fund gets its 40,000 back
    paid_standard = [x for x in history(ledger_url) if x["provision"] == "standard"][-1]
    assert "已撤销" in zyz("ledger", "reverse", str(standard), "--reason", "重复申报", "--ledger", ledger_url)
    last = [x for x in history(ledger_url) if x["provision"] == "standard"][-1]
    assert (last["status"], last["refers_to"], last["note"]) == ("reversed", paid_standard["id"], "重复申报")
    assert "已于第" in zyz("ledger", "reverse", str(standard), "--reason", "再撤", "--ledger", ledger_url, code=2)
    fund = json.loads(zyz("ledger", "fund", "-f", "json", "--year", "2025", "--ledger", ledger_url))
    assert fund["remaining"] == "29516000.00"  # 30,000,000 − 484,000
    # with the ledger, 2025 is now paid except the reversed standard: only it is payable again
    out = json.loads(zyz("calc", PROFILE, "-f", "json", "--ledger", ledger_url))
    assert out["totals"]["total"] == "50000.00"


def test_notice_and_export(ledger_url: str, tmp_path: Path) -> None:
    zyz("ledger", "init", "--ledger", ledger_url)
    said = zyz("ledger", "propose", PROFILE, "--claim", "--ledger", ledger_url)
    batch = re.search(r"批次 (P\S+):", said).group(1)  # type: ignore[union-attr]
    zyz("ledger", "approve", batch, "--ledger", ledger_url)
    notice = tmp_path / "公示.xlsx"
    zyz("ledger", "notice", batch, "-o", str(notice), "--ledger", ledger_url)
    sheet = load_workbook(notice).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("序号", "企业名称", "奖补项目", "金额(元)", "受理部门")
    assert len(rows) == 2 + 5 and all(CODE not in str(r) for r in rows)  # no more than a 公示 shows
    amounts = sorted(str(r[3]) for r in rows[2:])
    assert amounts == ["200000", "200000", "24000", "60000", "最高 50,000.00"]
    export = tmp_path / "ledger.csv"
    zyz("ledger", "export", "-o", str(export), "--ledger", ledger_url)
    with export.open(encoding="utf-8-sig") as f:
        dumped = list(csv.DictReader(f))
    assert [r["状态代码"] for r in dumped] == ["proposed"] * 5 + ["approved"] * 4
    assert {r["审定金额(元)"] for r in dumped if r["状态代码"] == "approved"} == {"24000.00", "60000.00", "200000.00"}


def test_a_profile_without_credit_code_is_scored_with_a_notice(tmp_path: Path) -> None:
    ledger = str(tmp_path / "l.sqlite")
    zyz("ledger", "init", "--ledger", ledger)
    text = Path(PROFILE).read_text(encoding="utf-8").replace(f"credit_code: {CODE}\n", "")
    profile = tmp_path / "no-code.yaml"
    profile.write_text(text, encoding="utf-8")
    out = json.loads(zyz("calc", str(profile), "-f", "json", "--ledger", ledger))
    assert out["totals"]["total"] == "534000.00"
    assert any("没有填写统一社会信用代码,未能从台账" in n for n in out["notices"])
