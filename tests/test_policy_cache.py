"""The per-user policy cache gives exactly the policy a full load gives, and is never used stale.

Every test gets its own cache folder (``ZYZ_CACHE_DIR``) and its own copy of the shipped rules.
"""

from __future__ import annotations

import ast
import os
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from zhuanyezhen import InputError, calculate, load_profile
from zhuanyezhen.policy import cache, loader
from zhuanyezhen.policy.conditions import Expression, Unknown
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.render.json_out import result_json

from .conftest import EXAMPLES, RULES

POLICY = "yangquan-2023-25"


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZYZ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ZYZ_NO_CACHE", raising=False)
    folder = tmp_path / "rules" / POLICY
    shutil.copytree(RULES / POLICY, folder)
    return folder


def _no_full_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(folder: Path) -> Policy:
        raise AssertionError("the policy was loaded in full, not from the cache")
    monkeypatch.setattr(loader, "_load_policy", refuse)


def _plain(value: Any) -> Any:
    """A comparable picture of a loaded policy: syntax trees by their dump, models by their fields."""
    if isinstance(value, Expression):
        return ("expression", value.source, ast.dump(value.tree), value.names)
    if isinstance(value, BaseModel):
        return (type(value).__name__, {k: _plain(v) for k, v in value.__dict__.items()})
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cache_files(folder: Path) -> list[Path]:
    return sorted((folder.parent.parent / "cache").glob("policy-*.pickle"))


def test_second_load_comes_from_the_cache_and_equals_a_full_load(rules: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = loader.load_policy(rules)
    assert len(_cache_files(rules)) == 1
    _no_full_load(monkeypatch)
    cached = loader.load_policy(rules)
    assert cached is not fresh
    assert _plain(cached) == _plain(fresh)
    assert cached.rules_hash == fresh.rules_hash


def test_cached_policy_scores_every_example_as_a_full_load_does(rules: Path) -> None:
    fresh = loader.load_policy(rules)
    cached = loader.load_policy(rules)
    assert _cache_files(rules)
    for path in sorted(EXAMPLES.glob("*.yaml")):
        profile = load_profile(path)
        assert result_json(calculate(profile, cached), cached) == result_json(calculate(profile, fresh), fresh), path


def test_expressions_survive_pickling_with_working_closures(rules: Path) -> None:
    fresh = loader.load_policy(rules)
    cached = loader.load_policy(rules)
    pairs = [(a, b) for p, q in zip(fresh.provisions, cached.provisions, strict=True)
             for (_, a), (_, b) in zip(p.conditions, q.conditions, strict=True)]
    assert pairs
    for a, b in pairs:
        assert b.compiled is not a.compiled
        outcomes = []
        for expression in (a, b):  # every fact unknown: the same facts are read, in the same order
            values: dict[str, Any] = {}
            try:
                outcomes.append(("value", expression.evaluate(lambda path: None), values))
            except Unknown as exc:
                outcomes.append(("unknown", exc.paths, values))
        assert outcomes[0] == outcomes[1], a.source


def test_an_edited_rule_file_is_never_served_from_the_cache(rules: Path) -> None:
    first = loader.load_policy(rules)
    path = rules / "03-standards.yaml"
    text = path.read_text(encoding="utf-8")
    assert "national: {lead: 100000," in text  # 国家标准·主导:最高 10 万元
    path.write_text(text.replace("national: {lead: 100000,", "national: {lead: 90000,", 1), encoding="utf-8")
    second = loader.load_policy(rules)
    assert second.rules_hash != first.rules_hash
    table = {p.id: p.rule.amount.table for p in second.provisions if p.rule.amount and p.rule.amount.table}
    assert any(t.get("national", {}).get("lead") == Decimal("90000") for t in table.values())
    assert len(_cache_files(rules)) == 1  # one slot per rules folder, replaced


def test_a_rule_file_broken_after_caching_is_refused(rules: Path) -> None:
    loader.load_policy(rules)
    path = rules / "03-standards.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nno_such_key: 1\n", encoding="utf-8")
    with pytest.raises(InputError):
        loader.load_policy(rules)


