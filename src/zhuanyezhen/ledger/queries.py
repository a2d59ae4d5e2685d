"""Reading the ledger back: the current line of each award, one enterprise's lines, one batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Row, exists, select
from sqlalchemy.sql import ColumnElement

from zhuanyezhen.ledger.schema import batches, lines

CHUNK = 500

Key = tuple[str, str, str, int]  # credit code, provision, subject, claim year


def key_of(line: Any) -> Key:
    return (line.credit_code, line.provision, line.subject, line.claim_year)


def _not_followed() -> ColumnElement[bool]:
    later = lines.alias("later")
    return ~exists().where(later.c.refers_to == lines.c.id)


def current_lines(conn: Connection, *where: ColumnElement[bool]) -> list[Row[Any]]:
    """The last line of every award chain that matches ``where``, oldest award first."""
    query = select(lines).where(_not_followed(), *where).order_by(lines.c.id)
    return list(conn.execute(query))


def current_for_codes(conn: Connection, codes: Iterable[str]) -> Iterator[Row[Any]]:
    """The current line of every award of these enterprises, a few hundred codes per query."""
    chunk: list[str] = []
    for code in codes:
        chunk.append(code)
        if len(chunk) >= CHUNK:
            yield from current_lines(conn, lines.c.credit_code.in_(chunk))
            chunk = []
    if chunk:
        yield from current_lines(conn, lines.c.credit_code.in_(chunk))


def all_current(conn: Connection) -> Iterator[Row[Any]]:
    """The current line of every award in the ledger, streamed."""
    query = select(lines).where(_not_followed()).order_by(lines.c.id)
    yield from conn.execution_options(yield_per=5000).execute(query)


def history(conn: Connection, code: str) -> list[Row[Any]]:
    """Every line of one enterprise, oldest first."""
    return list(conn.execute(select(lines).where(lines.c.credit_code == code).order_by(lines.c.id)))


def line(conn: Connection, line_id: int) -> Row[Any] | None:
    return conn.execute(select(lines).where(lines.c.id == line_id)).first()


def tip_of(conn: Connection, line_id: int) -> Row[Any] | None:
    """The current line of the award that ``line_id`` belongs to (itself if nothing followed it)."""
    found = line(conn, line_id)
    while found is not None:
        nxt = conn.execute(select(lines).where(lines.c.refers_to == found.id)).first()
        if nxt is None:
            return found
        found = nxt
    return None


def batch(conn: Connection, batch_id: str) -> Row[Any] | None:
    return conn.execute(select(batches).where(batches.c.id == batch_id)).first()


def batch_by_file(conn: Connection, kind: str, sha256: str) -> Row[Any] | None:
    return conn.execute(select(batches).where(batches.c.kind == kind, batches.c.source_sha256 == sha256)).first()


def all_lines(conn: Connection) -> Iterator[Row[Any]]:
    yield from conn.execution_options(yield_per=5000).execute(select(lines).order_by(lines.c.id))


def all_batches(conn: Connection) -> Sequence[Row[Any]]:
    return list(conn.execute(select(batches).order_by(batches.c.recorded_at, batches.c.id)))
