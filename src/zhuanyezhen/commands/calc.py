"""``zyz calc``: one enterprise, every award, clause by clause."""

from __future__ import annotations

from typing import Annotated

import typer

from ..app import AssumeOption, PolicyOption, RulesOption, app, handles_input_errors, parse_assumptions


@app.command()
@handles_input_errors
def calc(
    profile: Annotated[str, typer.Argument(help="企业档案文件(YAML 或 JSON);- 表示标准输入")],
    assume: AssumeOption = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
) -> None:
    """计算一家企业可获得的全部奖补,逐条列出金额、上限、排除原因和合计。"""
    from ..engine import calculate
    from ..loading import load_profile
    from ..policy import choose_policy, load_policies
    from ..render.table import make_console, render_result

    assumptions = parse_assumptions(assume)
    loaded = load_profile(profile)
    policy = choose_policy(load_policies(rules), loaded.claim_year, policy_id)
    result = calculate(loaded, policy, assumptions)
    render_result(result, make_console())

