"""The same file imported twice into one client is refused, naming the first; --again repeats."""

import json
from pathlib import Path

from tests.cli.runner import sciatica
from tests.paths import EXAMPLE


def _diary(db: str, client: str) -> int:
    result = sciatica(db, "export", client)
    assert result.returncode == 0, result.stderr
    return len(json.loads(result.stdout)["diary"])


def test_a_history_imported_twice_is_refused_then_taken_with_again(
    database_url: str, tmp_path: Path
) -> None:
    db = database_url
    first = sciatica(db, "import", str(EXAMPLE), "--client", "Ada")
    assert first.returncode == 0, first.stderr
    diary = _diary(db, "Ada")

    repeat = sciatica(db, "import", str(EXAMPLE), "--client", "Ada")
    assert repeat.returncode == 2
    assert repeat.stdout == ""
    assert "error: FILE: already imported into client 1: Ada on " in repeat.stderr
    assert "records); nothing was imported" in repeat.stderr
    assert "--again" in repeat.stderr
    assert _diary(db, "Ada") == diary

    again = sciatica(db, "import", str(EXAMPLE), "--client", "Ada", "--again")
    assert again.returncode == 0, again.stderr
    assert _diary(db, "Ada") == 2 * diary
    listed = sciatica(db, "client", "imports", "Ada")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 2
    assert all(" history " in line and line.endswith(lines[0][-64:]) for line in lines)


def test_a_changed_file_or_another_client_is_not_a_repeat(
    database_url: str, tmp_path: Path
) -> None:
    db = database_url
    assert sciatica(db, "import", str(EXAMPLE), "--client", "Ada").returncode == 0
    assert sciatica(db, "import", str(EXAMPLE), "--client", "Ben").returncode == 0
    changed = tmp_path / "changed.json"
    document = json.loads(EXAMPLE.read_text())
    document["diary"] = document["diary"][:1]
    changed.write_text(json.dumps(document))
    assert sciatica(db, "import", str(changed), "--client", "Ada").returncode == 0
    assert len(sciatica(db, "client", "imports", "Ada").stdout.splitlines()) == 2
    assert sciatica(db, "client", "imports", "Cleo").returncode != 0


def test_fhir_and_csv_imports_are_refused_when_repeated(database_url: str, tmp_path: Path) -> None:
    db = database_url
    assert sciatica(db, "import", str(EXAMPLE), "--client", "Ada").returncode == 0
    bundle = tmp_path / "ada.fhir.json"
    exported = sciatica(db, "export", "Ada", "--format", "fhir", "--output", str(bundle))
    assert exported.returncode == 0, exported.stderr
    fhir = ("import", str(bundle), "--format", "fhir", "--client", "Ada Copy")
    assert sciatica(db, *fhir).returncode == 0
    refused = sciatica(db, *fhir)
    assert refused.returncode == 2
    assert "already imported into client" in refused.stderr
    assert sciatica(db, *fhir, "--again").returncode == 0

    diary = tmp_path / "diary.csv"
    diary.write_text("date,leg_pain\n2026-01-02,4\n")
    csv = ("import", str(diary), "--format", "csv", "--kind", "diary", "--client", "Ada")
    assert sciatica(db, *csv).returncode == 0
    refused = sciatica(db, *csv)
    assert refused.returncode == 2
    assert "(1 record); nothing was imported" in refused.stderr
    kinds = [
        line.split()[3] for line in sciatica(db, "client", "imports", "Ada").stdout.splitlines()
    ]
    assert kinds == ["history", "csv"]
