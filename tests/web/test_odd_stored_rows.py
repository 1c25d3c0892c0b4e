"""An odd row already in the database never takes a whole export down.

Rows are written straight into the tables, past every check (as an old version, a restore or a
hand edit might have left them): a booking on 9999-12-31, an entry dated the last day there is,
text with control characters. Each export still answers, leaving out what it cannot carry.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest

from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory, transaction
from tests.databases import _postgres_database
from tests.web.world import NOW, World, build_world

ODD_TEXT = "odd \x01\x1b[31m text\u2028 =cmd|' /C calc'!A0"
LAST_DAY = date(9999, 12, 31)


@pytest.fixture(params=["sqlite", "postgresql"])
def odd_world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """A world with odd rows for Ada, on each backend."""
    urls = iter([None]) if request.param == "sqlite" else _postgres_database()
    for url in urls:
        world = build_world(tmp_path, url)
        engine = make_engine(world.url)
        with transaction(session_factory(engine)) as db:
            ada = world.ada
            therapist = world.users["therapist"]
            db.add_all(
                [
                    models.Appointment(
                        client_id=ada,
                        date=LAST_DAY,
                        start_time=time(23, 59),
                        therapist_id=therapist,
                        note=ODD_TEXT,
                        created_at=NOW,
                    ),
                    models.Appointment(
                        client_id=ada, date=date(1, 1, 1), note=None, created_at=NOW
                    ),
                    models.DiaryEntry(
                        client_id=ada,
                        date=LAST_DAY,
                        leg_pain=4,
                        self_care=[],
                        note=ODD_TEXT,
                        created_at=NOW,
                    ),
                ]
            )
        engine.dispose()
        yield world
        world.app.state.sciatica.close()


def _feed(world: World, path: str) -> str:
    page = world.browser("therapist").post(path)
    found = re.search(r'value="http://127\.0\.0\.1(/calendar/cal_[A-Za-z0-9_-]+\.ics)"', page.text)
    assert found, page.text
    return found.group(1)


def test_the_clients_calendar_feed_answers_and_leaves_out_the_unbookable_day(
    odd_world: World,
) -> None:
    answer = odd_world.client().get(_feed(odd_world, f"/clients/{odd_world.ada}/calendar-link"))
    assert answer.status_code == 200, answer.text
    assert "9999" not in answer.text
    assert "\x01" not in answer.text


def test_the_therapists_whole_feed_still_answers(odd_world: World) -> None:
    answer = odd_world.client().get(_feed(odd_world, "/calendar-links"))
    assert answer.status_code == 200, answer.text
    assert "9999" not in answer.text


def test_the_fhir_export_still_answers(odd_world: World) -> None:
    answer = odd_world.api("therapist").get(f"/api/v1/clients/{odd_world.ada}/fhir")
    assert answer.status_code == 200, answer.text
    assert "\x01" not in answer.text


def test_the_csv_export_still_answers_and_carries_the_text_safely(odd_world: World) -> None:
    answer = odd_world.browser("therapist").http.get(f"/clients/{odd_world.ada}/export.zip")
    assert answer.status_code == 200, answer.text
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        texts = [archive.read(name).decode() for name in archive.namelist()]
    assert not any("\x01" in text or "\x1b" in text for text in texts)


def test_the_pdf_report_still_answers(odd_world: World) -> None:
    answer = odd_world.browser("therapist").http.get(f"/clients/{odd_world.ada}/report.pdf")
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b"%PDF")
