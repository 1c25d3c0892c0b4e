"""The report for the doctor as a PDF (or a PNG of its first page), typeset with Typst.

The report's values reach the template as one JSON input that the template shows as text, so a
name or note can never be read as Typst markup. Only the fonts built into Typst are used: the
same report on every machine.
"""

import json
from datetime import UTC, date, datetime
from importlib.resources import files
from typing import Any, Literal

import typst

from sciatica_care.domain.vocabulary import words
from sciatica_care.sharing.report.facts import (
    DoctorReport,
    Screened,
    SessionsGiven,
    Trend,
)

TEMPLATE = files("sciatica_care.sharing.report") / "doctor_report.typ"
DATES_LISTED = 12


def render(report: DoctorReport, fmt: Literal["pdf", "png"] = "pdf", ppi: float = 110) -> bytes:
    """The report as PDF bytes, or its first page as PNG bytes."""
    source = TEMPLATE.read_bytes()
    moment = datetime(report.made_on.year, report.made_on.month, report.made_on.day, tzinfo=UTC)
    out = typst.compile(
        source,
        format=fmt,
        ppi=ppi if fmt == "png" else None,
        ignore_system_fonts=True,
        sys_inputs={"report": json.dumps(report_data(report))},
        timestamp=moment,
    )
    if isinstance(out, list):  # PNG: one image per page
        return out[0]
    return out


def day(value: date) -> str:
    """A date as people read it: `3 Mar 2026`."""
    return f"{value.day} {value:%b %Y}"


def report_data(report: DoctorReport) -> dict[str, Any]:
    """Everything the template shows, as text and chart coordinates."""
    return {
        "name": report.name,
        "person": _person(report),
        "made_on": day(report.made_on),
        "protocol": report.protocol,
        "question": _question(report),
        "triage_level": words(report.triage_level).capitalize(),
        "triage_action": report.triage_action,
        "screened_on": _checks_said(report),
        "screening": [_screened(s, report.screened_on) for s in report.screening],
        "nerve_root": _nerve_root(report),
        "trends": [_trend(t) for t in report.trends],
        "sessions": _sessions(report.sessions),
        "plan": [{"topic": p.topic, "text": p.text, "rule": p.rule} for p in report.plan],
    }


def _person(report: DoctorReport) -> str:
    born = f"born {report.birth_year}" if report.birth_year else "birth year not recorded"
    return f"{born}; sex: {report.sex or 'not recorded'}"


def _checks_said(report: DoctorReport) -> str:
    """The sentence above the checks: where "present", "no" and "not recorded" come from."""
    said = []
    if report.screened_on is None:
        said.append("No red-flag screening is on record.")
    else:
        said.append(f"Latest screening: {day(report.screened_on)}.")
        if report.asked_on != report.screened_on:
            said.append(
                "It may be a check-in report of new signs, which asks nothing else and keeps the"
                " findings already present."
            )
        if report.asked_on is None:
            said.append('A finding no screening is known to have asked is "not recorded".')
        elif report.asked_on == report.screened_on:
            said.append('"Asked: no" means asked at that screening and answered no.')
        else:
            said.append(
                f'"Asked: no ({day(report.asked_on)})": asked at the full screening of that date'
                " and answered no; no later screening lists it."
            )
    if report.body_map_signs:
        said.append('"Present (body map)": a sign marked on the latest body map.')
    return " ".join(said)


def _screened(item: Screened, screened_on: date | None) -> dict[str, Any]:
    if not item.present:
        asked = item.asked_on
        answer = "not recorded" if asked is None else "asked: no"
        answer += f" ({day(asked)})" if asked is not None and asked != screened_on else ""
    elif item.source == "body_map":
        answer = "present (body map)"
    elif item.cleared_by:
        answer = f"present, cleared by {item.cleared_by}"
    else:
        answer = "present"
    return {
        "words": item.words,
        "class": words(item.finding_class),
        "present": item.present,
        "answer": answer,
    }


def _question(report: DoctorReport) -> dict[str, Any] | None:
    question = report.question
    if question is None:
        return None
    return {
        "level": words(question.level),
        "ask": "Please assess the client for these findings; massage waits for your answer:",
        "findings": [f.words for f in question.findings],
        "action": f"Protocol action: {question.action}",
    }


def _nerve_root(report: DoctorReport) -> str:
    if report.nerve_root is None:
        return f"No root suggested. {report.nerve_root_reason}"
    confidence = report.nerve_root_confidence or "unknown"
    return f"{report.nerve_root} (confidence: {confidence}). {report.nerve_root_reason}"


def _number(value: float) -> str:
    return f"{value:g}"


def _trend(trend: Trend) -> dict[str, Any]:
    """A trend as points in the unit square (x by date, y by value) and its summary line."""
    first, latest = trend.first, trend.latest
    if first is None or latest is None:
        return {"name": trend.name, "points": [], "grid": [0.5], "summary": "No readings."}
    span = max((latest[0] - first[0]).days, 1)
    only_one = len(trend.points) == 1
    points = [
        {"x": 0.5 if only_one else (d - first[0]).days / span, "y": v / trend.scale_max}
        for d, v in trend.points
    ]
    summary = (
        f"First {_number(first[1])} ({day(first[0])}); latest {_number(latest[1])}"
        f" ({day(latest[0])}); {len(points)} readings."
    )
    return {"name": trend.name, "points": points, "grid": [0.25, 0.5, 0.75], "summary": summary}


def _sessions(sessions: SessionsGiven) -> str:
    if sessions.count == 0:
        return "No massage sessions on record."
    shown = [day(d) for d in sessions.dates[-DATES_LISTED:]]
    earlier = sessions.count - len(shown)
    dates = ("…, " if earlier else "") + ", ".join(shown)
    techniques = ", ".join(sessions.techniques) or "not recorded"
    plural = "session" if sessions.count == 1 else "sessions"
    return f"{sessions.count} {plural}: {dates}. Techniques: {techniques}."
