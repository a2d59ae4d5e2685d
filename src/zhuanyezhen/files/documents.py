"""Safe, strict reading of YAML (and JSON) documents that remembers where every key stands.

PyYAML's safe composer builds the node tree; we construct Python values from it ourselves so that
- a key written twice in one mapping is refused, naming both lines;
- decimals stay exact (``Decimal``), never float;
- aliases cannot blow up memory (every node visit is counted);
- only plain data is built: no tags beyond the standard scalar, list and mapping ones;
- YAML 1.1 surprises are avoided: ``no``/``on`` stay text, ``010`` is ten, ``1:30`` is text;
- every key's line is kept, so later validation errors can name the line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from zhuanyezhen.errors import InputError

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000

try:  # libyaml is much faster; fall back to the pure-Python loader where it is missing
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_DECIMAL_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_SPECIAL_FLOATS = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}


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
        raise InputError.one(f"文件过大({len(raw):,} 字节),上限为 {MAX_BYTES:,} 字节", file=source,
                             hint="档案或规则文件不应这么大,请确认选对了文件")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.one("文件是 UTF-16 编码(常见于记事本“Unicode”格式),无法读取", file=source,
                             hint="请另存为 UTF-8 编码")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise InputError.one(f"文件含有空字节(第{nul}字节处),不是文本文件", file=source,
                             hint="请提供 UTF-8 编码的 YAML 或 JSON 文本")
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
        self.seen: set[int] = set()  # lists and mappings built so far: one seen twice came by an alias
        self.aliased = False

    def _refuse(self, message: str, node: yaml.Node, hint: str | None = None) -> InputError:
        return InputError.one(message, file=self.source, line=node.start_mark.line + 1, hint=hint)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.visits += 1
        if not isinstance(node, yaml.ScalarNode):
            self.aliased = self.aliased or id(node) in self.seen
            self.seen.add(id(node))
        if self.visits > MAX_NODES:
            if self.aliased:
                raise InputError.one(
                    f"文档展开后过大(超过 {MAX_NODES:,} 个节点),可能含有恶意的别名(&/*)嵌套",
                    file=self.source, hint="请去掉锚点(&)和别名(*),把内容直接写出",
                )
            raise InputError.one(f"文档内容过多(超过 {MAX_NODES:,} 个值)", file=self.source,
                                 hint="一份档案或规则文件不会有这么多内容,请确认选对了文件")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != f"{_TAG}map":
                raise self._unsupported_tag(node)
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != f"{_TAG}seq":
                raise self._unsupported_tag(node)
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _unsupported_tag(self, node: yaml.Node) -> InputError:
        tag = node.tag.replace(_TAG, "!!")
        return self._refuse(f"不支持 YAML 标签 {tag}", node, hint="只能写普通的文字、数字、列表和键值表")

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == f"{_TAG}merge":
                raise InputError.one("不支持 YAML 合并键(<<)", file=self.source, line=line,
                                     hint="请把要合并的字段直接写出")
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError.one("键必须是文字,不能是列表或键值表", file=self.source, line=line)
            key = self.build(key_node, (*path, "<key>"))
            if key is None or isinstance(key, bool | Decimal | dt.date):
                key = str(key_node.value)
            if key in seen:
                raise InputError.one(
                    f"键 {key} 重复出现(第{seen[key]}行和第{line}行);每个键只能写一次",
                    file=self.source, line=line, field=dotted((*path, key)),
                    hint="删去其中一个,或合并两处的内容",
                )
            seen[key] = line
            self.lines[(*path, key)] = line
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag not in _PLAIN_TAGS:
            raise self._unsupported_tag(node)
        if tag == f"{_TAG}null":
            return None
        if tag == f"{_TAG}bool":
            # YAML 1.1 reads yes/no/on/off as booleans; only true/false are, here. The text stays
            # text, so ``town: no`` is not False and a yes/no field still accepts ``yes``.
            return {"true": True, "false": False}.get(text.lower(), text)
        if tag == f"{_TAG}int":
            if _DECIMAL_INT.match(text):
                return int(text.replace("_", ""))  # 010 is ten, not YAML 1.1's octal eight
            return text  # 0x1F, 0o17, 1:30 stay text; the field says what it expected
        if tag == f"{_TAG}float":
            special = _SPECIAL_FLOATS.get(text.lower())
            try:
                return Decimal(special or text.replace("_", ""))
            except InvalidOperation:
                return text  # sexagesimal 1:30.5 and the like: text, refused by the field
        if tag == f"{_TAG}timestamp":
            match = _ISO_DATE.match(text)
            if match:
                try:
                    return dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    pass
            return text  # 2024-02-30, 2024-6-1 or a time of day: the field says what is wrong
        return text


# PyYAML's problems (libyaml's and the pure-Python loader's wording both) → Chinese message, hint.
_YAML_PROBLEMS: list[tuple[tuple[str, ...], str, str]] = [
    (("mapping values are not allowed",), "此处不能出现“键: 值”",
     "值里有冒号时请给整个值加引号;或检查这一行的缩进"),
    (("unexpected end of stream",), "引号没有闭合", "请补上配对的引号"),
    (("undefined alias",), "引用了未定义的别名(*)", "以 * 开头的文字请加引号"),
    (("alphabetic or numeric character",), "锚点或别名(& 或 *)写法有误", "以 & 或 * 开头的文字请加引号"),
    (("single document",), "文件中只能有一份文档,发现了多个以 --- 分隔的文档", "删去多余的 ---"),
    (("',' or ']'",), "方括号列表没有闭合或缺少逗号", "检查“[”与“]”是否配对,元素之间用逗号分隔"),
    (("',' or '}'",), "花括号键值表没有闭合或缺少逗号", "检查“{”与“}”是否配对,各项之间用逗号分隔"),
    (("could not find expected ':'",), "缺少冒号", "每个字段写成“字段: 值”,冒号后加一个空格"),
    (("expected <block end>", "expected key", "'-' indicator"), "缩进不一致",
     "同一层的字段或列表项须左对齐,只用空格缩进"),
    (("escape character",), "双引号中有无效的转义符(\\)", "改用单引号,或把 \\ 写成 \\\\"),
    (("nesting depth",), "嵌套过深", "档案的嵌套不会超过几层,请检查括号"),
    (("node content",), "缺少值或写法有误", "检查这一行的冒号、短横线和引号"),
]


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, str, int | None]:
    problem = f"{exc.context or ''} {exc.problem or ''}"
    mark = exc.problem_mark or exc.context_mark
    if any(w in problem for w in ("quoted scalar", "flow sequence", "flow mapping")) and exc.context_mark:
        mark = exc.context_mark  # an unclosed quote or bracket: point at where it opened
    line = mark.line + 1 if mark else None
    if "cannot start any token" in problem or "tab character" in problem:
        found = text[mark.index] if mark and 0 <= mark.index < len(text) else ""
        if found == "\t":
            return "含有制表符(Tab)", "YAML 只能用空格缩进,请把 Tab 换成空格", line
        return f"字符“{found}”不能作为值的开头", "请给这个值加引号", line
    for needles, message, hint in _YAML_PROBLEMS:
        if any(n in problem for n in needles):
            return message, hint, line
    return f"无法解析({(exc.problem or exc.context or '').strip()})", "请检查缩进、冒号和引号", line


def load_yaml_text(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse one YAML document strictly; return the data and its line map."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError.one(f"文件过大,上限为 {MAX_BYTES:,} 字节", file=source)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        message, hint, line = _yaml_problem(exc, text)
        raise InputError.one(f"YAML 格式错误:{message}", file=source, line=line, hint=hint) from None
    except yaml.reader.ReaderError as exc:
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        at = text.find(char)
        line = text[:at].count("\n") + 1 if at >= 0 else None
        raise InputError.one(f"YAML 格式错误:含有不允许的控制字符 U+{ord(char[:1] or ' '):04X}", file=source,
                             line=line, hint="请删去该字符") from None
    except yaml.YAMLError as exc:
        raise InputError.one(f"YAML 格式错误:{exc}", file=source, hint="请检查缩进、冒号和引号") from None
    except RecursionError:
        raise InputError.one("YAML 嵌套过深", file=source) from None
    if node is None:
        return None, LineMap()
    builder = _Builder(source)
    try:
        return builder.build(node, ()), builder.lines
    except RecursionError:
        raise InputError.one("YAML 嵌套过深", file=source, hint="档案的嵌套不会超过几层") from None


def _json_lines(text: str, source: str) -> LineMap:
    """Lines of a JSON document's keys, read by YAML's composer (JSON is, nearly, YAML).

    Also refuses a key written twice, naming both lines. Where YAML cannot read the JSON (rare
    escapes, tabs), the map stays empty and errors name the file and field only.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return LineMap()
    lines = LineMap()
    stack: list[tuple[yaml.Node, Path_]] = [] if node is None else [(node, ())]
    while stack:
        current, path = stack.pop()
        lines.setdefault(path, current.start_mark.line + 1)
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in current.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key, line = str(key_node.value), key_node.start_mark.line + 1
                if key in seen:
                    raise InputError.one(
                        f"键 {key} 重复出现(第{seen[key]}行和第{line}行);每个键只能写一次",
                        file=source, line=line, field=dotted((*path, key)),
                        hint="删去其中一个,或合并两处的内容")
                seen[key] = line
                lines[(*path, key)] = line
                stack.append((value_node, (*path, key)))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, (*path, i)) for i, child in enumerate(current.value))
    return lines


