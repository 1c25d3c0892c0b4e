"""Safety properties of clearances (protocol 2026.2, C1-C4) over generated histories."""

import json
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_care.domain.codes import PRESSURES, REGIONS, TECHNIQUES
from sciatica_care.engine import default_protocol, plan_history, plan_json
from tests.property.strategies import TODAY, Json, assessments, iso, sessions

PROTOCOL = default_protocol()
CLEARABLE = sorted(
    c for c, f in PROTOCOL.findings.items() if f.finding_class in ("see_doctor", "clearance_needed")
)
ALERT = sorted(
    c for c, f in PROTOCOL.findings.items() if f.finding_class in ("emergency", "urgent")
)
MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

conditions = st.fixed_dictionaries(
    {},
    optional={
        "max_pressure": st.sampled_from(PRESSURES),
        "avoid_techniques": st.lists(st.sampled_from(TECHNIQUES), max_size=2, unique=True),
        "avoid_regions": st.lists(st.sampled_from(REGIONS), max_size=3, unique=True),
    },
)
screenings = st.fixed_dictionaries(
    {
        "date": st.integers(0, 20).map(iso),  # current: a stale screening holds anyway
        # Mostly clearable findings, now and then a red flag that no clearance may lift.
        "findings": st.lists(st.sampled_from(CLEARABLE * 4 + ALERT), max_size=2, unique=True),
    }
)


@st.composite
def histories(draw: st.DrawFn) -> Json:
    """Histories whose clearances often name a finding screened, dated in its run."""
    screened = draw(st.lists(screenings, min_size=1, max_size=3))
    listed = sorted({code for s in screened for code in s["findings"]})
    clearances = []
    for _ in range(draw(st.integers(0, 3))):
        back = draw(st.just(0) | st.integers(0, 60))  # today's covers every run
        clearance: Json = {
            "date": iso(back),
            "finding": draw(st.sampled_from([c for c in listed if c in CLEARABLE] or CLEARABLE)),
            "by": draw(st.sampled_from(["Dr A. Example", "Dr A. Example", "Dr B", "", "   "])),
            "role": "GP",
        }
        if draw(st.booleans()):
            clearance["expires"] = iso(back - draw(st.integers(0, 120)))
        if draw(st.booleans()):
            clearance["conditions"] = draw(conditions)
        clearances.append(clearance)
    history: Json = {
        "schema": "sciatica-care/history@1",
        "today": TODAY.isoformat(),
        "screenings": screened,
        "clearances": clearances,
        "assessments": draw(st.lists(assessments, max_size=3)),
    }
    if draw(st.booleans()):
        history["sessions"] = draw(st.lists(sessions, max_size=3))
    return history


def plan_of(history: Json) -> dict[str, Any]:
    plan = plan_history(json.dumps(history), system_today=TODAY)
    value: dict[str, Any] = msgspec.json.decode(plan_json(plan))
    return value


def valid(history: Json) -> bool:
    return all(c.get("expires") is None or c["expires"] >= c["date"] for c in history["clearances"])


@MANY
@given(histories())
def test_no_clearance_without_a_named_clinician_or_past_its_expiry_lifts_anything(
    history: Json,
) -> None:
    if not valid(history):
        return
    plan = plan_of(history)
    for finding in plan["triage"]["findings"]:
        if finding["cleared"]:
            shown = finding["clearance"]
            assert shown["by"]
            assert shown["by"].strip()
            assert shown["expires"] >= TODAY.isoformat()
            assert any(
                c["finding"] == finding["code"]
                and c.get("by", "").strip()
                and c["date"] == shown["date"]
                for c in history["clearances"]
            )


@MANY
@given(histories())
def test_a_clearance_never_lifts_an_emergency_or_urgent_finding(history: Json) -> None:
    if not valid(history):
        return
    plan = plan_of(history)
    for finding in plan["triage"]["findings"]:
        if finding["code"] in ALERT:
            assert not finding["cleared"]
    if any(f["level"] in ("emergency", "urgent") for f in plan["triage"]["findings"]):
        assert plan["massage"]["status"] == "on_hold"


@MANY
@given(histories())
def test_the_conditions_of_every_clearance_in_force_are_obeyed(history: Json) -> None:
    if not valid(history):
        return
    plan = plan_of(history)
    massage = plan["massage"]
    for finding in plan["triage"]["findings"]:
        given_conditions = (finding["clearance"] or {}).get("conditions") or {}
        if not finding["cleared"] or not given_conditions:
            continue
        for region in given_conditions.get("avoid_regions", []):
            assert region in massage["avoid_regions"]
        if massage["status"] == "on_hold":
            continue
        cap = given_conditions.get("max_pressure")
        if cap is not None:
            assert PRESSURES.index(massage["max_pressure"]) <= PRESSURES.index(cap)
        for technique in given_conditions.get("avoid_techniques", []):
            assert technique not in massage["techniques"]
    over = {area for region in massage["avoid_regions"] for area in PROTOCOL.areas_over[region]}
    assert not over & set(massage["focus_areas"])
