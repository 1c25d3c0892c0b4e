"""Test settings shared by every suite: Hypothesis profiles, no silent skips on CI, xdist groups."""

import pytest
from hypothesis import settings

from tests.ci_rules import ON_CI, pytest_runtest_logreport, pytest_sessionfinish
from tests.databases import backend, database_url, engine, sessions, shared_databases

settings.register_profile("ci", derandomize=True, print_blob=True)
# `make check`: the quick loop runs each property on fewer examples; `make test` and CI run all.
settings.register_profile("check", max_examples=20)
if ON_CI:
    settings.load_profile("ci")

__all__ = [
    "backend",
    "database_url",
    "engine",
    "pytest_runtest_logreport",
    "pytest_sessionfinish",
    "sessions",
    "shared_databases",
]

ONE_WORKER = {"browser": "browser", "bench": "bench"}  # tests/<dir>: one group for the folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Groups for `--dist loadgroup`: each group runs on one xdist worker.

    The browser tests share session-scoped servers and the benchmarks load the machine: one
    group each. A test that uses a module-scoped fixture (the web `world`, the CLI demo) runs
    with the rest of its module, so the fixture is built once.
    """
    for item in items:
        folder = item.path.parent.name
        if folder in ONE_WORKER:
            group = ONE_WORKER[folder]
        elif _uses_module_fixture(item):
            group = item.path.stem
        else:
            continue
        item.add_marker(pytest.mark.xdist_group(group))


def _uses_module_fixture(item: pytest.Item) -> bool:
    """Whether the test needs a fixture built once per module."""
    info = getattr(item, "_fixtureinfo", None)  # pytest's own record of the test's fixtures
    if info is None:
        return False
    return any(
        definition.scope == "module"
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )
