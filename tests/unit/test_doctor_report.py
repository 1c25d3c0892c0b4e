"""The report for the doctor: the facts gathered from a history, and the PDF that shows them."""

import io
from datetime import date
from typing import Any

import pypdf
import pytest

from sciatica_care.engine import default_protocol
from sciatica_care.services.planning import plan_of
from sciatica_care.sharing.report.facts import (
    DoctorReport,
    Screened,
    build_report,
    last_full_screening,
)
from sciatica_care.sharing.report.pdf import render
from tests.paths import ROOT

TODAY = date(2026, 3, 2)
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def make_history(**overrides: Any) -> dict[str, Any]:
    """A client screened twice, assessed three times and massaged twice."""
    history: dict[str, Any] = {
        "schema": "sciatica-care/history@1",
        "client": {"birth_year": 1971, "sex": "female"},
        "screenings": [
            {"date": "2026-01-05", "findings": ["cancer_history"]},
            {"date": "2026-02-20", "findings": ["anticoagulants"]},
        ],
        "assessments": [
            {"date": "2026-01-05", "leg_pain": 7, "back_pain": 4, "odi": [3] * 10},
            {"date": "2026-02-02", "leg_pain": 5, "back_pain": 3, "odi": [2] * 10},
            {"date": "2026-02-28", "leg_pain": 3, "back_pain": 2, "odi": [1] * 10},
        ],
        "sessions": [
            {"date": "2026-01-12", "techniques": ["swedish"], "areas": ["gluteals"]},
            {"date": "2026-02-09", "techniques": ["swedish", "trigger_point"], "areas": ["calves"]},
        ],
    }
    history.update(overrides)
    return history


def report_of(name: str = "Ada Lovelace", **overrides: Any) -> DoctorReport:
    protocol = default_protocol()
    document = make_history(**overrides)
    plan = plan_of(document, today=TODAY, protocol=protocol)
    return build_report(name=name, document=document, plan=plan, protocol=protocol)


def pdf_text(report: DoctorReport) -> tuple[str, int]:
    """The PDF's text on one line, and how many pages it has."""
    reader = pypdf.PdfReader(io.BytesIO(render(report)))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def test_only_the_latest_screening_counts_and_its_negatives_are_kept() -> None:
    report = report_of()
    answers = {item.code: item.present for item in report.screening}
    assert report.screened_on == date(2026, 2, 20)
    assert answers["anticoagulants"] is True
    assert answers["cancer_history"] is False
    assert answers["saddle_numbness"] is False
    assert len(answers) == len(default_protocol().findings)
    assert report.screening[0].finding_class == "emergency"


def test_a_see_doctor_finding_asks_the_doctor_a_question() -> None:
    report = report_of(screenings=[{"date": "2026-02-20", "findings": ["cancer_history"]}])
    assert report.triage_level == "see_doctor"
    assert report.question is not None
    assert [f.code for f in report.question.findings] == ["cancer_history"]
    assert "See a doctor within the next few days" in report.question.action


def test_a_client_with_precautions_only_has_no_question_for_the_doctor() -> None:
    report = report_of()
    assert report.triage_level == "precautions"
    assert report.question is None


def test_trends_keep_first_and_latest_pain_and_oswestry() -> None:
    leg, back, odi = report_of().trends
    assert (leg.first, leg.latest) == ((date(2026, 1, 5), 7), (date(2026, 2, 28), 3))
    assert (back.first, back.latest) == ((date(2026, 1, 5), 4), (date(2026, 2, 28), 2))
    assert odi.first == (date(2026, 1, 5), 60.0)
    assert odi.latest == (date(2026, 2, 28), 20.0)


def test_sessions_given_are_counted_with_their_dates_and_techniques() -> None:
    sessions = report_of().sessions
    assert sessions.count == 2
    assert sessions.dates == (date(2026, 1, 12), date(2026, 2, 9))
    assert sessions.techniques == ("swedish", "trigger point")


def test_the_plan_lines_name_their_rules() -> None:
    rules = {line.rule for line in report_of().plan}
    assert "precaution.light_pressure_only" in rules
    assert "complementary.exercise_therapy" in rules


def test_the_pdf_shows_the_facts_a_doctor_needs() -> None:
    text, pages = pdf_text(report_of())
    assert pages <= 2
    assert "Ada Lovelace" in text
    assert "born 1971; sex: female" in text
    assert "Triage Precautions:" in text
    assert "Saddle numbness or altered perineal sensation (emergency) asked: no" in text
    assert "Anticoagulants (precaution) present" in text
    assert "First 7 (5 Jan 2026); latest 3 (28 Feb 2026)" in text
    assert "First 60 (5 Jan 2026); latest 20 (28 Feb 2026)" in text
    assert "2 sessions: 12 Jan 2026, 9 Feb 2026. Techniques: swedish, trigger point." in text
    assert "precaution.light_pressure_only" in text
    assert "Question for the doctor" not in text


def test_the_pdf_of_a_see_doctor_client_asks_the_doctor() -> None:
    report = report_of(screenings=[{"date": "2026-02-20", "findings": ["cancer_history"]}])
    text, _ = pdf_text(report)
    assert "Question for the doctor (triage: see a doctor)" in text
    assert "History of cancer" in text
    assert "Protocol action: A history of cancer means back pain may come" in text


