"""Safety properties of holds: an open alert refuses every booking and every massage in a note."""

import json

from hypothesis import given
from hypothesis import strategies as st

from sciatica_care.domain.codes import ALERT_LEVELS
from sciatica_care.domain.holds import (
    HOLD_REASONS,
    booking_problems,
    clinical_hold,
    held_session_problems,
)
from sciatica_care.engine import plan_history
from tests.property.strategies import TODAY, Json
from tests.property.test_outcome_properties import ALERT, MANY, histories, open_alerts


@MANY
@given(
    histories,
    st.lists(st.sampled_from(["swedish", "deep_tissue", "trigger_point"]), min_size=1),
    st.sampled_from(sorted(HOLD_REASONS)),
    st.text(min_size=1, max_size=40),
)
def test_an_open_alert_refuses_a_booking_and_any_massage_whatever_the_reason(
    history: Json, techniques: list[str], code: str, words: str
) -> None:
    plan = plan_history(json.dumps(history), system_today=TODAY)
    if plan.triage.level in ALERT_LEVELS:
        assert booking_problems(plan)
        assert held_session_problems(plan, day=TODAY, techniques=techniques, code=code, words=words)
    if open_alerts(history):
        assert clinical_hold(plan) is not None


@MANY
@given(histories, st.sampled_from(sorted(ALERT)))
def test_a_red_flag_reported_today_holds_bookings_until_its_outcome(
    history: Json, code: str
) -> None:
    flagged = {
        **history,
        "screenings": [*history["screenings"], {"date": TODAY.isoformat(), "findings": [code]}],
        "outcomes": [o for o in history.get("outcomes", []) if o["finding"] != code],
    }
    plan = plan_history(json.dumps(flagged), system_today=TODAY)
    assert booking_problems(plan) != []
