"""``zyz calc``: one enterprise, every award, clause by clause, as a table, JSON, YAML or Markdown."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from zhuanyezhen.cli.app import AssumeOption, PolicyOption, RulesOption, app, handles_input_errors, parse_assumptions
from zhuanyezhen.cli.ledger import LedgerOption, with_ledger
from zhuanyezhen.cli.stderr import info


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"
    markdown = "markdown"


@app.command()
@handles_input_errors
def calc(
    profile: Annotated[str, typer.Argument(help="企业档案文件(YAML 或 JSON);- 表示标准输入")],
    assume: AssumeOption = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="输出格式:table 表格(默认)、json、yaml、markdown")] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="写入文件(先写临时文件再改名,中断不会留下半个文件);默认输出到标准输出")] = None,
    ledger: LedgerOption = None,
) -> None:
    """计算一家企业可获得的全部奖补,逐条列出金额、上限、排除原因和合计。"""
    from zhuanyezhen.cli.policy_choice import load_for_scoring
    from zhuanyezhen.engine.calculation import calculate
    from zhuanyezhen.files.atomic import write_atomically

    assumptions = parse_assumptions(assume)
    loaded, policy = load_for_scoring(profile, rules, policy_id)
    loaded, ledger_notices = with_ledger(loaded, profile, ledger)
    result = calculate(loaded, policy, assumptions)
    if ledger_notices:
        result = result.model_copy(update={"notices": [*result.notices, *ledger_notices]})

    if output_format is OutputFormat.table:
        from zhuanyezhen.render.table import render_result, result_text

        if output is None:
            render_result(result, None, policy.interpretations)
            return
        text = result_text(result, policy.interpretations)
    elif output_format is OutputFormat.json:
        from zhuanyezhen.render.json_out import result_json

        text = result_json(result, policy)
    elif output_format is OutputFormat.yaml:
        from zhuanyezhen.render.json_out import result_yaml

        text = result_yaml(result, policy)
    else:
        from zhuanyezhen.render.markdown import result_markdown

        text = result_markdown(result, policy)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomically(output, text)
        info(f"已写入 {output}")
