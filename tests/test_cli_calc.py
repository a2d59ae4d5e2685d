"""``zyz calc`` as a user runs it: exit codes, totals on screen, Chinese errors."""

from typer.testing import CliRunner

from zhuanyezhen.cli import app

from .conftest import EXAMPLES

runner = CliRunner()


def test_calc_prints_the_report_and_totals():
    result = runner.invoke(app, ["calc", str(EXAMPLES / "refractory-leader.yaml")])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for text in ("一、可获奖补", "二、不予重复奖补", "合计", "1,416,000.00", "3,100,000.00", "4,516,000.00",
                 "120,000.00", "451.60", "最高可达", "确定金额", "市工信局", "10% × 30,000,000.00 元"):
        assert text in out, text


def test_calc_assume_changes_the_total():
    # battery-anode with revenue_tier=cumulative: 1,932,000 + 100,000 = 2,032,000 exact; total 4,032,000
    result = runner.invoke(app, ["calc", str(EXAMPLES / "battery-anode.yaml"), "--assume", "revenue_tier=cumulative"])
    assert result.exit_code == 0, result.stderr
    assert "4,032,000.00" in result.stdout and "营收同年跨越多档:各档各奖一次" in result.stdout


def test_calc_outside_the_window_says_so(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: 甲公司\ntown: 砂陶\nclaim_year: 2026\n", encoding="utf-8")
    result = runner.invoke(app, ["calc", str(path)])
    assert result.exit_code == 0
    assert "不在本政策有效期" in result.stdout


def test_bad_profile_exits_2_with_a_chinese_message(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: 甲公司\ntown: 砂陶\nclaim_year: 2024\nrevenue: 很多\n", encoding="utf-8")
    result = runner.invoke(app, ["calc", str(path)])
    assert result.exit_code == 2
    assert "第4行" in result.stderr and "revenue" in result.stderr and "不是金额" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_file_exits_2():
    result = runner.invoke(app, ["calc", "no-such-profile.yaml"])
    assert result.exit_code == 2 and "文件不存在" in result.stderr


def test_unknown_assumption_exits_2():
    result = runner.invoke(app, ["calc", str(EXAMPLES / "refractory-leader.yaml"), "--assume", "nope=1"])
    assert result.exit_code == 2 and "没有名为 nope 的解释" in result.stderr
