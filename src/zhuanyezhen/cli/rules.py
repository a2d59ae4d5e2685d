"""``zyz rules list`` and ``zyz rules show ID``: browse the provisions before a meeting."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from zhuanyezhen.cli.app import PolicyOption, RulesOption, app, handles_input_errors
from zhuanyezhen.errors import InputError

rules_app = typer.Typer(help="浏览政策条款:列表与详情", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")


class ListFormat(StrEnum):
    table = "table"
    json = "json"


@rules_app.command("list")
@handles_input_errors
def list_rules(
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f", help="table 表格(默认)或 json")]
    = ListFormat.table,
) -> None:
    """列出全部条款项目:条款、编号、名称、金额规则、上限、性质、受理部门。"""
    from zhuanyezhen.cli.policy_choice import policy_for_browsing
    from zhuanyezhen.policy.describe import list_rows
    from zhuanyezhen.render.json_out import dump_json

    policy = policy_for_browsing(rules, policy_id)
    rows = list_rows(policy)
    if output_format is ListFormat.json:
        typer.echo(dump_json({"policy_id": policy.info.id, "document_number": policy.info.document_number,
                              "provisions": rows}), nl=False)
        return
    from zhuanyezhen.render.layout import draw, screen_for
    from zhuanyezhen.render.sections import Section

    heads = ["条款", "编号", "名称", "金额规则", "上限", "性质", "受理部门"]
    section = Section(f"{policy.info.document_number}《{policy.info.title}》条款项目", heads,
                      [[row["clause"], row["id"], row["title"], row["amount_rule"], row["cap"], row["kind"],
                        row["department"]] for row in rows])
    # The block layout names each row by clause and title, and keeps 编号 (the id scripts use) below.
    section.heading_column = 2
    draw([section], screen_for())


@rules_app.command("show")
@handles_input_errors
def show_rule(
    provision_id: Annotated[str, typer.Argument(metavar="ID", help="项目编号,如 tech_project(见 zyz rules list)")],
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
) -> None:
    """显示一个条款项目:政策原文、适用条件、计算公式、上限、政策解释及默认取值。"""
    import difflib

    from zhuanyezhen.cli.policy_choice import policy_for_browsing
    from zhuanyezhen.policy.describe import show_text

    policy = policy_for_browsing(rules, policy_id)
    if provision_id in policy.interpretations and provision_id not in {p.id for p in policy.provisions}:
        from zhuanyezhen.policy.describe import interpretation_text

        typer.echo(interpretation_text(policy.interpretations[provision_id], policy), nl=False)
        return
    try:
        provision = policy.provision(provision_id)
    except KeyError:
        ids = [p.id for p in policy.provisions]
        close = difflib.get_close_matches(provision_id, ids, n=1, cutoff=0.5)
        hint = f"是否指 {close[0]}?" if close else "用 zyz rules list 查看全部编号"
        raise InputError.one(f"没有编号为 {provision_id} 的条款项目", field="ID", hint=hint) from None
    typer.echo(show_text(provision, policy), nl=False)
