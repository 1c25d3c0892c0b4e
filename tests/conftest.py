"""Test settings shared by every suite: Hypothesis profiles, and no silent skips on CI."""

import os

import pytest
from hypothesis import settings

ON_CI = os.environ.get("CI") == "true"

settings.register_profile("ci", derandomize=True, print_blob=True)
if ON_CI:
    settings.load_profile("ci")

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember every skipped test."""
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On CI a skipped test fails the run: nothing may be skipped silently there.

    Under pytest-xdist the controller sees every worker's reports and decides; workers do not.
    """
    if hasattr(session.config, "workerinput"):
        return
    if ON_CI and _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nCI=true: {len(_skipped)} test(s) skipped, which CI does not allow:")
        for nodeid in _skipped:
            print(f"  {nodeid}")


from tests.databases import (  # noqa: E402
    backend,
    database_url,
    engine,
    sessions,
    shared_databases,
)

__all__ = ["backend", "database_url", "engine", "sessions", "shared_databases"]
