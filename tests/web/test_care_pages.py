"""The care team's read pages: the dashboard, the client list and the client page."""

import re
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from typing import Any

import msgspec
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import Client, User
from sciatica_care.domain.attention import concerns
from sciatica_care.domain.history import HISTORY_SCHEMA
from sciatica_care.domain.history_parser import parse_history
from sciatica_care.engine import default_protocol, plan_history
from sciatica_care.services import dashboard, planning
from sciatica_care.services.clients import add_client, assign_therapist
from sciatica_care.services.histories import store_history
from sciatica_care.services.planning import PlanCache, current_plan, plan_of
from sciatica_care.services.records import book
from tests.web.matrix import SEATS_AND_ANONYMOUS
from tests.web.matrix_care import ROUTES
from tests.web.world import EMAILS, NOW, TODAY, Browser, World

PROTOCOL = default_protocol()


@pytest.fixture(scope="module")
def browsers(world: World) -> dict[str, Browser]:
    """A signed-in browser per seat, made once for the module."""
    return {seat: world.browser(seat) for seat in SEATS_AND_ANONYMOUS if seat != "anonymous"}


@pytest.fixture
def db(world: World) -> Iterator[Session]:
    """A session on the world's database, committed at the end."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="module")
def ben_in_emergency(world: World) -> None:
    """Ben's therapist (Lee) records a screening with a cauda equina sign."""
    response = world.api("other_therapist").post(
        f"/api/v1/clients/{world.ben}/screenings",
        json={"date": TODAY.isoformat(), "findings": ["saddle_numbness"]},
    )
    assert response.status_code == 201, response.text
    assert response.json()["alert"]["level"] == "emergency"


def _main(html: str) -> str:
    """The page's main content, without the shared header and footer."""
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found
    return found.group(0)


def _new_client(world: World, name: str) -> int:
    """A client Kim adds through the API (she is put on the client's care team)."""
    response = world.api("therapist").post("/api/v1/clients", json={"name": name})
    assert response.status_code == 201, response.text
    client_id: int = response.json()["id"]
    return client_id


def test_each_seat_gets_the_answer_the_matrix_expects(
    world: World, browsers: dict[str, Browser]
) -> None:
    for route in ROUTES:
        for path in (route.path, *route.extra_paths):
            url = path.replace("{ada}", str(world.ada))
            for seat in SEATS_AND_ANONYMOUS:
                http = world.client() if seat == "anonymous" else browsers[seat].http
                status = http.get(url, follow_redirects=False).status_code
                assert status == route.expect[seat], f"{url} as {seat}"


def test_a_red_flag_client_heads_their_therapists_dashboard(
    browsers: dict[str, Browser], ben_in_emergency: None
) -> None:
    page = _main(browsers["other_therapist"].http.get("/dashboard").text)
    alert = page.index('role="alert"')
    assert page.index("Ben Okri", alert) < page.index('id="needs-attention"')
    assert "Emergency" in page
    assert "triage.cauda_equina" in page
    assert "Ada Lovelace" not in page


def test_a_red_flag_client_comes_before_every_other_concern_in_the_clinic(
    world: World, db: Session, ben_in_emergency: None
) -> None:
    _new_client(world, "Abe Unscreened")
    admin = db.scalars(select(User).where(User.email == EMAILS["admin"])).one()
    found = dashboard.attention(db, user=admin, today=TODAY, protocol=PROTOCOL, plans=PlanCache())
    names = [item.name for item in found]
    assert names[0] == "Ben Okri"
    assert found[0].red_flag
    assert "Abe Unscreened" in names
    assert [item.severity for item in found] == sorted(item.severity for item in found)


def test_an_overdue_session_needs_attention_until_one_is_booked() -> None:
    document = _history(days=40, sessions_every=21)
    plan = plan_of(document, today=TODAY, protocol=PROTOCOL)
    last = max(date.fromisoformat(entry["date"]) for entry in document["sessions"])
    assert plan.cadence.interval_days is not None
    assert last + timedelta(days=plan.cadence.interval_days) < TODAY
    overdue = concerns(plan, last_session=last, booked=False, today=TODAY)
    assert "overdue" in [c.kind for c in overdue]
    booked = concerns(plan, last_session=last, booked=True, today=TODAY)
    assert "overdue" not in [c.kind for c in booked]
    recent = concerns(plan, last_session=TODAY, booked=False, today=TODAY)
    assert "overdue" not in [c.kind for c in recent]


