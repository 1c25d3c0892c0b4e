"""requirements.lock holds every pin of pyproject.toml at its version (make lock keeps it so)."""

import re
import tomllib

from tests.paths import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def normalised(name: str) -> str:
    """A distribution name as pip compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins() -> dict[str, str]:
    """Every `name==version` in the project's dependencies and optional dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        lines += extra
    return {normalised(m[1]): m[2] for line in lines if (m := PIN.match(line))}


def locked() -> dict[str, str]:
    """The lock file's versions by distribution name."""
    text = (ROOT / "requirements.lock").read_text("utf-8")
    return {normalised(m[1]): m[2] for line in text.splitlines() if (m := PIN.match(line))}


def test_every_dependency_of_pyproject_is_pinned_exactly() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert [line for line in project["dependencies"] if not PIN.match(line)] == []


def test_the_lock_file_holds_every_pin_at_its_version() -> None:
    lock = locked()
    assert {name: lock.get(name) for name in pyproject_pins()} == pyproject_pins()
