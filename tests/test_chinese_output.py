"""Official Chinese in every human output (issue 11): no English identifiers, clause numbers as
（三）, 万元 with two decimals, a GBK console, Chinese usage errors, 80 columns, Chinese paths."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhuanyezhen.cli import app
from zhuanyezhen.profile.glossary import VALUE_LABELS, subject_key, subject_label
from zhuanyezhen.profile.model import ITEM_MODELS, OnJobTraining, Profile

from .conftest import EXAMPLES
from .scripting_helpers import run_zyz

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
LEADER = EXAMPLES / "refractory-leader.yaml"
runner = CliRunner()


def _identifiers(policy) -> set[str]:
    """Every English id a human output must not show: provisions, readings and their options,
    coded values and the profile's field keys."""
    ids = {p.id for p in policy.provisions}
    for name, interp in policy.interpretations.items():
        ids.add(name)
        ids.update(interp.options)
    ids.update(VALUE_LABELS)
    for model in (Profile, OnJobTraining, *ITEM_MODELS.values()):
        ids.update(model.model_fields)
    ids.update({"in_town", "small_or_micro", "first_of_kind", "employed_trainees", "item"})
    return ids


# A key is allowed beside its Chinese name, "营业收入(revenue)"; an id is allowed where a script
# needs it: "--assume revenue_tier=cumulative", "编号:revenue_tier" / "(编号 revenue_tier)".
_ALLOWED = [re.compile(r"(?<=[^\x00-\x7f]|\))\((?:[a-z_]+(?:\[\d+\])?\.?)+\)"),
            re.compile(r"--assume \S+"), re.compile(r"规则文件:\S+"), re.compile(r"编号[ :]\S+?(?=[)\n]|$)", re.M)]


def english_ids(text: str, ids: set[str]) -> list[str]:
    for pattern in _ALLOWED:
        text = pattern.sub(" ", text)
    return sorted({t for t in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text) if t in ids})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag, attrs):
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def human_outputs(example: Path, tmp_path: Path) -> dict[str, str]:
    report = tmp_path / "report.html"
    runner.invoke(app, ["report", str(example), "-o", str(report), "--date", "2025-01-15"])
    page = _Text()
    page.feed(report.read_text(encoding="utf-8"))
    return {
        "calc": _run("calc", str(example)),
        "calc markdown": _run("calc", str(example), "-f", "markdown"),
        "explain": _run("explain", str(example)),
        "whatif": _run("whatif", str(example), "--set", "revenue=12亿", "--set", "market_rank=3"),
        "report": "".join(page.parts),
    }


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_no_english_identifier_in_human_output(example, tmp_path, policy):
    ids = _identifiers(policy)
    for command, text in human_outputs(example, tmp_path).items():
        assert english_ids(text, ids) == [], f"{command} {example.name}"
        # every amount we print in 万元 has two decimals: "(141.60万元)", never "(141.6万元)" or "(310万元)"
        ours = re.sub(r"原文:“[^”]*”", "", text)  # the policy's own words are quoted as written
        assert not re.search(r"\((?:[\d,]+|[\d,]+\.\d)万元\)", ours), f"万元 without two decimals in {command}"


def test_no_english_identifier_in_rules_list_and_show(policy):
    ids = _identifiers(policy)
    assert english_ids(_run("rules", "list"), ids) == []
    for p in policy.provisions:
        assert english_ids(_run("rules", "show", p.id), ids) == [], p.id


def test_the_finder_catches_an_english_id(policy):
    ids = _identifiers(policy)
    assert english_ids("事项:single_champion;采用的解释:revenue_tier=highest_only", ids) == [
        "highest_only", "revenue_tier", "single_champion"]
    assert english_ids("需补充:申报年度营业收入(元)(revenue);--assume revenue_tier=cumulative", ids) == []


def test_clause_numbers_are_chinese_in_full_width_brackets_everywhere(tmp_path):
    for command, text in human_outputs(LEADER, tmp_path).items():
        assert "（九）" in text or command == "whatif", command
        assert "（" in text, command
        assert not re.search(r"\((?:\d+|[一二三四五六七八九十]+)\)", text), command
    assert "（十六）" in _run("rules", "list")


