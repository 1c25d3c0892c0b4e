"""Alembic environment: runs against the connection or URL the caller gives."""

from alembic import context
from sqlalchemy import Connection

from sciatica_care.db.database import make_engine
from sciatica_care.db.models import Base
from sciatica_care.settings import get_settings

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or get_settings().database()
    with make_engine(url).connect() as fresh:
        _run(fresh)
