"""Who needs the care team's attention first: red flags, then worsening, reviews and overdue."""

from datetime import timedelta

from sciatica_care.domain.attention import Attention, Concern, concerns, ranked
from tests.builders import day, diary, make_history, plan, screening, session

SADDLE = plan(make_history(screenings=[screening(day(0), "saddle_numbness")]), day(1))


def test_an_emergency_is_the_first_concern_and_names_its_rule() -> None:
    found = concerns(SADDLE, last_session=None, booked=False, today=day(1))
    assert found[0].kind == "emergency"
    assert found[0].rule == SADDLE.triage.rule


def test_a_clear_improving_client_raises_no_concern() -> None:
    history = make_history(
        screenings=[screening(day(7))],
        diary=[diary(day(1), 6), diary(day(8), 3)],
        sessions=[session(day(7))],
    )
    calm = plan(history, day(9))
    assert concerns(calm, last_session=day(7), booked=False, today=day(9)) == ()


def test_a_session_is_overdue_once_the_interval_passed_with_nothing_booked() -> None:
    today = day(1) + timedelta(days=60)
    history = make_history(  # screened on the day: a screening stands for 30 days (B2)
        screenings=[screening(today)], diary=[diary(day(1), 6)], sessions=[session(day(1))]
    )
    late = plan(history, today)
    kinds = [c.kind for c in concerns(late, last_session=day(1), booked=False, today=today)]
    assert "overdue" in kinds
    booked = concerns(late, last_session=day(1), booked=True, today=today)
    assert "overdue" not in [c.kind for c in booked]


def test_clients_are_ranked_by_their_most_severe_concern_then_by_name() -> None:
    urgent = Concern("urgent", "Urgent", "", "triage.urgent_referral")
    review = Concern("review", "Review", "", "review.rescreen_due")
    clients = [
        Attention(3, "bea", (review,)),
        Attention(2, "Abe", (review,)),
        Attention(1, "Zoe", (urgent,)),
    ]
    assert [c.client_id for c in ranked(clients)] == [1, 2, 3]
    assert ranked(clients)[0].red_flag
