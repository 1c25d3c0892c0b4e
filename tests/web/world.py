"""A small world for web tests: two clinics, every role, and clients with and without records.

Clinic "North": admin, therapist Kim (Ada's), therapist Lee (Ben's), Ada's and Ben's accounts.
Clinic "South": its admin and client Cleo, who nobody in North may ever see.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sciatica_care.clock import Clock
from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.engine import default_protocol
from sciatica_care.services import accounts
from sciatica_care.services.clients import add_client, assign_therapist
from sciatica_care.services.entries import record
from sciatica_care.settings import Settings
from sciatica_care.web.app import create_app

PASSWORD = "a long test password"
# The app's clock stands still at the moment the tests started, in UTC: the world's records and
# the app agree on today even across midnight.
NOW = Clock().now()
TODAY = NOW.date()
# Who each seat is; "anonymous" signs in as nobody.
SEATS = ("admin", "therapist", "other_therapist", "other_clinic", "client", "other_client")
EMAILS = {
    "admin": "admin@north.example",
    "therapist": "kim@north.example",
    "other_therapist": "lee@north.example",
    "client": "ada@example.org",
    "other_client": "ben@example.org",
    "other_clinic": "admin@south.example",
}


@dataclass
class World:
    """The app, its database URL and the ids of the people and clients in it."""

    app: FastAPI
    url: str
    ada: int
    ben: int
    cleo: int
    today: date
    tokens: dict[str, str] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)

    def placeholders(self) -> dict[str, str]:
        """The values of the access matrix's path and body placeholders."""
        ids = {"ada": self.ada, "ben": self.ben, "cleo": self.cleo, "today": self.today.isoformat()}
        ids.update({f"user_{seat}": user_id for seat, user_id in self.users.items()})
        return {key: str(value) for key, value in ids.items()}

    def client(self) -> TestClient:
        """An anonymous browser."""
        return TestClient(self.app, base_url="http://127.0.0.1")

    def browser(self, seat: str) -> "Browser":
        """A browser signed in as the person in `seat`."""
        return Browser.sign_in(self.client(), EMAILS[seat])

    def api(self, seat: str) -> TestClient:
        """An API client sending the seat's bearer token."""
        client = self.client()
        client.headers["authorization"] = f"Bearer {self.tokens[seat]}"
        return client


@dataclass
class Browser:
    """A signed-in TestClient and the CSRF token its forms carry."""

    http: TestClient
    csrf: str

    @classmethod
    def sign_in(cls, http: TestClient, email: str, password: str = PASSWORD) -> "Browser":
        """Signs in through the real form."""
        form = http.get("/login")
        response = http.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        page = http.get(response.headers["location"])
        return cls(http=http, csrf=csrf_of(page.text))

    def post(self, url: str, data: dict[str, object] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        """A form post with the CSRF token."""
        return self.http.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kwargs)  # type: ignore[arg-type]


def csrf_of(html: str) -> str:
    """The CSRF token in a page's first form."""
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def build_world(
    folder: Path,
    url: str | None = None,
    *,
    zone: str = "UTC",
    now: datetime = NOW,
    busy_ms: int = 30_000,
) -> World:
    """A fresh database with the two clinics, and the app serving it on a clock fixed at `now`.

    Its records are dated by the clinic's date at `now` in `zone`, as the app counts it.
    """
    url = url or f"sqlite:///{folder / 'web.db'}"
    settings = Settings(
        home=folder,
        database_url=url,
        secret_key="test-secret",
        timezone=zone,
        fixed_now=now,
        sqlite_busy_ms=busy_ms,
    )
    app = create_app(settings)
    today = settings.clock().today()
    engine = make_engine(url)
    protocol = default_protocol()
    with transaction(session_factory(engine)) as db:
        north = accounts.find_or_make_clinic(db, "North", now=now)
        south = accounts.find_or_make_clinic(db, "South", now=now)
        ids = {}
        for name, clinic in (("Ada Lovelace", north), ("Ben Okri", north), ("Cleo Hart", south)):
            ids[name] = add_client(db, name=name, clinic_id=clinic.id, actor="test", now=now)

        def user(seat: str, role: str, clinic: object, client: object = None):  # type: ignore[no-untyped-def]
            return accounts.add_user(
                db,
                email=EMAILS[seat],
                role=role,
                password=PASSWORD,
                clinic=clinic,  # type: ignore[arg-type]
                client=client,  # type: ignore[arg-type]
                actor="test",
                now=now,
            )

        people = {
            "admin": user("admin", "admin", north),
            "therapist": user("therapist", "therapist", north),
            "other_therapist": user("other_therapist", "therapist", north),
            "client": user("client", "client", north, ids["Ada Lovelace"]),
            "other_client": user("other_client", "client", north, ids["Ben Okri"]),
            "other_clinic": user("other_clinic", "admin", south),
        }
        ada, ben = ids["Ada Lovelace"], ids["Ben Okri"]
        assign_therapist(db, client=ada, therapist_id=people["therapist"].id, actor="t", now=now)
        assign_therapist(
            db, client=ben, therapist_id=people["other_therapist"].id, actor="t", now=now
        )
        for days_ago, leg in ((21, 7), (14, 6), (0, 4)):
            day = (today - timedelta(days=days_ago)).isoformat()
            entry = {
                "date": day,
                "leg_pain": leg,
                "back_pain": 3,
                "odi": [2, 2, 1, 2, 1, 2, 1, 1, 2, 1],
            }
            record(
                db,
                client=ada,
                kind="assessments",
                entry=entry,
                today=today,
                protocol=protocol,
                actor="test",
                now=now,
            )
        record(
            db,
            client=ada,
            kind="screenings",
            entry={"date": (today - timedelta(days=21)).isoformat(), "findings": []},
            today=today,
            protocol=protocol,
            actor="test",
            now=now,
        )
        tokens = {
            seat: accounts.create_api_token(db, person, label="test", actor="test", now=now)[1]
            for seat, person in people.items()
        }
        world = World(
            app=app,
            url=url,
            today=today,
            ada=ada.id,
            ben=ben.id,
            cleo=ids["Cleo Hart"].id,
            tokens=tokens,
            users={seat: person.id for seat, person in people.items()},
        )
    engine.dispose()
    return world


def day(offset: int = 0) -> str:
    """An ISO date `offset` days from the default world's today."""
    return (TODAY + timedelta(days=offset)).isoformat()
