"""A session is booked between the clinic's today and `BOOKING_HORIZON` ahead, no further."""

from datetime import timedelta

import pytest

from sciatica_care.services.records import BOOKING_HORIZON
from tests.web.world import TODAY, World


@pytest.mark.parametrize(
    "day",
    ["9999-12-31", (TODAY + BOOKING_HORIZON + timedelta(days=1)).isoformat(), "2000-01-01"],
)
def test_a_booking_outside_the_window_is_refused_by_the_date_field_and_kept(
    world: World, day: str
) -> None:
    browser = world.browser("therapist")
    form: dict[str, object] = {"date": day, "time": "10:00", "note": "bring the heat pack"}
    response = browser.post(f"/clients/{world.ada}/book", data=form, follow_redirects=False)
    assert response.status_code == 422
    assert f'value="{day}"' in response.text
    assert "bring the heat pack" in response.text
    assert "must be at most two years ahead" in response.text or "in the past" in response.text


def test_the_last_day_of_the_window_can_be_booked(world: World) -> None:
    browser = world.browser("therapist")
    form: dict[str, object] = {"date": (TODAY + BOOKING_HORIZON).isoformat(), "time": "10:00"}
    response = browser.post(f"/clients/{world.ada}/book", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text


def test_a_booking_note_with_a_control_character_is_refused_by_its_field(world: World) -> None:
    form: dict[str, object] = {"date": TODAY.isoformat(), "note": "call \x00 first"}
    browser = world.browser("therapist")
    response = browser.post(f"/clients/{world.ada}/book", data=form, follow_redirects=False)
    assert response.status_code == 422
    assert "must not hold control characters" in response.text