def test_a_new_file_in_the_folder_is_a_miss(rules: Path) -> None:
    loader.load_policy(rules)
    (rules / "17-extra.yml").write_text("clause: 17\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        loader.load_policy(rules)
    assert any(".yml" in str(p) for p in caught.value.problems)


def test_the_missing_policy_text_is_a_miss(rules: Path) -> None:
    loader.load_policy(rules)
    (rules / "policy-text.txt").unlink()
    with pytest.raises(InputError):
        loader.load_policy(rules)


def test_other_code_is_a_miss(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loader.load_policy(rules)
    before = cache.cache_key(rules)
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: b"another version of zyz")
    assert cache.cache_key(rules) != before
    assert cache.load_cached(rules, cache.cache_key(rules) or "") is None


def test_the_same_rules_in_another_folder_are_a_miss(rules: Path, tmp_path: Path) -> None:
    loader.load_policy(rules)
    other = tmp_path / "elsewhere" / POLICY
    shutil.copytree(rules, other)
    assert cache.cache_key(other) != cache.cache_key(rules)
    assert loader.load_policy(other).folder == other


@pytest.mark.parametrize("damage", ["garbage", "truncated", "right_key_bad_body", "not_a_policy", "empty"])
def test_a_corrupt_cache_falls_back_to_a_full_load(rules: Path, damage: str) -> None:
    fresh = loader.load_policy(rules)
    (slot,) = _cache_files(rules)
    data = slot.read_bytes()
    key, _, body = data.partition(b"\n")
    damaged = {
        "garbage": b"\x00\xff not a cache file at all",
        "truncated": data[: len(data) // 2],
        "right_key_bad_body": key + b"\n" + body[: len(body) // 3],
        "not_a_policy": key + b"\n" + __import__("pickle").dumps({"rules_hash": fresh.rules_hash}),
        "empty": b"",
    }[damage]
    slot.write_bytes(damaged)
    again = loader.load_policy(rules)
    assert _plain(again) == _plain(fresh)
    assert slot.read_bytes() == data  # rewritten whole by the full load


def test_an_unwritable_cache_folder_is_silently_ignored(rules: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ZYZ_CACHE_DIR", str(blocker / "cache"))
    first = loader.load_policy(rules)
    second = loader.load_policy(rules)
    assert _plain(first) == _plain(second)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root and Windows ignore mode bits")
def test_a_read_only_cache_folder_is_silently_ignored(rules: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    monkeypatch.setenv("ZYZ_CACHE_DIR", str(folder))
    assert _plain(loader.load_policy(rules)) == _plain(loader.load_policy(rules))
    assert not list(folder.iterdir())


def test_a_failed_write_leaves_no_file_and_no_error(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> bytes:
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cache.pickle, "dumps", fail)
    loader.load_policy(rules)
    assert not _cache_files(rules)


def test_no_cache_when_turned_off(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZYZ_NO_CACHE", "1")
    loader.load_policy(rules)
    loader.load_policy(rules)
    assert not (rules.parent.parent / "cache").exists()


def test_a_policy_that_fails_to_load_is_not_cached(rules: Path) -> None:
    (rules / "03-standards.yaml").write_text("clause: [\n", encoding="utf-8")
    with pytest.raises(InputError):
        loader.load_policy(rules)
    assert not _cache_files(rules)


def test_default_cache_folder_is_per_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZYZ_CACHE_DIR", raising=False)
    monkeypatch.delenv("ZYZ_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    monkeypatch.setattr(cache.sys, "platform", "linux")
    assert cache.cache_dir() == Path("/somewhere/cache/zyz")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert cache.cache_dir() == Path.home() / ".cache" / "zyz"
    monkeypatch.setattr(cache.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", "C:/Users/clerk/AppData/Local")
    assert cache.cache_dir() == Path("C:/Users/clerk/AppData/Local") / "zyz" / "Cache"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_cache_file_others_may_write_is_not_used(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loader.load_policy(rules)
    (slot,) = _cache_files(rules)
    assert slot.stat().st_mode & 0o777 == 0o600
    slot.chmod(0o666)
    assert cache.load_cached(rules, cache.cache_key(rules) or "") is None
    loader.load_policy(rules)  # a full load writes it again, the user's alone
    assert slot.stat().st_mode & 0o777 == 0o600
    _no_full_load(monkeypatch)
    loader.load_policy(rules)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners")
def test_a_cache_file_of_another_user_is_not_used(rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loader.load_policy(rules)
    monkeypatch.setattr(cache.os, "getuid", lambda: os.stat(rules).st_uid + 1)
    assert cache.load_cached(rules, cache.cache_key(rules) or "") is None