def test_typst_markup_in_a_name_is_printed_as_typed() -> None:
    name = 'Ada #panic("no") *bold* $x$ <l> @ref \\ [b] // c'
    text, _ = pdf_text(report_of(name=name))
    assert name in text


def test_a_client_with_no_records_still_gets_a_report() -> None:
    report = report_of(client={}, screenings=[], assessments=[], sessions=[])
    text, _ = pdf_text(report)
    assert report.triage_level == "unscreened"
    assert "No red-flag screening is on record." in text
    assert "No massage sessions on record." in text
    assert "birth year not recorded" in text


def test_page_one_is_kept_as_a_screenshot() -> None:
    report = report_of(screenings=[{"date": "2026-02-20", "findings": ["cancer_history"]}])
    png = render(report, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "doctor-report-page-1.png").write_bytes(png)


def row(report: DoctorReport, code: str) -> Screened:
    (found,) = [item for item in report.screening if item.code == code]
    return found


CLEAN = {"date": "2026-02-20", "findings": []}
SADDLE_MAP = {"date": "2026-02-28", "leg_pain": 6, "regions": {"numbness": ["saddle"]}}


def test_a_body_map_sign_is_present_in_the_checks_not_asked_no() -> None:
    report = report_of(screenings=[CLEAN], assessments=[SADDLE_MAP])
    assert report.triage_level == "emergency"
    saddle = row(report, "saddle_numbness")
    assert (saddle.present, saddle.source) == (True, "body_map")
    assert row(report, "bladder_change").asked_on == date(2026, 2, 20)
    text, _ = pdf_text(report)
    assert "Saddle numbness or altered perineal sensation (emergency) present (body map)" in text
    assert "Saddle numbness or altered perineal sensation (emergency) asked: no" not in text
    assert "New bladder disturbance (hesitancy, retention, incontinence) (emergency) asked: no" in (
        text
    )
    assert '"Present (body map)": a sign marked on the latest body map.' in text
    assert "Every finding not listed as present was asked and answered no" not in text


def test_both_legs_on_the_body_map_is_present_with_its_source() -> None:
    both = {
        "date": "2026-02-28",
        "regions": {"pain": ["posterior_calf_left", "posterior_calf_right"]},
    }
    report = report_of(screenings=[CLEAN], assessments=[both])
    legs = row(report, "bilateral_leg_symptoms")
    assert (legs.present, legs.source) == (True, "body_map")
    assert report.question is not None
    assert "bilateral_leg_symptoms" in [f.code for f in report.question.findings]


def test_a_check_in_sign_does_not_make_the_other_checks_asked_no_on_its_date() -> None:
    # entries.report_signs stores a sign as the current findings plus the sign, dated today.
    signs = {"date": "2026-03-01", "findings": ["anticoagulants", "bladder_change"]}
    report = report_of(screenings=[*make_history()["screenings"], signs])
    assert report.screened_on == date(2026, 3, 1)
    assert report.asked_on == date(2026, 2, 20)
    assert row(report, "bladder_change").present is True
    assert row(report, "saddle_numbness").asked_on == date(2026, 2, 20)
    text, _ = pdf_text(report)
    assert "It may be a check-in report of new signs" in text
    assert "Saddle numbness or altered perineal sensation (emergency) asked: no (20 Feb 2026)" in (
        text
    )


def test_a_screening_that_may_be_only_a_check_in_says_not_recorded() -> None:
    report = report_of(screenings=[{"date": "2026-03-01", "findings": ["bladder_change"]}])
    assert report.asked_on is None
    saddle = row(report, "saddle_numbness")
    assert (saddle.present, saddle.asked_on) == (False, None)
    text, _ = pdf_text(report)
    assert "Saddle numbness or altered perineal sensation (emergency) not recorded" in text
    assert 'A finding no screening is known to have asked is "not recorded".' in text
    assert "asked: no" not in text


def test_a_body_map_sign_without_any_screening_is_still_shown_as_present() -> None:
    report = report_of(screenings=[], assessments=[SADDLE_MAP])
    assert row(report, "saddle_numbness").source == "body_map"
    text, _ = pdf_text(report)
    assert "No red-flag screening is on record." in text
    assert "(emergency) present (body map)" in text
    assert "Symptoms in both legs (emergency) not recorded" in text


@pytest.mark.parametrize(
    ("findings", "full"),
    [
        ([], None),
        ([[]], 0),
        ([["pregnancy"]], None),
        ([[], ["bladder_change"]], 0),
        ([["pregnancy"], ["bladder_change"]], 1),
        ([["pregnancy"], ["pregnancy", "bladder_change"], ["pregnancy", "bladder_change"]], None),
        ([[], ["pregnancy"], ["pregnancy", "bladder_change"]], 0),
        ([["pregnancy", "diabetes"], ["diabetes"], ["diabetes", "bladder_change"]], 1),
    ],
)
def test_the_last_full_screening_is_the_latest_that_cannot_be_a_check_in_report(
    findings: list[list[str]], full: int | None
) -> None:
    days = [date(2026, 1, 1 + n) for n in range(len(findings))]
    dated = [(day, frozenset(codes)) for day, codes in zip(days, findings, strict=True)]
    assert last_full_screening(dated) == (None if full is None else days[full])
