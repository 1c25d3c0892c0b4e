"""`sciatica token create`: a token works for a year unless --days or --never-expires says else."""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from sciatica_care.db import models
from sciatica_care.db.database import make_engine, session_factory
from tests.cli.runner import run

PASSWORD = "a long enough password\n"


def _tokens(url: str) -> list[models.ApiToken]:
    with session_factory(make_engine(url))() as db:
        return list(db.scalars(select(models.ApiToken).order_by(models.ApiToken.id)))


def _create(url: str, *options: str) -> str:
    made = run("token", "create", "ana@clinic.example", *options, "--db", url)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("sct_")
    return made.stderr


def test_a_token_expires_after_a_year_or_the_days_given_or_never(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sciatica.db'}"
    added = run(
        "user",
        "add",
        "ana@clinic.example",
        "--role",
        "admin",
        "--password-stdin",
        "--db",
        url,
        stdin=PASSWORD,
    )
    assert added.returncode == 0, added.stderr
    assert "working until 20" in _create(url)
    _create(url, "--days", "30", "--label", "report")
    assert "working until revoked" in _create(url, "--never-expires")
    year, month, forever = _tokens(url)
    assert year.expires_at is not None
    assert month.expires_at is not None
    assert year.expires_at - year.created_at == timedelta(days=365)
    assert month.expires_at - month.created_at == timedelta(days=30)
    assert forever.expires_at is None


def test_a_token_needs_at_least_one_day(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sciatica.db'}"
    refused = run("token", "create", "ana@clinic.example", "--days", "0", "--db", url)
    assert refused.returncode == 2
    assert "--days" in refused.stderr
    assert "Traceback" not in refused.stderr
