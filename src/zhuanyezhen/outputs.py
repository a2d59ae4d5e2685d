"""Output files that appear whole or not at all.

A failed run must leave no output file behind, not even a half-written one. Commands that write
a file (report, batch, JSON) write through ``atomic_output``: the text goes to a hidden temporary
file beside the target, which is renamed onto the target only when the block ends without error.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import InputError


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[str]]:
    """Open ``path`` for writing so that it exists only if the ``with`` block succeeds."""
    target = Path(path)
    if target.is_dir():
        raise InputError.one("输出路径是一个目录", file=str(target), field="--output", hint="请写明文件名")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    except FileNotFoundError:
        raise InputError.one("输出文件所在的目录不存在", file=str(target), field="--output") from None
    except PermissionError:
        raise InputError.one("没有在该目录写文件的权限", file=str(target), field="--output") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as stream:
            yield stream
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)


def write_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` whole, or leave ``path`` untouched."""
    with atomic_output(path) as stream:
        stream.write(text)
