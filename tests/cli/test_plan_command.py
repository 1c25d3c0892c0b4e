"""`sciatica plan`: the public scenarios, bad input and the two output formats."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.runner import run as run  # noqa: PLC0414 (re-exported for older imports)
from tests.cli.runner import subprocess_run
from tests.paths import EXAMPLE, SCIATICA, shared_dir

GOOD = {
    "schema": "sciatica-care/history@1",
    "today": "2026-02-02",
    "screenings": [{"date": "2026-02-02", "findings": []}],
    "assessments": [{"date": "2026-02-02", "leg_pain": 6, "back_pain": 4}],
}


def test_the_public_scenarios_all_pass() -> None:
    shared = shared_dir()
    scenarios = sorted(str(p) for p in (shared / "scenarios").glob("*.json"))
    checked = subprocess.run(
        [
            "python3",
            str(shared / "scenarios" / "check.py"),
            "--cli",
            f"{SCIATICA} plan",
            *scenarios,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout
    assert f"{len(scenarios)} passed, 0 failed" in checked.stdout


@pytest.mark.parametrize(
    ("raw", "mention"),
    [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ("[]", "$: must be an object"),
        (
            json.dumps({**GOOD, "assessments": [{"date": "2026-02-02", "leg_pain": 11}]}),
            "assessments[0].leg_pain: must be an integer 0..10, got 11",
        ),
        (
            json.dumps({**GOOD, "assessments": [{"date": "2026-02-02", "leg_pain": "7"}]}),
            "assessments[0].leg_pain",
        ),
        (
            json.dumps({**GOOD, "screenings": [{"date": "2026-02-02", "findings": ["gout"]}]}),
            "screenings[0].findings[0]: must be a finding code",
        ),
        (
            json.dumps({**GOOD, "diary": [{"date": "2026-02-09", "leg_pain": 3}]}),
            "diary[0].date: is after today",
        ),
        (
            json.dumps({**GOOD, "assessments": [{"date": "2026-02-02", "odi": [1] * 9}]}),
            "assessments[0].odi: must have exactly 10 entries, got 9",
        ),
        (
            json.dumps({**GOOD, "assessments": [{"date": "2026-02-02", "startback": [1] * 10}]}),
            "assessments[0].startback: must have exactly 9 entries, got 10",
        ),
        (
            json.dumps({**GOOD, "sessions": [{"date": "2026-02-02", "minutes": 0}]}),
            "sessions[0].minutes",
        ),
        (json.dumps({**GOOD, "schema": "sciatica-care/history@2"}), "schema"),
    ],
)
def test_bad_input_exits_2_naming_the_path_and_prints_nothing_on_stdout(
    raw: str, mention: str
) -> None:
    result = run("plan", "--input", "-", "--format", "json", stdin=raw)
    assert result.returncode == 2
    assert result.stdout == ""
    assert mention in result.stderr
    assert "Traceback" not in result.stderr


def test_every_problem_is_listed_not_just_the_first() -> None:
    history = {
        **GOOD,
        "assessments": [{"date": "2026-02-02", "leg_pain": 11, "back_pain": -1}],
        "diary": [{"date": "2026-99-01"}],
    }
    result = run("plan", "--input", "-", stdin=json.dumps(history))
    assert result.returncode == 2
    for path in ("assessments[0].leg_pain", "assessments[0].back_pain", "diary[0].date"):
        assert path in result.stderr


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["--today", "02/02/2026"], "--today: must be a date YYYY-MM-DD"),
        (["--input", "/no/such/file.json"], "--input: cannot read"),
        (["--protocol", "/no/such/protocol.toml"], "--protocol: cannot read"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(args: list[str], mention: str) -> None:
    base = ["plan", "--input", str(EXAMPLE)]
    result = run(*base, *args)
    assert result.returncode == 2
    assert mention in result.stderr
    assert result.stdout == ""


def test_today_on_the_command_line_overrides_the_document() -> None:
    result = run("plan", "--input", str(EXAMPLE), "--today", "2026-04-01", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["as_of"] == "2026-04-01"


def test_json_output_is_identical_byte_for_byte_across_runs() -> None:
    # The installed command itself, reading a file and then a real pipe.
    first = subprocess_run("plan", "--input", str(EXAMPLE), "--format", "json")
    second = subprocess_run("plan", "--input", "-", "--format", "json", stdin=EXAMPLE.read_text())
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


def test_text_output_puts_an_emergency_first(tmp_path: Path) -> None:
    history = {**GOOD, "screenings": [{"date": "2026-02-02", "findings": ["bladder_change"]}]}
    source = tmp_path / "history.json"
    source.write_text(json.dumps(history))
    result = run("plan", "--input", str(source), "--format", "text")
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if line.strip("! ")]
    assert lines[0].startswith("!!  EMERGENCY")
    assert "MASSAGE: on hold" in result.stdout


def test_text_output_gives_each_part_with_its_reason_and_rule() -> None:
    result = run("plan", "--input", str(EXAMPLE), "--format", "text")
    assert result.returncode == 0
    headings = ["SCREENING", "MASSAGE", "SESSIONS", "PROGRESS", "WITH MASSAGE", "SELF-CARE"]
    positions = [result.stdout.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "[cadence.step_down]" in result.stdout
    assert "next session 2026-03-09" in result.stdout


@pytest.mark.parametrize(
    ("raw", "mention"),
    [
        (b'{"sessions": [{"date": "2026-01-01", "note": "caf\xe9"}]}', "not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "$: not valid JSON"),
        (b'{"diary": [{"date": "0001-01-02", "leg_pain": 3}]}', "diary[0].date"),
        (b'{"today": "9999-12-31"}', "today: must be a date"),
    ],
)
def test_unreadable_or_out_of_range_input_exits_2_without_a_traceback(
    raw: bytes, mention: str
) -> None:
    # The installed command itself: bytes on a real pipe, exit status of a real process.
    result = subprocess.run(
        [str(SCIATICA), "plan", "--input", "-"], input=raw, capture_output=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == b""
    assert mention in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_an_unknown_field_is_a_warning_and_the_plan_is_still_made() -> None:
    # Born 1990: at 36 new back pain is no age precaution, so the plan stays clear.
    history = {**GOOD, "client": {"birth_year": 1990, "id": "c-17"}}
    result = run("plan", "--input", "-", stdin=json.dumps(history))
    assert result.returncode == 0
    assert json.loads(result.stdout)["triage"]["level"] == "clear"
    assert "warning: client.id: unknown field, ignored" in result.stderr
