"""With CI=true a skipped test fails the run, also when pytest-xdist runs it on a worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

SUITE = """
import pytest

def test_passes():
    assert True

def test_is_skipped():
    pytest.skip("no database here")
"""


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest with the suite's CI rule on a small suite in `folder`, as CI runs it."""
    (folder / "pytest.ini").write_text("[pytest]\n")
    # Only the plugins this needs: the others' start-up, in every worker, is most of the time.
    env = os.environ | {
        "CI": "true",
        "PYTHONPATH": str(ROOT),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    plugins = ["-p", "xdist.plugin", "-p", "tests.ci_rules", "-p", "no:cacheprovider"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *plugins, *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("workers", ["0", "2"], ids=["in-process", "two xdist workers"])
def test_a_skipped_test_fails_the_run_on_ci(tmp_path: Path, workers: str) -> None:
    (tmp_path / "test_small.py").write_text(SUITE)
    result = run_pytest(tmp_path, "-n", workers)
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    assert "CI=true: 1 test(s) skipped, which CI does not allow:" in result.stdout
    assert "  test_small.py::test_is_skipped" in result.stdout


def test_a_run_without_skips_passes_on_ci(tmp_path: Path) -> None:
    (tmp_path / "test_small.py").write_text(SUITE.split("def test_is_skipped", maxsplit=1)[0])
    result = run_pytest(tmp_path, "-n", "2")
    assert result.returncode == pytest.ExitCode.OK, result.stdout
    assert "CI=true" not in result.stdout
