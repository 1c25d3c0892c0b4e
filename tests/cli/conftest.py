"""The command line is tested on SQLite: its storage is the same code, tested on both backends.

tests/integration tests the storage on SQLite and PostgreSQL; test_backup_restore.py keeps its
commands on both, since an exact copy across backends is what they promise.
"""

from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    """The command-line tests' backend: SQLite."""
    return str(request.param)


@pytest.fixture(autouse=True)
def _own_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's commands keep their data in a home of their own, never the developer's."""
    home: Path = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SCIATICA_HOME", str(home))
    monkeypatch.delenv("SCIATICA_DATABASE_URL", raising=False)
