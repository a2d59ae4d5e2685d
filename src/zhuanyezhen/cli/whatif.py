"""``zyz whatif``: the same enterprise with some fields changed: totals before and after."""

from __future__ import annotations

from typing import Annotated

import typer

from zhuanyezhen.cli.app import AssumeOption, PolicyOption, RulesOption, app, handles_input_errors, parse_assumptions
from zhuanyezhen.cli.explain import FormatOption, check_format
from zhuanyezhen.errors import InputError


@app.command()
@handles_input_errors
def whatif(
    profile: Annotated[str, typer.Argument(help="企业档案文件(YAML 或 JSON);- 表示标准输入")],
    assignments: Annotated[list[str] | None, typer.Option(
        "--set", "-s", help="改动一个字段,如 revenue=1.2亿、projects[0].fixed_asset_investment=2000万;可重复")] = None,
    output_format: FormatOption = "table",
    assume: AssumeOption = None,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
) -> None:
    """假设改动档案中的某些数据,对比改动前后的合计和每项发生变化的奖补。"""
    import json

    from zhuanyezhen.cli.policy_choice import load_for_scoring
    from zhuanyezhen.engine.whatif import parse_assignment, what_if
    from zhuanyezhen.render.explain import render_whatif

    check_format(output_format)
    if not assignments:
        raise InputError.one("至少需要一个 --set 字段=取值", field="--set", hint="如 --set revenue=1.2亿")
    changes = [parse_assignment(text) for text in assignments]
    assumptions = parse_assumptions(assume)
    loaded, policy = load_for_scoring(profile, rules, policy_id)
    result = what_if(loaded, policy, changes, assumptions)
    if output_format == "json":
        data = result.model_dump(mode="json", exclude={"before_result", "after_result"})
        from zhuanyezhen.engine.result import FORMAT_VERSION

        typer.echo(json.dumps({"format_version": FORMAT_VERSION, **data}, ensure_ascii=False, indent=2))
    else:
        render_whatif(result, None)
