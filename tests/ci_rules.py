"""The suite's rule for CI: no test may be skipped there (a pytest plugin used by the conftest).

Under pytest-xdist the controller receives every worker's reports, so it alone decides.
"""

import os

import pytest

ON_CI = os.environ.get("CI") == "true"

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember every skipped test."""
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On CI a skipped test fails the run: nothing may be skipped silently there."""
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller decides
        return
    if ON_CI and _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nCI=true: {len(_skipped)} test(s) skipped, which CI does not allow:")
        for nodeid in _skipped:
            print(f"  {nodeid}")
