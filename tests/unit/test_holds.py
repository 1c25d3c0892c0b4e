"""What a hold means for bookings and session notes (domain.holds)."""

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from sciatica_care.domain.history import Clearance, Screening
from sciatica_care.domain.holds import (
    HOLD_REASONS,
    OVERRIDE_REASONS,
    booking_problems,
    clinical_hold,
    held,
    held_on,
    held_session_problems,
    only_client_asked,
    reason_problems,
)
from sciatica_care.domain.plan import CarePlan
from tests.builders import START, assessment, clearance, finding, make_history, plan, screening

CLEAR = screening(START)
FIELDS = ("reason_code", "reason")
LATER = START + timedelta(days=3)


def _plan(
    *screenings: Screening, clearances: Sequence[Clearance] = (), today: date = LATER
) -> CarePlan:
    history = make_history(
        screenings=screenings, clearances=clearances, assessments=[assessment(START, 5)]
    )
    return plan(history, today)


def test_a_screen_first_hold_is_no_clinical_hold() -> None:
    unscreened = _plan()
    assert held(unscreened) is not None
    assert clinical_hold(unscreened) is None
    assert booking_problems(unscreened) == []
    stale = _plan(CLEAR, today=START + timedelta(days=45))
    assert held(stale) is not None
    assert clinical_hold(stale) is None


@pytest.mark.parametrize("code", ["saddle_numbness", "severe_motor_deficit", "suspected_dvt"])
def test_a_red_flag_or_a_finding_needing_a_doctor_holds_bookings(code: str) -> None:
    care_plan = _plan(screening(START, code))
    assert clinical_hold(care_plan) == care_plan.triage.action
    (problem,) = booking_problems(care_plan)
    assert problem.startswith("date: massage is on hold")
    assert care_plan.triage.action in problem


def test_a_finding_that_needs_a_clearance_holds_bookings_until_it_is_cleared() -> None:
    waiting = _plan(screening(START, finding("confirmed_dvt", "posterior_calf_left")))
    assert clinical_hold(waiting) is not None
    cleared = _plan(
        screening(START, finding("confirmed_dvt", "posterior_calf_left")),
        clearances=[clearance(LATER, "confirmed_dvt")],
    )
    assert cleared.massage.status != "on_hold"
    assert clinical_hold(cleared) is None


def test_a_plan_that_lets_massage_go_on_needs_no_reason_and_refuses_one() -> None:
    going = _plan(CLEAR)
    assert (
        held_session_problems(going, day=LATER, techniques=["swedish"], code=None, words=None) == []
    )
    assert held_session_problems(going, day=LATER, techniques=[], code="no_massage", words="x") == [
        "on_hold_reason: massage was not on hold that day; leave the reason out"
    ]


def test_a_note_under_an_emergency_may_only_say_no_massage_was_given() -> None:
    emergency = _plan(screening(START, "saddle_numbness"))
    assert held_session_problems(emergency, day=LATER, techniques=[], code=None, words=None) == [
        f"on_hold_reason: needs a clinical reason, one of {', '.join(HOLD_REASONS)}",
        "on_hold_note: say in words what the reason is",
    ]
    words = "Advised to go to the emergency department now; no massage"
    assert (
        held_session_problems(emergency, day=LATER, techniques=[], code="no_massage", words=words)
        == []
    )
    for code in HOLD_REASONS:
        problems = held_session_problems(
            emergency, day=LATER, techniques=["swedish"], code=code, words=words
        )
        assert any(p.startswith("techniques: no massage while an emergency") for p in problems)


def test_a_screen_first_hold_takes_a_reason_with_massage() -> None:
    unscreened = _plan()
    words = "Full screen at the start, all no; recorded"
    assert (
        held_session_problems(
            unscreened, day=LATER, techniques=["swedish"], code="screened_at_session", words=words
        )
        == []
    )
    assert held_session_problems(
        unscreened, day=LATER, techniques=["swedish"], code="no_massage", words=words
    ) == ["techniques: the reason says no massage was given; leave techniques out"]


def test_a_late_note_falls_within_a_hold_only_while_an_alert_was_open_that_day() -> None:
    reported = START + timedelta(days=1)
    emergency = _plan(CLEAR, screening(reported, "saddle_numbness"))
    assert held_on(emergency, LATER)
    assert held_on(emergency, reported)
    assert not held_on(emergency, START)  # the session came before the report
    unscreened = _plan()
    assert held_on(unscreened, LATER)
    assert not held_on(unscreened, START)  # of other holds the start is not known
    assert (
        held_session_problems(emergency, day=START, techniques=["swedish"], code=None, words=None)
        == []
    )


@pytest.mark.parametrize(
    "words",
    [
        "client asked",
        "Client requested.",
        "the patient's choice",
        "at client's request",
        "Requested by the client",
        "CLIENT INSISTED!",
        "client wanted it",
    ],
)
def test_the_clients_wish_alone_is_never_a_clinical_reason(words: str) -> None:
    assert only_client_asked(words)
    problems = reason_problems(FIELDS, "prescriber_confirmed", words, OVERRIDE_REASONS, needed=True)
    assert problems == ["reason: the client's wish is not a clinical reason"]


@pytest.mark.parametrize(
    "words",
    ["GP Dr Lee confirmed by phone, INR 2.4 last week", "Client asked; INR 2.1 on 1 Dec per GP"],
)
def test_words_that_give_a_clinical_ground_pass(words: str) -> None:
    assert not only_client_asked(words)
    assert reason_problems(FIELDS, "results_in_range", words, OVERRIDE_REASONS, needed=True) == []


def test_a_reason_needs_a_listed_code_and_words() -> None:
    assert reason_problems(FIELDS, None, None, OVERRIDE_REASONS, needed=False) == []
    assert reason_problems(FIELDS, "because", "  ", OVERRIDE_REASONS, needed=True) == [
        f"reason_code: must be one of {', '.join(OVERRIDE_REASONS)}, got 'because'",
        "reason: say in words what the reason is",
    ]