def test_wording_a_clerk_would_use():
    text = _run("calc", str(LEADER))
    for words in ("资金拨付对象", "受理部门", "不符合“小微企业”条件", "营业收入首次达到1亿元", "首次进入全国前10名",
                  "2024年度研发检测试验设备购置", "高纯刚玉首批次保险(2024年度)", "十等地", "20,000平方米",
                  "与实际成本 2,000,000.00 元中的较高者", "141.60", "未填报相关荣誉", "六、不符合条件的条款",
                  "七、合计", "\n口径:", "营收同年跨越多档:只奖新达到的最高档"):
        assert words in text, words
    for old in ("受益方", "申报部门", "胜出", "差一点", "档案中没有适用本项的事项", "不满足条件:", "㎡", "max(",
                "采用的解释", "141.6万元"):
        assert old not in text, old
    assert "临近奖补条件事项" in _run("explain", str(LEADER))


def test_the_subject_key_is_unchanged_and_a_displayed_subject_reads_back_as_the_key():
    # The non-duplication key stays "保险:高纯刚玉:2024" (JSON, profiles); only the display is worded.
    assert subject_label("保险:高纯刚玉:2024") == "高纯刚玉首批次保险(2024年度)"
    assert subject_key("高纯刚玉首批次保险(2024年度)") == "保险:高纯刚玉:2024"
    assert subject_key("2024年度研发检测试验设备购置") == "设备购置:2024"
    data = json.loads(_run("calc", str(LEADER), "-f", "json"))
    subjects = {p["subject"] for p in data["provisions"] if p["subject"]}
    assert {"保险:高纯刚玉:2024", "设备购置:2024", "营收首次达标:1亿"} <= subjects


def test_rules_list_says_a_rate_has_no_absolute_cap():
    text = _run("rules", "list")
    block = text[text.index("（九）技术改造重点项目贴息、补助"):]
    block = block[: block.index("（九）", 3)]
    assert "上限:无绝对上限" in block and "所列金额即上限" not in block


# -- GBK console -------------------------------------------------------------------------------

def _gbk_cases(tmp_path: Path) -> list[list[str]]:
    odd = tmp_path / "odd.yaml"
    odd.write_text(LEADER.read_text(encoding="utf-8").replace("name: 智能产线改造", "name: 智能产线−改造㎡😀", 1),
                   encoding="utf-8")
    cases = [["rules", "list"], ["rules", "show", "land_price"], ["--help"], ["calc", "--help"], ["init"],
             ["calc", str(odd)], ["explain", str(odd)], ["calc", str(odd), "-f", "markdown"],
             ["validate", str(odd)], ["schema", "output"], ["report", str(odd), "-o", str(tmp_path / "报告.html")],
             ["template", str(tmp_path / "批量.xlsx")], ["calc", str(odd), "-f", "yaml"]]
    for example in EXAMPLE_FILES:
        cases += [["calc", str(example)], ["explain", str(example)],
                  ["whatif", str(example), "--set", "revenue=5亿"]]
    return cases


def test_every_command_works_on_a_gbk_console(tmp_path):
    for args in _gbk_cases(tmp_path):
        done = run_zyz(*args, env={"PYTHONIOENCODING": "gbk"})
        assert done.returncode == 0, (args, done.stderr.decode("gbk", "replace"))
        text = done.stdout.decode("gbk")  # strict: every byte is GBK
        assert "UnicodeEncodeError" not in done.stderr.decode("gbk", "replace")
        assert text or args[0] in ("report", "template")
    done = run_zyz("calc", str(tmp_path / "odd.yaml"), env={"PYTHONIOENCODING": "gbk"})
    assert "智能产线-改造" in done.stdout.decode("gbk")  # U+2212 replaced by a hyphen, not dropped


def test_a_gbk_error_message_is_gbk_too(tmp_path):
    bad = tmp_path / "坏 档案.yaml"
    bad.write_text("name: 甲−公司\nclaim_year: 2024\nrevnue: 1\n", encoding="utf-8")
    done = run_zyz("calc", str(bad), env={"PYTHONIOENCODING": "gbk"})
    assert done.returncode == 2
    assert "未知字段“revnue”,是否应为 revenue(申报年度营业收入)?" in done.stderr.decode("gbk")


