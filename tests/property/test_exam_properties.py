"""Safety property of the neurological examination (protocol 2026.2, E4)."""

import json

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciatica_care.domain.codes import MYOTOMES, REFLEX_FINDINGS, REFLEX_SITES
from sciatica_care.engine import plan_history, plan_json
from tests.property.strategies import TODAY, Json, assessments, iso

MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORSE = {"normal": 0, "brisk": 0, "reduced": 1, "absent": 2}

examinations = st.fixed_dictionaries(
    {"date": st.integers(0, 60).map(iso)},
    optional={
        "power": st.dictionaries(st.sampled_from(MYOTOMES), st.integers(2, 5), max_size=3),
        "reflexes": st.dictionaries(
            st.sampled_from(REFLEX_SITES), st.sampled_from(REFLEX_FINDINGS), max_size=2
        ),
    },
)
histories = st.fixed_dictionaries(
    {
        "schema": st.just("sciatica-care/history@1"),
        "today": st.just(TODAY.isoformat()),
        "screenings": st.just([{"date": iso(0), "findings": []}]),
        "examinations": st.lists(examinations, min_size=1, max_size=3),
        "assessments": st.lists(assessments, max_size=2),
    }
)


def deficit(exams: list[Json]) -> bool:
    """Power of 3/5 or less anywhere, or anything worse than at the examination before."""
    ordered = sorted(exams, key=lambda e: e["date"])
    for before, after in zip([None, *ordered], ordered, strict=False):
        power = after.get("power", {})
        if any(grade <= 3 for grade in power.values()):
            return True
        if before is None:
            continue
        then = before.get("power", {})
        if any(k in then and g < then[k] for k, g in power.items()):
            return True
        reflexes, earlier = after.get("reflexes", {}), before.get("reflexes", {})
        if any(k in earlier and WORSE[v] > WORSE[earlier[k]] for k, v in reflexes.items()):
            return True
    return False


@MANY
@given(histories)
def test_a_severe_or_new_deficit_always_holds_massage(history: Json) -> None:
    plan = msgspec.json.decode(plan_json(plan_history(json.dumps(history), system_today=TODAY)))
    if deficit(history["examinations"]):
        assert plan["massage"]["status"] == "on_hold"
        assert plan["triage"]["level"] in ("urgent", "emergency")
