"""Spreadsheet-safe cells: formulas neutralised, numbers left alone, the guard undone on import."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_care.sharing.csv.export import COLUMNS, cell, csv_text, guarded, unguarded


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("felt better after walking", "felt better after walking"),
        ("it's fine = good", "it's fine = good"),
        ("'quoted'", "'quoted'"),
        ("", ""),
    ],
)
def test_a_text_cell_a_spreadsheet_would_run_as_a_formula_is_prefixed(
    text: str, written: str
) -> None:
    assert cell(text) == written


def test_numbers_are_written_as_numbers_even_when_negative() -> None:
    assert [cell(7), cell(0), cell(-3)] == ["7", "0", "-3"]


def test_flags_lists_and_empty_values_have_plain_forms() -> None:
    assert [cell(True), cell(False), cell(None)] == ["true", "false", ""]
    assert cell(["walking", "heat"]) == "walking;heat"


@given(st.text())
def test_the_importer_gets_back_exactly_the_text_that_was_guarded(text: str) -> None:
    assert unguarded(guarded(text)) == text


@given(st.text())
def test_no_guarded_cell_starts_like_a_formula(text: str) -> None:
    assert not guarded(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_every_table_starts_with_its_header_row_in_a_fixed_order() -> None:
    text = csv_text(COLUMNS["diary"], [["2026-01-05", "4", "", "true", "walking", "", "'=x"]])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [
        "date",
        "leg_pain",
        "back_pain",
        "flare",
        "self_care",
        "active_minutes",
        "note",
    ]
    assert rows[1][-1] == "'=x"


def test_assessment_columns_name_each_questionnaire_item_by_number() -> None:
    columns = COLUMNS["assessments"]
    assert [c for c in columns if c.startswith("odi_")] == [f"odi_{n}" for n in range(1, 11)]
    assert [c for c in columns if c.startswith("startback_")] == [
        f"startback_{n}" for n in range(1, 10)
    ]
    assert {"pain_regions", "numbness_regions", "tingling_regions"} <= set(columns)
