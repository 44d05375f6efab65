"""Alembic's entry point: run the migrations on the connection ``sql.migrate`` hands over
(inside its transaction, which holds the write lock), never on one of its own."""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
