"""What the input checks accept, read exactly, or state without refusing."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhuanyezhen.cli import app
from zhuanyezhen.errors import InputError
from zhuanyezhen.files.documents import load_document
from zhuanyezhen.money import parse_amount, parse_rate
from zhuanyezhen.profile.credit_code import check_character, validate_credit_code
from zhuanyezhen.profile.loader import load_profile

BASE = "name: 阳泉某耐材公司\nclaim_year: 2024\n"


def _profile(tmp_path: Path, text: str, name: str = "p.yaml"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_profile(path)


@pytest.mark.parametrize(("written", "yuan"), [
    ("1.2亿", Decimal("120000000")),       # 1.2 × 100,000,000
    ("300万元", Decimal("3000000")),       # 300 × 10,000
    ("3,500,000", Decimal("3500000")),
    ("3,500,000.50元", Decimal("3500000.50")),
    ("0.35万", Decimal("3500")),           # 0.35 × 10,000
    ("１２万", Decimal("120000")),          # full-width digits read as 12
    ("¥1,000", Decimal("1000")),
])
def test_amounts_with_chinese_units_are_exact(written: str, yuan: Decimal) -> None:
    assert parse_amount(written) == yuan


def test_amount_in_a_profile_file_is_exact(tmp_path: Path) -> None:
    profile = _profile(tmp_path, BASE + "revenue: 2.8亿\nequipment_investment: \"1,800,000\"\n")
    assert profile.revenue == Decimal("280000000")
    assert profile.equipment_investment == Decimal("1800000")


def test_rate_as_percent_text_is_accepted(tmp_path: Path) -> None:
    assert parse_rate("85%") == Decimal("0.85")
    assert parse_rate(Decimal("0.85")) == Decimal("0.85")
    with pytest.raises(ValueError, match=re.escape("若指 85%,请写 0.85 或 “85%”")):
        parse_rate(85)


def test_check_character_of_the_standards_example() -> None:
    # GB 32100-2015's worked example: 91350100M000100Y4 + check character 3.
    assert check_character("91350100M000100Y4") == "3"
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_yaml_yes_no_stay_text_and_leading_zero_is_decimal(tmp_path: Path) -> None:
    # YAML 1.1 would read `no` as false and 010 as octal 8.
    data, _ = load_document(b"town: no\nrank: 010\nbackbone: yes\n", "x.yaml")
    assert data == {"town": "no", "rank": 10, "backbone": "yes"}
    profile = _profile(tmp_path, BASE + "backbone: yes\nmarket_rank: 010\n")
    assert profile.backbone is True and profile.market_rank == 10


def test_gb18030_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes((BASE + "town: 耐火材料\n").encode("gb18030"))
    assert load_profile(path).town == "耐火材料"


def test_json_profile_with_exact_decimals(tmp_path: Path) -> None:
    profile = _profile(tmp_path, '{"name": "阳泉某公司", "claim_year": 2024, "revenue": 280000000.10}', "p.json")
    assert profile.revenue == Decimal("280000000.10")


def test_yaml_flow_mapping_is_not_mistaken_for_json(tmp_path: Path) -> None:
    profile = _profile(tmp_path, "{name: 阳泉某公司, claim_year: 2024}\n")
    assert profile.claim_year == 2024


def test_json_duplicate_key_names_both_lines() -> None:
    with pytest.raises(InputError) as caught:
        load_document(b'{\n "name": "a",\n "claim_year": 2024,\n "name": "b"\n}', "p.json")
    assert "第2行和第4行" in str(caught.value)


def test_claim_year_outside_the_window_is_a_statement_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: 阳泉某公司\nclaim_year: 2026\ntown: 耐火材料\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["calc", str(path)])
    assert result.exit_code == 0
    assert "申报年度 2026 不在本政策有效期(2023-05-11 至 2025-12-31)内:本政策不予奖补" in result.stdout
    # A plain warning on stderr (not an error): no policy is in force for that year.
    assert result.stderr.startswith("注意:没有在申报年度 2026 有效的政策。")


def test_a_flood_of_errors_is_cut_to_fifty_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(BASE + "".join(f"unknown_{i}: 1\n" for i in range(80)), encoding="utf-8")
    result = CliRunner().invoke(app, ["calc", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 51
    assert lines[-1] == "(另有 30 个错误未列出;请先改正以上错误)"


def test_missing_file_is_a_located_input_error() -> None:
    result = CliRunner().invoke(app, ["calc", "没有这个文件.yaml"])
    assert result.exit_code == 2
    assert result.stderr == "错误:没有这个文件.yaml:文件不存在(请检查路径和文件名)\n"


@pytest.mark.parametrize(("options", "expected"), [
    (["--assume", "revenue_tier"], "错误:选项 --assume:“revenue_tier”格式应为 名称=取值,如 revenue_tier=cumulative\n"),
    (["--assume", "revenue_tier=all"], "错误:选项 --assume:解释 revenue_tier 没有选项 all"
     "(可选:highest_only(只奖新达到的最高档,低档不累加;已奖档位不再奖)、cumulative(每个新达到的档位各奖一次))\n"),
    (["--policy", "nope"], "错误:选项 --policy:没有编号为 nope 的政策。规则目录中有:yangquan-2023-25(阳政办发〔2023〕25号,有效期 2023-05-11 至 2025-12-31)\n"),
])
def test_bad_options_are_input_errors(options: list[str], expected: str) -> None:
    from .conftest import EXAMPLES

    result = CliRunner().invoke(app, ["calc", str(EXAMPLES / "refractory-leader.yaml"), *options])
    assert result.exit_code == 2
    assert result.stderr == expected
    assert result.stdout == ""
