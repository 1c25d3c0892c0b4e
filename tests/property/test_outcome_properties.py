"""Safety properties of protocol 2026.2 A1, B1 and B2: open alerts, outcomes, answers not asked."""

import json
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_care.domain.codes import FINDING_CODES
from sciatica_care.engine import default_protocol, plan_history, plan_json
from tests.property.strategies import TODAY, Json, assessments, dates, diary, findings, iso

PROTOCOL = default_protocol()
ALERT = {c for c, f in PROTOCOL.findings.items() if f.finding_class in ("emergency", "urgent")}
MUST_ASK = PROTOCOL.rule("triage.must_ask").words("findings")
MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def plan_of(history: Json) -> dict[str, Any]:
    plan = plan_history(json.dumps(history), system_today=TODAY)
    value: dict[str, Any] = msgspec.json.decode(plan_json(plan))
    return value


def code_of(finding: Any) -> str:
    return finding if isinstance(finding, str) else finding["code"]


@st.composite
def screenings(draw: st.DrawFn) -> Json:
    """A screening: yes answers, maybe no answers (never the same item), maybe from a check-in."""
    found = draw(findings())
    screening: Json = {"date": draw(dates), "findings": found}
    if draw(st.booleans()):
        yes = {code_of(f) for f in found}
        others = [code for code in FINDING_CODES if code not in yes]
        screening["negatives"] = draw(st.lists(st.sampled_from(others), unique=True))
    if draw(st.booleans()):
        screening["source"] = draw(st.sampled_from(["screening", "check_in"]))
    return screening


outcomes = st.fixed_dictionaries(
    {
        "date": dates,
        "finding": st.sampled_from(sorted(ALERT)),
        "result": st.sampled_from(["excluded", "treated", "seen_no_action"]),
    },
    optional={"by": st.sampled_from(["Dr A. Example", "", "  "]), "role": st.just("GP")},
)
histories = st.fixed_dictionaries(
    {
        "schema": st.just("sciatica-care/history@1"),
        "today": st.just(TODAY.isoformat()),
        "screenings": st.lists(screenings(), max_size=4),
    },
    optional={
        "client": st.fixed_dictionaries({"birth_year": st.integers(1940, 2000)}),
        "outcomes": st.lists(outcomes, max_size=3),
        "assessments": st.lists(assessments, max_size=3),
        "diary": st.lists(diary, max_size=4),
    },
)


def open_alerts(history: Json) -> set[str]:
    """Screened emergency or urgent codes whose latest report no named outcome has closed."""
    latest: dict[str, str] = {}
    for screening in history["screenings"]:
        for finding in screening["findings"]:
            code = code_of(finding)
            if code in ALERT:
                latest[code] = max(latest.get(code, ""), screening["date"])
    closed = {
        o["finding"]
        for o in history.get("outcomes", [])
        if o.get("by", "").strip() and o["finding"] in latest and o["date"] >= latest[o["finding"]]
    }
    return set(latest) - closed


@MANY
@given(histories)
def test_an_alert_without_a_named_outcome_always_holds_massage(history: Json) -> None:
    still_open = open_alerts(history)
    plan = plan_of(history)
    if still_open:
        assert plan["massage"]["status"] == "on_hold"
        assert plan["triage"]["level"] in ("emergency", "urgent")
        listed = {f["code"] for f in plan["triage"]["findings"] if f["awaiting"] == "outcome"}
        assert still_open <= listed


@MANY
@given(
    histories,
    st.sampled_from(sorted(ALERT)),
    st.integers(min_value=1, max_value=60),
    st.sampled_from(["", "   ", None]),
)
def test_a_later_blank_screening_or_an_unnamed_outcome_never_closes_an_alert(
    history: Json, code: str, gap: int, unnamed: str | None
) -> None:
    reported = iso(gap)
    blank = {"date": iso(gap - 1), "findings": [], "negatives": list(FINDING_CODES)}
    outcome: Json = {"date": iso(gap - 1), "finding": code, "result": "excluded"}
    if unnamed is not None:
        outcome["by"] = unnamed
    history = {
        **history,
        "screenings": [*history["screenings"], {"date": reported, "findings": [code]}, blank],
        "outcomes": [o for o in history.get("outcomes", []) if o["finding"] != code] + [outcome],
    }
    plan = plan_of(history)
    assert plan["massage"]["status"] == "on_hold"
    assert plan["cadence"]["next_session"] is None
    assert plan["triage"]["level"] in ("emergency", "urgent")


@MANY
@given(st.lists(st.sampled_from(MUST_ASK), min_size=1, unique=True), st.integers(0, 29))
def test_a_must_ask_item_not_asked_is_never_read_as_a_no(left_out: list[str], back: int) -> None:
    negatives = [code for code in FINDING_CODES if code not in left_out]
    history = {
        "schema": "sciatica-care/history@1",
        "today": TODAY.isoformat(),
        "screenings": [{"date": iso(back), "findings": [], "negatives": negatives}],
        "assessments": [{"date": iso(back), "leg_pain": 4}],
    }
    plan = plan_of(history)
    assert plan["massage"]["status"] == "on_hold"
    assert set(left_out) <= set(plan["triage"]["unknown"])
    assert plan["triage"]["level"] != "clear"


@MANY
@given(histories)
def test_a_screening_older_than_the_protocol_allows_always_holds_massage(history: Json) -> None:
    full = [s["date"] for s in history["screenings"] if s.get("source", "screening") == "screening"]
    too_old = PROTOCOL.rule("triage.screening_stale").number("max_days")
    if not full or max(full) >= iso(too_old):
        return
    plan = plan_of(history)
    assert plan["massage"]["status"] == "on_hold"
    assert plan["triage"]["level"] != "clear"
