"""The empty batch input layout with one filled example enterprise (``zyz template``).

The example is ``examples/refractory-leader.yaml`` written the way an office fills a sheet
(Chinese words for choices, 是/否 for yes/no); its hand-worked total is 4,516,000 元.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from zhuanyezhen.batch.columns import (
    CODE,
    EXAMPLE_CODE,
    EXAMPLE_MARK,
    LIST_KINDS,
    MAIN_COLUMNS,
    MAIN_SHEET_NAMES,
    ONJOB_PREFIX,
    Column,
)
from zhuanyezhen.batch.writer import CsvSheet, Workbook
from zhuanyezhen.errors import InputError
from zhuanyezhen.files.atomic import PendingFiles, check_targets
from zhuanyezhen.policy.field_usage import ENGINE_USES, describe_users, fact_users
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile.model import OnJobTraining, Profile

EXAMPLE_MAIN: dict[str, Any] = {
    "name": "阳泉晋耐高温材料有限公司", CODE: EXAMPLE_CODE, "county": "郊区", "town": "耐火材料",
    "leading_industry": "是", "backbone": "是", "size": "中型", "claim_year": 2024,
    "revenue": "2.8亿", "highest_revenue_before": "95000000", "industry_revenue_rank": 1,
    "market_rank": 8, "market_rank_best_before": "从未进入", "equipment_investment": "1800000",
    "onjob_training.trainees": 120, "onjob_training.finished": "2024-10-31",
}

EXAMPLE_LISTS: dict[str, list[dict[str, Any]]] = {
    "honours": [{"kind": "国家级制造业单项冠军产品", "date": "2024-09-10", "name": "高纯刚玉砖"}],
    "standards": [{"name": "GB/T 1234 耐火砖", "level": "国家标准", "role": "主导", "date": "2024-03-01"}],
    "projects": [{"name": "智能产线改造", "digital": "是", "key_project": "是", "field": "智能制造示范",
                  "software_hardware_investment": "18000000", "fixed_asset_investment": "30000000",
                  "date": "2024-08-01"}],
    "premiums": [{"product": "高纯刚玉", "premium": "3000000", "qualifies": "是", "date": "2024-02-01"}],
    "training_programmes": [{"name": "窑炉工订单班", "kind": "订单式", "trainees": 30, "days": 40,
                             "employment_rate": "85%", "provider": "阳泉职业技术学院",
                             "finished": "2024-07-15"}],
    "land": [{"name": "二期", "grade": 10, "area_m2": "20000", "cost_sum": "2000000",
              "supported_industrial": "是"}],
    "awards_received": [],
    "other_policy_awards": [{"subject": "设备购置:2024", "policy": "阳泉市工业稳增长奖励办法",
                             "amount": "100000"}],
}


def _row(columns: tuple[Column, ...], values: dict[str, Any]) -> list[Any]:
    """The example's row, its 序号 cell marked 示例 so that a run skips it if it is left in."""
    return [EXAMPLE_MARK, *(values.get(c.field, "") for c in columns)]


def _header(columns: tuple[Column, ...]) -> list[str]:
    return ["序号", *(c.title for c in columns)]


def _description(model: type[BaseModel], field: str) -> str:
    info = model.model_fields.get(field)
    return (info.description or "") if info is not None else ""


README_HEADER = ["工作表", "列名", "英文列名", "必填", "单位与写法", "含义", "用到的条款"]

_KIND_UNITS = {
    "money": "元;也可写 350万、1.2亿;列名写成“(万元)”等时整列按该单位",
    "rate": "比例:0.85 或 85%;列名写成“(%)”时 85 即 85%",
    "int": "整数",
    "date": "日期:2024-06-30、2024/6/30、2024年6月30日",
    "bool": "是/否",
    "text": "文字",
    "value": "",
}


def _unit(column: Column) -> str:
    if column.field == "area_m2":
        return "平方米"
    return _KIND_UNITS.get(column.kind, "")


def readme_rows(policy: Policy | None = None) -> list[list[Any]]:
    """The 说明 sheet: every column with its unit, its meaning and the clauses that read it, taken
    from the rule files as ``zyz init`` does (``policy.field_usage``)."""
    users = fact_users(policy) if policy is not None else {}

    def clauses(path: str) -> str:
        found = users.get(path)
        if found:
            return describe_users(found)
        return ENGINE_USES.get(path, "")

    rows: list[list[Any]] = [["全部", "序号", "", "", "", "可留作自己编号,不读取;写“示例”的行是模板示例,不计分", ""]]
    for c in MAIN_COLUMNS:
        if c.field.startswith(ONJOB_PREFIX):
            text = _description(OnJobTraining, c.field[len(ONJOB_PREFIX):])
        else:
            text = _description(Profile, c.field)
        rows.append([MAIN_SHEET_NAMES[0], c.title, c.field, "是" if c.required else "", _unit(c), text,
                     clauses(c.field)])
    for kind in LIST_KINDS:
        for c in kind.columns:
            text = "与企业表的统一社会信用代码对应" if c.field == CODE else _description(kind.model, c.field)
            rows.append([kind.title, c.title, c.field, "是" if c.required else "", _unit(c), text,
                         "" if c.field == CODE else clauses(f"{kind.name}.{c.field}")])
    return rows


def write_template(path: Path, force: bool = False, policy: Policy | None = None) -> list[Path]:
    """Write ``batch.xlsx`` (one workbook) or ``batch.csv`` plus ``batch.<list>.csv`` files."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError.one("模板文件应为 .xlsx 或 .csv", file=str(path))
    if suffix == ".xlsx":
        targets = [path]
    else:
        targets = [path, *(path.with_name(f"{path.stem}.{k.name}.csv") for k in LIST_KINDS)]
    check_targets([(t, "模板文件") for t in targets])
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise InputError.one("文件已存在;加 --force 覆盖", file=str(existing[0]))
    outputs = PendingFiles()
    try:
        if suffix == ".xlsx":
            book = Workbook(outputs.reserve(path), str(path))
            sheet = book.sheet(MAIN_SHEET_NAMES[0], _header(MAIN_COLUMNS))
            sheet.write(_row(MAIN_COLUMNS, EXAMPLE_MAIN))
            for kind in LIST_KINDS:
                sheet = book.sheet(kind.title, _header(kind.columns))
                for item in EXAMPLE_LISTS[kind.name]:
                    sheet.write(_row(kind.columns, {CODE: EXAMPLE_CODE, **item}))
            sheet = book.sheet("说明", README_HEADER)
            for row in readme_rows(policy):
                sheet.write(row)
            book.close()
        else:
            main = CsvSheet(outputs.reserve(path), _header(MAIN_COLUMNS))
            main.write(_row(MAIN_COLUMNS, EXAMPLE_MAIN))
            main.close()
            for kind, target in zip(LIST_KINDS, targets[1:], strict=True):
                table = CsvSheet(outputs.reserve(target), _header(kind.columns))
                for item in EXAMPLE_LISTS[kind.name]:
                    table.write(_row(kind.columns, {CODE: EXAMPLE_CODE, **item}))
                table.close()
        outputs.commit()
    except BaseException:
        outputs.discard()
        raise
    return targets
