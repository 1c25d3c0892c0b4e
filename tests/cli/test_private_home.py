"""The command line keeps health data private: its home, its database, its exports."""

import os
from pathlib import Path

import pytest

from tests.cli.runner import run
from tests.integration.test_private_files import mode
from tests.paths import EXAMPLE


def test_a_loose_home_is_made_private_when_a_command_starts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    home = Path(os.environ["SCIATICA_HOME"])
    home.chmod(0o755)
    imported = run("import", str(EXAMPLE), "--client", "Ada Lovelace")
    assert imported.returncode == 0, imported.stderr
    assert (mode(home), mode(home / "sciatica.db")) == (0o700, 0o600)
    assert f"made {home} private: mode 0755 -> 0700" in caplog.text


@pytest.mark.parametrize(
    "command",
    [
        ["client", "export", "1"],
        ["export", "1"],
        ["export", "1", "--format", "fhir"],
        ["backup"],
    ],
    ids=" ".join,
)
def test_exports_and_backups_are_readable_by_their_owner_alone(
    command: list[str], tmp_path: Path
) -> None:
    assert run("import", str(EXAMPLE), "--client", "Ada Lovelace").returncode == 0
    target = tmp_path / "out.json"
    where = [str(target)] if command == ["backup"] else ["--output", str(target)]
    written = run(*command, *where)
    assert written.returncode == 0, written.stderr
    assert mode(target) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["out.json"]
