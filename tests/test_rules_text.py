"""The rule files stand in the policy text: every quote is found in it, every clause has a file."""

from __future__ import annotations

import re

import pytest

from zhuanyezhen.files.documents import read_document

from .conftest import RULES

FOLDER = RULES / "yangquan-2023-25"
FOLD = str.maketrans({"(": "(", ")": ")", ",": ",", ":": ":", ";": ";", "“": '"', "”": '"',
                      "‘": "'", "’": "'", "。": ".", "!": "!", "?": "?", "〔": "[", "〕": "]"})
NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def fold(text: str) -> str:
    """Remove whitespace and fold full-width punctuation to ASCII, so layout never decides."""
    return re.sub(r"\s+", "", text).translate(FOLD)


def chinese_number(text: str) -> int:
    if text.startswith("十"):
        return 10 + (NUMERALS[text[1]] if len(text) > 1 else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return NUMERALS[tens] * 10 + (NUMERALS[ones] if ones else 0)
    return NUMERALS[text]


TEXT = (FOLDER / "policy-text.txt").read_text(encoding="utf-8")
HEADINGS = {chinese_number(m.group(1)): m.group(2)
            for m in re.finditer(r"[((]([一二三四五六七八九十]+)[))]([^。\n]+)。", TEXT)}
CLAUSE_FILES = sorted(p for p in FOLDER.glob("*.yaml") if p.name != "policy.yaml")


def quotes() -> list[tuple[str, str]]:
    found = []
    info, _ = read_document(FOLDER / "policy.yaml")
    for key in ("validity_quote", "budget_quote", "non_duplication_quote"):
        found.append((f"policy.yaml:{key}", info[key]))
    for path in CLAUSE_FILES:
        data, _ = read_document(path)
        if data.get("quote"):
            found.append((f"{path.name}:clause", data["quote"]))
        for p in data.get("provisions", []):
            found.append((f"{path.name}:{p['id']}", p["quote"]))
    return found


def test_fold_makes_full_width_and_ascii_equal():
    assert fold("对主导(参与)国际标准,分别给予: “最高”") == fold('对主导(参与)国际标准,分别给予:"最高"')


def test_the_text_has_sixteen_clause_headings():
    assert sorted(HEADINGS) == list(range(1, 17))


@pytest.mark.parametrize(("where", "quote"), quotes())
def test_quote_stands_in_the_policy_text(where, quote):
    assert fold(quote) in fold(TEXT), f"{where}: quote not found in policy-text.txt"


@pytest.mark.parametrize("number", range(1, 17))
def test_every_clause_has_a_rule_file_with_its_heading(number):
    files = [p for p in CLAUSE_FILES if read_document(p)[0]["clause"] == number]
    assert len(files) == 1, f"clause {number}: {files}"
    assert fold(read_document(files[0])[0]["title"]) == fold(HEADINGS[number])


def test_policy_yaml_matches_the_text(policy):
    info = policy.info
    assert info.document_number == "阳政办发〔2023〕25号"
    assert fold("阳政办发〔2023〕25号") in fold(TEXT)
    assert str(info.published) == "2023-04-11" and "2023年4月11日" in TEXT
    # "自公布之日起30日后施行,有效期至2025年12月31日": 2023-04-11 + 30 days = 2023-05-11
    assert (str(info.in_force_from), str(info.in_force_until)) == ("2023-05-11", "2025-12-31")
    assert info.budget == 30_000_000 and "3000万元专项资金" in TEXT
    assert info.clauses == 16


def responsible_units(number: int) -> list[str]:
    """The 责任单位 list that ends clause ``number`` in the text, in the text's order."""
    start = TEXT.index(f"({'一二三四五六七八九十'[number - 1] if number <= 10 else '十' + '一二三四五六'[number - 11]})")
    found = re.search(r"\(责任单位:([^)]*)\)", TEXT[start:])
    assert found is not None
    return [u for u in re.split(r"[、,]", found.group(1)) if u]


@pytest.mark.parametrize("number", range(1, 17))
def test_clause_departments_are_the_texts_responsible_units(number):
    (path,) = [p for p in CLAUSE_FILES if read_document(p)[0]["clause"] == number]
    assert read_document(path)[0]["departments"] == responsible_units(number)


def test_provision_departments_come_from_their_clause(policy):
    for p in policy.provisions:
        assert set(p.departments) <= set(policy.clauses[p.clause].departments), p.id
