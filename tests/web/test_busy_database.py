"""A SQLite write that waits past the busy timeout answers 503 with Retry-After, nothing lost.

The lock is real: a second connection holds SQLite's write lock (BEGIN IMMEDIATE) while the app,
built with a short busy timeout, takes a form and an API write.
"""

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.world import World, build_world


@pytest.fixture
def busy_world(tmp_path: Path) -> Iterator[World]:
    """A world on SQLite whose writes give up after 200 ms."""
    built = build_world(tmp_path, busy_ms=200)
    yield built
    built.app.state.sciatica.close()


@pytest.fixture
def locked(busy_world: World) -> Iterator[None]:
    """Another connection holding the database's write lock."""
    holder = sqlite3.connect(busy_world.url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield
    holder.execute("ROLLBACK")
    holder.close()


def test_a_form_sent_while_the_database_is_locked_answers_503_and_keeps_what_was_typed(
    busy_world: World,
) -> None:
    browser = busy_world.browser("therapist")
    note = "Sore after gardening\nbetter by evening"
    form: dict[str, object] = {"leg_pain": "6", "back_pain": "3", "note": note}
    holder = sqlite3.connect(busy_world.url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = browser.post(f"/clients/{busy_world.ada}/assessment", data=form)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "nothing was saved" in response.text
    assert "Sore after gardening\nbetter by evening</textarea>" in response.text
    assert 'name="leg_pain" rows="1">6</textarea>' in response.text
    assert f'action="/clients/{busy_world.ada}/assessment"' in response.text
    again = browser.post(f"/clients/{busy_world.ada}/assessment", data=form, follow_redirects=False)
    assert again.status_code == 303


@pytest.mark.usefixtures("locked")
def test_an_api_write_while_the_database_is_locked_answers_503_with_retry_after(
    busy_world: World,
) -> None:
    api = busy_world.api("admin")
    response = api.post(f"/api/v1/clients/{busy_world.ada}/diary", json={"leg_pain": 4})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "busy" in response.json()["detail"]
