"""Health data on disk is its owner's alone: the home 0700, the database and its companions 0600."""

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from sciatica_care.db.database import make_engine
from sciatica_care.db.files import private_folder, write_private


def mode(path: Path) -> int:
    """The permission bits of `path`."""
    return stat.S_IMODE(os.stat(path).st_mode)


def touch_database(home: Path) -> Path:
    """A SQLite database in `home`, written to so that its -wal and -shm files exist."""
    database = home / "sciatica.db"
    engine = make_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    engine.dispose()
    return database


def test_a_fresh_home_and_its_database_are_created_private(tmp_path: Path) -> None:
    home = tmp_path / "new" / "home"
    database = home / "sciatica.db"
    engine = make_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
        assert [mode(home), mode(database), mode(wal), mode(shm)] == [0o700, 0o600, 0o600, 0o600]
    engine.dispose()


def test_an_existing_loose_home_is_tightened_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    home = tmp_path / "home"
    database = touch_database(home)
    home.chmod(0o755)
    companions = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    for path in companions:
        path.touch()  # a crashed run leaves its -wal and -shm behind
        path.chmod(0o644)
    private_folder(home)
    make_engine(f"sqlite:///{database}").dispose()
    assert [mode(home), *map(mode, companions)] == [0o700, 0o600, 0o600, 0o600]
    assert f"made {home} private: mode 0755 -> 0700" in caplog.text
    assert f"made {database} private: mode 0644 -> 0600" in caplog.text


def test_a_private_home_is_left_alone_without_a_word(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    home = tmp_path / "home"
    touch_database(home)
    private_folder(home)
    touch_database(home)
    assert caplog.text == ""


def test_a_file_written_private_replaces_the_old_one_whole_and_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private(target, b"new")
    assert (target.read_bytes(), mode(target)) == (b"new", 0o600)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["export.json"]
