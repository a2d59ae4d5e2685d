"""``zyz template``: write the empty batch input layout with one filled example enterprise."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zhuanyezhen.cli.app import _state, app, handles_input_errors


@app.command()
@handles_input_errors
def template(
    path: Annotated[Path, typer.Argument(help="要生成的模板:batch.xlsx(一个工作簿)或 batch.csv(主表加清单文件)")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件")] = False,
) -> None:
    """生成批量计分的输入模板(中文列名,附一家示例企业)。"""
    from zhuanyezhen.batch.input_template import write_template
    from zhuanyezhen.cli.policy_choice import policy_for_browsing

    written = write_template(path, force=force, policy=policy_for_browsing(None, None))
    if not _state["quiet"]:
        sys.stderr.write("已生成:" + "、".join(str(p) for p in written) + "\n")
