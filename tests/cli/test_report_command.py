"""`sciatica report`: the PDF report for the doctor, on SQLite and PostgreSQL."""

import subprocess
from pathlib import Path

import pypdf

from tests.cli.runner import run


def sciatica(db: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command against the test's database in `cwd`."""
    return run(*args, "--db", db, cwd=cwd)


def pdf_text(path: Path) -> str:
    """A PDF's text on one line."""
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_report_of_a_see_doctor_client_asks_the_doctor(
    database_url: str, tmp_path: Path
) -> None:
    db = database_url
    steps = [
        ["client", "add", "Ada Lovelace", "--birth-year", "1971"],
        ["screen", "Ada", "--finding", "cancer_history", "--date", "2026-01-05"],
        ["assess", "Ada", "--leg-pain", "7", "--back-pain", "4", "--date", "2026-01-05"],
        ["assess", "Ada", "--leg-pain", "5", "--back-pain", "3", "--date", "2026-01-19"],
    ]
    for step in steps:
        result = sciatica(db, *step, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    made = sciatica(db, "report", "Ada", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    written = tmp_path / "Ada Lovelace-report.pdf"
    assert made.stdout.strip() == f"report written: {written.name}"
    text = pdf_text(written)
    assert "Ada Lovelace born 1971" in text
    assert "Question for the doctor (triage: see a doctor)" in text
    assert "History of cancer (see a doctor) present" in text
    # One screening with a finding may be a check-in report of that sign alone: not "asked: no".
    assert "Progressive leg or foot weakness (urgent) not recorded" in text
    assert "First 7 (5 Jan 2026); latest 5 (19 Jan 2026)" in text


def test_check_in_signs_and_body_map_marks_are_present_and_nothing_else_is_claimed_asked(
    database_url: str, tmp_path: Path
) -> None:
    db = database_url
    steps = [
        ["client", "add", "Ada Lovelace"],
        ["screen", "Ada", "--none", "--date", "2026-01-05"],
        ["log", "Ada", "--leg-pain", "6", "--sign", "bladder_change"],
        ["assess", "Ada", "--leg-pain", "6", "--numbness", "saddle"],
    ]
    for step in steps:
        result = sciatica(db, *step, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    made = sciatica(db, "report", "Ada", "--output", "ada.pdf", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    text = pdf_text(tmp_path / "ada.pdf")
    assert "Saddle numbness or altered perineal sensation (emergency) present (body map)" in text
    assert "New bladder disturbance (hesitancy, retention, incontinence) (emergency) present" in (
        text
    )
    assert "Symptoms in both legs (emergency) asked: no (5 Jan 2026)" in text
    assert "It may be a check-in report of new signs" in text
    assert "Every finding not listed as present was asked and answered no" not in text


def test_output_chooses_the_file(database_url: str, tmp_path: Path) -> None:
    assert sciatica(database_url, "client", "add", "Ben Okri", cwd=tmp_path).returncode == 0
    made = sciatica(database_url, "report", "Ben", "--output", "ben.pdf", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "No red-flag screening is on record." in pdf_text(tmp_path / "ben.pdf")


def test_an_unknown_client_is_refused_and_nothing_is_written(
    database_url: str, tmp_path: Path
) -> None:
    made = sciatica(database_url, "report", "Nobody", cwd=tmp_path)
    assert made.returncode == 2
    assert "no client called 'Nobody'" in made.stderr
    assert list(tmp_path.glob("*.pdf")) == []


def test_an_unwritable_output_is_reported(database_url: str, tmp_path: Path) -> None:
    assert sciatica(database_url, "client", "add", "Cleo Hart", cwd=tmp_path).returncode == 0
    made = sciatica(database_url, "report", "Cleo", "--output", "no/such/dir.pdf", cwd=tmp_path)
    assert made.returncode == 1
    assert "--output: cannot write 'no/such/dir.pdf'" in made.stderr
