"""Broken rule files fail at load, naming file, line and field; ``zyz calc`` exits 2.

Each case copies the shipped rules into a tmp folder and breaks one thing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhuanyezhen.cli import app
from zhuanyezhen.errors import InputError
from zhuanyezhen.policy.loader import load_policy

from .conftest import EXAMPLES, RULES

POLICY = "yangquan-2023-25"
TARGETS = f"rules/{POLICY}/16-targets.yaml"

# name: (file, text to find, replacement, exact stderr)
CASES: dict[str, tuple[str, str, str, str]] = {
    "yaml-syntax": (
        "16-targets.yaml", "      kind: exact\n      tiers:\n        measure: revenue",
        "      kind: exact\n     tiers:\n        measure: revenue",
        f"错误:{TARGETS},第38行:YAML 格式错误:缩进不一致(同一层的字段或列表项须左对齐,只用空格缩进)\n"),
    "unknown-key": (
        "16-targets.yaml", "  - id: market_share\n    title:", "  - id: market_share\n    titel:",
        f"错误:{TARGETS},第49行,字段 provisions[1].title:缺少必填字段\n"
        f"错误:{TARGETS},第50行,字段 provisions[1].titel:未知字段“titel”,是否应为 title?\n"),
    "duplicate-key": (
        "16-targets.yaml", '    one_time: tier\n    subject: "营收首次达标"',
        '    one_time: tier\n    subject: "营收首次达标"\n    one_time: enterprise',
        f"错误:{TARGETS},第49行,字段 provisions[0].one_time:键 one_time 重复出现(第47行和第49行);"
        "每个键只能写一次(删去其中一个,或合并两处的内容)\n"),
    "unknown-fact-in-condition": (
        "16-targets.yaml", "test: backbone}", "test: backbone_enterprise}",
        f"错误:{TARGETS},第34行,字段 provisions[0].conditions[2].test:"
        "条件“backbone_enterprise”引用了不存在的档案字段 backbone_enterprise\n"),
    "unknown-fact-in-amount": (
        "16-targets.yaml", "measure: revenue\n", "measure: revenues\n",
        f"错误:{TARGETS},第39行,字段 provisions[0].amount.tiers.measure:引用了不存在的档案字段 revenues\n"),
    "unknown-fact-in-subject": (
        "16-targets.yaml", 'subject: "市场占有率首次进入"', 'subject: "市场占有率首次进入{revenu}"',
        f"错误:{TARGETS},第67行,字段 provisions[1].subject:事项模板引用了不存在的字段 revenu\n"),
    "same-id-in-two-files": (
        "16-targets.yaml", "  - id: market_share", "  - id: single_champion",
        f"错误:{TARGETS},第49行,字段 provisions[1].id:项目编号 single_champion 重复:已在 09-tech-transformation.yaml 中使用\n"),
    "same-id-in-one-file": (
        "16-targets.yaml", "  - id: market_share", "  - id: revenue_tier",
        f"错误:{TARGETS},第49行,字段 provisions[1].id:项目编号 revenue_tier 重复:已在 16-targets.yaml 中使用\n"),
    "negative-amount": (
        "16-targets.yaml", "{id: 1亿, threshold: 100000000, amount: 100000}",
        "{id: 1亿, threshold: 100000000, amount: -100000}",
        f"错误:{TARGETS},第44行,字段 provisions[0].amount.tiers.levels[0].amount:数值不能为负数(收到 -100000)\n"),
    "nan-threshold": (
        "16-targets.yaml", "{id: 1亿, threshold: 100000000, amount: 100000}",
        "{id: 1亿, threshold: .nan, amount: 100000}",
        f"错误:{TARGETS},第44行,字段 provisions[0].amount.tiers.levels[0].threshold:"
        "数值必须是有限数字,不能是 NaN 或无穷大\n"),
    "code-in-condition": (
        "16-targets.yaml", "test: backbone}", "test: \"__import__('os').system('echo x')\"}",
        f"错误:{TARGETS},第34行,字段 provisions[0].conditions[2].test:条件“__import__('os').system('echo x')”"
        "中不允许 Call;只能用字段、数字、文字、比较、and/or/not、+ - *\n"),
    "text-compared-with-amount": (
        "16-targets.yaml", "test: backbone}", "test: \"revenue >= '1亿'\"}",
        f"错误:{TARGETS},第34行,字段 provisions[0].conditions[2].test:"
        "条件“revenue >= '1亿'”把 revenue(数字)与 '1亿'(文字)比较,类型不符\n"),
    "bad-choice": (
        "16-targets.yaml", '    one_time: tier\n    subject: "营收首次', '    one_time: forever\n    subject: "营收首次',
        f"错误:{TARGETS},第47行,字段 provisions[0].one_time:“forever”不是可选值(可选:enterprise、subject、tier、city)\n"),
    "undefined-interpretation": (
        "16-targets.yaml", "interpretation: market_share\n", "interpretation: market_shares\n",
        f"错误:{TARGETS},第62行,字段 provisions[1].amount.tiers.interpretation:引用了未定义的解释 market_shares"
        "(可用:effective_date、leader_same_year、laozihao、gi_award、training_order、project_overlap、insurance_renewal、"
        "enterprise_cap_period、revenue_tier、market_share)\n"),
    "impossible-date": (
        "policy.yaml", "in_force_until: 2025-12-31", "in_force_until: 2025-02-30",
        f"错误:rules/{POLICY}/policy.yaml,第9行,字段 in_force_until:“2025-02-30”不是日期(YYYY-MM-DD)\n"),
}


def _broken_rules(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "rules" / POLICY
    shutil.copytree(RULES / POLICY, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} no longer in the shipped {file}; update this case"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", list(CASES))
def test_broken_rule_file_is_refused_at_load(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file, old, new, expected = CASES[name]
    _broken_rules(tmp_path, file, old, new)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["calc", "--rules", "rules", str(EXAMPLES / "refractory-leader.yaml")])
    assert result.exit_code == 2
    assert result.stderr == expected
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_every_problem_carries_file_line_and_field(tmp_path: Path) -> None:
    folder = _broken_rules(tmp_path, *CASES["unknown-key"][:3])
    with pytest.raises(InputError) as caught:
        load_policy(folder)
    for problem in caught.value.problems:
        assert problem.file and problem.file.endswith("16-targets.yaml")
        assert problem.line is not None and problem.field


def test_a_yml_file_is_not_silently_skipped(tmp_path: Path) -> None:
    # A clause saved as .yml would otherwise be ignored and its awards silently missing.
    folder = _broken_rules(tmp_path, "16-targets.yaml", "clause: 16", "clause: 16")
    (folder / "16-targets.yaml").rename(folder / "16-targets.yml")
    with pytest.raises(InputError) as caught:
        load_policy(folder)
    assert str(caught.value.problems[0]) == (
        f"{folder / '16-targets.yml'}:规则文件扩展名应为 .yaml;以 .yml 结尾的文件不会被读取(改名为 16-targets.yaml)")


def test_shipped_rules_pass_every_check(policy) -> None:  # type: ignore[no-untyped-def]
    # The checks above must not refuse the rules we ship: 16 clauses, every provision loaded.
    assert sorted(policy.clauses) == list(range(1, 17))