def load_json_text(text: str, source: str) -> tuple[Any, LineMap]:
    """Parse JSON with exact decimals and duplicate keys refused (naming both lines)."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise InputError.one(f"键 {key} 重复出现;每个键只能写一次", file=source, field=key,
                                     hint="删去其中一个,或合并两处的内容")
            out[key] = value
        return out

    try:
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=no_duplicates,
                          parse_constant=Decimal)
    except json.JSONDecodeError as exc:
        if text[exc.pos: exc.pos + 2] in ("//", "/*") or text[exc.pos: exc.pos + 1] == "#":
            raise InputError.one("JSON 格式错误:JSON 文件里不能写注释", file=source, line=exc.lineno,
                                 hint="删去注释;需要注释时请改用 YAML 格式") from None
        raise InputError.one(f"JSON 格式错误:{_json_problem(exc.msg)}", file=source, line=exc.lineno,
                             hint="请检查括号、逗号和引号;JSON 的键和文字须用双引号") from None
    except RecursionError:
        raise InputError.one("JSON 嵌套过深", file=source) from None
    except InputError:
        _json_lines(text, source)  # names both lines of a duplicate where it can
        raise
    return data, _json_lines(text, source)


_JSON_PROBLEMS = {
    "Expecting value": "缺少值,或值的写法有误",
    "Expecting property name enclosed in double quotes": "键须用双引号括起(或多了一个逗号)",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Extra data": "文档结束后还有多余内容",
    "Unterminated string starting at": "引号没有闭合",
    "Invalid control character at": "文字中含有控制字符(如换行、Tab),须写成 \\n、\\t",
    "Invalid \\escape": "无效的转义符(\\)",
}


def _json_problem(msg: str) -> str:
    return _JSON_PROBLEMS.get(msg, f"无法解析({msg})")


def load_document(raw: bytes, source: str) -> tuple[Any, LineMap]:
    """A YAML or JSON document from bytes. A ``.json`` name means JSON; a text starting with ``{``
    is tried as JSON first, then as YAML (a YAML flow mapping starts that way too)."""
    text = decode(raw, source)
    if source.lower().endswith(".json"):
        return load_json_text(text, source)
    if text.lstrip().startswith("{"):
        try:
            return load_json_text(text, source)
        except InputError as exc:
            if not exc.problems[0].message.startswith("JSON 格式错误"):
                raise
    return load_yaml_text(text, source)


def read_limited(stream: BinaryIO, source: str) -> bytes:
    """At most ``MAX_BYTES`` from a stream; a longer stream is refused without reading it all."""
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InputError.one(f"文件过大(超过 {MAX_BYTES:,} 字节的上限)", file=source,
                             hint="档案或规则文件不应这么大,请确认选对了文件")
    return raw


def read_document(path: Path) -> tuple[Any, LineMap]:
    """Read a YAML or JSON file; unreadable files become an ``InputError``."""
    try:
        with path.open("rb") as stream:
            raw = read_limited(stream, str(path))
    except FileNotFoundError:
        raise InputError.one("文件不存在", file=str(path), hint="请检查路径和文件名") from None
    except IsADirectoryError:
        raise InputError.one("这是一个目录,不是文件", file=str(path), hint="请指定一个 YAML 或 JSON 文件") from None
    except PermissionError:
        raise InputError.one("没有读取这个文件的权限", file=str(path)) from None
    except OSError as exc:
        raise InputError.one(f"无法读取文件:{exc.strerror}", file=str(path)) from None
    return load_document(raw, str(path))


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
