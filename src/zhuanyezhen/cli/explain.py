"""``zyz explain``: for each provision, the chain that produced its figure, and the near misses."""

from __future__ import annotations

from typing import Annotated

import typer

from zhuanyezhen.cli.app import AssumeOption, PolicyOption, RulesOption, app, handles_input_errors, parse_assumptions
from zhuanyezhen.cli.ledger import LedgerOption, with_ledger
from zhuanyezhen.errors import InputError

FormatOption = Annotated[str, typer.Option("--format", "-f", help="输出格式:table(中文表格,默认)或 json")]


def check_format(value: str) -> str:
    if value not in ("table", "json"):
        raise InputError.one(f"不支持的输出格式 {value}", field="--format", hint="可选:table、json")
    return value


@app.command()
@handles_input_errors
def explain(
    profile: Annotated[str, typer.Argument(help="企业档案文件(YAML 或 JSON);- 表示标准输入")],
    provision_id: Annotated[str | None, typer.Argument(help="只解释这一项,如 rd_equipment(见规则文件的 id)")] = None,
    output_format: FormatOption = "table",
    assume: AssumeOption = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
    ledger: LedgerOption = None,
) -> None:
    """逐条说明每个金额的来历:条件及所读数据、公式与上限、不重复奖补的取舍、有效期与历史、解释、政策原文;并列出临近奖补条件事项。"""
    import json

    from zhuanyezhen.cli.policy_choice import load_for_scoring
    from zhuanyezhen.engine.explain import explain_profile
    from zhuanyezhen.render.explain import render_explanation

    check_format(output_format)
    assumptions = parse_assumptions(assume)
    loaded, policy = load_for_scoring(profile, rules, policy_id)
    loaded, ledger_notices = with_ledger(loaded, profile, ledger)
    _, explanation = explain_profile(loaded, policy, assumptions, provision_id)
    if ledger_notices:
        explanation = explanation.model_copy(update={"notices": [*explanation.notices, *ledger_notices]})
    if output_format == "json":
        typer.echo(json.dumps(explanation.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        render_explanation(explanation, None, provision_id is not None, policy.interpretations)
