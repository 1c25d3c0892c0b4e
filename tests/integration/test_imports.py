"""The imports table on SQLite and PostgreSQL: a repeat is refused, --again takes it, 0006 goes."""

import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker

from sciatica_care.db import models
from sciatica_care.db.database import session_factory, transaction
from sciatica_care.db.migrate import HEAD, alembic_config, current_revision
from sciatica_care.services.clients import add_client
from sciatica_care.services.imports import (
    AlreadyImported,
    client_imports,
    content_hash,
    record_import,
    refuse_repeat,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FILE = content_hash(b'{"schema":"sciatica-care/history@1"}')


def test_a_file_kept_as_imported_is_refused_for_that_client_and_kind_only(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as db:
        ada = add_client(db, name="Ada", actor="t", now=NOW)
        ben = add_client(db, name="Ben", actor="t", now=NOW)
        refuse_repeat(db, client=ada, kind="history", sha256=FILE)
        record_import(
            db, client=ada, kind="history", sha256=FILE, records=21, actor="cli:kim", now=NOW
        )
        with pytest.raises(AlreadyImported) as refused:
            refuse_repeat(db, client=ada, kind="history", sha256=FILE)
        assert str(refused.value) == (
            f"FILE: already imported into client {ada.id}: Ada on 2026-03-02 09:30 UTC"
            " by cli:kim (21 records); nothing was imported"
        )
        refuse_repeat(db, client=ada, kind="history", sha256=FILE, again=True)
        refuse_repeat(db, client=ben, kind="history", sha256=FILE)
        refuse_repeat(db, client=ada, kind="csv", sha256=FILE)
        refuse_repeat(db, client=ada, kind="history", sha256=content_hash(b"other"))
        listed = [(i.kind, i.records, i.actor) for i in client_imports(db, client=ada)]
        assert listed == [("history", 21, "cli:kim")]
        assert client_imports(db, client=ben) == []


def _to(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_0006_adds_the_imports_table_and_takes_it_away_again(engine: Engine) -> None:
    assert HEAD == "0006"
    assert inspect(engine).has_table("imports")
    _to(engine, "0005", down=True)
    assert current_revision(engine) == "0005"
    assert not inspect(engine).has_table("imports")
    assert inspect(engine).has_table("clients")
    _to(engine, "0006")
    columns = {c["name"] for c in inspect(engine).get_columns("imports")}
    assert columns == {"id", "client_id", "kind", "sha256", "records", "actor", "imported_at"}


def test_of_one_file_imported_twice_at_once_the_second_waits_and_is_refused(
    engine: Engine,
) -> None:
    sessions = session_factory(engine)
    with transaction(sessions) as db:
        ada_id = add_client(db, name="Ada", actor="t", now=NOW).id
    refused: list[Exception] = []

    def imported(db: Session) -> None:
        ada = db.get_one(models.Client, ada_id)
        refuse_repeat(db, client=ada, kind="history", sha256=FILE)
        record_import(db, client=ada, kind="history", sha256=FILE, records=3, actor="t", now=NOW)

    def second() -> None:
        try:
            with transaction(sessions) as db:
                imported(db)
        except AlreadyImported as error:
            refused.append(error)

    first = sessions()
    first.begin()
    imported(first)  # checked and kept, not yet committed
    racer = threading.Thread(target=second)
    racer.start()
    racer.join(timeout=1.0)
    try:
        assert racer.is_alive(), "the second import's check did not wait for the first"
    finally:
        first.commit()
        first.close()
        racer.join(timeout=30)
    assert len(refused) == 1
    with sessions() as db:
        assert len(client_imports(db, client=db.get_one(models.Client, ada_id))) == 1
