"""Expired API tokens answer 401 and expired calendar links 404, each saying so; makers choose."""

import re
from datetime import timedelta

from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.services import accounts
from sciatica_care.sharing.calendar import links
from sciatica_care.web.template_helpers import day
from tests.web.world import NOW, World

DAY = timedelta(days=1)


def _expired_token(world: World) -> str:
    """A token of Kim's, made two days ago for one day."""
    with transaction(session_factory(make_engine(world.url))) as db:
        kim = db.get_one(models.User, world.users["therapist"])
        _, secret = accounts.create_api_token(
            db, kim, label="old", actor="test", now=NOW - 2 * DAY, expires_at=NOW - DAY
        )
    return secret


def test_an_expired_token_is_refused_with_401_saying_it_expired(world: World) -> None:
    api = world.client()
    api.headers["authorization"] = f"Bearer {_expired_token(world)}"
    answer = api.get("/api/v1/clients")
    assert answer.status_code == 401
    day = (NOW - DAY).date().isoformat()
    assert answer.json()["detail"] == f"this API token expired on {day} (UTC): ask for a new one"


def test_the_tokens_page_shows_when_each_token_stops_working(world: World) -> None:
    _expired_token(world)
    page = world.browser("admin").http.get("/admin/tokens")
    assert page.status_code == 200
    assert '<th scope="col">Expires</th>' in page.text
    assert "<td>never</td>" in page.text  # the world's tokens were made without an expiry
    assert "Expired" in page.text


def test_a_calendar_link_works_for_the_days_its_maker_chose(world: World) -> None:
    browser = world.browser("therapist")
    shown = browser.post("/calendar-links", data={"expires": "30"})
    assert shown.status_code == 200
    until = day(NOW + 30 * DAY)
    assert f"works\nuntil {until}" in shown.text
    found = re.search(r'id="calendar-url" type="text" readonly value="([^"]+)"', shown.text)
    assert found
    assert world.client().get(found.group(1)).status_code == 200
    listed = browser.http.get("/calendar-links")
    assert f"works until {until}</span>" in listed.text


def test_a_calendar_link_can_work_until_revoked(world: World) -> None:
    shown = world.browser("therapist").post("/calendar-links", data={"expires": "never"})
    assert shown.status_code == 200
    assert "works until revoked" in shown.text


def test_an_expiry_that_is_not_a_choice_is_refused_naming_the_field(world: World) -> None:
    refused = world.browser("therapist").post("/calendar-links", data={"expires": "0"})
    assert refused.status_code == 422
    assert refused.json()["problems"] == ["expires: must be a number of days 1..3650 or never"]


def test_an_expired_calendar_link_answers_404_saying_it_expired(world: World) -> None:
    with transaction(session_factory(make_engine(world.url))) as db:
        kim = db.get_one(models.User, world.users["therapist"])
        _, secret = links.create_user_link(db, user=kim, now=NOW - 2 * DAY, expires_at=NOW - DAY)
    answer = world.client().get(f"/calendar/{secret}.ics")
    assert answer.status_code == 404
    assert "this calendar link expired on" in answer.text
    assert answer.headers["cache-control"] == "no-store"


def test_the_calendar_forms_offer_the_expiry_with_a_year_chosen(world: World) -> None:
    page = world.browser("therapist").http.get("/calendar-links")
    assert '<select id="link-expires" name="expires">' in page.text
    assert '<option value="365" selected>a year</option>' in page.text
    client_page = world.browser("therapist").http.get(f"/clients/{world.ada}")
    assert 'id="calendar-link-expires"' in client_page.text
