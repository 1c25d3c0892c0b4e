"""The CSV downloads: the care team's zip of a client's records, and a client's own."""

import csv
import io
import zipfile
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from sciatica_care.db.database import make_engine, session_factory, transaction
from sciatica_care.db.models import Client
from sciatica_care.services.histories import history_document
from sciatica_care.sharing.csv.importer import read_records, store_records
from tests.web.matrix import SEATS_AND_ANONYMOUS
from tests.web.matrix_csv import ROUTES
from tests.web.world import NOW, TODAY, Browser, World


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


def unzipped(body: bytes) -> dict[str, bytes]:
    """The files of a zip by name."""
    with zipfile.ZipFile(io.BytesIO(body)) as files:
        return {name: files.read(name) for name in files.namelist()}


def test_each_seat_gets_the_answer_the_matrix_expects(
    world: World, browsers: dict[str, Browser]
) -> None:
    for route in ROUTES:
        url = route.path.replace("{ada}", str(world.ada))
        for seat in SEATS_AND_ANONYMOUS:
            http = world.client() if seat == "anonymous" else browsers[seat].http
            status = http.get(url, follow_redirects=False).status_code
            assert status == route.expect[seat], f"{url} as {seat}"


def test_the_care_team_downloads_a_zip_of_three_tables(
    world: World, browsers: dict[str, Browser]
) -> None:
    response = browsers["therapist"].http.get(f"/clients/{world.ada}/export.zip")
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="client-{world.ada}-records.zip"'
    )
    assert response.headers["cache-control"] == "no-store"
    files = unzipped(response.content)
    assert list(files) == ["diary.csv", "assessments.csv", "sessions.csv"]
    rows = list(csv.DictReader(io.StringIO(files["assessments.csv"].decode(), newline="")))
    assert [row["leg_pain"] for row in rows] == ["7", "6", "4"]
    assert [rows[0][f"odi_{n}"] for n in range(1, 11)] == [
        "2", "2", "1", "2", "1", "2", "1", "1", "2", "1",
    ]  # fmt: skip


def test_the_same_records_give_the_same_bytes(world: World, browsers: dict[str, Browser]) -> None:
    http = browsers["admin"].http
    first = http.get(f"/clients/{world.ada}/export.zip").content
    assert http.get(f"/clients/{world.ada}/export.zip").content == first


def test_a_client_downloads_their_own_records_only(
    world: World, browsers: dict[str, Browser]
) -> None:
    mine = unzipped(browsers["client"].http.get("/me/export.zip").content)
    theirs = unzipped(browsers["other_client"].http.get("/me/export.zip").content)
    assert mine["assessments.csv"].count(b"\r\n") == 4  # the header and Ada's three
    assert theirs["assessments.csv"].count(b"\r\n") == 1  # Ben has none: the header only


def test_the_client_page_links_to_the_download(world: World, browsers: dict[str, Browser]) -> None:
    page = browsers["therapist"].http.get(f"/clients/{world.ada}")
    assert f'href="/clients/{world.ada}/export.zip"' in page.text


def test_a_downloaded_table_imports_into_a_new_client_unchanged(
    world: World, browsers: dict[str, Browser], db: Session
) -> None:
    files = unzipped(browsers["therapist"].http.get(f"/clients/{world.ada}/export.zip").content)
    history = read_records(
        files["assessments.csv"], kind="assessments", source="assessments.csv", today=TODAY
    )
    ada = db.get(Client, world.ada)
    assert ada is not None
    copy = Client(clinic_id=ada.clinic_id, name="Ada Copy", created_at=NOW)
    db.add(copy)
    db.flush()
    assert store_records(db, client=copy, history=history, actor="test", now=NOW) == 3
    assert history_document(db, copy)["assessments"] == history_document(db, ada)["assessments"]
