"""Steps of the care-form tests: posting a form, reading back what it stored, what a page shows."""

import re
from typing import Any

from httpx2 import Response
from sqlalchemy import func, select

from sciatica_care.db.database import make_engine, session_factory, transaction
from tests.web.world import Browser, World


def newest_entry(world: World, kind: str, client_id: int | None = None) -> dict[str, Any]:
    """The client's newest entry of a kind, read back through the API."""
    found = world.api("admin").get(f"/api/v1/clients/{client_id or world.ada}/{kind}?limit=1")
    assert found.status_code == 200
    items: list[dict[str, Any]] = found.json()["items"]
    assert items, f"no {kind} stored"
    return items[0]


def total(world: World, kind: str, client_id: int) -> int:
    """How many entries of a kind the client has, counted through the API."""
    found = world.api("admin").get(f"/api/v1/clients/{client_id}/{kind}?limit=1")
    assert found.status_code == 200
    counted: int = found.json()["total"]
    return counted


def first_alert(page: Response) -> str:
    """The first section of the page's main content, which must be an alert."""
    assert page.status_code == 200
    main = page.text.split('<main id="main"', 1)[1]
    first = re.search(r"<section\b[^>]*>.*?</section>", main, re.DOTALL)
    assert first, "the page has a section"
    assert 'role="alert"' in first.group(0).split(">", 1)[0], "the first section is an alert"
    return first.group(0)


def count(world: World, table: Any, client_id: int) -> int:
    engine = make_engine(world.url, for_writing=False)
    try:
        with transaction(session_factory(engine)) as db:
            query = select(func.count()).select_from(table).where(table.client_id == client_id)
            return db.scalar(query) or 0
    finally:
        engine.dispose()


def new_client(world: World, name: str) -> int:
    """A client of the therapist's own, so red flags raised in a test touch no one else."""
    made = world.api("therapist").post("/api/v1/clients", json={"name": name})
    assert made.status_code == 201
    client_id: int = made.json()["id"]
    return client_id


def post(browser: Browser, url: str, data: dict[str, Any] | None = None) -> Response:
    """A form post with its CSRF token; a redirect is returned, not followed."""
    response: Response = browser.post(url, data or {}, follow_redirects=False)
    return response


def problem(response: Response, field: str) -> str:
    """The problem shown next to a field, or empty."""
    found = re.search(rf'id="e-{field}"><strong>Problem:</strong> ([^<]*)</p>', response.text)
    return found.group(1) if found else ""


def value(response: Response, name: str) -> str:
    """The value of a text-like input."""
    found = re.search(rf'name="{name}" type="[a-z]+" value="([^"]*)"', response.text)
    assert found, f"no input {name}"
    return found.group(1)
