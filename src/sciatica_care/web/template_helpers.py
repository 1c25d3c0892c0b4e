"""Filters and globals the page templates share: plain-word labels, dates, the CSRF field."""

from datetime import date, datetime

from jinja2 import Environment
from markupsafe import Markup, escape

WORDS = {
    "odi": "Oswestry",
    "startback": "STarT Back",
    "every_2_weeks": "every two weeks",
    "see_doctor": "see a doctor",
    "on_hold": "on hold",
    "stay_active": "stay active",
    "deep_tissue": "deep tissue",
    "trigger_point": "trigger point",
    "exercise_therapy": "exercise therapy",
    "spinal_manipulation": "spinal manipulation (chiropractic)",
    "psychological_support": "psychological support",
    "very_low": "very low",
    "guideline_against": "a guideline advises against",
    "not_recommended": "not recommended",
    "insufficient_data": "not enough data yet",
    "much_improved": "much improved",
    "lumbar_paraspinals": "lower back muscles",
    "quadratus_lumborum": "quadratus lumborum (side of the lower back)",
    "hip_flexors": "hip flexors",
}


def words(code: object) -> str:
    """A code in plain words: `deep_tissue` -> `deep tissue`."""
    text = str(code)
    return WORDS.get(text, text.replace("_", " "))


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
    env.globals["app_name"] = "sciatica-care"
