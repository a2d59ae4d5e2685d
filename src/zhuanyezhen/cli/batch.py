"""``zyz batch``: score every enterprise of a county spreadsheet (CSV or Excel)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zhuanyezhen.cli.app import (
    AssumeOption,
    PolicyOption,
    RulesOption,
    _state,
    app,
    handles_input_errors,
    parse_assumptions,
)
from zhuanyezhen.cli.ledger import LedgerOption
from zhuanyezhen.errors import InputError


@app.command()
@handles_input_errors
def batch(
    input: Annotated[Path, typer.Argument(
        help="企业表(.csv 或 .xlsx);清单放在同名的 .projects.csv 等文件或同一工作簿的其他工作表中")],
    output: Annotated[Path, typer.Option("--output", "-o", help="评分结果(.csv 或 .xlsx,按扩展名)")],
    summary: Annotated[Path | None, typer.Option(
        "--summary", help="汇总(.csv 或 .xlsx):按条款、县区、专业镇、牵头部门合计,与3000万元市级资金对比")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help="并行计分的进程数;输出顺序不变")] = 1,
    assume: AssumeOption = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="强制 CSV 输入编码(utf-8、utf-8-sig、gb18030);默认自动识别")] = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
    ledger: LedgerOption = None,
) -> None:
    """批量计分:逐行计算每家企业的奖补,写出结果、拒绝行和汇总。"""
    from zhuanyezhen.batch.runner import Interrupted, Options, run

    if not output.name:
        raise InputError.one("请用 -o 指定输出文件", field="--output")
    options = Options(input=input, output=output, summary=summary, jobs=jobs,
                      assumptions=parse_assumptions(assume), encoding=encoding, rules=rules,
                      policy_id=policy_id)
    if ledger:
        from zhuanyezhen.cli.ledger import for_batch

        options.received, options.ledger_held = for_batch(ledger, rules, policy_id)
    try:
        counts = run(options, quiet=_state["quiet"])
    except (Interrupted, KeyboardInterrupt) as exc:
        code = exc.exit_code if isinstance(exc, Interrupted) else 130
        sys.stderr.write("已中断:未写出任何文件,临时文件已清除\n")
        raise typer.Exit(code) from None
    sys.stderr.write(counts.line() + "\n")
    if not _state["quiet"]:
        sys.stderr.write("已写出:" + "、".join(counts.written) + "\n")
