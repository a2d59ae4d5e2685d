"""``zyz init [FILE]``: a profile template with a Chinese comment on every field."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhuanyezhen.cli.app import PolicyOption, RulesOption, app, handles_input_errors
from zhuanyezhen.cli.stderr import info
from zhuanyezhen.errors import InputError


@app.command()
@handles_input_errors
def init(
    file: Annotated[Path | None, typer.Argument(help="要写入的档案文件;省略则输出到标准输出")] = None,
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖")] = False,
    rules: RulesOption = None,
    policy_id: PolicyOption = None,
) -> None:
    """生成企业档案模板(YAML):每个字段都有中文注释,写明单位、含义和用到它的条款。"""
    from zhuanyezhen.cli.policy_choice import policy_for_browsing
    from zhuanyezhen.files.atomic import write_atomically
    from zhuanyezhen.render.profile_template import profile_template

    text = profile_template(policy_for_browsing(rules, policy_id))
    if file is None:
        typer.echo(text, nl=False)
        return
    if file.exists() and not force:
        raise InputError.one("文件已存在,未覆盖;如需覆盖请加 --force", file=str(file))
    write_atomically(file, text)
    info(f"已写入模板 {file};填写后运行 zyz validate {file} 检查,zyz calc {file} 计算")
