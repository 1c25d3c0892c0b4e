"""One vocabulary: which findings can be cleared, which levels alert, codes in plain words."""

import pytest
from jinja2 import Environment

from sciatica_care.cli import render_text
from sciatica_care.domain.codes import FINDING_CLASSES, TRIAGE_ORDER, can_be_cleared, is_alert
from sciatica_care.domain.vocabulary import WORDS, words
from sciatica_care.web import template_helpers


@pytest.mark.parametrize(
    ("finding_class", "clearable"),
    [
        ("see_doctor", True),
        ("clearance_needed", True),
        ("modify", False),
        ("urgent", False),
        ("emergency", False),
    ],
)
def test_only_see_doctor_and_clearance_needed_findings_can_be_cleared(
    finding_class: str, clearable: bool
) -> None:
    assert can_be_cleared(finding_class) is clearable


def test_every_finding_class_is_decided() -> None:
    assert {c for c in FINDING_CLASSES if can_be_cleared(c)} == {"see_doctor", "clearance_needed"}


def test_only_emergency_and_urgent_triage_alerts() -> None:
    assert [level for level in TRIAGE_ORDER if is_alert(level)] == ["urgent", "emergency"]


def test_the_pages_and_the_terminal_say_a_code_in_the_same_words() -> None:
    env = Environment(autoescape=True)
    template_helpers.install(env)
    page = env.from_string("{{ code | words }}")
    for code, said in WORDS.items():
        assert page.render(code=code) == said == render_text._say(code) == words(code)
    assert words("every_2_weeks") == "every two weeks"
