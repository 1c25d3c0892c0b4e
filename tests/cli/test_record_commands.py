"""The record-keeping commands end to end, on SQLite and PostgreSQL."""

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.cli.runner import run, subprocess_run
from tests.cli.runner import sciatica as sciatica  # noqa: PLC0414 (re-exported for older imports)
from tests.paths import EXAMPLE


def test_a_therapist_records_a_client_and_plans_from_the_database(
    database_url: str, tmp_path: Path
) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada Lovelace", "--birth-year", "1971").returncode == 0
    steps = [
        ["screen", "Ada", "--finding", "anticoagulants", "--date", "2026-01-05"],
        [
            "assess",
            "Ada",
            "--leg-pain",
            "7",
            "--back-pain",
            "4",
            "--odi",
            "3,2,2,3,2,2,1,-,2,3",
            "--numbness",
            "dorsum_of_foot_left",
            "--date",
            "2026-01-05",
        ],
        [
            "session",
            "add",
            "Ada",
            "--technique",
            "swedish",
            "--area",
            "gluteals",
            "--pressure",
            "light",
            "--minutes",
            "60",
            "--pain-before",
            "7",
            "--pain-after",
            "5",
            "--date",
            "2026-01-05",
        ],
        [
            "log",
            "Ada",
            "--leg-pain",
            "6",
            "--back-pain",
            "3",
            "--self-care",
            "walking",
            "--date",
            "2026-01-06",
        ],
    ]
    for step in steps:
        result = sciatica(db, *step)
        assert result.returncode == 0, result.stderr
    planned = sciatica(db, "plan", "Ada", "--today", "2026-01-10")
    assert planned.returncode == 0, planned.stderr
    plan = json.loads(planned.stdout)
    assert plan["massage"]["status"] == "modified"
    assert plan["massage"]["max_pressure"] == "light"
    assert plan["progress"]["baseline"]["odi_percent"] == 44.4
    exported = tmp_path / "ada.json"
    assert sciatica(db, "export", "Ada", "--output", str(exported)).returncode == 0
    again = run("plan", "--input", str(exported), "--today", "2026-01-10")
    assert again.stdout == planned.stdout


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["log", "Ada", "--leg-pain", "11"], "--leg-pain: must be an integer 0..10, got 11"),
        (["log", "Ada", "--self-care", "dancing"], "--self-care: must be a self-care item"),
        (["assess", "Ada", "--odi", "1,2,3"], "--odi: must have exactly 10 entries, got 3"),
        (["assess", "Ada", "--pain", "elbow_left"], "--pain: must be a body-map region"),
        (["screen", "Ada", "--finding", "gout"], "--finding: must be a finding code"),
        (["log", "Ada", "--leg-pain", "3", "--date", "2999-01-01"], "--date: is after today"),
        (["log", "Nobody", "--leg-pain", "3"], "no client called 'Nobody'"),
        (["log", "Ada", "--note", "bell\x07"], "--note: must not hold control characters (U+0007"),
        (["client", "add", "Ben\x1b[31m"], "NAME: must not hold control characters (U+001B"),
        (["client", "add", "Ben", "--sex", "a\tb"], "--sex: must not hold control characters"),
        (
            ["session", "add", "Ada", "--override", "saddle_numbness", "--reason", "asked"],
            "--override: saddle_numbness is classed emergency and can never be overridden",
        ),
        (
            ["session", "add", "Ada", "--override", "anticoagulants"],
            "--reason-code: needs a clinical reason, one of prescriber_confirmed",
        ),
        (
            ["session", "add", "Ada", "--technique", "swedish"],
            "--on-hold-reason: needs a clinical reason, one of no_massage",
        ),
        (
            ["session", "add", "Ada", "--technique", "swedish", "--on-hold-reason", "no_massage"],
            "--technique: the reason says no massage was given; leave techniques out",
        ),
    ],
)
def test_bad_input_to_a_record_command_exits_2_and_stores_nothing(
    database_url: str, args: list[str], mention: str
) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    result = sciatica(db, *args)
    assert result.returncode == 2
    assert mention in result.stderr
    assert "Traceback" not in result.stderr
    shown = sciatica(db, "client", "show", "Ada").stdout
    assert "diary: 0" in shown
    assert "assessments: 0" in shown
    assert "screenings: 0" in shown


def test_a_red_flag_answers_first_with_the_emergency_message(database_url: str) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    result = sciatica(db, "assess", "Ada", "--leg-pain", "6", "--numbness", "saddle")
    assert result.returncode == 0
    assert result.stdout.splitlines()[1].startswith("!!  EMERGENCY:")
    assert "assessment recorded" in result.stdout.splitlines()[-1]


