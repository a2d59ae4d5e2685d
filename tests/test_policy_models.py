"""Rule-file models: numbers nested in tables and lists are checked too; a missing provision is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhuanyezhen import Policy, load_policy
from zhuanyezhen.errors import InputError

from .conftest import RULES

POLICY = "yangquan-2023-25"


def _mutated(tmp_path: Path, file: str, old: str, new: str) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules, ignore=shutil.ignore_patterns("__pycache__"))
    path = rules / POLICY / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return rules


@pytest.mark.parametrize(("file", "old", "new", "shown"), [
    # a number in a table (a mapping of mappings): 国际标准·主导 200,000 → −200,000
    ("03-standards.yaml", "lead: 200000", "lead: -200000", "-200000"),
    # a number in a list: the land price of grade 1, 840 → −840
    ("12-land-energy.yaml", "[840,", "[-840,", "-840"),
    ("12-land-energy.yaml", "[840,", "[.nan,", "NaN"),
])
def test_negative_or_nan_numbers_nested_in_a_rule_are_refused(tmp_path: Path, file: str, old: str, new: str,
                                                              shown: str) -> None:
    with pytest.raises(InputError) as caught:
        load_policy(rules_dir=_mutated(tmp_path, file, old, new))
    text = str(caught.value)
    assert file in text and (shown in text or "NaN" in text)


def test_an_unknown_provision_is_named(policy: Policy) -> None:
    with pytest.raises(KeyError) as caught:
        policy.provision("no_such_provision")
    assert caught.value.args == ("no_such_provision",)
    assert policy.provision("tech_project").id == "tech_project"
