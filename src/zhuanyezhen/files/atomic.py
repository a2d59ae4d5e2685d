"""Output files that appear whole or not at all: the one mechanism every command writes through.

A file is written under a hidden temporary name in its target folder and renamed onto the
target only when everything succeeded (the rename is atomic on one file system). On any failure
the temporary file is removed and an existing target is left untouched, so an interrupted run
never leaves half a file. ``PendingFiles`` does this for several files renamed together (batch);
``atomic_output`` and ``write_atomically`` for one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from zhuanyezhen.errors import InputError, InputProblem


def _mode_for(target: Path) -> int:
    """The existing file's permissions, or the usual ones for a new file (mkstemp makes 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_target(path: str | Path, field: str = "--output") -> Path:
    """The output path as a ``Path``, refused with a located message if it cannot be a file."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.one("输出文件所在的目录不存在", file=str(target), field=field,
                             hint="输出目录不存在时不会自动建立,请先建立该目录或换一个已有的目录")
    if target.is_dir():
        raise InputError.one("输出路径是一个目录,不是文件", file=str(target), field=field, hint="请写明文件名")
    return target


def check_targets(targets: list[tuple[Path, str]]) -> None:
    """Check every output of a run before any work: each must be a file path (not a folder) in an
    existing folder we may write in, an existing file must be writable, and no two outputs may be
    the same file. ``targets``: (path, option or description). Every problem is reported at once."""
    problems: list[InputProblem] = []
    seen: dict[Path, str] = {}
    for target, field in targets:
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            problems.append(InputProblem("输出文件所在的目录不存在", file=str(target), field=field,
                                         hint="输出目录不存在时不会自动建立,请先建立该目录或换一个已有的目录"))
            continue
        if target.is_dir():
            problems.append(InputProblem("输出路径是一个目录,不是文件", file=str(target), field=field,
                                         hint="请写明文件名"))
            continue
        if not _writable(folder):
            problems.append(InputProblem("没有权限在该目录写入文件(目录只读)", file=str(target), field=field,
                                         hint="请换一个可写的目录"))
            continue
        if target.exists() and not os.access(target, os.W_OK):
            problems.append(InputProblem("输出文件已存在且为只读,无法覆盖", file=str(target), field=field))
            continue
        full = target.resolve()
        if full in seen:
            problems.append(InputProblem(f"与 {seen[full]} 的输出是同一个文件;每个输出须是不同的文件",
                                         file=str(target), field=field))
            continue
        seen[full] = field
    if problems:
        raise InputError(problems)


def _writable(folder: Path) -> bool:
    """Whether a file can be created in ``folder`` (tried, since permission bits do not tell all)."""
    try:
        fd, name = tempfile.mkstemp(prefix=".zyz-check.", suffix=".tmp", dir=folder)
    except OSError:
        return False
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return True


def temp_beside(target: Path, field: str = "--output") -> Path:
    """A new empty temporary file in ``target``'s folder, with the permissions ``target`` will have."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError.one(f"无法在该目录写入文件:{exc.strerror}", file=str(target), field=field) from None
    os.close(fd)
    os.chmod(name, _mode_for(target))
    return Path(name)


class PendingFiles:
    """The files of one run: written to temporary names, renamed onto their targets together."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []  # (temporary, final)

    def reserve(self, target: Path, field: str = "--output") -> Path:
        temp = temp_beside(check_target(target, field), field)
        self.pending.append((temp, target))
        return temp

    def commit(self) -> None:
        for temp, target in self.pending:
            try:
                os.replace(temp, target)
            except OSError as exc:
                self.discard()
                if isinstance(exc, PermissionError):
                    raise InputError.one("无法写入:文件被占用或没有权限(是否正在 Excel/WPS 中打开?)",
                                         file=str(target)) from None
                raise InputError.one(f"写入失败:{exc.strerror}", file=str(target)) from None
        self.pending.clear()

    def discard(self) -> None:
        for temp, _ in self.pending:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        self.pending.clear()


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "w", encoding: str | None = "utf-8",
                  field: str = "--output") -> Iterator[IO[str]]:
    """Open ``path`` for writing so that it exists only if the ``with`` block succeeds."""
    files = PendingFiles()
    temp = files.reserve(Path(path), field)
    try:
        with open(temp, mode, encoding=None if "b" in mode else encoding,
                  newline=None if "b" in mode else "\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        files.commit()
    except OSError as exc:
        files.discard()
        raise InputError.one(f"写入失败:{exc.strerror}", file=str(path), field=field) from None
    finally:
        files.discard()


def write_atomically(path: str | Path, text: str, field: str = "--output") -> None:
    """Write ``text`` (UTF-8) to ``path`` whole, or leave ``path`` untouched."""
    with atomic_output(path, field=field) as stream:
        stream.write(text)
