"""The client's pages (check-in, warning signs, plan, progress, messages) and the care team's side
of a client's messages."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.engine import default_protocol
from sciatica_care.services.planning import current_plan
from sciatica_care.services.records import book
from tests.web.world import NOW, TODAY, Browser, World, day

NO_SIGNS = {"flare": "no", "signs": "none"}


@contextmanager
def database(world: World) -> Iterator[Session]:
    """A session on the world's database, committed at the end."""
    engine = make_engine(world.url)
    try:
        with transaction(session_factory(engine)) as db:
            yield db
    finally:
        engine.dispose()


def check_in(browser: Browser, **fields: Any) -> Any:
    """Sends the check-in form, by default with no warning sign."""
    return browser.post("/me/check-in", {**NO_SIGNS, **fields}, follow_redirects=False)


def diary(world: World, client_id: int, seat: str = "therapist") -> list[dict[str, Any]]:
    """A client's diary, newest first, as their therapist reads it through the API."""
    response = world.api(seat).get(f"/api/v1/clients/{client_id}/diary")
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def main_of(html: str) -> str:
    """The page's main content."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def svg_of(html: str) -> str:
    """The first SVG chart of a page."""
    return "<svg" + html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_a_client_checks_in_and_her_therapist_sees_it_in_the_diary(world: World) -> None:
    ada = world.browser("client")
    response = check_in(
        ada,
        leg_pain="5",
        back_pain="2",
        flare="yes",
        self_care=["walking", "heat"],
        note="Walked to the shop",
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/me?saved=1"
    newest = diary(world, world.ada)[0]
    assert newest["date"] == day()
    assert (newest["leg_pain"], newest["back_pain"], newest["flare"]) == (5, 2, True)
    assert newest["self_care"] == ["walking", "heat"]
    assert newest["note"] == "Walked to the shop"
    saved = ada.http.get(response.headers["location"])
    assert re.search(r'role="status">Saved', saved.text)


def test_several_check_ins_a_day_are_each_kept(world: World) -> None:
    ada = world.browser("client")
    before = len([e for e in diary(world, world.ada) if e["date"] == day()])
    assert check_in(ada, leg_pain="6").status_code == 303
    assert check_in(ada, leg_pain="5").status_code == 303
    after = [e for e in diary(world, world.ada) if e["date"] == day()]
    assert len(after) == before + 2
    assert [e["leg_pain"] for e in after[:2]] == [5, 6]


def test_the_check_in_asks_about_every_emergency_and_urgent_sign_with_nothing_ticked(
    world: World,
) -> None:
    page = world.browser("client").http.get("/me").text
    assert "Since your last check-in, have you noticed any of these?" in page
    for code, spec in default_protocol().findings.items():
        asked = f'name="signs" value="{code}"' in page
        assert asked == (spec.finding_class in ("emergency", "urgent")), code
    # Issue 12: nothing is pre-ticked, neither "None of these" nor "no flare".
    assert 'name="signs" value="none">' in page
    assert " checked" not in page
    assert 'src="http://127.0.0.1/static/checkin.js"' in page


def test_a_check_in_that_skips_the_signs_question_is_not_saved_and_keeps_the_answers(
    world: World,
) -> None:
    ada = world.browser("client")
    before = len(diary(world, world.ada))
    response = ada.post("/me/check-in", {"leg_pain": "3", "note": "Stiff this morning"})
    assert response.status_code == 422
    assert 'id="signs-problem"' in response.text
    assert 'name="leg_pain" value="3" checked' in response.text
    assert "Stiff this morning" in response.text
    assert len(diary(world, world.ada)) == before


def test_a_pain_score_outside_0_to_10_is_shown_next_to_its_field(world: World) -> None:
    response = check_in(world.browser("client"), leg_pain="11", back_pain="4")
    assert response.status_code == 422
    assert 'id="leg_pain-problem"' in response.text
    assert 'name="back_pain" value="4" checked' in response.text


def screenings_total(world: World, client_id: int, seat: str) -> int:
    """How many screenings a client has, counted through the API by their therapist."""
    response = world.api(seat).get(f"/api/v1/clients/{client_id}/screenings?limit=1")
    assert response.status_code == 200
    total: int = response.json()["total"]
    return total


def test_an_emergency_sign_at_check_in_is_saved_then_shown_first(world: World) -> None:
    ben = world.browser("other_client")
    form: dict[str, object] = {
        "leg_pain": "6",
        "signs": ["bladder_change", "suspected_dvt", "none"],
    }
    response = ben.post("/me/check-in", form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/me?alert=emergency"
    screenings = world.api("other_therapist").get(f"/api/v1/clients/{world.ben}/screenings")
    findings = screenings.json()["items"][0]["findings"]
    assert {"bladder_change", "suspected_dvt"} <= set(findings)
    assert diary(world, world.ben, "other_therapist")[0]["leg_pain"] == 6
    main = main_of(ben.http.get(response.headers["location"]).text)
    alert = main.index('class="emergency" role="alert" aria-labelledby="alert-heading"')
    assert alert < main.index('id="check-in-heading"')
    shown = main[alert : main.index("</section>", alert)]
    assert "Get emergency help now" in shown
    assert "Just recorded" in shown
    assert 'tabindex="-1" autofocus' in shown
    assert "go to the emergency department now; do not drive yourself" in shown
    assert "never massage the leg" in shown  # the urgent sign too
    assert "the client sees a doctor today, the same day" in shown
    assert re.search(r'<a class="call" href="tel:\d+">Call your local emergency number</a>', shown)
    assert "Get emergency help now" in main_of(ben.http.get("/me/plan").text)
    for url in ("/me", "/me?alert=clear"):  # still first on every visit, not as just recorded
        later = main_of(ben.http.get(url).text)
        assert later.index('aria-labelledby="alert-heading"') < later.index('id="check-in-heading"')
        assert "Just recorded" not in later


def test_reloading_today_after_an_emergency_check_in_saves_nothing_again(
    world: World,
) -> None:
    ben = world.browser("other_client")
    response = ben.post("/me/check-in", {"signs": "saddle_numbness"}, follow_redirects=False)
    assert response.status_code == 303
    screenings = screenings_total(world, world.ben, "other_therapist")
    entries = len(diary(world, world.ben, "other_therapist"))
    for _ in range(2):
        assert "Just recorded" in ben.http.get(response.headers["location"]).text
    assert screenings_total(world, world.ben, "other_therapist") == screenings
    assert len(diary(world, world.ben, "other_therapist")) == entries


def test_an_alert_link_cannot_show_an_emergency_my_records_do_not_hold(world: World) -> None:
    page = world.browser("client").http.get("/me?alert=emergency")
    assert page.status_code == 200
    assert 'aria-labelledby="alert-heading"' not in page.text
    assert "Just recorded" not in page.text


def test_a_check_in_without_signs_raises_no_alert_and_adds_no_screening(world: World) -> None:
    ada = world.browser("client")
    screenings = f"/api/v1/clients/{world.ada}/screenings"
    before = world.api("therapist").get(screenings).json()["total"]
    page = ada.http.get(check_in(ada, leg_pain="4").headers["location"]).text
    assert 'aria-labelledby="alert-heading"' not in page
    assert world.api("therapist").get(screenings).json()["total"] == before


def test_the_progress_chart_changes_after_a_check_in(world: World) -> None:
    ada = world.browser("client")
    before = ada.http.get("/me/progress")
    assert before.status_code == 200
    assert check_in(ada, leg_pain="1", back_pain="0").status_code == 303
    after = ada.http.get("/me/progress").text
    assert svg_of(after) != svg_of(before.text)
    assert re.search(r"Leg pain: first 7 on [^.]*, last 1 on", svg_of(after))
    today_row = re.search(r'<th scope="row">[^<]*</th>\s*<td>(\d+)</td>\s*<td>(\d+)</td>', after)
    assert today_row is not None
    assert today_row.groups() == ("1", "0")


def test_my_plan_is_in_plain_words_with_each_part_linked_to_learn(world: World) -> None:
    page = main_of(world.browser("client").http.get("/me/plan").text)
    for slug in ("swedish-massage", "your-session", "other-therapies", "heat-and-cold"):
        assert f'href="/learn/{slug}"' in page
    assert re.search(r"<h3>How firm</h3>\s*<p>[A-Z][a-z]+ pressure", page)
    assert "massage.moderate_leg_pain" not in page
    assert "trigger_point" not in page


def test_today_shows_my_self_care_and_next_session_booked_or_suggested(world: World) -> None:
    ada = world.browser("client")
    page = main_of(ada.http.get("/me").text)
    assert 'href="/learn/staying-active"' in page
    assert "Suggested by your plan" in page
    when = TODAY + timedelta(days=3)
    with database(world) as db:
        client = db.get(models.Client, world.ada)
        assert client is not None
        book(
            db,
            client=client,
            day=when,
            start=time(10, 30),
            therapist_id=None,
            note=None,
            actor="test",
            now=NOW,
            today=TODAY,
            plan=current_plan(db, client, today=TODAY, protocol=default_protocol()),
        )
    page = main_of(ada.http.get("/me").text)
    assert "at 10:30" in page
    assert "Suggested by your plan" not in page


def test_messages_go_both_ways_and_are_marked_read_when_the_other_side_sees_them(
    world: World,
) -> None:
    ada, kim = world.browser("client"), world.browser("therapist")
    sent = ada.post("/me/messages", {"kind": "message", "body": "Is swimming fine?"})
    assert sent.status_code == 200
    assert "Is swimming fine?" in sent.text
    thread = kim.http.get(f"/clients/{world.ada}/messages")
    assert thread.status_code == 200
    assert "Is swimming fine?" in thread.text
    reply = kim.post(f"/clients/{world.ada}/messages", {"body": "Yes, gently."})
    assert "Yes, gently." in reply.text
    assert "Messages (1 new)" in ada.http.get("/me").text
    assert "Yes, gently." in ada.http.get("/me/messages").text
    assert "new)" not in ada.http.get("/me").text
    with database(world) as db:
        read = dict(db.execute(select(models.Message.body, models.Message.read_at)).all())
    assert read["Is swimming fine?"] is not None
    assert read["Yes, gently."] is not None


def test_a_before_session_note_is_kept_for_the_session_notes_subjective_part(
    world: World,
) -> None:
    ada = world.browser("client")
    response = ada.post(
        "/me/messages",
        {"kind": "before_session", "body": "Left calf aches today"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with database(world) as db:
        kinds = db.scalars(
            select(models.Message.kind).where(models.Message.body == "Left calf aches today")
        ).all()
    assert kinds == ["before_session"]
    thread = world.browser("therapist").http.get(f"/clients/{world.ada}/messages").text
    assert "Before the next session" in thread


@pytest.mark.parametrize("kind", ["message", "before_session"])
def test_an_empty_message_is_refused_next_to_its_field(world: World, kind: str) -> None:
    response = world.browser("client").post("/me/messages", {"kind": kind, "body": "  "})
    assert response.status_code == 422
    assert f'id="{kind}-problem"' in response.text


def test_a_therapist_of_another_client_finds_no_messages_of_theirs(world: World) -> None:
    kim = world.browser("therapist")
    assert kim.http.get(f"/clients/{world.ben}/messages").status_code == 404
    assert kim.post(f"/clients/{world.ben}/messages", {"body": "Hello"}).status_code == 404


@pytest.mark.parametrize("seat", ["admin", "therapist"])
def test_a_care_team_account_is_refused_the_client_pages(world: World, seat: str) -> None:
    browser = world.browser(seat)
    for path in ("/me", "/me/plan", "/me/progress", "/me/messages"):
        assert browser.http.get(path).status_code == 403, path
    assert check_in(browser, leg_pain="2").status_code == 403


def test_a_check_in_note_over_its_limit_is_shown_next_to_the_note(world: World) -> None:
    before = len(diary(world, world.ada))
    response = check_in(world.browser("client"), leg_pain="3", note="x" * 10_001)
    assert response.status_code == 422
    assert 'id="note-problem"' in response.text
    assert len(diary(world, world.ada)) == before
