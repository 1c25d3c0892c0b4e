"""The care plan (sciatica-care/plan@1) as frozen record types, in the contract's field order."""

from datetime import date
from typing import Literal

import msgspec

from sciatica_care.domain.codes import (
    Area,
    Centralisation,
    DerivedCode,
    EvidenceGrade,
    FindingCode,
    FindingLevel,
    Interval,
    MassageStatus,
    NerveRoot,
    OutcomeResult,
    Phase,
    Pressure,
    ProgressStatus,
    Region,
    SelfCareItem,
    Stance,
    Technique,
    Therapy,
    TriageLevel,
)

Day = date  # a record's field named `date` hides the type inside that record
PLAN_SCHEMA: Literal["sciatica-care/plan@1"] = "sciatica-care/plan@1"
FindingSource = Literal["screening", "body_map", "combination", "age", "examination"]
ReachName = Literal["back", "buttock", "thigh", "knee", "calf", "foot"]


class Out(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, gc=False):
    """Base of every plan part."""


class ProtocolRef(Out, frozen=True):
    """Which protocol made the plan."""

    id: str
    version: str


class ClearanceConditions(Out, frozen=True):
    """What a clearance still asks of massage."""

    max_pressure: Pressure | None = None
    avoid_techniques: tuple[Technique, ...] = ()
    avoid_regions: tuple[Region, ...] = ()


class Clearance(Out, frozen=True):
    """Who cleared a finding for massage, when, until when, and on what conditions."""

    date: date
    by: str | None
    role: str | None = None
    expires: Day | None = None
    conditions: ClearanceConditions | None = None


class Outcome(Out, frozen=True):
    """How a clinician closed an emergency or urgent finding, and when."""

    date: date
    result: OutcomeResult
    by: str | None
    role: str | None = None


class TriageFinding(Out, frozen=True):
    """One screening finding or body-map sign with its level and what to do."""

    code: FindingCode | DerivedCode
    level: FindingLevel
    action: str
    rule: str
    source: FindingSource
    regions: tuple[Region, ...] = ()
    cleared: bool = False
    clearance: Clearance | None = None
    because: tuple[str, ...] = ()
    # An emergency or urgent finding: the first report of its open run; `awaiting` is "outcome"
    # until a named clinician records how it ended (`outcome`).
    reported: date | None = None
    awaiting: Literal["outcome"] | None = None
    outcome: Outcome | None = None


class Triage(Out, frozen=True):
    """The most severe finding wins."""

    level: TriageLevel
    findings: tuple[TriageFinding, ...]
    action: str
    rule: str
    # The must-ask red-flag items the latest full screening answered neither yes nor no.
    unknown: tuple[FindingCode, ...] = ()


class Reason(Out, frozen=True):
    """Why the plan says something, and which rule says it."""

    rule: str
    text: str


class Massage(Out, frozen=True):
    """What massage is allowed now."""

    status: MassageStatus
    techniques: tuple[Technique, ...]
    max_pressure: Pressure | None
    avoid_regions: tuple[Region, ...]
    focus_areas: tuple[Area, ...]
    session_minutes: int
    position: Literal["side_lying"] | None
    reasons: tuple[Reason, ...]


class Cadence(Out, frozen=True):
    """How often sessions come, and the next one."""

    interval: Interval
    interval_days: int | None
    phase: Phase
    next_session: date | None
    rule: str
    reason: str


class Snapshot(Out, frozen=True):
    """Pain and Oswestry at one point of the history."""

    date: date
    leg_pain: int
    back_pain: int | None
    odi_percent: float | None
    # Added in protocol 2026.2: the Oswestry band of odi_percent (names from the protocol).
    odi_band: str | None = None


class Episode(Out, frozen=True):
    """The episode progress is measured in: when it started, why, and when symptoms began."""

    start: date
    onset: date | None
    rule: str
    number: int


class Progress(Out, frozen=True):
    """Leg pain against the first reading of the episode, and the Oswestry change."""

    status: ProgressStatus
    baseline: Snapshot | None
    latest: Snapshot | None
    leg_pain_change: int | None
    leg_pain_change_percent: float | None
    odi_change: float | None
    odi_change_important: bool
    startback_risk: Literal["low", "medium", "high"] | None
    rule: str
    reason: str
    episode: Episode | None = None


class NerveRootHint(Out, frozen=True):
    """A low-confidence hint at the nerve root, never a diagnosis."""

    root: NerveRoot | None
    confidence: Literal["low"] | None
    marks: dict[str, int]
    rule: str
    reason: str


class Evidence(Out, frozen=True):
    """How good the evidence is, and where it comes from."""

    grade: EvidenceGrade
    sources: tuple[str, ...]


class Complementary(Out, frozen=True):
    """One therapy to combine with massage."""

    therapy: Therapy
    stance: Stance
    evidence: Evidence
    reason: str
    rule: str


class SelfCare(Out, frozen=True):
    """One self-care item with its safety warnings."""

    item: SelfCareItem
    advice: str
    warnings: tuple[str, ...]
    rule: str
    # Added in protocol 2026.2 (plan@1 stays: a new field, the grades are the existing enum).
    evidence: Evidence | None = None


class Review(Out, frozen=True):
    """Something a clinician should look at."""

    code: str
    action: str
    rule: str


class Reach(Out, frozen=True):
    """How far down the leg the body map's marks reach on one date."""

    date: date
    reach: ReachName
    regions: tuple[Region, ...]


class CentralisationTrend(Out, frozen=True):
    """Whether symptoms withdraw up the leg (centralise) or spread down it."""

    status: Centralisation | None
    baseline: Reach | None
    latest: Reach | None
    rule: str


class TechniqueResponse(Out, frozen=True):
    """Mean change in leg pain from before a session to the diary 1-3 days later."""

    technique: Technique
    mean_leg_pain_change: float
    sessions: int
    rule: str


class CarePlan(Out, frozen=True):
    """The whole care plan."""

    schema: Literal["sciatica-care/plan@1"]
    as_of: date
    protocol: ProtocolRef
    triage: Triage
    massage: Massage
    cadence: Cadence
    progress: Progress
    nerve_root: NerveRootHint
    complementary: tuple[Complementary, ...]
    self_care: tuple[SelfCare, ...]
    review: tuple[Review, ...]
    centralisation: CentralisationTrend
    session_response: tuple[TechniqueResponse, ...]
