"""Opening the ledger: a SQLite file (the embedded default) or a PostgreSQL server.

``--ledger PATH`` (or ``ZYZ_LEDGER``) names a SQLite file; ``postgresql://user@host/db`` a server
(the psycopg 3 driver is used whatever driver the URL names). SQLite runs in WAL mode, so readers
never wait for a writer, and every transaction starts with ``BEGIN IMMEDIATE``: two processes
writing at once take turns (waiting up to a minute) instead of failing half-way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from zhuanyezhen.errors import InputError

BUSY_TIMEOUT_MS = 60_000
POSTGRES_SCHEMES = ("postgresql", "postgres")
LEDGER_FIELD = "--ledger"


@dataclass
class Ledger:
    """An open ledger: the SQLAlchemy engine and how the user named it (for messages)."""

    engine: Engine
    shown: str

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: everything in the ``with`` block is written, or nothing is.

        A clash with another clerk writing the same award at the same moment (a unique index or a
        lock) is reported in Chinese; nothing of this command is then recorded.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except IntegrityError as exc:
            raise InputError.one(
                "台账拒绝写入:同一笔奖补(信用代码+条款项目+事项+申报年度)已有记录,或另一位经办人刚刚同时写入了它;"
                "本次命令未写入任何行", file=self.shown,
                hint=f"请用 zyz ledger history 查看后重新运行;数据库说明:{_first_line(exc)}") from None
        except OperationalError as exc:
            raise InputError.one(f"台账暂时无法写入(被占用或连接中断),本次命令未写入任何行:{_first_line(exc)}",
                                 file=self.shown, hint="稍后重新运行") from None

    def close(self) -> None:
        self.engine.dispose()


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def is_server_url(target: str) -> bool:
    return target.split(":", 1)[0].split("+", 1)[0].lower() in POSTGRES_SCHEMES and "://" in target


def open_ledger(target: str | None, must_exist: bool = True) -> Ledger:
    """The ledger named by ``--ledger`` / ``ZYZ_LEDGER``. A missing SQLite file is an error unless
    ``must_exist`` is false (``zyz ledger init`` creates it)."""
    if target is None or not target.strip():
        raise InputError.one("没有指定台账", field=LEDGER_FIELD,
                             hint="用 --ledger 台账.sqlite(或 postgresql://用户@服务器/库)指定,"
                                  "或设置环境变量 ZYZ_LEDGER")
    target = target.strip()
    if is_server_url(target):
        return Ledger(_postgres_engine(target), _hide_password(target))
    path = Path(target.removeprefix("sqlite:///"))
    if path.is_dir():
        raise InputError.one("台账路径是一个目录;请写明台账文件名,如 台账.sqlite", file=str(path), field=LEDGER_FIELD)
    if must_exist and not path.is_file():
        raise InputError.one("台账文件不存在", file=str(path), field=LEDGER_FIELD,
                             hint=f"先运行 zyz ledger init --ledger {path} 建立台账")
    if not path.parent.is_dir():
        raise InputError.one("台账所在的目录不存在", file=str(path), field=LEDGER_FIELD)
    return Ledger(_sqlite_engine(path), str(path))


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def _postgres_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except Exception:
        raise InputError.one(f"无法识别的数据库地址:{_hide_password(url)}", field=LEDGER_FIELD,
                             hint="格式 postgresql://用户:密码@服务器:端口/数据库") from None
    parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError:
        raise InputError.one("使用 PostgreSQL 台账需要安装驱动 psycopg", field=LEDGER_FIELD,
                             hint='运行 pip install "zhuanyezhen[postgresql]"') from None


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                       f"busy_timeout={BUSY_TIMEOUT_MS}"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
