"""The shapes of the JSON API's answers, named by role, so /openapi.json shows each one.

An entry's shape lists its table's columns in table order (without `client_id`), as the API sends
them: dates and times as ISO 8601 strings. `tests/web/test_api_schemas.py` holds them to the tables.
"""

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from sciatica_care.db.models import Client

Day = Annotated[str, Field(json_schema_extra={"format": "date"})]
Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Item = TypeVar("Item", bound=BaseModel)


class Health(BaseModel):
    """The app answers, its database is reachable, and the schema revision it runs on."""

    status: Literal["ok"]
    database: Literal["ok"]
    schema_revision: str = Field(alias="schema")

    model_config = ConfigDict(serialize_by_alias=True)


class Problem(BaseModel):
    """Why the API could not do what was asked (every 4xx answer, as the app's handlers send it)."""

    detail: str = Field(examples=["invalid input"], description="What went wrong, in a sentence.")
    problems: list[str] = Field(
        default_factory=list,
        examples=[["leg_pain: must be an integer 0..10, got 11"]],
        description="With 422 only: every problem of the input, each led by its field's path.",
    )


class ClientPublic(BaseModel):
    """A client as the API shows one."""

    id: int
    name: str
    birth_year: int | None
    sex: str | None
    email: str | None
    consent_to_share: bool
    created_at: Moment

    @classmethod
    def of(cls, client: Client) -> "ClientPublic":
        """The client's public shape."""
        return cls(
            id=client.id,
            name=client.name,
            birth_year=client.birth_year,
            sex=client.sex,
            email=client.email,
            consent_to_share=client.consent_to_share,
            created_at=client.created_at.isoformat(),
        )


class Page(BaseModel, Generic[Item]):
    """One page of a list, newest first, with the link to the next page while there is one."""

    items: list[Item]
    total: int
    limit: int
    offset: int
    next: str | None


class ScreeningPublic(BaseModel):
    """A stored screening: the red flags and precautions found, or none."""

    id: int
    date: Day
    findings: list[str | dict[str, Any]]
    negatives: list[str] | None = None
    source: str = "screening"
    by: str | None = None
    note: str | None
    created_at: Moment


class ClearancePublic(BaseModel):
    """A stored physician's clearance of a finding."""

    id: int
    date: Day
    finding: str | None
    by: str | None
    role: str | None = None
    expires: Day | None = None
    conditions: dict[str, Any] | None = None
    note: str | None
    created_at: Moment


class OutcomePublic(BaseModel):
    """A stored outcome: how a clinician closed an emergency or urgent finding."""

    id: int
    date: Day
    finding: str
    result: str
    by: str | None
    role: str | None = None
    note: str | None
    created_at: Moment


class ExaminationPublic(BaseModel):
    """A stored neurological examination: power, reflexes, sensation and tension tests."""

    id: int
    date: Day
    power: dict[str, int]
    reflexes: dict[str, str]
    sensation: dict[str, str]
    slr: dict[str, str]
    crossed_slr: dict[str, str]
    femoral_stretch: dict[str, str]
    by: str | None
    note: str | None
    created_at: Moment


class EpisodePublic(BaseModel):
    """A stored start of a new episode of sciatica, and when its symptoms began."""

    id: int
    date: Day
    onset: Day | None
    note: str | None
    created_at: Moment


class AssessmentPublic(BaseModel):
    """A stored assessment: pain scores, Oswestry and STarT Back answers, the body map."""

    id: int
    date: Day
    leg_pain: int | None
    back_pain: int | None
    odi: list[int | None] | None
    startback: list[int | None] | None
    regions: dict[str, list[str]] | None
    note: str | None
    created_at: Moment


class SessionPublic(BaseModel):
    """A stored session note (SOAP)."""

    id: int
    date: Day
    techniques: list[str]
    areas: list[str]
    pressure: str | None
    minutes: int | None
    pain_before: int | None
    pain_after: int | None
    subjective: str | None
    objective: str | None
    assessment: str | None
    plan: str | None
    note: str | None
    therapist_id: int | None
    created_at: Moment
    on_hold_reason: str | None = Field(
        None, description="Written while massage was on hold: the clinical reason confirmed."
    )
    on_hold_note: str | None = Field(None, description="That reason in the therapist's words.")


class DiaryEntryPublic(BaseModel):
    """A stored diary entry (a client's check-in)."""

    id: int
    date: Day
    leg_pain: int | None
    back_pain: int | None
    flare: bool | None
    self_care: list[str]
    active_minutes: int | None
    note: str | None
    created_at: Moment


class Alert(BaseModel):
    """What to do at once about a red flag the entry just raised."""

    level: str
    action: str
    signs: list[str]


class ClientPage(Page[ClientPublic]):
    """A page of clients."""


class ScreeningPage(Page[ScreeningPublic]):
    """A page of a client's screenings."""


class ClearancePage(Page[ClearancePublic]):
    """A page of a client's clearances."""


class OutcomePage(Page[OutcomePublic]):
    """A page of a client's outcomes."""


class ExaminationPage(Page[ExaminationPublic]):
    """A page of a client's examinations."""


class EpisodePage(Page[EpisodePublic]):
    """A page of a client's recorded episodes."""


class AssessmentPage(Page[AssessmentPublic]):
    """A page of a client's assessments."""


class SessionPage(Page[SessionPublic]):
    """A page of a client's session notes."""


class DiaryPage(Page[DiaryEntryPublic]):
    """A page of a client's diary entries."""


class ScreeningSaved(ScreeningPublic):
    """A screening just stored, with the alert it raised, if any."""

    alert: Alert | None = None


class ClearanceSaved(ClearancePublic):
    """A clearance just stored."""

    alert: Alert | None = None


class OutcomeSaved(OutcomePublic):
    """An outcome just stored."""

    alert: Alert | None = None


class ExaminationSaved(ExaminationPublic):
    """An examination just stored, with the alert a new deficit raised, if any."""

    alert: Alert | None = None


class EpisodeSaved(EpisodePublic):
    """An episode start just stored (it raises no alert)."""

    alert: Alert | None = None


class AssessmentSaved(AssessmentPublic):
    """An assessment just stored, with the alert it raised, if any."""

    alert: Alert | None = None


class SessionSaved(SessionPublic):
    """A session note just stored."""

    alert: Alert | None = None


class DiaryEntrySaved(DiaryEntryPublic):
    """A diary entry just stored, with the alert a reported sign raised, if any."""

    alert: Alert | None = None


# By kind of entry: the entry's shape, a page of them, and the answer to storing one.
ENTRY: dict[str, type[BaseModel]] = {
    "screenings": ScreeningPublic,
    "clearances": ClearancePublic,
    "outcomes": OutcomePublic,
    "examinations": ExaminationPublic,
    "episodes": EpisodePublic,
    "assessments": AssessmentPublic,
    "sessions": SessionPublic,
    "diary": DiaryEntryPublic,
}
PAGE: dict[str, type[Page[Any]]] = {
    "screenings": ScreeningPage,
    "clearances": ClearancePage,
    "outcomes": OutcomePage,
    "examinations": ExaminationPage,
    "episodes": EpisodePage,
    "assessments": AssessmentPage,
    "sessions": SessionPage,
    "diary": DiaryPage,
}
SAVED: dict[str, type[BaseModel]] = {
    "screenings": ScreeningSaved,
    "clearances": ClearanceSaved,
    "outcomes": OutcomeSaved,
    "examinations": ExaminationSaved,
    "episodes": EpisodeSaved,
    "assessments": AssessmentSaved,
    "sessions": SessionSaved,
    "diary": DiaryEntrySaved,
}
