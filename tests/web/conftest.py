"""Fixtures of the web tests: one world per module (building it hashes eight passwords)."""

from collections.abc import Iterator

import pytest

from tests.databases import _postgres_database
from tests.web.world import World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The two-clinic world on SQLite."""
    built = build_world(tmp_path_factory.mktemp("web"))
    yield built
    built.app.state.sciatica.close()


@pytest.fixture(scope="module")
def pg_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The same world on a fresh PostgreSQL database."""
    for url in _postgres_database():
        built = build_world(tmp_path_factory.mktemp("webpg"), url)
        yield built
        built.app.state.sciatica.close()
