"""The report for the doctor over the web: the download, its content and the button."""

import io
import re

import pypdf
import pytest

from tests.web.world import Browser, World


@pytest.fixture(scope="module")
def kim(world: World) -> Browser:
    """Ada's therapist, signed in."""
    return world.browser("therapist")


def test_the_care_team_downloads_the_report_as_a_pdf(world: World, kim: Browser) -> None:
    response = kim.http.get(f"/clients/{world.ada}/report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="Ada Lovelace-report.pdf"' in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Ada Lovelace" in text
    assert "Triage Clear:" in text
    assert "Saddle numbness or altered perineal sensation (emergency) asked: no" in text
    assert re.search(r"Leg pain \(0-10\).*First 7 \(.*\); latest 4", text)


def test_the_client_page_links_to_the_report(world: World, kim: Browser) -> None:
    page = kim.http.get(f"/clients/{world.ada}").text
    assert f'href="/clients/{world.ada}/report.pdf"' in page
    assert "Download the report for the doctor (PDF)" in page


def test_a_client_account_may_not_download_its_own_report(world: World) -> None:
    ada = world.browser("client")
    response = ada.http.get(f"/clients/{world.ada}/report.pdf")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")


def test_another_clinic_cannot_tell_the_report_exists(world: World) -> None:
    south = world.browser("other_clinic")
    assert south.http.get(f"/clients/{world.ada}/report.pdf").status_code == 404
    assert south.http.get("/clients/999999/report.pdf").status_code == 404
