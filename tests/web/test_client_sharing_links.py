"""A client reaches their own calendar link and record download from their start page."""

import re

from tests.web.world import World


def test_a_client_makes_their_calendar_link_and_downloads_their_records(world: World) -> None:
    browser = world.browser("client")
    page = browser.http.get("/me").text
    assert f'action="/clients/{world.ada}/calendar-link"' in page
    assert 'href="/me/export.zip"' in page
    made = browser.post(f"/clients/{world.ada}/calendar-link")
    assert made.status_code == 200
    link = re.search(r"/calendar/[A-Za-z0-9_\-]+\.ics", made.text)
    assert link, "the new link is shown once"
    feed = world.client().get(link.group())
    assert feed.status_code == 200
    assert feed.text.startswith("BEGIN:VCALENDAR")
    download = browser.http.get("/me/export.zip")
    assert download.status_code == 200
    assert download.content.startswith(b"PK")