def test_import_then_plan_matches_the_file(database_url: str) -> None:
    db = database_url
    imported = sciatica(db, "import", str(EXAMPLE), "--client", "Example")
    assert imported.returncode == 0, imported.stderr
    stored = sciatica(db, "plan", "Example", "--today", "2026-03-02")
    from_file = run("plan", "--input", str(EXAMPLE), "--today", "2026-03-02")
    assert stored.stdout == from_file.stdout


def test_a_bad_import_lists_every_problem_and_changes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"assessments": [{"date": "2026-01-01", "leg_pain": 11}, {"date": "nope"}]})
    )
    result = sciatica(database_url, "import", str(bad), "--client", "Ada")
    assert result.returncode == 2
    assert "assessments[0].leg_pain" in result.stderr
    assert "assessments[1].date" in result.stderr
    assert "no clients yet" in sciatica(database_url, "client", "list").stdout


def test_concurrent_writers_on_sqlite_never_see_a_locked_database(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    assert sciatica(db, "client", "add", "Ada").returncode == 0

    def check_in(minute: int) -> subprocess.CompletedProcess[str]:
        # Real processes: each command opens the database on its own, all at once.
        args = ("log", "Ada", "--leg-pain", "4", "--active-minutes", str(minute), "--db", db)
        return subprocess_run(*args)

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(check_in, range(18)))
    assert [r.returncode for r in results] == [0] * 18, [r.stderr for r in results]
    assert "diary: 18" in sciatica(db, "client", "show", "Ada").stdout


def test_a_clearance_lifts_the_hold_of_a_clearance_needed_finding(database_url: str) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    assert sciatica(db, "screen", "Ada", "--finding", "pregnancy").returncode == 0
    assert sciatica(db, "assess", "Ada", "--leg-pain", "5").returncode == 0
    before = json.loads(sciatica(db, "plan", "Ada").stdout)
    assert before["massage"]["status"] == "on_hold"
    cleared = sciatica(
        db, "clearance", "add", "Ada", "--finding", "pregnancy", "--by", "Dr A", "--role", "GP"
    )
    assert cleared.returncode == 0, cleared.stderr
    after = json.loads(sciatica(db, "plan", "Ada").stdout)
    assert after["massage"]["status"] == "modified"
    assert after["massage"]["position"] == "side_lying"
    assert after["triage"]["findings"][0]["cleared"] is True


def test_an_emergency_finding_can_never_be_cleared(database_url: str) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    result = sciatica(
        db, "clearance", "add", "Ada", "--finding", "bladder_change", "--by", "X", "--role", "GP"
    )
    assert result.returncode == 2
    assert "bladder_change is classed emergency" in result.stderr


def test_interactive_screening_stops_at_an_emergency_answer(database_url: str) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    result = run("screen", "Ada", "--db", db, stdin="n\nn\ny\n")
    assert result.returncode == 0
    assert "EMERGENCY" in result.stdout
    assert "screening recorded: bowel_change" in result.stdout
    assert result.stdout.count("[y/N]") == 3
    plan = json.loads(sciatica(db, "plan", "Ada").stdout)
    assert plan["triage"]["level"] == "emergency"


def test_history_and_progress_show_the_course_of_care(database_url: str) -> None:
    db = database_url
    assert sciatica(db, "import", str(EXAMPLE), "--client", "Ada").returncode == 0
    history = sciatica(db, "history", "Ada")
    assert history.returncode == 0
    assert "2026-01-05  screening   findings: anticoagulants, skin_lesion" in history.stdout
    assert "2026-01-05  session     swedish; leg pain 7 -> 5" in history.stdout
    progress = sciatica(db, "progress", "Ada")
    assert progress.returncode == 0
    assert "2026-01-05   7 #######       4 ####             44.4  *" in progress.stdout


