"""Reading diary and assessment tables: every bad cell named by line and column, or the records."""

from datetime import date

import pytest

from sciatica_care.services.errors import InputProblems
from sciatica_care.sharing.csv.importer import column_of, entry_of, read_records

TODAY = date(2026, 2, 1)


def problems_of(raw: bytes, kind: str = "diary") -> list[str]:
    """The problems reading `raw` reports (the test fails if it reads cleanly)."""
    with pytest.raises(InputProblems) as refused:
        read_records(raw, kind=kind, source="ada.csv", today=TODAY)
    return refused.value.problems


def test_a_pain_score_out_of_range_is_named_by_line_and_column() -> None:
    raw = b"date,leg_pain\n2026-01-05,4\n2026-01-06,5\n2026-01-07,6\n"
    raw += b"2026-01-08,3\n2026-01-09,2\n2026-01-10,11\n"
    assert problems_of(raw) == ["ada.csv:7: leg_pain: must be an integer 0..10, got 11"]


def test_every_bad_cell_of_every_row_is_reported_not_just_the_first() -> None:
    raw = (
        b"date,leg_pain,back_pain,flare,self_care\n"
        b"2026-01-05,x,12,maybe,walking;yoga\n"
        b"\n"
        b"2099-01-01,3,3,no,\n"
        b",1,1,,\n"
    )
    assert problems_of(raw) == [
        'ada.csv:2: leg_pain: must be an integer 0..10, got "x"',
        "ada.csv:2: back_pain: must be an integer 0..10, got 12",
        'ada.csv:2: flare: must be true or false, got "maybe"',
        'ada.csv:2: self_care: must be a self-care item, got "yoga"',
        "ada.csv:4: date: is after today (2026-02-01), got 2099-01-01",
        "ada.csv:5: date: is required",
    ]


def test_a_quoted_cell_over_several_lines_keeps_the_next_rows_line_numbers_true() -> None:
    raw = b'date,leg_pain,note\n2026-01-05,3,"one\ntwo"\n2026-01-06,13,\n'
    assert problems_of(raw) == ["ada.csv:4: leg_pain: must be an integer 0..10, got 13"]


def test_questionnaire_items_are_named_by_their_column() -> None:
    raw = b"date,odi_1,odi_4,startback_1\n2026-01-05,2,6,1\n"
    found = problems_of(raw, "assessments")
    assert "ada.csv:2: odi_4: must be an integer 0..5, got 6" in found
    assert "ada.csv:2: startback_2: must be an integer 0..1, got an empty cell" in found


def test_a_body_map_region_that_does_not_exist_names_its_layer_column() -> None:
    raw = b"date,numbness_regions\n2026-01-05,dorsum_of_foot_left;elbow\n"
    assert problems_of(raw, "assessments") == [
        'ada.csv:2: numbness_regions: must be a body-map region, got "elbow"'
    ]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "ada.csv:1: empty file; a header row is required"),
        (b"2026-01-05,4\n", "ada.csv:1: 2026-01-05: unknown column for diary"),
        (b"date,leg_pain,mood\n", "ada.csv:1: mood: unknown column for diary"),
        (b"date,leg_pain,leg_pain\n", "ada.csv:1: leg_pain: column given twice"),
        (b"leg_pain\n4\n", "ada.csv:1: date: column is required"),
        (b"date;leg_pain\n", "ada.csv:1: the cells are separated by ';'"),
        (b"date,,leg_pain\n", "ada.csv:1: column 2 has no name"),
        (b"date,leg_pain\n2026-01-05,4,5\n", "ada.csv:2: has 3 cells but the header has 2"),
        (b"date,note\n2026-01-05,\xe9t\xe9\n", "ada.csv:2: not UTF-8 text (byte 0xe9)"),
        (b"date,note\n2026-01-05,a\x00b\n", "ada.csv:2: a NUL byte"),
        (b'date,note\n2026-01-05,"' + b"x" * 200_000 + b'"\n', "ada.csv:2: not readable as CSV"),
    ],
)
def test_a_file_that_cannot_be_read_as_a_table_says_where(raw: bytes, problem: str) -> None:
    assert any(found.startswith(problem) for found in problems_of(raw)), problems_of(raw)


