"""Files that hold health data: private to their owner (folders 0700, files 0600), written whole.

A clinic's machine may have other local users; the data home, the SQLite database with its
-wal/-shm files, backups and exports are readable by the account that runs the app alone.
"""

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
TEMPORARY_SUFFIX = ".tmp"
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")

log = logging.getLogger("sciatica_care.files")


def tighten(path: Path, mode: int) -> None:
    """Take away any permission `path` has beyond `mode` (group and others), saying so."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if current & ~mode:
        path.chmod(current & mode)
        log.warning("made %s private: mode %04o -> %04o", path, current, current & mode)


def private_folder(path: Path) -> None:
    """The folder, made if missing; readable by its owner alone."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    tighten(path, PRIVATE_FOLDER)


def private_sqlite(database: Path) -> None:
    """The SQLite database file, made if missing, and its companions: its owner's alone.

    SQLite gives the -wal and -shm files the database file's permissions, so creating the
    database 0600 keeps them 0600 too; an existing loose set is tightened.
    """
    if not database.parent.exists():
        private_folder(database.parent)
    with suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    for suffix in SQLITE_COMPANIONS:
        tighten(database.with_name(database.name + suffix), PRIVATE_FILE)


def temporary_pattern(target: Path) -> str:
    """The glob of the hidden temporary copies written on the way to `target`."""
    return f".{target.name}.*{TEMPORARY_SUFFIX}"


def remove_leftovers(target: Path) -> list[Path]:
    """Remove temporary copies of `target` that a killed writer left behind; the ones removed."""
    removed = sorted(target.parent.glob(temporary_pattern(target)))
    for leftover in removed:
        leftover.unlink(missing_ok=True)
        log.warning("removed %s, left by an unfinished write of %s", leftover, target.name)
    return removed


@contextmanager
def atomic_private_file(target: Path) -> Iterator[IO[bytes]]:
    """A private file that becomes `target` whole once the block ends, or not at all.

    The bytes go to a hidden temporary file in the same folder, are flushed to disk, then take
    the target's name in one rename: a reader never sees half a file, a failure leaves none.
    """
    import tempfile

    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX, dir=target.parent
    )
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(target.parent)


def write_private(target: Path, data: bytes) -> None:
    """Write `data` to `target` atomically, readable by its owner alone."""
    with atomic_private_file(target) as out:
        out.write(data)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for a renamed file, where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
