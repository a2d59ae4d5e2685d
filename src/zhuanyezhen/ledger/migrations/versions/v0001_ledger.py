"""The first ledger: batches, append-only lines, one chain per award.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)

# The database itself refuses to change or delete a line (or a batch): corrections are new lines.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {table}_no_{op_name.lower()} BEFORE {op_name} ON {table}
        BEGIN SELECT RAISE(ABORT, 'zyz ledger is append-only: {op_name} of {table} refused'); END"""
    for table in ("ledger_lines", "ledger_batches") for op_name in ("UPDATE", "DELETE")
]
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION zyz_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'zyz ledger is append-only: % of % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$"""
POSTGRES_TRIGGERS = [
    f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION zyz_ledger_append_only()"""
    for table in ("ledger_lines", "ledger_batches")
] + [
    f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION zyz_ledger_append_only()"""
    for table in ("ledger_lines", "ledger_batches")
]


def upgrade() -> None:
    op.create_table(
        "ledger_batches",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source_name", sa.Text, nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=True),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index("ledger_batches_one_per_file", "ledger_batches", ["kind", "source_sha256"], unique=True)
    op.create_table(
        "ledger_lines",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("refers_to", sa.Integer, sa.ForeignKey("ledger_lines.id"), nullable=True),
        sa.Column("batch_id", sa.String(40), sa.ForeignKey("ledger_batches.id"), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("enterprise", sa.Text, nullable=False),
        sa.Column("county", sa.Text, nullable=True),
        sa.Column("town", sa.Text, nullable=True),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("provision", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text, nullable=False, server_default=sa.text("''")),
        sa.Column("tier", sa.String(32), nullable=True),
        sa.Column("claim_year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("computed_amount", MONEY, nullable=False),
        sa.Column("approved_amount", MONEY, nullable=True),
        sa.Column("beneficiary", sa.Text, nullable=False),
        sa.Column("department", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("paid_on", sa.Date, nullable=True),
        sa.Column("rules_sha256", sa.String(64), nullable=True),
        sa.Column("engine_version", sa.String(32), nullable=True),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.CheckConstraint("status IN ('proposed', 'approved', 'paid', 'reversed')", name="ledger_lines_status"),
        sa.CheckConstraint("kind IN ('exact', 'up_to')", name="ledger_lines_kind"),
        sa.CheckConstraint("computed_amount >= 0 AND (approved_amount IS NULL OR "
                           "(approved_amount >= 0 AND approved_amount <= computed_amount))",
                           name="ledger_lines_amounts"),
    )
    key = ["credit_code", "provision", "subject", "claim_year"]
    op.create_index("ledger_lines_one_chain_per_award", "ledger_lines", key, unique=True,
                    sqlite_where=sa.text("refers_to IS NULL"), postgresql_where=sa.text("refers_to IS NULL"))
    op.create_index("ledger_lines_followed_once", "ledger_lines", ["refers_to"], unique=True)
    op.create_index("ledger_lines_by_code", "ledger_lines", ["credit_code"])
    op.create_index("ledger_lines_by_batch", "ledger_lines", ["batch_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        for statement in POSTGRES_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("ledger_lines")
    op.drop_table("ledger_batches")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS zyz_ledger_append_only()")
