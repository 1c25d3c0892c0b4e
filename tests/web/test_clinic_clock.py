"""One clinic clock: every date the app writes or checks is the clinic's, in the clinic's zone.

Each test runs in a clinic west of UTC (Pago Pago in the evening: UTC is already tomorrow) and one
east of it (Sydney before 10:00: UTC is still yesterday), on a clock pinned at that moment.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.web.test_calendar_routes import make_link
from tests.web.world import Browser, World, build_world

# 20:00 on 3 December in Pago Pago (UTC-11); 08:00 on 4 December in Sydney (UTC+11).
CLINICS = {
    "west": ("Pacific/Pago_Pago", datetime(2026, 12, 4, 7, 0, tzinfo=UTC), date(2026, 12, 3)),
    "east": ("Australia/Sydney", datetime(2026, 12, 3, 21, 0, tzinfo=UTC), date(2026, 12, 4)),
}


@pytest.fixture(params=sorted(CLINICS))
def clinic(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """A fresh world whose clinic lies west or east of UTC, its clock pinned."""
    zone, now, _ = CLINICS[request.param]
    world = build_world(tmp_path, zone=zone, now=now)
    assert world.today == CLINICS[request.param][2]
    assert world.today != now.date()
    yield world
    world.app.state.sciatica.close()


def _screenings(world: World) -> list[dict[str, Any]]:
    """Ada's screenings, newest first, as her therapist reads them."""
    response = world.api("therapist").get(f"/api/v1/clients/{world.ada}/screenings")
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _screened_clear_this_morning(world: World) -> None:
    """Kim records a clear screening on the clinic's today: a sign must not hide behind it."""
    response = world.api("therapist").post(
        f"/api/v1/clients/{world.ada}/screenings",
        json={"date": world.today.isoformat(), "findings": []},
    )
    assert response.status_code == 201, response.text


def _check_in(browser: Browser, signs: str = "none") -> str:
    """Ada checks in; where the app sends her next."""
    form: dict[str, object] = {"leg_pain": "5", "flare": "no", "signs": signs}
    response = browser.post("/me/check-in", form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _red_flag_section(html: str) -> str:
    """The dashboard's red-flag list."""
    start = html.index('role="alert"')
    return html[start : html.index('id="needs-attention"')]


def test_a_sign_reported_at_check_in_is_dated_the_clinics_day(clinic: World) -> None:
    _screened_clear_this_morning(clinic)
    assert _check_in(clinic.browser("client"), "saddle_numbness") == "/me?alert=emergency"
    latest = _screenings(clinic)[0]
    assert latest["date"] == clinic.today.isoformat()
    assert "saddle_numbness" in latest["findings"]


def test_after_a_red_flag_every_page_answers_and_triage_shows_it(clinic: World) -> None:
    _screened_clear_this_morning(clinic)
    _check_in(clinic.browser("client"), "saddle_numbness")
    me = clinic.browser("client").http.get("/me")
    assert me.status_code == 200, me.text
    assert 'aria-labelledby="alert-heading"' in me.text
    kim = clinic.browser("therapist").http
    dashboard = kim.get("/dashboard")
    assert dashboard.status_code == 200, dashboard.text
    assert "Ada Lovelace" in _red_flag_section(dashboard.text)
    assert kim.get(f"/clients/{clinic.ada}").status_code == 200
    plan = clinic.api("therapist").get(f"/api/v1/clients/{clinic.ada}/plan")
    assert plan.status_code == 200, plan.text
    assert plan.json()["triage"]["level"] == "emergency"


def test_a_check_in_is_dated_the_clinics_day(clinic: World) -> None:
    assert _check_in(clinic.browser("client")) == "/me?saved=1"
    diary = clinic.api("therapist").get(f"/api/v1/clients/{clinic.ada}/diary").json()["items"]
    assert diary[0]["date"] == clinic.today.isoformat()


def test_a_diary_entry_may_be_dated_the_clinics_day_but_not_the_next(clinic: World) -> None:
    api = clinic.api("client")
    url = f"/api/v1/clients/{clinic.ada}/diary"
    today = api.post(url, json={"date": clinic.today.isoformat(), "leg_pain": 4})
    assert today.status_code == 201, today.text
    tomorrow = (clinic.today + timedelta(days=1)).isoformat()
    refused = api.post(url, json={"date": tomorrow, "leg_pain": 4})
    assert refused.status_code == 422
    said = f"date: is after today ({clinic.today.isoformat()}), got {tomorrow}"
    assert refused.json()["problems"] == [said]


def test_a_session_may_be_booked_for_the_clinics_day_but_not_the_day_before(
    clinic: World,
) -> None:
    kim = clinic.browser("therapist")
    url = f"/clients/{clinic.ada}/book"
    therapist = str(clinic.users["therapist"])
    booked = kim.post(
        url, {"date": clinic.today.isoformat(), "therapist": therapist}, follow_redirects=False
    )
    assert booked.status_code == 303, booked.text
    yesterday = (clinic.today - timedelta(days=1)).isoformat()
    refused = kim.post(url, {"date": yesterday, "therapist": therapist})
    assert refused.status_code == 422
    assert f"must not be in the past, got {yesterday}" in refused.text
    form = kim.http.get(url)
    assert form.status_code == 200


def test_the_calendar_puts_the_hold_and_the_check_ins_on_the_clinics_days(
    clinic: World,
) -> None:
    feed, _ = make_link(clinic.browser("client"), f"/clients/{clinic.ada}/calendar-link")
    _screened_clear_this_morning(clinic)
    _check_in(clinic.browser("client"), "saddle_numbness")
    answer = clinic.client().get(feed)
    assert answer.status_code == 200, answer.text
    found = list(Calendar.from_ical(answer.content).events)
    (hold,) = [e for e in found if str(e.categories[0]) == "on-hold"]
    assert hold.start == clinic.today
    check_ins = sorted(e.start for e in found if str(e.categories[0]) == "check-in")
    assert check_ins[0] == clinic.today
