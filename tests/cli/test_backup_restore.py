"""`sciatica backup` and `sciatica restore`: an exact copy, on either backend and across them."""

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.migrate import HEAD
from sciatica_care.services.accounts import create_api_token
from tests.cli.runner import run, sciatica
from tests.databases import BACKENDS, _postgres_database, add_care_team
from tests.paths import EXAMPLE, shared_dir

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SCENARIOS = (
    "03-anticoagulants-allow-only-light-swedish-work.json",
    "07-numbness-on-the-top-of-the-foot-and-big-toe-points-to-l5.json",
)


def ok(db: str, *args: str) -> str:
    """Run a command that must succeed; its standard output."""
    result = sciatica(db, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def seed(db: str, folder: Path) -> dict[str, date]:
    """The shipped example and two public scenarios as clients, a row in every table.

    Returns each client's id with the date to plan it on.
    """
    clients = {"1": date(2026, 3, 2)}
    ok(db, "import", str(EXAMPLE), "--client", "Ada Lovelace")
    for number, name in enumerate(SCENARIOS, start=2):
        scenario = json.loads((shared_dir() / "scenarios" / name).read_text())
        history = folder / name
        history.write_text(json.dumps(scenario["history"]))
        ok(db, "import", str(history), "--client", scenario["name"])
        clients[str(number)] = date.fromisoformat(scenario["today"])
    on = ("--date", clients["2"].isoformat())
    ok(db, "session", "add", "2", "--technique", "swedish", "--area", "gluteals", *on)
    lifted = ("--override", "anticoagulants", "--reason-code", "prescriber_confirmed")
    ok(db, "session", "add", "2", *lifted, "--reason", "GP agrees", *on)
    ok(
        db,
        "clearance",
        "add",
        "1",
        "--finding",
        "pregnancy",
        "--by",
        "Dr A",
        "--role",
        "GP",
        "--date",
        "2026-02-20",
    )
    ok(
        db,
        *("outcome", "add", "1", "--finding", "bladder_change", "--result", "excluded"),
        *("--by", "Dr B", "--role", "ED consultant", "--date", "2026-02-21"),
    )
    ok(db, "exam", "add", "1", "--power", "L5_left=4", "--slr", "left=positive", *on)
    ok(db, "episode", "add", "1", "--onset", "2026-02-01", *on)
    _add_people(db)
    for client, today in clients.items():
        ok(db, "plan", client, "--today", today.isoformat())
    return clients


def _add_people(url: str) -> None:
    """Ada's therapist, her sign-in, an appointment, a message, an API token, a calendar link,
    and a text kept whole by a migration's repair."""
    engine = make_engine(url)
    with transaction(session_factory(engine)) as db:
        ada = db.get_one(models.Client, 1)
        therapist = add_care_team(db, ada, NOW, password_hash="argon2$not-a-real-hash")
        db.add(
            models.Appointment(
                client_id=ada.id,
                date=date(2026, 3, 9),
                start_time=time(10, 30),
                therapist_id=therapist.id,
                note="first visit",
                created_at=NOW,
            )
        )
        db.add(
            models.Message(
                client_id=ada.id, sender_id=therapist.id, kind="message", body="hi", created_at=NOW
            )
        )
        create_api_token(db, therapist, label="script", actor="test", now=NOW)
        db.add(
            models.CalendarLink(
                token_hash="0" * 64, client_id=ada.id, created_by=therapist.id, created_at=NOW
            )
        )
        db.add(
            models.KeptText(
                client_id=ada.id,
                entity="diary_entries",
                entity_id=1,
                field="note",
                text="a long note",
                kept_at=NOW,
            )
        )
    engine.dispose()


def plans(db: str, clients: dict[str, date]) -> dict[str, str]:
    """Every client's plan as `sciatica plan CLIENT --today D` prints it."""
    return {
        client: ok(db, "plan", client, "--today", d.isoformat()) for client, d in clients.items()
    }


def backup(db: str, file: Path) -> dict[str, list[list[object]]]:
    """A backup of the database, as each table's rows (the file's time of writing left out)."""
    ok(db, "backup", str(file))
    document = json.loads(file.read_text())
    assert document["format"] == "sciatica-care/backup@1"
    assert document["revision"]
    return {name: table["rows"] for name, table in document["tables"].items()}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Both backends here, not SQLite alone: an exact copy on each is what the commands promise."""
    return str(request.param)


@pytest.fixture
def empty_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second empty database of the same backend as `database_url`."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path_factory.mktemp('copy') / 'sciatica.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database."""
    yield from _postgres_database()


def test_a_restored_database_is_an_exact_copy_and_plans_every_client_alike(
    database_url: str, empty_url: str, tmp_path: Path
) -> None:
    clients = seed(database_url, tmp_path)
    before = backup(database_url, tmp_path / "before.json")
    assert [name for name, rows in before.items() if not rows] == [], "every table holds rows"
    restored = sciatica(empty_url, "restore", str(tmp_path / "before.json"))
    assert restored.returncode == 0, restored.stderr
    assert f"restored {sum(map(len, before.values()))} rows" in restored.stdout
    assert backup(empty_url, tmp_path / "after.json") == before
    assert plans(empty_url, clients) == plans(database_url, clients)


def test_new_records_after_a_restore_get_fresh_ids(
    database_url: str, empty_url: str, tmp_path: Path
) -> None:
    ok(database_url, "client", "add", "Ada")
    ok(database_url, "client", "add", "Grace")
    ok(database_url, "backup", str(tmp_path / "two.json"))
    ok(empty_url, "restore", str(tmp_path / "two.json"))
    assert ok(empty_url, "client", "add", "Mary") == "added client 3: Mary\n"
    ok(empty_url, "log", "Mary", "--leg-pain", "3", "--date", "2026-03-01")


def test_a_sqlite_backup_restores_into_postgresql(postgres_url: str, tmp_path: Path) -> None:
    sqlite = f"sqlite:///{tmp_path / 'sciatica.db'}"
    clients = seed(sqlite, tmp_path)
    before = backup(sqlite, tmp_path / "from-sqlite.json")
    ok(postgres_url, "restore", str(tmp_path / "from-sqlite.json"))
    assert backup(postgres_url, tmp_path / "in-postgresql.json") == before
    assert plans(postgres_url, clients) == plans(sqlite, clients)
    assert ok(postgres_url, "client", "add", "Mary") == "added client 4: Mary\n"


def test_restore_into_a_database_that_holds_records_is_refused_and_changes_nothing(
    database_url: str, empty_url: str, tmp_path: Path
) -> None:
    ok(database_url, "import", str(EXAMPLE), "--client", "Ada")
    ok(database_url, "backup", str(tmp_path / "ada.json"))
    ok(empty_url, "client", "add", "Grace")
    before = backup(empty_url, tmp_path / "before.json")
    refused = sciatica(empty_url, "restore", str(tmp_path / "ada.json"))
    assert refused.returncode == 2
    assert refused.stderr == (
        "error: restore needs an empty database; this one already holds rows in:"
        " audit_log, clinics, clients\n"
    )
    assert backup(empty_url, tmp_path / "after.json") == before


def _backup_text(db: str, folder: Path) -> str:
    ok(db, "import", str(EXAMPLE), "--client", "Ada")
    ok(db, "backup", str(folder / "good.json"))
    return (folder / "good.json").read_text()


@pytest.mark.parametrize(
    ("spoil", "mention"),
    [
        (lambda text: EXAMPLE.read_text(), "not a sciatica-care backup: it has no tables"),
        (lambda text: "hello", "not a sciatica-care backup: expected '{', found 'h'"),
        (lambda text: text[: len(text) // 2], "not valid JSON"),
        (lambda text: text.replace(f'"{HEAD}"', '"0000"', 1), "schema revision '0000'"),
        (lambda text: text.replace("backup@1", "backup@9", 1), "format must be"),
        (lambda text: text.replace('"clinics":', '"surgeries":', 1), "tables.surgeries: not a"),
        (lambda text: text.replace('"name",', '"title",', 1), "tables.clinics.columns: must be"),
        (lambda text: text.replace('"2026-01-05"', '"5 Jan"', 1), "Invalid isoformat"),
        (lambda text: text.replace("[1,1,", "[1,", 1), "must be a list of"),
        (lambda text: text + "[]", "text after the end of the document"),
        (lambda text: text.replace('"rows":', '"lines":', 1), "tables.audit_log.lines: not part"),
    ],
)
def test_a_file_that_is_not_a_good_backup_is_refused_and_restores_nothing(
    database_url: str, empty_url: str, tmp_path: Path, spoil: Callable[[str], str], mention: str
) -> None:
    spoiled = tmp_path / "spoiled.json"
    spoiled.write_text(spoil(_backup_text(database_url, tmp_path)))
    refused = sciatica(empty_url, "restore", str(spoiled))
    assert refused.returncode == 2, refused.stderr
    assert mention in refused.stderr
    assert refused.stderr.count("\n") == 1
    ok(empty_url, "restore", str(tmp_path / "good.json"))


def test_backup_and_restore_name_a_file_they_cannot_use(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sciatica.db'}"
    (tmp_path / "latin1.json").write_bytes(b'{"format": "caf\xe9"}')
    not_utf8 = sciatica(db, "restore", str(tmp_path / "latin1.json"))
    assert (not_utf8.returncode, not_utf8.stderr.count("\n")) == (2, 1)
    assert "not UTF-8 text" in not_utf8.stderr
    missing = sciatica(db, "restore", str(tmp_path / "nowhere.json"))
    assert (missing.returncode, missing.stderr) == (
        2,
        f"error: FILE: cannot read {str(tmp_path / 'nowhere.json')!r}: No such file or directory\n",
    )
    unwritable = sciatica(db, "backup", str(tmp_path / "no-such-folder" / "b.json"))
    assert unwritable.returncode == 2
    assert "error: FILE: cannot write in" in unwritable.stderr
    assert "Traceback" not in missing.stderr + unwritable.stderr + not_utf8.stderr


def test_a_backup_is_readable_by_its_owner_alone(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sciatica.db'}"
    ok(db, "client", "add", "Ada")
    ok(db, "backup", str(tmp_path / "b.json"))
    assert (tmp_path / "b.json").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    "command", [["backup"], ["restore"], ["client", "export"], ["client", "erase"]]
)
def test_each_command_shows_an_example_in_its_help(command: list[str]) -> None:
    shown = run(*command, "--help")
    assert shown.returncode == 0
    assert "Example: sciatica " + " ".join(command) in shown.stdout