# -- usage errors --------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "words"), [
    (["calc"], "缺少参数 PROFILE"),
    (["calc", str(LEADER), "--bogus"], "没有选项 --bogus"),
    (["calc", str(LEADER), "--format", "xml"], "“xml”不是可选值"),
    (["calc", str(LEADER), "extra"], "多余的参数:extra"),
    (["calc", str(LEADER), "--assume"], "选项 --assume 后面需要一个取值"),
    (["frobnicate"], "没有命令“frobnicate”"),
    (["rules", "show"], "缺少参数"),
    (["report", str(LEADER)], "缺少选项 --output"),
    (["report", str(LEADER), "-o", "x.html", "--date"], "选项 --date 后面需要一个取值"),
])
def test_usage_errors_are_chinese_with_exit_2(args, words):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr, result.stderr
    assert result.stdout == ""
    for english in ("Error", "Usage", "Missing", "No such", "Try ", "Invalid value", "Got unexpected"):
        assert english not in result.stderr, english


def test_help_is_chinese():
    for args in (["--help"], ["calc", "--help"], ["rules", "--help"], ["batch", "--help"]):
        text = _run(*args)
        assert "用法:" in text and "显示本帮助并退出" in text
        for english in ("Usage:", "Options:", "Show this message", "[required]", "[default:"):
            assert english not in text, (args, english)


# -- profiles --------------------------------------------------------------------------------------

PROFILE_CN = """\
企业名称: 阳泉甲公司
专业镇: 耐火材料
属于主导产业: 是
骨干企业: 有
申报年度: 2024
申报年度营业收入(元): 2.8亿
以往最高年营收: 0.5亿
项目:
  - 项目名称: 窑炉改造
    重点项目: 是
    信息化改造/5G融合应用项目: 否
    项目领域: 智能制造示范
    固定资产投资额: 1000万
    投资完成日期: 2024-05-01
"""


def test_a_profile_in_chinese_keys_and_yes_no_words_scores_like_the_english_one(tmp_path):
    path = tmp_path / "中文.yaml"
    path.write_text(PROFILE_CN, encoding="utf-8")
    data = json.loads(_run("calc", str(path), "-f", "json"))
    paid = {p["provision"]: p["amount"] for p in data["provisions"] if p["status"] == "paid"}
    # (九) 10% × 10,000,000 = 1,000,000 (最高); (十六) 2.8亿 first passes 1亿 (0.5亿 before): 100,000
    assert paid == {"tech_project": "1000000.00", "revenue_tier": "100000.00"}
    assert data["totals"]["total"] == "1100000.00"


@pytest.mark.parametrize(("word", "value"), [("是", True), ("否", False), ("有", True), ("无", False)])
def test_yes_no_words_in_yaml_and_json(word, value, tmp_path):
    from zhuanyezhen.profile.loader import load_profile

    for name, text in (("p.yaml", f"name: 甲\nclaim_year: 2024\nleading_industry: {word}\n"),
                       ("p.json", json.dumps({"name": "甲", "claim_year": 2024, "leading_industry": word},
                                             ensure_ascii=False))):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert load_profile(tmp_path / name).leading_industry is value