def test_the_dashboard_lists_todays_and_upcoming_sessions(
    world: World, browsers: dict[str, Browser]
) -> None:
    _book(world, TODAY, time(9, 30))
    _book(world, TODAY + timedelta(days=3), None)
    page = _main(browsers["therapist"].http.get("/dashboard").text)
    today_part = page[page.index('id="today-sessions"') : page.index('id="upcoming-sessions"')]
    assert "09:30" in today_part
    assert "Ada Lovelace" in today_part
    upcoming = page[page.index('id="upcoming-sessions"') :]
    assert "Ada Lovelace" in upcoming
    assert "no time set" in upcoming
    assert "Ada Lovelace" not in _main(browsers["other_therapist"].http.get("/dashboard").text)


def test_the_client_page_shows_each_plan_item_with_its_reason_rule_and_source(
    world: World, browsers: dict[str, Browser]
) -> None:
    page = _main(browsers["therapist"].http.get(f"/clients/{world.ada}").text)
    assert "Leg pain (or back pain, when it is worse) 4 to 6: Swedish and trigger-point" in page
    for rule in (
        "triage.clear",
        "massage.moderate_leg_pain",
        "cadence.initial",
        "progress.improved",
    ):
        assert f"<code>{rule}</code>" in page
    assert "NICE CKS Sciatica: assessing red flags" in page  # triage.clear's source, in words
    assert 'href="/learn/swedish-massage"' in page
    assert 'href="/learn/heat-and-cold"' in page
    assert "Evidence: a guideline advises against" in page  # acupuncture: NICE NG59, do not offer
    for form in ("screening", "assessment", "session", "book", "clearance"):
        assert f'href="/clients/{world.ada}/{form}"' in page


def test_the_client_page_charts_pain_and_oswestry_with_a_table_alternative(
    world: World, browsers: dict[str, Browser]
) -> None:
    page = _main(browsers["therapist"].http.get(f"/clients/{world.ada}").text)
    assert page.count('role="img"') == 2
    assert "Leg pain: first 7" in page  # the chart's description in words
    tables = re.findall(r"<details>.*?</details>", page, re.S)
    assert len(tables) == 2
    assert '<th scope="col">Leg pain</th>' in tables[0]
    assert re.search(r"<td>7</td><td>3</td>", tables[0])
    assert "<td>30</td>" in tables[1]  # Oswestry 15 of 50 points


def test_an_emergency_is_the_first_thing_on_the_client_page(
    world: World, browsers: dict[str, Browser], ben_in_emergency: None
) -> None:
    page = _main(browsers["other_therapist"].http.get(f"/clients/{world.ben}").text)
    assert page.index('role="alert"') < page.index('id="screening"')
    assert "Emergency: no massage" in page
    assert "go to the emergency department now; do not drive yourself" in page


def test_another_therapist_cannot_see_the_client_page(
    world: World, browsers: dict[str, Browser]
) -> None:
    for seat in ("other_therapist", "other_clinic"):
        response = browsers[seat].http.get(f"/clients/{world.ada}")
        assert response.status_code == 404
        assert "Ada" not in response.text


def test_a_client_account_is_refused_the_care_teams_page_even_of_its_own_record(
    world: World, browsers: dict[str, Browser]
) -> None:
    for seat in ("client", "other_client"):
        response = browsers[seat].http.get(f"/clients/{world.ada}")
        assert response.status_code == 403
        assert "Ada" not in response.text


def test_the_client_list_finds_clients_by_part_of_their_name(
    world: World, browsers: dict[str, Browser]
) -> None:
    http = browsers["admin"].http
    found = _main(http.get("/clients", params={"q": "LOVE"}).text)
    assert "Ada Lovelace" in found
    assert "Ben Okri" not in found
    assert 'href="/clients/new"' in found
    assert "Ben Okri" in _main(http.get("/clients").text)
    nothing = _main(http.get("/clients", params={"q": "%"}).text)
    assert "Ada Lovelace" not in nothing
    assert "0 clients" in nothing


def test_the_client_list_shows_the_same_triage_as_the_plan(
    world: World, browsers: dict[str, Browser], ben_in_emergency: None
) -> None:
    page = _main(browsers["admin"].http.get("/clients").text)
    ada = page[page.index("Ada Lovelace") :]
    assert "level-clear" in ada[: ada.index("</tr>")]
    ben = page[page.index("Ben Okri") :]
    assert "level-emergency" in ben[: ben.index("</tr>")]


