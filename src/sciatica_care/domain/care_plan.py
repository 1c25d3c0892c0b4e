"""build_care_plan(history, protocol, today) -> CarePlan: the whole engine in one pure call."""

from datetime import date

import msgspec

from sciatica_care.domain.body_map import (
    centralisation,
    latest_body_map,
    nerve_root_hint,
    numbness_marked,
)
from sciatica_care.domain.cadence import cadence, last_session_date
from sciatica_care.domain.episodes import current_episode
from sciatica_care.domain.history import History
from sciatica_care.domain.instruments import odi_percent
from sciatica_care.domain.massage import massage
from sciatica_care.domain.neuro_exam import exam_root_signs
from sciatica_care.domain.plan import PLAN_SCHEMA, CarePlan, Episode, ProtocolRef
from sciatica_care.domain.progress import (
    Thresholds,
    held_days,
    is_flare,
    progress,
    scorable_assessments,
    signals,
)
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.readings import Reading, readings
from sciatica_care.domain.recommendations import complementary, self_care
from sciatica_care.domain.red_flags import diary_flare
from sciatica_care.domain.review import reviews, safety_reviews
from sciatica_care.domain.screening import numbness_recorded, triage
from sciatica_care.domain.session_response import session_response

_RECOVERED = frozenset({"recovered"})


def build_care_plan(history: History, protocol: Protocol, today: date) -> CarePlan:
    """The care plan for a checked history on `today`; every item names the rule behind it."""
    found = readings(history)
    # E1: progress is measured within the current episode; its readings only count.
    episode = current_episode(history, found, protocol, today)
    scorable = scorable_assessments(history, protocol)
    if episode is not None and found and found[0].date < episode.start:
        found = [reading for reading in found if reading.date >= episode.start]
        scorable = [a for a in scorable if a.date >= episode.start]
    body_map = latest_body_map(history)
    screened = triage(history, body_map, protocol, today=today)
    thresholds = Thresholds.of(protocol)
    sections = protocol.rule("progress.odi_important_change").number("min_sections")
    measured = progress(history, found, thresholds, protocol, scorable)
    if episode is not None:
        measured = msgspec.structs.replace(measured, episode=episode)
    flare = (bool(found) and is_flare(found, today, protocol)) or diary_flare(
        history, protocol, today
    )
    seen = signals(
        found,
        thresholds,
        protocol,
        scorable=scorable,
        odi_first=odi_percent(scorable[0].odi, sections) if scorable else None,
        odi_latest=odi_percent(scorable[-1].odi, sections) if scorable else None,
    )
    discharge = (
        measured.status == "recovered"
        and not seen.relapse
        and held_days(found, _RECOVERED, thresholds)
        >= protocol.rule("review.discharge").number("held_days")
    )
    massage_plan = massage(history, found, screened, protocol)
    on_hold = massage_plan.status == "on_hold"
    return CarePlan(
        schema=PLAN_SCHEMA,
        as_of=today,
        protocol=ProtocolRef(id=protocol.id, version=protocol.version),
        triage=screened.triage,
        massage=massage_plan,
        cadence=cadence(
            history,
            found,
            measured.status,
            thresholds,
            flare=flare,
            hold=on_hold,
            today=today,
            protocol=protocol,
            relapse=seen.relapse,
            discharge=discharge,
        ),
        progress=measured,
        nerve_root=nerve_root_hint(body_map, protocol, exam_root_signs(history)),
        complementary=complementary(
            on_hold=on_hold,
            startback_risk=measured.startback_risk,
            findings=frozenset(f.code for f in screened.triage.findings),
            protocol=protocol,
        ),
        # On an emergency or urgent finding the plan holds the action and a safety-net only.
        self_care=()
        if screened.alert
        else self_care(
            numbness=numbness_recorded(history) or numbness_marked(history),
            reduced_sensation="diabetes" in screened.codes,
            suspected_clot=bool({"suspected_dvt", "confirmed_dvt"} & screened.codes),
            protocol=protocol,
        ),
        review=safety_reviews(screened, protocol)
        if screened.alert
        else safety_reviews(screened, protocol)
        + reviews(
            status=measured.status,
            flare=flare,
            baseline=_clock_start(found, episode),
            latest_screening=screened.latest_screening,
            last_session=last_session_date(history),
            today=today,
            protocol=protocol,
            found=found,
            signals=seen,
            discharge=discharge and not on_hold,
        ),
        centralisation=centralisation(history, body_map, protocol),
        session_response=session_response(history, protocol),
    )


def _clock_start(found: list[Reading], episode: Episode | None) -> date | None:
    """Where the weeks of symptoms are counted from: the episode's onset when the care team
    recorded an earlier one, else its first reading (E1)."""
    first = found[0].date if found else None
    onset = episode.onset if episode is not None else None
    if onset is None:
        return first
    return onset if first is None else min(onset, first)