def test_a_field_written_in_both_languages_is_refused(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("name: 甲\n企业名称: 乙\nclaim_year: 2024\n", encoding="utf-8")
    result = runner.invoke(app, ["calc", str(path)])
    assert result.exit_code == 2
    assert "第2行" in result.stderr and "字段“企业名称”与“name”是同一字段(name),只能写一个" in result.stderr


# -- 80 columns ---------------------------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _on_a_terminal(columns: int, *args: str) -> str:
    """Run zyz with its output on a pseudo-terminal ``columns`` wide."""
    import fcntl
    import pty
    import struct
    import subprocess
    import termios

    from .scripting_helpers import zyz_command

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["NO_COLOR"] = "1"
    proc = subprocess.Popen([*zyz_command(), *args], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    return re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode("utf-8")).replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_80_columns_fit_and_amounts_stay_whole(example):
    data = json.loads(_run("calc", str(example), "-f", "json"))
    amounts = {f"{__import__('decimal').Decimal(p['amount']):,.2f}" for p in data["provisions"] if p["amount"]}
    for args in (["calc", str(example)], ["explain", str(example)], ["whatif", str(example), "--set", "revenue=5亿"]):
        text = _on_a_terminal(80, *args)
        too_wide = [line for line in text.splitlines() if _width(line) > 80]
        assert too_wide == [], (args, too_wide[:3])
        if args[0] == "calc":
            for amount in amounts:
                assert amount in text, (args, amount)
            assert f"{__import__('decimal').Decimal(data['totals']['total']):,.2f}" in text


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")
def test_rules_list_fits_80_columns_and_a_wide_terminal_gets_tables():
    narrow = _on_a_terminal(80, "rules", "list")
    assert max(_width(line) for line in narrow.splitlines()) <= 80
    wide = _on_a_terminal(200, "calc", str(LEADER))
    assert "━" in wide and max(_width(line) for line in wide.splitlines()) <= 200


# -- Chinese paths with spaces ---------------------------------------------------------------------------

def test_paths_with_chinese_characters_and_spaces(tmp_path):
    folder = tmp_path / "企业 资料"
    folder.mkdir()
    profile = folder / "阳泉 耐火 公司.yaml"
    shutil.copy(LEADER, profile)
    done = run_zyz("calc", str(profile), "-f", "json")
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["totals"]["total"] == "4516000.00"  # as the example's header works out
    out = folder / "报告 输出" / "测算 结果.md"
    out.parent.mkdir()
    done = run_zyz("calc", str(profile), "-f", "markdown", "-o", str(out))
    assert done.returncode == 0 and "4,516,000.00" in out.read_text(encoding="utf-8")
    report = folder / "报告 输出" / "报告.html"
    assert run_zyz("report", str(profile), "-o", str(report)).returncode == 0 and report.exists()
    assert run_zyz("validate", str(profile)).returncode == 0


def test_the_init_template_loads_with_the_chinese_names_it_prints(tmp_path):
    """Every top-level key of ``zyz init`` replaced by the Chinese name in the comment above it."""
    from zhuanyezhen.profile.loader import load_profile

    lines = _run("init").splitlines()
    out = []
    for index, line in enumerate(lines):
        match = re.match(r"^([a-z_]+):(.*)$", line)
        above = [re.match(r"^# (.+?)【", x) for x in reversed(lines[max(index - 4, 0):index])]
        title = next((m for m in above if m), None) if match else None
        out.append(f"{title.group(1)}:{match.group(2)}" if match and title else line)
    text = "\n".join(out).replace("name: 请填写企业全称", "name: 甲公司").replace("企业名称: 请填写企业全称", "企业名称: 甲公司")
    assert "申报年度:" in text and "\nclaim_year:" not in text
    path = tmp_path / "中文键.yaml"
    path.write_text(text, encoding="utf-8")
    profile = load_profile(path)
    assert profile.name == "甲公司" and profile.claim_year == 2025


def _keep_example(sheet):
    """The template's example enterprise is marked 示例 and skipped; number it to score it."""
    from openpyxl import load_workbook

    book = load_workbook(sheet)
    marks = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == "示例"]
    assert marks, "the template marks its example row 示例"
    for cell in marks:
        cell.value = 1
    book.save(sheet)


def test_batch_works_on_a_gbk_console(tmp_path):
    sheet = tmp_path / "批量 输入.xlsx"
    assert run_zyz("template", str(sheet), env={"PYTHONIOENCODING": "gbk"}).returncode == 0
    _keep_example(sheet)
    done = run_zyz("batch", str(sheet), "-o", str(tmp_path / "结果.csv"), "--summary", str(tmp_path / "汇总.csv"),
                   env={"PYTHONIOENCODING": "gbk"})
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    assert "读取 1 = 计分 1 + 拒绝 0" in done.stderr.decode("gbk")


@pytest.mark.parametrize("width", range(20, 61))
def test_wrapping_never_splits_an_amount_nor_starts_a_line_with_punctuation(width):
    from zhuanyezhen.render.layout import display_width, wrap

    text = "底价取 70% × 3,360,000.00 元与实际成本 2,000,000.00 元中的较高者,为 2,352,000.00 元;优惠 1,008,000.00 元(100.80万元)"
    lines = wrap(text, width, 2)
    assert all(display_width(line) <= width for line in lines)
    joined = "".join(line.strip() for line in lines)
    for amount in ("3,360,000.00", "2,000,000.00", "2,352,000.00", "1,008,000.00", "100.80万元"):
        assert any(amount in line for line in lines), (width, amount)
    assert joined.replace(" ", "") == text.replace(" ", "")
    assert not any(line.strip()[0] in ",;:、)" for line in lines[1:])
