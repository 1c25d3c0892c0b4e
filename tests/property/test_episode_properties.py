"""Safety properties of episodes (protocol 2026.2, E1): an episode reads its own readings only,
and no episode, recorded or found, closes a red flag reported before it."""

import json
from itertools import pairwise

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_care.domain.codes import FINDING_CODES
from sciatica_care.engine import default_protocol, plan_history, plan_json
from tests.property.strategies import TODAY, Json, iso

PROTOCOL = default_protocol()
ALERT = sorted(
    c for c, f in PROTOCOL.findings.items() if f.finding_class in ("emergency", "urgent")
)
MANY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
readings = st.lists(
    st.fixed_dictionaries({"date": st.integers(0, 40).map(iso), "leg_pain": st.integers(0, 10)}),
    min_size=1,
    max_size=8,
)
older = st.lists(
    st.fixed_dictionaries({"date": st.integers(41, 300).map(iso), "leg_pain": st.integers(0, 10)}),
    max_size=8,
)


def plan_of(history: Json) -> Json:
    plan: Json = msgspec.json.decode(
        plan_json(plan_history(json.dumps(history), system_today=TODAY))
    )
    return plan


@MANY
@given(readings, older)
def test_readings_before_a_recorded_episode_never_change_its_progress(
    recent: list[Json], before: list[Json]
) -> None:
    base: Json = {
        "schema": "sciatica-care/history@1",
        "today": TODAY.isoformat(),
        "screenings": [{"date": iso(0), "findings": []}],
        "episodes": [{"date": iso(40)}],
    }
    alone = plan_of({**base, "diary": recent})
    with_older = plan_of({**base, "diary": before + recent})
    for key in ("status", "baseline", "leg_pain_change"):
        assert alone["progress"][key] == with_older["progress"][key]
    # The same episode; only its number counts the older readings' episode before it.
    episode, later = alone["progress"]["episode"], with_older["progress"]["episode"]
    assert {**episode, "number": None} == {**later, "number": None}
    assert alone["cadence"] == with_older["cadence"]


@MANY
@given(
    st.sampled_from(ALERT),
    st.integers(120, 300),
    readings,
    st.booleans(),
    st.booleans(),
)
def test_an_alert_from_an_earlier_episode_stays_open_in_the_new_one(
    code: str, reported: int, recent: list[Json], recorded: bool, well_before: bool
) -> None:
    """Reported long ago, then a new episode (recorded, or after a gap or a recovery), a full
    blank screening and new readings: without an outcome the alert still holds massage."""
    well = [{"date": iso(day), "leg_pain": 0} for day in range(110, 50, -7)] if well_before else []
    history: Json = {
        "schema": "sciatica-care/history@1",
        "today": TODAY.isoformat(),
        "screenings": [
            {"date": iso(reported), "findings": [code]},
            {"date": iso(0), "findings": [], "negatives": list(FINDING_CODES)},
        ],
        "diary": [{"date": iso(reported), "leg_pain": 8}, *well, *recent],
    }
    if recorded:
        history["episodes"] = [{"date": iso(40), "onset": iso(45)}]
    plan = plan_of(history)
    assert plan["triage"]["level"] in ("emergency", "urgent")
    assert plan["massage"]["status"] == "on_hold"
    assert plan["cadence"]["next_session"] is None


@MANY
@given(
    st.lists(st.integers(0, 400), min_size=1, max_size=30),
    st.lists(st.integers(0, 400), max_size=10),
)
def test_an_episode_after_a_gap_starts_at_the_last_day_after_more_than_90_days_of_no_care(
    reading_days: list[int], session_days: list[int]
) -> None:
    """Against a plain reference: every day with a reading or a session, in order; the episode
    starts at the latest one more than 90 days after the day before it, else at the first
    reading (steady pain, so no recovery starts one); each gap ended an episode."""
    history: Json = {
        "schema": "sciatica-care/history@1",
        "today": TODAY.isoformat(),
        "screenings": [{"date": iso(0), "findings": []}],
        "diary": [{"date": iso(back), "leg_pain": 6} for back in reading_days],
        "sessions": [{"date": iso(back)} for back in session_days],
    }
    days = sorted({*reading_days, *session_days}, reverse=True)  # oldest first, in days back
    gaps = [later for earlier, later in pairwise(days) if earlier - later > 90]
    expected = min(gaps, default=max(reading_days))  # the most recent: fewest days back
    episode = plan_of(history)["progress"]["episode"]
    assert (episode["start"], episode["number"]) == (iso(expected), len(gaps) + 1)
