"""Alembic environment: runs on the connection rightsledger hands in."""

from alembic import context

from rightsledger.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs plain `alembic`
    raise RuntimeError("run migrations through `rightsledger init` or Ledger.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
