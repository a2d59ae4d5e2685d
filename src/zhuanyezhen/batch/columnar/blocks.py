"""CSV files read in blocks of whole records, and list rows spilled to disk by main-table block.

polars reads each block (a few MB of bytes cut at a record boundary: a newline with an even
number of quote characters before it), so memory does not depend on the file's size. Row numbers
count records as ``csv.reader`` does (the header is row 1; an empty line is a row, and blank).

List rows are read once and written to one small file per (list, main block) by the block of the
main row that owns their code, so each main block later reads only its own list rows.
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

BLOCK_BYTES = int(os.environ.get("ZYZ_BLOCK_BYTES", str(1 << 20)))


class Unreadable(Exception):
    """Bytes polars would not read as ``csv.reader`` does (a lone carriage return as the end of
    a line); the row path reads the whole file instead."""


def _check(block: bytes) -> None:
    if b"\r" in block and block.count(b"\r") != block.count(b"\r\n"):
        raise Unreadable


def raw_names(count: int) -> list[str]:
    return [f"c{i}" for i in range(count)]


def _cut(buffer: bytes, last: bool) -> int:
    """The end of the last whole record in ``buffer`` (0 if none); quotes pair up before it."""
    if last:
        return len(buffer)
    at = buffer.rfind(b"\n")
    while at >= 0 and buffer.count(b'"', 0, at) % 2:
        at = buffer.rfind(b"\n", 0, at)
    return at + 1


def _first(buffer: bytes) -> int:
    """The end of the first record (the header), or -1 if it is not all in ``buffer``."""
    at = buffer.find(b"\n")
    while at >= 0 and buffer.count(b'"', 0, at) % 2:
        at = buffer.find(b"\n", at + 1)
    return at + 1 if at >= 0 else -1


def read_blocks(path: Path, width: int, size: int = BLOCK_BYTES, skip: int = 1,
                encoding: str = "utf-8") -> Iterator[pl.DataFrame]:
    """Frames of raw text cells ``c0…`` (null = empty) and ``_row``, block after block, after the
    first ``skip`` records (the header and any title rows above it).

    Text in another encoding than UTF-8 (GB18030, as the row path detected it) is decoded block by
    block and handed to polars as UTF-8; bytes the codec refuses make the file ``Unreadable``.
    """
    header = (",".join(raw_names(width)) + "\n").encode()
    row = skip + 1
    decoder = None if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else \
        codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as stream:
        if stream.read(3) != codecs.BOM_UTF8 or decoder is not None:
            stream.seek(0)
        pending = b""
        while True:
            data = stream.read(size)
            last = not data
            if decoder is not None:
                try:
                    data = decoder.decode(data, final=last).encode()
                except UnicodeDecodeError:
                    raise Unreadable from None
            _check(data[:-1] if data.endswith(b"\r") else data)  # a "\r\n" may be cut in two
            buffer = pending + data
            while skip:
                end = _first(buffer)
                if end < 0:
                    break
                buffer, skip = buffer[end:], skip - 1
            if skip:
                if last:
                    return  # the header alone (or nothing)
                pending = buffer
                continue
            cut = _cut(buffer, last=last)
            block, pending = buffer[:cut], buffer[cut:]
            if block:
                frame = pl.read_csv(io.BytesIO(header + block), infer_schema=False, row_index_name="_row",
                                    row_index_offset=row).with_columns(pl.col("_row").cast(pl.Int64))
                row += frame.height
                yield frame
            if last:
                return


class Spill:
    """List rows by (list, main block) in a temporary folder, as CSV text with their row numbers."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="zyz-columns-"))

    def path(self, kind: str, block: int) -> Path:
        return self.folder / f"{kind}.{block}.csv"

    def add(self, kind: str, block: int, frame: pl.DataFrame) -> None:
        target = self.path(kind, block)
        new = not target.exists()
        with target.open("ab") as out:
            frame.write_csv(out, include_header=new)

    def take(self, kind: str, block: int) -> pl.DataFrame | None:
        target = self.path(kind, block)
        if not target.exists():
            return None
        frame = pl.read_csv(target, infer_schema=False).with_columns(pl.col("_row").cast(pl.Int64))
        target.unlink()
        return frame.sort("_row")

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