def test_a_sign_reported_at_check_in_is_answered_first_and_joins_the_screening(
    database_url: str,
) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    assert sciatica(db, "screen", "Ada", "--finding", "anticoagulants").returncode == 0
    result = sciatica(db, "log", "Ada", "--leg-pain", "6", "--sign", "suspected_dvt")
    assert result.returncode == 0
    assert result.stdout.splitlines()[1].startswith("!!  URGENT:")
    plan = json.loads(sciatica(db, "plan", "Ada").stdout)
    assert [f["code"] for f in plan["triage"]["findings"]] == ["anticoagulants", "suspected_dvt"]
    assert plan["triage"]["level"] == "urgent"
    assert plan["massage"]["status"] == "on_hold"


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["client", "add", "  "], "NAME: must not be empty"),
        (["client", "add", "Bo", "--birth-year", "1700"], "--birth-year: must be a year"),
        (["client", "show", "Nobody"], "no client called 'Nobody'"),
        (["history", "Nobody"], "no client called 'Nobody'"),
        (["progress", "9999"], "no client with id 9999"),
        (["export", "Ada", "--format", "xml"], "--format: must be history"),
        (
            ["clearance", "add", "Ada", "--finding", "gout", "--by", "X", "--role", "GP"],
            "--finding: must be a finding code",
        ),
        (["plan", "Ada", "--input", "x.json"], "give a CLIENT or --input FILE"),
        (["import", "/no/such/file.json"], "FILE: cannot read"),
    ],
)
def test_every_command_refuses_bad_input_with_a_one_line_reason(
    database_url: str, args: list[str], mention: str
) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    result = sciatica(db, *args)
    assert result.returncode == 2, result.stderr
    assert mention in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_an_unreachable_database_is_one_line_and_exit_1() -> None:
    result = run("client", "list", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot open the database")
    assert "Traceback" not in result.stderr


def test_import_names_unknown_fields_instead_of_dropping_them_silently(
    database_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "typo.json"
    source.write_text(json.dumps({"diary": [{"date": "2026-01-05", "leg_pian": 4}]}))
    result = sciatica(database_url, "import", str(source), "--client", "Ada")
    assert result.returncode == 0
    assert "warning: " in result.stderr
    assert "diary[0].leg_pian: unknown field, ignored" in result.stderr


def test_a_session_keeps_its_soap_note(database_url: str, tmp_path: Path) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    assert sciatica(db, "screen", "Ada", "--none").returncode == 0
    added = sciatica(
        db,
        "session",
        "add",
        "Ada",
        "--technique",
        "swedish",
        "--subjective",
        "stiff after driving",
        "--plan",
        "add hamstrings next time",
    )
    assert added.returncode == 0, added.stderr
    everything = tmp_path / "ada.json"
    assert sciatica(db, "client", "export", "Ada", "--output", str(everything)).returncode == 0
    text = everything.read_text()
    assert "stiff after driving" in text
    assert "add hamstrings next time" in text


def test_a_session_from_the_command_line_keeps_its_soap_note_override_and_sign(
    database_url: str, tmp_path: Path
) -> None:
    db = database_url
    assert sciatica(db, "client", "add", "Ada").returncode == 0
    assert sciatica(db, "screen", "Ada", "--finding", "anticoagulants").returncode == 0
    args = ["session", "add", "Ada", "--technique", "swedish", "--pressure", "light"]
    args += ["--subjective", "sleeps badly", "--plan", "review in a week"]
    args += ["--override", "anticoagulants", "--reason-code", "prescriber_confirmed"]
    args += ["--reason", "GP agrees", "--sign", "suspected_dvt"]
    result = sciatica(db, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("!!  URGENT:")
    exported = tmp_path / "ada.json"
    assert sciatica(db, "client", "export", "Ada", "--output", str(exported)).returncode == 0
    records = json.loads(exported.read_text())["records"]
    note = records["session_notes"][0]
    assert (note["subjective"], note["plan"], note["objective"]) == (
        "sleeps badly",
        "review in a week",
        None,
    )
    overrides = records["technique_overrides"]
    assert [(o["reason"], o["reason_code"]) for o in overrides] == [
        ("GP agrees", "prescriber_confirmed")
    ]
    # The sign is stored as what it is: a check-in of that sign alone (protocol 2026.2, B1).
    assert [(s["findings"], s["source"]) for s in records["screenings"]] == [
        (["anticoagulants"], "screening"),
        (["suspected_dvt"], "check_in"),
    ]


def test_a_token_label_with_a_control_character_is_refused_by_its_option(
    database_url: str,
) -> None:
    db = database_url
    user = run(
        "user",
        "add",
        "ana@clinic.example",
        "--role",
        "admin",
        "--password-stdin",
        "--db",
        db,
        stdin="a-long-enough-password\n",
    )
    assert user.returncode == 0, user.stderr
    result = sciatica(db, "token", "create", "ana@clinic.example", "--label", "cron\x1bjob")
    assert result.returncode == 2
    assert "error: --label: must not hold control characters (U+001B" in result.stderr
    named = run(
        "user",
        "add",
        "bo\x01@clinic.example",
        "--role",
        "admin",
        "--password-stdin",
        "--db",
        db,
        stdin="a-long-enough-password\n",
    )
    assert named.returncode == 2
    assert "error: EMAIL: must not hold control characters (U+0001" in named.stderr
