"""`export --format csv` and `import --format csv`, end to end on SQLite and PostgreSQL."""

import csv
import io
import json
import zipfile
from pathlib import Path

from tests.cli.runner import run_bytes, sciatica

ASSESS = [
    "assess", "Ada", "--leg-pain", "7", "--back-pain", "4", "--odi", "3,2,2,3,2,2,1,-,2,3",
    "--startback", "1,0,1,0,1,0,0,1,0", "--numbness", "dorsum_of_foot_left",
    "--pain", "buttock_left", "--note", '=HYPERLINK("http://x")', "--date", "2026-01-05",
]  # fmt: skip
SESSION = [
    "session", "add", "Ada", "--technique", "swedish", "--area", "gluteals", "--pressure",
    "light", "--minutes", "60", "--pain-before", "7", "--pain-after", "5",
    "--subjective", "-worse after sitting", "--date", "2026-01-05",
]  # fmt: skip
LOG = [
    "log", "Ada", "--leg-pain", "6", "--self-care", "walking", "--self-care", "heat",
    "--flare", "--active-minutes", "30", "--note", "@home, café", "--date", "2026-01-06",
]  # fmt: skip


def ada(db: str) -> None:
    """Ada with an assessment, a session and a check-in."""
    for step in (["client", "add", "Ada Lovelace"], ASSESS, SESSION, LOG):
        result = sciatica(db, *step)
        assert result.returncode == 0, result.stderr


def tables(archive: bytes) -> dict[str, list[dict[str, str]]]:
    """The CSV tables of an exported zip, as rows by column name."""
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        return {
            name: list(csv.DictReader(io.StringIO(files.read(name).decode(), newline="")))
            for name in files.namelist()
        }


def records(db: str, client: str) -> dict[str, object]:
    """A client's diary and assessments as history@1 exports them."""
    result = sciatica(db, "export", client)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    return {"diary": document["diary"], "assessments": document["assessments"]}


def test_export_then_import_into_a_new_client_gives_the_same_records(
    database_url: str, tmp_path: Path
) -> None:
    db = database_url
    ada(db)
    zipped = tmp_path / "ada.zip"
    exported = sciatica(db, "export", "Ada", "--format", "csv", "--output", str(zipped))
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(zipped) as files:
        assert files.namelist() == ["diary.csv", "assessments.csv", "sessions.csv"]
        files.extractall(tmp_path)
    for kind in ("diary", "assessments"):
        csv_file = str(tmp_path / f"{kind}.csv")
        args = ["import", csv_file, "--format", "csv", "--client", "Ada Copy", "--kind", kind]
        imported = sciatica(db, *args)
        assert imported.returncode == 0, imported.stderr
        assert f"imported 1 {kind} records" in imported.stdout
    assert records(db, "Ada Copy") == records(db, "Ada Lovelace")


def test_the_exported_tables_are_spreadsheet_safe_and_complete(database_url: str) -> None:
    db = database_url
    ada(db)
    piped = run_bytes("export", "Ada", "--format", "csv", "--db", db)
    assert piped.returncode == 0, piped.stderr
    found = tables(piped.stdout)
    (assessment,) = found["assessments.csv"]
    assert [assessment[f"odi_{n}"] for n in range(1, 11)] == [
        "3", "2", "2", "3", "2", "2", "1", "", "2", "3",
    ]  # fmt: skip
    assert assessment["startback_1"] == "1"
    assert assessment["numbness_regions"] == "dorsum_of_foot_left"
    assert assessment["note"] == '\'=HYPERLINK("http://x")'
    (session,) = found["sessions.csv"]
    assert (session["techniques"], session["minutes"], session["pain_after"]) == (
        "swedish",
        "60",
        "5",
    )
    assert session["subjective"] == "'-worse after sitting"
    (entry,) = found["diary.csv"]
    assert (entry["date"], entry["flare"], entry["self_care"]) == (
        "2026-01-06",
        "true",
        "walking;heat",
    )
    assert entry["note"] == "'@home, café"


def test_a_folder_gets_three_files_and_a_single_csv_is_refused(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    ada(db)
    folder = tmp_path / "ada"
    assert sciatica(db, "export", "Ada", "--format", "csv", "--output", str(folder)).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "assessments.csv",
        "diary.csv",
        "sessions.csv",
    ]
    refused = sciatica(db, "export", "Ada", "--format", "csv", "--output", str(tmp_path / "a.csv"))
    assert refused.returncode == 2
    assert "--output: must be FILE.zip or a folder" in refused.stderr


def test_a_bad_file_names_every_bad_cell_exits_2_and_stores_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    ada(db)
    before = records(db, "Ada Lovelace")
    bad = tmp_path / "ada.csv"
    bad.write_text("date,leg_pain,back_pain\n2026-01-07,3,2\n2026-01-08,11,2\n2026-01-09,4,x\n")
    result = sciatica(
        db, "import", str(bad), "--format", "csv", "--client", "Ada", "--kind", "diary"
    )
    assert result.returncode == 2
    assert f"error: {bad}:3: leg_pain: must be an integer 0..10, got 11" in result.stderr
    assert f'error: {bad}:4: back_pain: must be an integer 0..10, got "x"' in result.stderr
    assert "Traceback" not in result.stderr
    assert records(db, "Ada Lovelace") == before


def test_unreadable_input_exits_2_without_a_traceback_or_a_new_client(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"date,note\n2026-01-05,caf\xe9\n")
    headless = tmp_path / "headless.csv"
    headless.write_text("2026-01-05,4\n")
    swallow = tmp_path / "swallow.csv"
    later = "".join(f"2026-01-{day:02d},{day % 10},ok\n" for day in range(2, 30))
    swallow.write_text('date,leg_pain,note\n2026-01-01,5,"he said ""hi\n' + later)
    short = tmp_path / "short.csv"
    short.write_text("date,leg_pain,note\n2026-01-05,5\n")
    empty = tmp_path / "empty.csv"
    empty.write_text("date,leg_pain,note\n")
    cases = [
        ([str(swallow), "--kind", "diary"], f"{swallow}:2: a quoted cell opens on this line"),
        ([str(short), "--kind", "diary"], f"{short}:2: has 2 cells but the header has 3"),
        ([str(empty), "--kind", "diary"], f"{empty}:2: no rows below the header row"),
        ([str(latin), "--kind", "diary"], f"{latin}:2: not UTF-8 text"),
        ([str(headless), "--kind", "diary"], f"{headless}:1: 2026-01-05: unknown column"),
        ([str(latin)], "--kind: must be diary or assessments"),
        ([str(latin), "--kind", "sessions"], "--kind: must be diary or assessments"),
    ]
    for args, message in cases:
        result = sciatica(db, "import", *args, "--format", "csv", "--client", "Newcomer")
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert "Newcomer" not in sciatica(db, "client", "list").stdout
