"""Filters and globals the page templates share: plain-word labels, dates, the CSRF field."""

from datetime import date, datetime

from jinja2 import Environment
from markupsafe import Markup, escape

from sciatica_care.domain.codes import ALERT_LEVELS
from sciatica_care.domain.holds import clinical_hold
from sciatica_care.domain.vocabulary import words


def day(value: date | datetime | str | None) -> str:
    """A date as people read it: `Mon 3 Mar 2026`."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value:%a} {value.day} {value:%b %Y}"


def csrf_field(token: str | None) -> Markup:
    """The hidden CSRF input every form carries."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(escape(token or ""))


def install(env: Environment) -> None:
    """Adds the filters and globals to a Jinja environment."""
    env.filters["words"] = words
    env.filters["day"] = day
    env.globals["csrf_field"] = csrf_field
    env.globals["ALERT_LEVELS"] = ALERT_LEVELS
    env.globals["on_hold"] = clinical_hold
    env.globals["app_name"] = "sciatica-care"
