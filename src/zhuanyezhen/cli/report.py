"""``zyz report``: a printable Chinese HTML report for the enterprise's file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhuanyezhen.cli.app import (
    AssumeOption,
    PolicyOption,
    RulesOption,
    app,
    handles_input_errors,
    parse_assumptions,
    parse_date,
)
from zhuanyezhen.cli.app import _state as app_state
from zhuanyezhen.cli.ledger import LedgerOption, with_ledger
from zhuanyezhen.files.atomic import check_targets, write_atomically


@app.command()
@handles_input_errors
def report(
    profile: Annotated[str, typer.Argument(help="企业档案文件(YAML 或 JSON);- 表示标准输入")],
    output: Annotated[Path, typer.Option("--output", "-o", help="报告文件路径,如 report.html")],
    date: Annotated[str | None, typer.Option("--date", help="制表日期 YYYY-MM-DD;默认今天")] = None,
    assume: AssumeOption = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
    ledger: LedgerOption = None,
) -> None:
    """生成可打印(A4)的中文 HTML 报告:可获奖补、排除项、无固定金额支持、临近奖补条件事项、联系部门。"""
    from zhuanyezhen.cli.policy_choice import load_for_scoring
    from zhuanyezhen.engine.explain import explain_profile
    from zhuanyezhen.render.html import render_report

    check_targets([(output, "--output")])  # before any work: a folder or a read-only place is refused
    made = parse_date(date)
    assumptions = parse_assumptions(assume)
    loaded, policy = load_for_scoring(profile, rules, policy_id)
    loaded, ledger_notices = with_ledger(loaded, profile, ledger)
    result, explanation = explain_profile(loaded, policy, assumptions)
    if ledger_notices:
        result = result.model_copy(update={"notices": [*result.notices, *ledger_notices]})
    write_atomically(output, render_report(result, policy, explanation.near_misses, made))
    if not app_state["quiet"]:
        typer.echo(f"已生成报告:{output}", err=True)
