"""One clinic clock on the command line: a sign logged at a check-in is dated the clinic's day.

The machine's zone is set as a server's would be (TZ), west of UTC (Pago Pago in the evening) and
east of it (Sydney before 10:00), and the clock is pinned (SCIATICA_FIXED_NOW). The commands run
as processes of their own: a process reads TZ when it starts, as a server does.
"""

import json
import subprocess

import pytest

from tests.cli.runner import subprocess_run


def sciatica(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, in a process that starts in the zone TZ names."""
    return subprocess_run(*args, "--db", db)


CLINICS = {
    "west": ("Pacific/Pago_Pago", "2026-12-03T20:00:00-11:00", "2026-12-03"),
    "east": ("Australia/Sydney", "2026-12-04T08:00:00+11:00", "2026-12-04"),
}


@pytest.fixture(params=sorted(CLINICS))
def clinic_day(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The commands run on a machine in a zone west or east of UTC; the clinic's date there."""
    zone, moment, day = CLINICS[request.param]
    monkeypatch.setenv("TZ", zone)
    monkeypatch.setenv("SCIATICA_FIXED_NOW", moment)
    monkeypatch.delenv("SCIATICA_TIMEZONE", raising=False)
    return day


def test_a_sign_logged_at_a_check_in_is_dated_the_clinics_day(
    database_url: str, clinic_day: str
) -> None:
    db = database_url
    for step in (["client", "add", "Ada Lovelace"], ["screen", "Ada", "--none"]):
        done = sciatica(db, *step)
        assert done.returncode == 0, done.stderr
    logged = sciatica(db, "log", "Ada", "--leg-pain", "5", "--sign", "saddle_numbness")
    assert logged.returncode == 0, logged.stderr
    assert "EMERGENCY" in logged.stdout
    assert f"check-in recorded for {clinic_day}" in logged.stdout
    exported = sciatica(db, "export", "Ada")
    screenings = json.loads(exported.stdout)["screenings"]
    assert {s["date"] for s in screenings} == {clinic_day}
    assert any("saddle_numbness" in s["findings"] for s in screenings)
    planned = sciatica(db, "plan", "Ada")
    assert planned.returncode == 0, planned.stderr
    assert json.loads(planned.stdout)["triage"]["level"] == "emergency"


def test_the_clinics_zone_wins_over_the_machines(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("SCIATICA_TIMEZONE", "Australia/Sydney")
    monkeypatch.setenv("SCIATICA_FIXED_NOW", "2026-12-03T21:00:00Z")
    db = database_url
    assert sciatica(db, "client", "add", "Ada Lovelace").returncode == 0
    logged = sciatica(db, "log", "Ada", "--leg-pain", "3")
    assert logged.returncode == 0, logged.stderr
    assert "check-in recorded for 2026-12-04" in logged.stdout
