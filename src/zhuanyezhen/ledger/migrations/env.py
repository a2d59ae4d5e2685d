"""Alembic's environment for the ledger: always run from ``zhuanyezhen.ledger.migrate``, which
hands over an open connection (``config.attributes["connection"]``); no URL is read here."""

from __future__ import annotations

from alembic import context

from zhuanyezhen.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
