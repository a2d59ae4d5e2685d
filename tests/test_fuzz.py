"""Fuzzing the loaders: random bytes, random YAML/JSON structures and damaged files.

Whatever comes in, the only exception that may leave a loader is the project's ``InputError``;
a rule folder that still loads after damage must also calculate without an internal error.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhuanyezhen import calculate
from zhuanyezhen.errors import InputError
from zhuanyezhen.files.documents import load_document
from zhuanyezhen.policy.loader import load_policy
from zhuanyezhen.profile.loader import load_profile, profile_from_data
from zhuanyezhen.profile.model import Profile

from .conftest import EXAMPLES, RULES
from .profile_strategies import profiles

fuzz = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

EXAMPLE = (EXAMPLES / "refractory-leader.yaml").read_text(encoding="utf-8")
PROFILE_KEYS = list(Profile.model_fields)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=20),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**12, max_value=10**12),
    st.dates(min_value=dt.date(1900, 1, 1)), st.sampled_from(["1.2亿", "300万元", "85%", "2024-02-30", "no", "0x1F",
                                                             ".nan", "-.inf", "1:30", "~", "!!binary", "*a"]),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(PROFILE_KEYS), st.text(max_size=8)), inner,
                                            max_size=5)),
    max_leaves=20,
)


def _to_yaml(value: Any) -> str:
    def plain(v: Any) -> Any:
        if isinstance(v, Decimal):
            return str(v)
        if isinstance(v, dict):
            return {plain(k): plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v

    return yaml.safe_dump(plain(value), allow_unicode=True)


def _only_input_errors(raw: bytes, name: str = "fuzz.yaml") -> None:
    try:
        data, lines = load_document(raw, name)
        profile_from_data(data, name, lines)
    except InputError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        assert all(p.file == name for p in exc.problems)  # every problem names the file


@fuzz
@given(raw=st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    _only_input_errors(raw)


@fuzz
@given(value=structures)
def test_random_yaml_structures(value: Any) -> None:
    _only_input_errors(_to_yaml(value).encode("utf-8"))


@fuzz
@given(value=structures)
def test_random_json_structures(value: Any) -> None:
    text = json.dumps(value, default=str, ensure_ascii=False)
    _only_input_errors(text.encode("utf-8"), "fuzz.json")


@fuzz
@given(data=profiles, key=st.sampled_from(PROFILE_KEYS), junk=structures)
def test_valid_profile_with_one_field_replaced_by_junk(data: dict[str, Any], key: str, junk: Any) -> None:
    damaged = copy.deepcopy(data)
    damaged[key] = junk
    _only_input_errors(_to_yaml(damaged).encode("utf-8"))


@fuzz
@given(position=st.integers(0, len(EXAMPLE)), cut=st.integers(0, 12),
       insert=st.text(alphabet=":-[]{}&*!|>'\"#%@`,? \t\n0123456789.亿万元", max_size=6))
def test_damaged_example_profile(position: int, cut: int, insert: str, tmp_path: Path) -> None:
    text = EXAMPLE[:position] + insert + EXAMPLE[position + cut:]
    path = tmp_path / "damaged.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_profile(path)
    except InputError as exc:
        assert all(p.file == str(path) for p in exc.problems)


@pytest.fixture(scope="module")
def rules_copy() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="zyz-fuzz-rules-"))
    shutil.copytree(RULES / "yangquan-2023-25", root / "yangquan-2023-25")
    yield root / "yangquan-2023-25"
    shutil.rmtree(root)


CLAUSE_FILES = sorted(p.name for p in (RULES / "yangquan-2023-25").glob("*.yaml"))


@settings(fuzz, max_examples=100)
@given(file=st.sampled_from(CLAUSE_FILES), data=st.data())
def test_damaged_rule_file(file: str, data: st.DataObject, rules_copy: Path) -> None:
    original = (RULES / "yangquan-2023-25" / file).read_text(encoding="utf-8")
    position = data.draw(st.integers(0, len(original)))
    cut = data.draw(st.integers(0, 10))
    insert = data.draw(st.text(alphabet=":-[]{}&*!'\"# \n0123456789.abc_", max_size=5))
    target = rules_copy / file
    target.write_text(original[:position] + insert + original[position + cut:], encoding="utf-8")
    try:
        policy = load_policy(rules_copy)
    except InputError as exc:
        assert all(p.file for p in exc.problems)
        return
    finally:
        target.write_text(original, encoding="utf-8")
    with contextlib.suppress(InputError):  # still loads: the calculation may fail only with an input error
        calculate(load_profile(EXAMPLES / "refractory-leader.yaml"), policy)
