"""``--format markdown``: the same report as the terminal table, as Markdown to file or paste."""

from __future__ import annotations

from zhuanyezhen.engine.result import Result
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile.glossary import SECTION_NUMBERS, interpretation_words
from zhuanyezhen.render.sections import Cell, Money, assumptions_line, calc_sections


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _text(cell: Cell) -> str:
    if isinstance(cell, Money):
        first, second = cell.lines()
        return first + second
    return cell


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def result_markdown(result: Result, policy: Policy) -> str:
    """The same numbered sections as the terminal report, as Markdown tables."""
    out: list[str] = [f"# {result.enterprise}:专业镇奖补测算", ""]
    where = "·".join(x for x in (result.county, result.town and f"{result.town}专业镇") if x)
    out += [f"- 申报年度:{result.claim_year}" + (f";{where}" if where else ""),
            f"- 依据:{result.document_number}《{result.policy_title}》", ""]
    for notice in result.notices:
        out += [f"> **注意**:{_cell(notice)}", ""]
    sections = calc_sections(result)
    for section in sections:
        out += [f"## {section.title}", ""]
        if section.rows:
            out += _table(section.columns, [[_text(c) for c in row] for row in section.rows])
        else:
            out += ["无", ""]
    out += [f"## {SECTION_NUMBERS[len(sections)]}、采用的口径", ""]
    out += _table(["口径", "本次采用", "问题", "是否默认"], [
        [interpretation_words(name, value, policy.interpretations).split(":", 1)[0],
         interpretation_words(name, value, policy.interpretations).split(":", 1)[1],
         policy.interpretations[name].question if name in policy.interpretations else "",
         "是" if name in policy.interpretations and policy.interpretations[name].default == value else "否(已改)"]
        for name, value in result.assumptions.items()])
    out += [assumptions_line(result, policy.interpretations), "",
            f"规则摘要 `{result.rules_hash}`;zyz {result.engine_version}。", ""]
    return "\n".join(out)
