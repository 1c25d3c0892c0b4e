"""Where the tests find the project's files and the shared scenarios."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src" / "sciatica_care" / "examples" / "history.json"
SCIATICA = Path(sys.executable).parent / "sciatica"


def shared_dir() -> Path:
    """The team's shared folder beside the repository; CI must have it, elsewhere tests skip.

    SCIATICA_TEST_SHARED names another place (a git worktree is not beside it).
    """
    shared = Path(os.environ.get("SCIATICA_TEST_SHARED") or ROOT.parent / "shared")
    if not (shared / "scenarios" / "check.py").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the shared scenarios at {shared}")
        pytest.skip(f"the shared scenarios are not at {shared}")
    return shared