def test_a_client_with_no_records_shows_as_not_screened(
    world: World, browsers: dict[str, Browser]
) -> None:
    client_id = _new_client(world, "Nia Newcomer")
    response = browsers["therapist"].http.get(f"/clients/{client_id}")
    assert response.status_code == 200
    page = _main(response.text)
    assert "Not screened yet" in page
    assert "<code>triage.unscreened</code>" in page
    assert "No readings yet" in page
    assert "No records yet" in page
    dashboard_page = _main(browsers["therapist"].http.get("/dashboard").text)
    assert "Nia Newcomer" in dashboard_page


def test_a_year_of_diary_is_planned_once_and_the_timeline_is_cut_short(
    world: World, browsers: dict[str, Browser], monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = _store(world, "Yara Year", _history(days=365, sessions_every=7, per_day=6))
    calls = _counting(monkeypatch)
    page = _main(browsers["therapist"].http.get(f"/clients/{client_id}").text)
    assert calls == [1]
    assert page.count('<li><span class="when">') == 50
    assert f'href="/clients/{client_id}?events=all#timeline"' in page
    full = _main(browsers["therapist"].http.get(f"/clients/{client_id}?events=all").text)
    assert full.count('<li><span class="when">') > 2000
    assert calls == [1]  # the records have not changed: the page reuses the plan


def _history(*, days: int, sessions_every: int, per_day: int = 1) -> dict[str, Any]:
    """A history@1 document of `days` days up to yesterday: weekly sessions, a daily diary."""
    first = TODAY - timedelta(days=days)
    dates = [first + timedelta(days=d) for d in range(days)]
    return {
        "schema": HISTORY_SCHEMA,
        # Screened again at each session, as protocol 2026.2 asks (a screening stands 30 days).
        "screenings": [{"date": d.isoformat(), "findings": []} for d in dates[::sessions_every]],
        "assessments": [
            {"date": d.isoformat(), "leg_pain": 6, "back_pain": 4, "odi": [2] * 10}
            for d in dates[::28]
        ],
        "sessions": [
            {
                "date": d.isoformat(),
                "techniques": ["swedish"],
                "areas": ["gluteals"],
                "pressure": "light",
                "minutes": 45,
                "pain_before": 6,
                "pain_after": 4,
            }
            for d in dates[::sessions_every]
        ],
        "diary": [
            {"date": d.isoformat(), "leg_pain": 4 + (n + k) % 3, "self_care": ["walking"]}
            for n, d in enumerate(dates)
            for k in range(per_day)
        ],
    }


def _store(world: World, name: str, document: dict[str, Any]) -> int:
    """A client of Kim's with the document's records."""
    history = parse_history(msgspec.json.encode(document), today=TODAY, system_today=TODAY)
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as db:
        ada = db.get(Client, world.ada)
        assert ada is not None
        client = add_client(db, name=name, clinic_id=ada.clinic_id, actor="test", now=NOW)
        assign_therapist(
            db, client=client, therapist_id=world.users["therapist"], actor="test", now=NOW
        )
        store_history(db, client=client, history=history, actor="test", now=NOW)
        client_id = client.id
    engine.dispose()
    return client_id


def _book(world: World, day: date, start: time | None) -> None:
    """Books a session for Ada with Kim through the service (the booking form is not ours)."""
    engine = make_engine(world.url)
    with transaction(session_factory(engine)) as db:
        ada = db.get(Client, world.ada)
        assert ada is not None
        therapist = world.users["therapist"]
        book(
            db,
            client=ada,
            day=day,
            start=start,
            therapist_id=therapist,
            note=None,
            actor="t",
            now=NOW,
            today=TODAY,
            plan=current_plan(db, ada, today=TODAY, protocol=default_protocol()),
        )
    engine.dispose()


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the engine's plans made for stored clients; the count is the list's one item."""
    calls = [0]
    real: Callable[..., Any] = plan_history

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(planning, "plan_history", counted)
    return calls


def test_the_client_page_shows_the_oswestry_band_and_self_care_grades(
    world: World, browsers: dict[str, Browser]
) -> None:
    page = _main(browsers["therapist"].http.get(f"/clients/{world.ada}").text)

    assert "Oswestry now" in page
    assert " disability" in page
    assert 'class="evidence evidence-moderate">Evidence: moderate' in page  # heat, stay active
