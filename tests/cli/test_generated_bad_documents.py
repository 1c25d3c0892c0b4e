"""Generated bad documents always exit 2 through the real command, with no traceback."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.runner import run
from tests.property.strategies import TODAY, Json, broken_histories, histories

FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_refused(raw: str, mention: str) -> None:
    """The command refuses `raw`: exit 2, stdout empty, `mention` on stderr, no traceback."""
    result = run("plan", "--input", "-", "--format", "json", stdin=raw)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert mention in result.stderr
    assert "Traceback" not in result.stderr


@FEW
@given(broken_histories())
def test_a_broken_history_exits_2_naming_the_path(case: tuple[Json, str]) -> None:
    history, path = case
    assert_refused(json.dumps(history), path)


@FEW
@given(histories, st.data())
def test_truncated_json_exits_2_as_not_valid_json(history: Json, data: st.DataObject) -> None:
    text = json.dumps(history)
    cut = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    assert_refused(text[:cut], "not valid JSON")


def test_a_date_after_the_command_line_today_is_refused() -> None:
    history = {"assessments": [{"date": TODAY.isoformat(), "leg_pain": 3}]}
    result = run("plan", "--input", "-", "--today", "2026-01-01", stdin=json.dumps(history))
    assert result.returncode == 2
    assert "assessments[0].date: is after today (2026-01-01)" in result.stderr
