"""`sciatica protocol show|check` and `sciatica schema history|plan`."""

import json
from pathlib import Path

import pytest

from sciatica_care.engine import default_protocol_text
from sciatica_care.json_schemas import generated_schema, schema_text
from tests.cli.runner import run, subprocess_run


def test_protocol_show_lists_every_rule_with_its_sources() -> None:
    result = run("protocol", "show")
    assert result.returncode == 0
    assert "cadence.step_down" in result.stdout
    assert "interval_days = 14" in result.stdout
    assert "source: NICE NG59 recommendation 1.2.7" in result.stdout


def test_protocol_check_accepts_the_shipped_protocol(tmp_path: Path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text(default_protocol_text())
    result = run("protocol", "check", str(path))
    assert result.returncode == 0
    assert "is valid" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "mention"),
    [
        (
            "held_days = 14",
            "held_days = 14\nheld_weeks = 2",
            "cadence.step_down.held_weeks: unknown",
        ),
        ("min_drop_percent = 30", "min_drop_percent = 300", "progress.improved.min_drop_percent"),
        ('[rules."review.worsening"]', '[rules."review.worsened"]', "review.worsening: missing"),
        (
            'saddle_numbness = { class = "emergency"',
            'saddle_numbness = { class = "modify"',
            "findings.saddle_numbness.class: a red flag cannot be made milder",
        ),
        ('finding = "saddle_numbness"', 'finding = "diabetes"', "triage.body_map_saddle.finding"),
        (
            'cancer_history = { class = "see_doctor", rule = "triage.serious_pathology"',
            'cancer_history = { class = "modify", rule = "precaution.avoid_site"',
            "findings.cancer_history.class: a red flag cannot be made milder than 'see_doctor'",
        ),
    ],
)
def test_protocol_check_refuses_a_broken_file_naming_the_place(
    tmp_path: Path, old: str, new: str, mention: str
) -> None:
    text = default_protocol_text()
    assert old in text
    path = tmp_path / "clinic.toml"
    path.write_text(text.replace(old, new, 1))
    result = run("protocol", "check", str(path))
    assert result.returncode == 2
    assert mention in result.stderr
    assert "Traceback" not in result.stderr


def test_plan_with_a_broken_protocol_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text("[protocol]\nid = 'x'\n")
    result = run("plan", "--input", "-", "--protocol", str(path), stdin="{}")
    assert result.returncode == 2
    assert "rules: missing section" in result.stderr


@pytest.mark.parametrize("name", ["history", "plan"])
def test_schema_prints_the_shipped_schema(name: str) -> None:
    result = run("schema", name)
    assert result.returncode == 0
    assert result.stdout == schema_text(generated_schema(name))
    assert json.loads(result.stdout)["$id"] == f"sciatica-care/{name}@1"


def test_help_lists_the_commands_with_examples() -> None:
    result = subprocess_run("plan", "--help")  # the installed command itself
    assert result.returncode == 0
    assert "Example: sciatica plan --input" in result.stdout
