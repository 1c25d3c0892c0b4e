"""A client's history (sciatica-care/history@1) as frozen, validated record types.

The types double as the fast decoder's schema: msgspec checks types, ranges (as literals) and
unknown keys while it parses, so a valid document becomes records in one C-speed pass.
"""

from datetime import date
from typing import Annotated, Literal

import msgspec

from sciatica_care.domain.codes import (
    Area,
    DerivedCode,
    Dermatome,
    FindingCode,
    MrcGrade,
    Myotome,
    OutcomeResult,
    Pressure,
    ReflexFinding,
    ReflexSite,
    Region,
    ScreeningSource,
    SelfCareItem,
    SensationFinding,
    Side,
    Technique,
    TensionSign,
)

HISTORY_SCHEMA: Literal["sciatica-care/history@1"] = "sciatica-care/history@1"

Pain = Literal[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
OdiAnswer = Literal[0, 1, 2, 3, 4, 5] | None
StartBackAnswer = Literal[0, 1]
OdiAnswers = tuple[
    OdiAnswer,
    OdiAnswer,
    OdiAnswer,
    OdiAnswer,
    OdiAnswer,
    OdiAnswer,
    OdiAnswer,
    OdiAnswer,
    OdiAnswer,
    OdiAnswer,
]
StartBackAnswers = tuple[
    StartBackAnswer,
    StartBackAnswer,
    StartBackAnswer,
    StartBackAnswer,
    StartBackAnswer,
    StartBackAnswer,
    StartBackAnswer,
    StartBackAnswer,
    StartBackAnswer,
]

MAX_SESSION_MINUTES = 480
MAX_ACTIVE_MINUTES = 1440
EARLIEST_BIRTH_YEAR = 1850
# Free text, in characters. A record's note is a few pages at most (the SOAP parts and messages
# share the limit); a finding's note says where or since when; "by" names a clinician and role
# and "sex" is a word or two, as their columns hold.
MAX_NOTE = 10_000
MAX_FINDING_NOTE = 2_000
MAX_BY = 200
MAX_SEX = 40

SessionMinutes = Annotated[int, msgspec.Meta(ge=1, le=MAX_SESSION_MINUTES)]
ActiveMinutes = Annotated[int, msgspec.Meta(ge=0, le=MAX_ACTIVE_MINUTES)]
BirthYear = Annotated[int, msgspec.Meta(ge=EARLIEST_BIRTH_YEAR)]
# The bounds every record's date is checked against (history_checks.EARLIEST_DATE, LATEST_DATE).
Day = Annotated[
    date,
    msgspec.Meta(
        description="YYYY-MM-DD, from 1900-01-01 to 9000-12-31 and never after `today` "
        "(an entry stored through the API: never after the clinic's today)."
    ),
]
# A clearance's last day: on or after its date, and it may lie in the future.
Expiry = Annotated[
    date, msgspec.Meta(description="YYYY-MM-DD, on or after `date`; may be in the future.")
]
_NO_CONTROLS = "No control characters (NUL, ESC, DEL...); tabs and line breaks are kept."
Note = Annotated[str, msgspec.Meta(max_length=MAX_NOTE, description=_NO_CONTROLS)]
FindingNote = Annotated[str, msgspec.Meta(max_length=MAX_FINDING_NOTE, description=_NO_CONTROLS)]
By = Annotated[str, msgspec.Meta(max_length=MAX_BY, description="One line, no control characters.")]
Sex = Annotated[str, msgspec.Meta(max_length=MAX_SEX)]


class Record(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, gc=False):
    """Base of every history record: immutable, keyword-only, strict about keys."""


class Client(Record, frozen=True):
    """Who the history is about (no name: the plan needs none)."""

    birth_year: BirthYear | None = None
    sex: Sex | None = None


class Finding(Record, frozen=True):
    """A screening finding with where it applies."""

    code: FindingCode
    regions: tuple[Region, ...] = ()
    note: FindingNote | None = None


class Screening(Record, frozen=True):
    """The answers of one screening: `findings` answered yes, `negatives` answered no.

    With `negatives` given, every item in neither list was not asked. A screening without
    `negatives` (every history@1 document before protocol 2026.2) lists its yes answers only.
    A `check_in` screening holds signs a client reported: never a full screening.
    """

    date: Day
    findings: tuple[FindingCode | Finding, ...] = ()
    negatives: tuple[FindingCode, ...] | None = None
    source: ScreeningSource = "screening"
    by: By | None = None
    note: Note | None = None


class Conditions(Record, frozen=True):
    """What a clearance still asks of massage: a pressure cap, techniques and regions to avoid."""

    max_pressure: Pressure | None = None
    avoid_techniques: tuple[Technique, ...] = ()
    avoid_regions: tuple[Region, ...] = ()


class Clearance(Record, frozen=True):
    """A clinician clears a finding for massage, until `expires` (else the protocol's default)."""

    date: Day
    finding: FindingCode | None = None
    by: By | None = None
    role: By | None = None
    expires: Expiry | None = None
    conditions: Conditions | None = None
    note: Note | None = None


class Outcome(Record, frozen=True):
    """How an emergency or urgent finding ended, recorded by a named clinician."""

    date: Day
    finding: FindingCode | DerivedCode
    result: OutcomeResult
    by: By | None = None
    role: By | None = None
    note: Note | None = None


class Examination(Record, frozen=True):
    """A neurological examination: MRC power by myotome, reflexes, sensation by dermatome, and
    the straight leg raise, crossed SLR and femoral stretch tests, each by side."""

    date: Day
    power: dict[Myotome, MrcGrade] = {}
    reflexes: dict[ReflexSite, ReflexFinding] = {}
    sensation: dict[Dermatome, SensationFinding] = {}
    slr: dict[Side, TensionSign] = {}
    crossed_slr: dict[Side, TensionSign] = {}
    femoral_stretch: dict[Side, TensionSign] = {}
    by: By | None = None
    note: Note | None = None


class EpisodeStart(Record, frozen=True):
    """A new episode of sciatica the care team recorded (`date`, its first day), and when its
    symptoms began (`onset`, on or before `date`)."""

    date: Day
    onset: Day | None = None
    note: Note | None = None


class Regions(Record, frozen=True):
    """Body-map marks per layer."""

    pain: tuple[Region, ...] = ()
    numbness: tuple[Region, ...] = ()
    tingling: tuple[Region, ...] = ()


class Assessment(Record, frozen=True):
    """Pain scores, questionnaires and body map on one date."""

    date: Day
    leg_pain: Pain | None = None
    back_pain: Pain | None = None
    odi: OdiAnswers | None = None
    startback: StartBackAnswers | None = None
    regions: Regions | None = None
    note: Note | None = None


class Session(Record, frozen=True):
    """One massage session."""

    date: Day
    techniques: tuple[Technique, ...] = ()
    areas: tuple[Area, ...] = ()
    pressure: Pressure | None = None
    minutes: SessionMinutes | None = None
    pain_before: Pain | None = None
    pain_after: Pain | None = None
    note: Note | None = None


class DiaryEntry(Record, frozen=True):
    """One pain-diary check-in (several a day are allowed)."""

    date: Day
    leg_pain: Pain | None = None
    back_pain: Pain | None = None
    active_minutes: ActiveMinutes | None = None
    self_care: tuple[SelfCareItem, ...] = ()
    flare: bool | None = None
    note: Note | None = None


class History(Record, frozen=True):
    """One client's whole history."""

    schema: Literal["sciatica-care/history@1"] = HISTORY_SCHEMA
    today: date | None = None
    client: Client | None = None
    screenings: tuple[Screening, ...] = ()
    clearances: tuple[Clearance, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    examinations: tuple[Examination, ...] = ()
    episodes: tuple[EpisodeStart, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    sessions: tuple[Session, ...] = ()
    diary: tuple[DiaryEntry, ...] = ()


def finding_code(finding: FindingCode | Finding) -> str:
    """The code of a finding given as a bare code or an object."""
    return finding if isinstance(finding, str) else finding.code


def finding_regions(finding: FindingCode | Finding) -> tuple[str, ...]:
    """The body-map regions a finding applies to (none for a bare code)."""
    return () if isinstance(finding, str) else finding.regions
