"""Hypothesis strategies for history@1 documents, valid and broken, as plain JSON values."""

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from sciatica_care.domain.codes import (
    AREAS,
    FINDING_CODES,
    PRESSURES,
    REGIONS,
    SELF_CARE_ITEMS,
    TECHNIQUES,
)

TODAY = date(2026, 6, 1)
Json = dict[str, Any]

days_back = st.integers(min_value=0, max_value=200)
pain = st.integers(min_value=0, max_value=10)
maybe_pain = st.none() | pain


def iso(back: int) -> str:
    """The ISO date `back` days before TODAY."""
    return (TODAY - timedelta(days=back)).isoformat()


dates = days_back.map(iso)


@st.composite
def findings(draw: st.DrawFn) -> list[Any]:
    """A screening's findings: bare codes or objects with regions."""
    codes = draw(st.lists(st.sampled_from(FINDING_CODES), max_size=4, unique=True))
    out: list[Any] = []
    for code in codes:
        if draw(st.booleans()):
            out.append(code)
        else:
            regions = draw(st.lists(st.sampled_from(REGIONS), max_size=2, unique=True))
            out.append({"code": code, "regions": regions})
    return out


regions = st.fixed_dictionaries(
    {},
    optional={
        layer: st.lists(st.sampled_from(REGIONS), max_size=4, unique=True)
        for layer in ("pain", "numbness", "tingling")
    },
)

assessments = st.fixed_dictionaries(
    {"date": dates},
    optional={
        "leg_pain": maybe_pain,
        "back_pain": maybe_pain,
        "odi": st.lists(st.none() | st.integers(0, 5), min_size=10, max_size=10),
        "startback": st.lists(st.integers(0, 1), min_size=9, max_size=9),
        "regions": regions,
    },
)
sessions = st.fixed_dictionaries(
    {"date": dates},
    optional={
        "techniques": st.lists(st.sampled_from(TECHNIQUES), max_size=3, unique=True),
        "areas": st.lists(st.sampled_from(AREAS), max_size=3, unique=True),
        "pressure": st.sampled_from(PRESSURES),
        "minutes": st.integers(15, 120),
        "pain_before": pain,
        "pain_after": pain,
    },
)
diary = st.fixed_dictionaries(
    {"date": dates},
    optional={
        "leg_pain": pain,
        "back_pain": pain,
        "active_minutes": st.integers(0, 300),
        "self_care": st.lists(st.sampled_from(SELF_CARE_ITEMS), max_size=3, unique=True),
        "flare": st.booleans(),
        "note": st.sampled_from(["walked to the shop", "Numb when I wipe", "pain in BOTH legs"]),
    },
)
screenings = st.fixed_dictionaries({"date": dates, "findings": findings()})
clearances = st.fixed_dictionaries(
    {"date": dates, "finding": st.sampled_from(FINDING_CODES)},
    optional={
        "by": st.sampled_from(["Dr A. Example", "", "   "]),
        "role": st.sampled_from(["GP", "midwife", ""]),
    },
)

histories = st.fixed_dictionaries(
    {"schema": st.just("sciatica-care/history@1"), "today": st.just(TODAY.isoformat())},
    optional={
        "client": st.fixed_dictionaries(
            {}, optional={"birth_year": st.integers(1930, 2008), "sex": st.just("female")}
        ),
        "screenings": st.lists(screenings, max_size=3),
        "clearances": st.lists(clearances, max_size=2),
        "assessments": st.lists(assessments, max_size=6),
        "sessions": st.lists(sessions, max_size=5),
        "diary": st.lists(diary, max_size=12),
    },
)

# One change that makes a valid document bad, with a word the error must name.
BREAKS: list[tuple[str, Any]] = [
    ("leg_pain", 11),
    ("leg_pain", -1),
    ("leg_pain", "5"),
    ("leg_pain", 5.5),
    ("leg_pain", True),
    ("date", "2026-13-01"),
    ("date", (TODAY + timedelta(days=3)).isoformat()),
    ("date", 20260101),
    ("odi", [1, 2, 3]),
    ("odi", [6, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("startback", [0, 1, 2, 0, 0, 0, 0, 0, 0]),
    ("startback", [0] * 10),
    ("regions", {"pain": ["elbow_left"]}),
    ("regions", {"pain": "knee_left"}),
]


@st.composite
def broken_histories(draw: st.DrawFn) -> tuple[Json, str]:
    """A valid history with one assessment broken, and the JSON path the error must name."""
    history: Json = draw(histories)
    entries = history.setdefault("assessments", [])
    if not entries:
        entries.append({"date": iso(1), "leg_pain": 4})
    index = draw(st.integers(0, len(entries) - 1))
    key, value = draw(st.sampled_from(BREAKS))
    entries[index] = {**entries[index], key: value}
    return history, f"assessments[{index}].{key}"
