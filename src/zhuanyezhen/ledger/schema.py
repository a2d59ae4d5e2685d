"""The ledger's tables (SQLAlchemy Core). Changing them needs a new migration in ``migrations/``.

A line is never changed or deleted (the database refuses it with triggers, see the first
migration). Each later step of one award is a new line that refers to the line before it
(``refers_to``), so the lines of one award form a chain; its last line is the award's current
state. Two unique indexes keep one chain per award (credit code + provision + subject + claim
year): only one line of a key may start a chain, and a line may be followed only once. Two clerks
writing the same award at the same moment therefore cannot both succeed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

FEN = Decimal("0.01")

STATUSES = ("proposed", "approved", "paid", "reversed")
STATUS_LABELS = {"proposed": "拟奖补", "approved": "已审定", "paid": "已拨付", "reversed": "已撤销"}
COUNTED = ("approved", "paid")  # lines that count as awards received


class Money(TypeDecorator[Decimal]):
    """``NUMERIC(14,2)`` read and written as ``Decimal``.

    PostgreSQL keeps NUMERIC exactly. SQLite stores it with NUMERIC affinity (a double); 14
    significant digits survive the round trip exactly, and sums are made in Python, never in SQL.
    """

    impl = Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(14, 2, asdecimal=False))
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = Decimal(value)
        if amount != amount.quantize(FEN):
            raise ValueError(f"amount {amount} has more than two decimal places")
        return str(amount.quantize(FEN)) if dialect.name == "sqlite" else amount.quantize(FEN)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value if isinstance(value, Decimal) else repr(value)).quantize(FEN)


metadata = MetaData()

batches = Table(
    "ledger_batches", metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(16), nullable=False),  # import / propose
    Column("source_name", Text, nullable=False),
    Column("source_sha256", String(64), nullable=False),
    Column("policy_id", String(64), nullable=True),
    Column("recorded_by", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=True),
)
Index("ledger_batches_one_per_file", batches.c.kind, batches.c.source_sha256, unique=True)

lines = Table(
    "ledger_lines", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("refers_to", Integer, ForeignKey("ledger_lines.id"), nullable=True),
    Column("batch_id", String(40), ForeignKey("ledger_batches.id"), nullable=False),
    Column("credit_code", String(18), nullable=False),
    Column("enterprise", Text, nullable=False),
    Column("county", Text, nullable=True),
    Column("town", Text, nullable=True),
    Column("policy_id", String(64), nullable=False),
    Column("provision", String(64), nullable=False),
    Column("subject", Text, nullable=False, server_default=text("''")),  # '' = the whole provision
    Column("tier", String(32), nullable=True),
    Column("claim_year", Integer, nullable=False),
    Column("kind", String(8), nullable=False),  # exact / up_to (最高: computed is the ceiling)
    Column("computed_amount", Money, nullable=False),
    Column("approved_amount", Money, nullable=True),
    Column("beneficiary", Text, nullable=False),
    Column("department", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("paid_on", Date, nullable=True),
    Column("rules_sha256", String(64), nullable=True),
    Column("engine_version", String(32), nullable=True),
    Column("recorded_by", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=True),
    CheckConstraint("status IN ('proposed', 'approved', 'paid', 'reversed')", name="ledger_lines_status"),
    CheckConstraint("kind IN ('exact', 'up_to')", name="ledger_lines_kind"),
    CheckConstraint("computed_amount >= 0 AND (approved_amount IS NULL OR "
                    "(approved_amount >= 0 AND approved_amount <= computed_amount))", name="ledger_lines_amounts"),
)
_KEY = (lines.c.credit_code, lines.c.provision, lines.c.subject, lines.c.claim_year)
Index("ledger_lines_one_chain_per_award", *_KEY, unique=True,
      sqlite_where=lines.c.refers_to.is_(None), postgresql_where=lines.c.refers_to.is_(None))
Index("ledger_lines_followed_once", lines.c.refers_to, unique=True)
Index("ledger_lines_by_code", lines.c.credit_code)
Index("ledger_lines_by_batch", lines.c.batch_id)
