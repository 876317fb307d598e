"""Alembic's environment: migrations run on the connection ``Store.open`` (or ``db upgrade``) passes in."""

from __future__ import annotations

from alembic import context

from bot.store.schema import metadata

connection = context.config.attributes["connection"]
# Batch mode lets later migrations alter SQLite tables (by copying them) with the same code as PostgreSQL.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
