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
from zhuanyezhen.errors import InputError

JOBS_RETIRED = ("提示:--jobs 已停用。批量计分现按列计算,已自动使用多个处理器核心,不再另起进程;"
                "本次计算与不带 --jobs 时完全相同。")


@app.command()
@handles_input_errors
def batch(
    input: Annotated[Path, typer.Argument(
        help="企业表(.csv 或 .xlsx);清单放在同名的 .projects.csv 等文件或同一工作簿的其他工作表中")],
    output: Annotated[Path, typer.Option("--output", "-o", help="评分结果(.csv 或 .xlsx,按扩展名)")],
    summary: Annotated[Path | None, typer.Option(
        "--summary", help="汇总(.csv 或 .xlsx):按条款、县区、专业镇、牵头部门合计,与3000万元市级资金对比")] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=1, max=64, help="已停用:计分按列计算,自动使用多个处理器核心;保留只为兼容旧脚本")] = 1,
    assume: AssumeOption = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="强制 CSV 输入编码(utf-8、utf-8-sig、gb18030);默认自动识别")] = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
) -> None:
    """批量计分:逐行计算每家企业的奖补,写出结果、拒绝行和汇总。"""
    from zhuanyezhen.batch.runner import Options, run

    if not output.name:
        raise InputError.one("请用 -o 指定输出文件", field="--output")
    options = Options(input=input, output=output, summary=summary, jobs=jobs,
                      assumptions=parse_assumptions(assume), encoding=encoding, rules=rules,
                      policy_id=policy_id)
    if jobs > 1:
        sys.stderr.write(JOBS_RETIRED + "\n")
    counts = run(options, quiet=_state["quiet"])
    sys.stderr.write(counts.line() + "\n")