def test_sessions_are_not_importable() -> None:
    assert problems_of(b"date\n", "sessions") == [
        "--kind: must be diary or assessments, got 'sessions'"
    ]


def test_a_good_diary_reads_as_history_records() -> None:
    raw = (
        "\ufeffdate,leg_pain,back_pain,flare,self_care,active_minutes,note\r\n"
        "2026-01-05,4,,true,walking;heat,30,'=not a formula\r\n"
        "2026-01-06,3,2,false,,,café\r\n"
    ).encode()
    history = read_records(raw, kind="diary", source="ada.csv", today=TODAY)
    first, second = history.diary
    assert (first.leg_pain, first.back_pain, first.flare) == (4, None, True)
    assert first.self_care == ("walking", "heat")
    assert first.active_minutes == 30
    assert first.note == "=not a formula"
    assert (second.flare, second.self_care, second.note) == (False, (), "café")


def test_an_assessment_row_gathers_items_and_layers() -> None:
    cells = {f"odi_{n}": str(n % 6) for n in range(1, 11)} | {"odi_8": "", "date": "2026-01-05"}
    cells |= {f"startback_{n}": "1" for n in range(1, 10)} | {"pain_regions": "buttock_left"}
    entry = entry_of("assessments", cells)
    assert entry["odi"] == [1, 2, 3, 4, 5, 0, 1, None, 3, 4]
    assert entry["startback"] == [1] * 9
    assert entry["regions"] == {"pain": ["buttock_left"]}


def test_an_assessment_without_answers_has_no_questionnaires() -> None:
    cells = {"date": "2026-01-05", "leg_pain": "5", "odi_1": "", "startback_1": " "}
    assert entry_of("assessments", cells) == {"date": "2026-01-05", "leg_pain": 5}


@pytest.mark.parametrize(
    ("path", "column"),
    [
        ("odi[0]", "odi_1"),
        ("startback[8]", "startback_9"),
        ("regions.tingling[2]", "tingling_regions"),
        ("self_care[1]", "self_care"),
        ("leg_pain", "leg_pain"),
    ],
)
def test_a_history_field_path_maps_to_its_csv_column(path: str, column: str) -> None:
    assert column_of(path) == column


def test_an_unterminated_quote_is_named_where_it_opens_not_swallowing_the_rows_after_it() -> None:
    rows = "".join(f"2026-01-{day:02d},{day % 10},ok\n" for day in range(2, 30))
    raw = ('date,leg_pain,note\n2026-01-01,5,"he said ""hi\n' + rows).encode()
    assert problems_of(raw) == [
        "ada.csv:2: a quoted cell opens on this line and is never closed "
        "(it runs to the end of the file, line 30); close or remove the quote"
    ]


def test_a_stray_quote_is_refused_and_the_rows_after_it_are_still_checked() -> None:
    raw = b'date,leg_pain,note\n2026-01-05,3,"a"b\n2026-01-06,12,\n'
    assert problems_of(raw) == [
        "ada.csv:2: not readable as CSV: ',' expected after '\"'",
        "ada.csv:3: leg_pain: must be an integer 0..10, got 12",
    ]


def test_a_row_with_too_few_or_too_many_cells_is_refused_with_every_other_problem() -> None:
    raw = b"date,leg_pain,note\n2026-01-05,5\n2026-01-06,11,x\n2026-01-07,4,x,y\n"
    assert problems_of(raw) == [
        "ada.csv:2: has 2 cells but the header has 3",
        "ada.csv:3: leg_pain: must be an integer 0..10, got 11",
        "ada.csv:4: has 4 cells but the header has 3",
    ]


@pytest.mark.parametrize("raw", [b"date,leg_pain\n", b"date,leg_pain\r\n\r\n,\n"])
def test_a_header_without_rows_is_a_problem(raw: bytes) -> None:
    assert problems_of(raw) == ["ada.csv:2: no rows below the header row; nothing to import"]
