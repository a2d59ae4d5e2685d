"""``zyz schema profile|output``: JSON Schemas for forms and systems that talk to zyz."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from zhuanyezhen.cli.app import app, handles_input_errors


class SchemaName(StrEnum):
    profile = "profile"
    output = "output"


@app.command()
@handles_input_errors
def schema(
    name: Annotated[SchemaName, typer.Argument(
        help="profile:企业档案的 JSON Schema;output:zyz calc --format json 输出的 JSON Schema")],
) -> None:
    """输出 JSON Schema(由程序中的数据模型生成),供表单和其他系统生成或校验数据。"""
    from zhuanyezhen.render.json_schema import schema_text

    typer.echo(schema_text(name.value), nl=False)
