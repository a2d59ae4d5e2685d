"""The rule-file mutator of ``scripts/mutation`` and a small sample of its mutants, cheap enough for CI.

``scripts/mutation rules`` runs the fast tests against every rule-file mutant (slow, not in CI).
Here: the mutator makes the mutants it promises, and a fixed, seeded sample of them is caught by
the policy-table property of ``test_reach`` alone (a mutated rule that still loads must change
some amount, status or kind that the table predicts).
"""

from __future__ import annotations

import importlib.util
import random
import shutil
import sys
from collections import Counter
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from zhuanyezhen import load_policy
from zhuanyezhen.errors import InputError

from .conftest import ROOT, RULES
from .test_reach import EXAMPLES, Pick, _check, build

SAMPLE, SEED = 6, 15


@pytest.fixture(scope="module")
def mutation() -> ModuleType:
    loader = SourceFileLoader("zyz_mutation_script", str(ROOT / "scripts" / "mutation"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up there
    loader.exec_module(module)
    return module


def test_mutator_makes_the_promised_mutants(mutation: ModuleType) -> None:
    mutants = [m for m in mutation.rule_mutants(RULES) if m.file.endswith("08-digital.yaml")]
    changes = sorted((m.before.strip(), m.after.strip()) for m in mutants)
    # (八) rate 0.10 ± one in the last digit, the 2,000,000 cap ± 1, up_to ↔ exact; nothing else:
    # not the quote, the title, a label, the where clause's words or the interpretation's name.
    assert changes == [
        ("cap_per_item: 2000000", "cap_per_item: 1999999"), ("cap_per_item: 2000000", "cap_per_item: 2000001"),
        ("kind: up_to", "kind: exact"), ("rate: 0.10", "rate: 0.09"), ("rate: 0.10", "rate: 0.11"),
    ]
    every = mutation.rule_mutants(RULES)
    assert len(every) > 100 and all(m.before != m.after for m in every)
    swaps = {(m.before.strip(), m.after.strip()) for m in every if "test:" in m.before}
    assert ("- {label: 当年购置研发、检测、试验等设备投入30万元以上, test: equipment_investment >= 300000}",
            "- {label: 当年购置研发、检测、试验等设备投入30万元以上, test: equipment_investment > 300000}") in swaps


def test_a_number_in_a_folded_note_is_prose_not_a_rule(mutation: ModuleType) -> None:
    assert not [m for m in mutation.rule_mutants(RULES) if "国土资发" in m.before or "note:" in m.before]


def _caught(policy: Any) -> bool:
    seen: Counter[tuple[str, str]] = Counter()
    for seed in range(EXAMPLES):
        try:
            _check(build(Pick(seed)), policy, seen)
        except AssertionError:
            return True
    return False


def test_sampled_rule_mutants_are_caught_by_the_policy_table(mutation: ModuleType, tmp_path: Path) -> None:
    # Land (十二) is a price benefit outside the table; its mutants are left to scripts/mutation.
    candidates = [m for m in mutation.rule_mutants(RULES) if "12-land" not in m.file and "policy.yaml" not in m.file]
    sample = random.Random(SEED).sample(candidates, SAMPLE)
    escaped = []
    for m in sample:
        rules = tmp_path / f"{m.file.replace('/', '_')}-{m.line}-{abs(hash(m.after))}"
        shutil.copytree(RULES, rules, ignore=shutil.ignore_patterns("__pycache__"))
        target = rules / m.file
        lines = target.read_text("utf-8").splitlines(keepends=True)
        lines[m.line - 1] = m.after
        target.write_text("".join(lines), "utf-8")
        try:
            policy = load_policy(rules_dir=rules)
        except InputError:
            continue  # the loader refuses the mutated file: caught
        if not _caught(policy):
            escaped.append(f"{m.file}:{m.line}: {m.after.strip()}")
    assert not escaped
