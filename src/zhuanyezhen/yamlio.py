"""Safe, strict reading of YAML (and JSON) documents that remembers where every key stands.

PyYAML's safe composer builds the node tree; we construct Python values from it ourselves so that
- a key written twice in one mapping is refused, naming both lines;
- decimals stay exact (``Decimal``), never float;
- aliases cannot blow up memory (every node visit is counted);
- every key's line is kept, so later validation errors can name the line.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, InputProblem

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000

try:  # libyaml is much faster; fall back to the pure-Python loader where it is missing
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]


class LineMap(dict[Path_, int]):
    """Maps a path in the document, such as ``("projects", 0, "fixed_asset_investment")``, to its line."""

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self:
                return self[path]
            path = path[:-1]
        return self.get((), None)


def decode(raw: bytes, source: str) -> str:
    """Text of a file: UTF-8 (with or without BOM) or GB18030, else a Chinese error."""
    if len(raw) > MAX_BYTES:
        raise InputError.one(f"文件过大({len(raw):,} 字节),上限为 {MAX_BYTES:,} 字节", file=source)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError.one(
            f"文件编码无法识别(第{exc.start}字节处),请保存为 UTF-8 或 GB18030 编码", file=source
        ) from None


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = LineMap()
        self.visits = 0
        self.scalar_loader = _Loader("")

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.visits += 1
        if self.visits > MAX_NODES:
            raise InputError.one(
                f"文档展开后过大(超过 {MAX_NODES:,} 个节点),可能含有恶意的别名(&/*)嵌套",
                file=self.source,
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InputError.one("不支持 YAML 合并键(<<)", file=self.source,
                                         line=key_node.start_mark.line + 1)
                key = self.build(key_node, (*path, "<key>"))
                if not isinstance(key, str | int) or isinstance(key, bool):
                    raise InputError.one(f"键 {key!r} 必须是文字", file=self.source,
                                         line=key_node.start_mark.line + 1)
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise InputError.one(
                        f"键 {key} 重复出现(第{seen[key]}行和第{line}行);每个键只能写一次",
                        file=self.source, line=line, field=".".join(map(str, (*path, key))),
                    )
                seen[key] = line
                self.lines[(*path, key)] = line
                out[key] = self.build(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == "tag:yaml.org,2002:float":
            try:
                value = Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                value = Decimal("NaN")  # .inf / .nan: refused later by the money parser
            return value
        if node.tag == "tag:yaml.org,2002:timestamp":
            return self.scalar_loader.construct_object(node, deep=True)
        if node.tag in ("tag:yaml.org,2002:binary",):
            raise InputError.one("不支持二进制值", file=self.source, line=node.start_mark.line + 1)
        return self.scalar_loader.construct_object(node, deep=True)


def load_yaml_text(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse one YAML document strictly; return the data and its line map."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError.one(f"文件过大,上限为 {MAX_BYTES:,} 字节", file=source)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "格式错误"
        raise InputError.one(f"YAML 格式错误:{problem}", file=source, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError.one(f"YAML 格式错误:{exc}", file=source) from None
    except RecursionError:
        raise InputError.one("YAML 嵌套过深", file=source) from None
    if node is None:
        return None, LineMap()
    builder = _Builder(source)
    try:
        return builder.build(node, ()), builder.lines
    except RecursionError:
        raise InputError.one("YAML 嵌套过深", file=source) from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise InputError.one(f"YAML 值无法读取:{exc}", file=source) from None


def load_json_text(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse JSON with exact decimals and duplicate keys refused. Lines are not tracked."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise InputError.one(f"键 {key} 重复出现;每个键只能写一次", file=source, field=key)
            out[key] = value
        return out

    try:
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=no_duplicates,
                          parse_constant=lambda c: Decimal("NaN"))
    except json.JSONDecodeError as exc:
        raise InputError.one(f"JSON 格式错误:{exc.msg}", file=source, line=exc.lineno) from None
    except RecursionError:
        raise InputError.one("JSON 嵌套过深", file=source) from None
    return data, LineMap()


def load_document(raw: bytes, source: str) -> tuple[Any, LineMap]:
    """A YAML or JSON document from bytes; JSON is chosen by a ``.json`` name or a leading ``{``."""
    text = decode(raw, source)
    if source.endswith(".json") or text.lstrip().startswith("{"):
        return load_json_text(text, source)
    return load_yaml_text(text, source)


def read_document(path: Path) -> tuple[Any, LineMap]:
    """Read a YAML or JSON file; unreadable files become an ``InputError``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.one("文件不存在", file=str(path)) from None
    except IsADirectoryError:
        raise InputError.one("这是一个目录,不是文件", file=str(path)) from None
    except OSError as exc:
        raise InputError.one(f"无法读取文件:{exc.strerror}", file=str(path)) from None
    return load_document(raw, str(path))


def problems_from_pydantic(
    exc: Any, source: str, lines: LineMap, model: Any = None, prefix: Path_ = ()
) -> list[InputProblem]:
    """Turn a pydantic ``ValidationError`` into located Chinese problems.

    ``model`` (the pydantic class validated) lets an unknown field be matched to a likely one.
    """
    from .messages import describe_pydantic_error

    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        full = (*prefix, *loc)
        known = _fields_at(model, loc[:-1]) if model is not None else None
        message, hint = describe_pydantic_error(err, known)
        problems.append(
            InputProblem(
                message,
                file=source,
                line=lines.line_of(full),
                field=_dotted(full) or None,
                hint=hint,
            )
        )
    return problems


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str] | None:
    """The field names of the model found by following ``loc`` down from ``model``."""
    import typing

    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return None
        current = None
        for candidate in (info.annotation, *typing.get_args(info.annotation)):
            for inner in (candidate, *typing.get_args(candidate)):
                if hasattr(inner, "model_fields"):
                    current = inner
        if current is None:
            return None
    return list(getattr(current, "model_fields", {})) or None
