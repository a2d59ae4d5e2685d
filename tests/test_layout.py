"""The package layout stays true: lower rooms never import higher ones, and no module imports
itself round a circle. Read from the source with ``ast``, so a lazy import inside a function
counts as much as one at the top of a file."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "zhuanyezhen"

_BASE = {"errors", "money", "trusted"}
_LOW = {"files", *_BASE}
# Which rooms each room may import (its own always allowed). The order is the data's:
# file -> profile / rules -> engine -> renderers -> batch -> the command line.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "trusted": set(),
    "money": {"errors"},
    "files": {"errors"},
    "profile": _LOW,
    "policy": {"profile", "rules", *_LOW},  # rules: the shipped rule files, found by their package
    "engine": {"policy", "profile", *_LOW},
    "render": {"engine", "policy", "profile", *_LOW},
    "batch": {"render", "engine", "policy", "profile", *_LOW},
    "api": {"render", "engine", "policy", "profile", *_LOW},
    # ledger: reads spreadsheets with batch's readers and scores profiles; batch never imports it
    # (the command line hands batch the ledger's lines as plain data)
    "ledger": {"batch", "render", "engine", "policy", "profile", *_LOW},
    "cli": {"ledger", "batch", "api", "render", "engine", "policy", "profile", *_LOW},
}
FREE = {"__init__", "__main__", "rules"}  # the package's lazy exports, ``python -m``, rule data


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["zhuanyezhen", *parts])


def imports_of(source: str, name: str, is_package: bool) -> set[str]:
    """Every ``zhuanyezhen`` module or name that ``source`` imports, relative imports resolved."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "zhuanyezhen")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.split(".")[0] != "zhuanyezhen":
                continue
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
    return found


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def violations(modules: dict[str, tuple[str, bool]]) -> list[str]:
    """``modules``: name -> (source, is_package). Each import that climbs a layer, as a sentence."""
    out = []
    for name, (source, is_package) in sorted(modules.items()):
        mine = room(name)
        if mine in FREE:
            continue
        assert mine in ALLOWED, f"{name}: room {mine} has no entry in ALLOWED; add it to the layers"
        for target in sorted(imports_of(source, name, is_package)):
            theirs = room(target)
            # ``from zhuanyezhen import __version__`` reads the package itself: free for all
            if theirs in (mine, "__init__", "__version__") or theirs in ALLOWED[mine]:
                continue
            out.append(f"{name} imports {target}: {mine} may not import {theirs}")
    return out


def package_modules() -> dict[str, tuple[str, bool]]:
    return {module_name(p): (p.read_text(encoding="utf-8"), p.name == "__init__.py")
            for p in PACKAGE.rglob("*.py")}


def test_no_room_imports_a_higher_one() -> None:
    assert violations(package_modules()) == []


def test_the_check_sees_an_engine_importing_render() -> None:
    modules = package_modules()
    source, is_package = modules["zhuanyezhen.engine.calculation"]
    modules["zhuanyezhen.engine.calculation"] = (
        source + "\n\ndef _late() -> None:\n    from zhuanyezhen.render.table import render_result\n", is_package)
    assert violations(modules) == [
        "zhuanyezhen.engine.calculation imports zhuanyezhen.render.table: engine may not import render",
        "zhuanyezhen.engine.calculation imports zhuanyezhen.render.table.render_result: "
        "engine may not import render",
    ]


def test_the_check_sees_a_relative_import_of_the_engine_from_policy() -> None:
    modules = {"zhuanyezhen.policy.models": ("from ..engine.result import Result\n", False)}
    assert violations(modules) == [
        "zhuanyezhen.policy.models imports zhuanyezhen.engine.result: policy may not import engine",
        "zhuanyezhen.policy.models imports zhuanyezhen.engine.result.Result: policy may not import engine",
    ]


def _graph() -> dict[str, set[str]]:
    modules = package_modules()
    graph: dict[str, set[str]] = {}
    for name, (source, is_package) in modules.items():
        graph[name] = {t for t in imports_of(source, name, is_package) if t in modules and t != name
                       and t != "zhuanyezhen"}
    return graph


def test_no_import_circles() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert circles == []


def test_at_most_six_top_level_modules() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 6, top


@pytest.mark.parametrize("folder", sorted(p.parent for p in PACKAGE.rglob("__init__.py")))
def test_every_room_says_what_it_holds(folder: Path) -> None:
    doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"{folder} has no docstring"
    if folder != PACKAGE:
        assert "May import" in doc or "may import" in doc, f"{folder}: say what the room may import"


def test_pyproject_lists_every_package() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {module_name(p) for p in PACKAGE.rglob("__init__.py")} | {"zhuanyezhen.rules"}
    assert listed == found


def test_rules_folder_is_not_a_link() -> None:
    """A symlinked folder is checked out as a small text file on Windows and breaks ``pip install .``."""
    assert not any(p.is_symlink() for p in [*PACKAGE.rglob("*"), *(ROOT / "rules").rglob("*")])
