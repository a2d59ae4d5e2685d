"""The ledger's schema version: Alembic migrations shipped in ``migrations/`` (no alembic.ini)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from zhuanyezhen.errors import InputError
from zhuanyezhen.ledger.database import Ledger

SCRIPT_LOCATION = "zhuanyezhen.ledger:migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head() -> str:
    """The newest schema version this zyz knows."""
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None, "the ledger migrations have no head"
    return found


def current(ledger: Ledger) -> str | None:
    """The schema version the database is at; None for an empty database."""
    with ledger.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(ledger: Ledger) -> tuple[str | None, str]:
    """Create the schema or bring it to the newest version; (version before, version after)."""
    before = current(ledger)
    config = _config()
    with ledger.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return before, head()


def check_current(ledger: Ledger) -> None:
    """Refuse a ledger that was never initialised, or one at an older or unknown version."""
    at, newest = current(ledger), head()
    if at == newest:
        return
    if at is None:
        raise InputError.one("台账尚未建立(数据库中没有台账表)", file=ledger.shown,
                             hint="先运行 zyz ledger init")
    known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
    if at in known:
        raise InputError.one(f"台账结构版本 {at} 较旧,本程序需要 {newest}", file=ledger.shown,
                             hint="运行 zyz ledger init 升级(先备份台账)")
    raise InputError.one(f"台账结构版本 {at} 比本程序认识的 {newest} 更新", file=ledger.shown,
                         hint="请升级 zyz 后再使用这个台账")
