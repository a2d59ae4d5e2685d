"""``zyz report``: one self-contained, printable, escaped HTML file with the engine's totals on it."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from zhuanyezhen import __version__, calculate, load_profile
from zhuanyezhen.money import yuan

from .helpers_explain import EXAMPLE_FILES, run

LEADER = EXAMPLE_FILES[0].parent / "refractory-leader.yaml"


class Page(HTMLParser):
    """The parsed page: tags seen, text by element id, all text, attributes that load things."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.by_id: dict[str, str] = {}
        self.text: list[str] = []
        self.loads: list[str] = []
        self.styles: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        for name in ("src", "href", "srcset", "data"):
            if attrs.get(name):
                self.loads.append(attrs[name])
        if tag not in ("br", "meta", "img", "link", "input", "hr"):
            self._open.append((tag, attrs.get("id")))

    def handle_endtag(self, tag):
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        self.text.append(data)
        for _tag, element_id in self._open:
            if element_id:
                self.by_id[element_id] = self.by_id.get(element_id, "") + data
        if self._open and self._open[-1][0] == "style":
            self.styles.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def make_report(tmp_path: Path, profile: Path, *extra: str) -> Page:
    out = tmp_path / "report.html"
    result = run("report", str(profile), "-o", str(out), "--date", "2025-03-31", *extra)
    assert result.exit_code == 0, result.output
    return Page(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_report_totals_are_the_engines(tmp_path, policy, path):
    page = make_report(tmp_path, path)
    totals = calculate(load_profile(path), policy).totals
    assert page.by_id["total"] == yuan(totals.total)
    assert page.by_id["total-exact"] == yuan(totals.exact)
    assert page.by_id["total-up-to"] == yuan(totals.up_to)


def test_report_for_the_leader_holds_every_section(tmp_path):
    page = make_report(tmp_path, LEADER)
    text = page.all_text
    # Hand-worked in the example header: total 4,516,000; 120,000 to the provider; land 1,008,000.
    assert page.by_id["total"] == "4,516,000.00"
    assert page.by_id["total-others"] == "120,000.00"
    assert page.by_id["total-land"] == "1,008,000.00"
    assert "阳泉晋耐高温材料有限公司" in text and "2024 年" in text
    assert "不予重复奖补" in text and "同一事项“项目:智能产线改造”只奖一次" in text
    assert "科技创新券" in text  # support without a fixed amount
    assert "距3亿元档还差2,000.00万元" in page.by_id["near-misses"]
    assert "市工信局" in page.by_id["departments"]
    assert "阳政办发〔2023〕25号" in text
    assert page.by_id["made"] == "2025-03-31"
    assert __version__ in text
    assert shipped_rules_hash() in text


def shipped_rules_hash() -> str:
    from zhuanyezhen import load_policy

    return load_policy().rules_hash


def test_report_is_self_contained_and_set_for_a4(tmp_path):
    page = make_report(tmp_path, LEADER)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert page.loads == []
    style = "".join(page.styles)
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", style)
    assert "@import" not in style and "url(" not in style


def test_script_in_a_name_is_text_not_code(tmp_path):
    data = yaml.safe_load(LEADER.read_text(encoding="utf-8"))
    data["name"] = "阳泉<script>alert('x')</script>耐材&公司"
    data["projects"][0]["name"] = "<img src=x onerror=alert(1)>"
    evil = tmp_path / "evil.yaml"
    evil.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    page = make_report(tmp_path, evil)
    assert "script" not in page.tags and "img" not in page.tags
    assert "阳泉<script>alert('x')</script>耐材&公司" in page.all_text
    assert "<img src=x onerror=alert(1)>" in page.all_text


def test_report_date_defaults_to_today_from_the_cli(tmp_path):
    import datetime as dt

    out = tmp_path / "r.html"
    assert run("report", str(LEADER), "-o", str(out)).exit_code == 0
    made = Page(out.read_text(encoding="utf-8")).by_id["made"]
    assert made in {dt.date.today().isoformat(), (dt.date.today() - dt.timedelta(days=1)).isoformat()}


def test_bad_date_is_refused(tmp_path):
    out = tmp_path / "r.html"
    result = run("report", str(LEADER), "-o", str(out), "--date", "2025-02-30")
    assert result.exit_code == 2
    assert "不是有效日期" in result.stderr
    assert not out.exists()


def test_bad_profile_leaves_no_file_and_keeps_the_old_one(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nclaim_year: 2024\nrevenue: 很多\n", encoding="utf-8")
    out = tmp_path / "report.html"
    out.write_text("old report", encoding="utf-8")
    result = run("report", str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert "revenue" in result.stderr
    assert out.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "report.html"]


def test_missing_output_folder_is_a_chinese_error(tmp_path):
    result = run("report", str(LEADER), "-o", str(tmp_path / "nope" / "r.html"))
    assert result.exit_code == 2
    assert "输出目录不存在" in result.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_report_in_headless_chromium(tmp_path):
    report = tmp_path / "report.html"
    assert run("report", str(LEADER), "-o", str(report), "--date", "2025-03-31").exit_code == 0
    with tempfile.TemporaryDirectory() as profile_dir:
        dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile_dir}", "--dump-dom",
                              report.as_uri()], capture_output=True, text=True, timeout=180, check=True).stdout
    page = Page(dom)
    assert page.by_id["total"] == "4,516,000.00"
    with tempfile.TemporaryDirectory() as profile_dir:
        pdf = tmp_path / "report.pdf"
        subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile_dir}", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", report.as_uri()], capture_output=True, timeout=180, check=True)
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf.read_bytes()))
    assert boxes, "no pages printed"
    for width, height in boxes:  # A4 is 595 × 842 points
        assert round(float(width)) == 595 and round(float(height)) == 842
