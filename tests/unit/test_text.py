"""The one check of what text a person may give, and stored text made safe to plan and export."""

from datetime import date

import pytest

from sciatica_care.domain.stored_history import plannable
from sciatica_care.domain.text import cleaned, control_problem, control_problems

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x07", "\x0b", "\x1b", "\x7f", "\ud800"])
def test_a_control_character_in_a_note_is_named_with_its_field(char: str) -> None:
    problem = control_problem("note", f"before{char}after")
    assert problem == f"note: must not hold control characters (U+{ord(char):04X} at character 7)"


@pytest.mark.parametrize("text", ["two\nlines", "a\ttab", "windows\r\nbreak", "é ü — ☂", ""])
def test_tabs_line_breaks_and_letters_stay_in_a_note(text: str) -> None:
    assert control_problem("note", text) is None


@pytest.mark.parametrize("text", ["two\nlines", "a\ttab"])
def test_a_one_line_field_refuses_line_breaks_and_tabs(text: str) -> None:
    assert control_problem("name", text, multiline=False) is not None


def test_every_text_of_a_nested_value_is_named_by_its_json_path() -> None:
    value = {"findings": [{"code": "x", "note": "a\x00"}, "b\x01"], "ok": ["fine"], "k\x00": 1}
    problems = control_problems(value)
    assert [p.split(":")[0] for p in problems] == ["findings[0].note", "findings[1]", "k\x00"]
    assert problems[2].startswith("k\x00: a field name must not hold")


def test_stored_text_shows_each_control_character_as_a_replacement_mark() -> None:
    assert cleaned("a\x00b\x1b[31m\nc\t") == "a\ufffdb\ufffd[31m\nc\t"


def test_a_stored_record_the_engine_cannot_read_is_left_out_and_named() -> None:
    document = {
        "diary": [
            {"date": "2026-02-01", "leg_pain": 4, "note": "ok\x01"},
            {"date": "9999-12-31", "leg_pain": 9},
            {"date": "2026-02-03", "leg_pain": 11},
        ],
        "sessions": [{"date": "2026-02-02", "minutes": 30}],
    }
    usable, left_out = plannable(document, TODAY)
    assert usable["diary"] == [{"date": "2026-02-01", "leg_pain": 4, "note": "ok\ufffd"}]
    assert usable["sessions"] == document["sessions"]
    assert [p.split(":")[0] for p in left_out] == ["diary[1].date", "diary[2].leg_pain"]


def test_a_valid_stored_history_is_planned_as_it_is() -> None:
    document = {"diary": [{"date": "2026-02-01", "leg_pain": 4}]}
    assert plannable(document, TODAY) == (document, [])
