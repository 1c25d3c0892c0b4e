"""The domain imports only pure standard-library modules and msgspec: an allow list, not a ban.

import-linter's forbidden contract names the packages we know of; this test also catches one that
nobody thought to ban, such as a new dependency imported into the domain by mistake.
"""

import ast
from pathlib import Path

import pytest

from tests.paths import ROOT

DOMAIN = ROOT / "src" / "sciatica_care" / "domain"

# Pure: no I/O, no clock, no randomness, no environment.
ALLOWED = frozenset(
    {
        "__future__",
        "abc",
        "bisect",
        "collections",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "heapq",
        "itertools",
        "math",
        "msgspec",
        "operator",
        "re",
        "statistics",
        "string",
        "tomllib",
        "types",
        "typing",
    }
)


def imported_modules(source: str) -> set[str]:
    """The absolute modules a source file imports (relative imports stay inside the package)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def outside_the_allow_list(modules: set[str]) -> set[str]:
    """The modules neither in the allow list nor inside the domain itself."""
    return {
        name
        for name in modules
        if name.split(".")[0] not in ALLOWED and not name.startswith("sciatica_care.domain")
    }


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda path: path.name)
def test_a_domain_module_imports_only_pure_modules(path: Path) -> None:
    assert outside_the_allow_list(imported_modules(path.read_text("utf-8"))) == set()


@pytest.mark.parametrize(
    "line",
    [
        "import sqlalchemy",
        "from sqlalchemy.orm import Session",
        "import os",
        "from sciatica_care.services import planning",
        "from sciatica_care import settings",
        "import random",
    ],
)
def test_the_check_refuses_an_impure_import(line: str) -> None:
    assert outside_the_allow_list(imported_modules(line)) != set()


def test_the_check_accepts_the_domain_and_msgspec() -> None:
    source = (
        "import msgspec\nfrom sciatica_care.domain.codes import Finding\nfrom datetime import date"
    )
    assert outside_the_allow_list(imported_modules(source)) == set()
