"""The tables, as typed SQLAlchemy 2 models. Lists and body maps are JSON columns."""

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, MetaData, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from sciatica_care.db.types import UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table, with a naming convention for constraints."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 (read by SQLAlchemy, never mutated)
        datetime: UtcDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
        list[str]: JSON,
    }


Day = date  # a table's column named `date` hides the type inside that class


def _client_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)


client_therapists = Table(
    "client_therapists",
    Base.metadata,
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Clinic(Base):
    """A practice: one therapist alone, or a clinic with several."""

    __tablename__ = "clinics"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]


class User(Base):
    """Someone who signs in: an admin, a therapist or a client."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    name: Mapped[str | None] = mapped_column(String(200))
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Client(Base):
    """A person with sciatica whose care is recorded."""

    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    birth_year: Mapped[int | None]
    sex: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(320))
    consent_to_share: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    # Bumped by every write to the client's records, in its own transaction (services.revisions).
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    therapists: Mapped[list[User]] = relationship(secondary=client_therapists)


class Screening(Base):
    """One screening's answers: findings (yes, with regions and note), negatives (no; null when
    only the yes answers were recorded), where they came from and who asked."""

    __tablename__ = "screenings"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    date: Mapped[date]
    findings: Mapped[list[Any]]
    negatives: Mapped[list[str] | None]
    source: Mapped[str] = mapped_column(String(20), default="screening", server_default="screening")
    by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Examination(Base):
    """A neurological examination: each map keyed as in history@1 (`L5_left`: 4, ...)."""

    __tablename__ = "examinations"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    date: Mapped[date]
    power: Mapped[dict[str, Any]]
    reflexes: Mapped[dict[str, Any]]
    sensation: Mapped[dict[str, Any]]
    slr: Mapped[dict[str, Any]]
    crossed_slr: Mapped[dict[str, Any]]
    femoral_stretch: Mapped[dict[str, Any]]
    by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Episode(Base):
    """A new episode of sciatica the care team recorded: its first day and when symptoms began."""

    __tablename__ = "episodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    date: Mapped[date]
    onset: Mapped[Day | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Outcome(Base):
    """How an emergency or urgent finding ended, recorded by a named clinician."""

    __tablename__ = "outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    date: Mapped[date]
    finding: Mapped[str] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(String(20))
    by: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Clearance(Base):
    """A clinician clears a finding for massage, until `expires`, on its `conditions`."""

    __tablename__ = "clearances"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    date: Mapped[date]
    finding: Mapped[str | None] = mapped_column(String(40))
    by: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    expires: Mapped[Day | None]
    conditions: Mapped[dict[str, Any] | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Assessment(Base):
    """Pain, Oswestry and STarT Back answers (numbers only) and the body map on one date."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    date: Mapped[date]
    leg_pain: Mapped[int | None]
    back_pain: Mapped[int | None]
    odi: Mapped[list[Any] | None]
    startback: Mapped[list[Any] | None]
    regions: Mapped[dict[str, Any] | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class SessionNote(Base):
    """One massage session as a SOAP note."""

    __tablename__ = "session_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    date: Mapped[date]
    techniques: Mapped[list[str]]
    areas: Mapped[list[str]]
    pressure: Mapped[str | None] = mapped_column(String(20))
    minutes: Mapped[int | None]
    pain_before: Mapped[int | None]
    pain_after: Mapped[int | None]
    subjective: Mapped[str | None] = mapped_column(Text)
    objective: Mapped[str | None] = mapped_column(Text)
    assessment: Mapped[str | None] = mapped_column(Text)
    plan: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    # Written while the plan held massage: the clinical reason confirmed (`domain.holds`).
    on_hold_reason: Mapped[str | None] = mapped_column(String(40))
    on_hold_note: Mapped[str | None] = mapped_column(Text)


class TechniqueOverride(Base):
    """A therapist lifts a modifying precaution for one session, with a reason."""

    __tablename__ = "technique_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_note_id: Mapped[int] = mapped_column(
        ForeignKey("session_notes.id", ondelete="CASCADE"), index=True
    )
    finding: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    # One of `domain.holds.OVERRIDE_REASONS`; null on overrides saved before codes were asked.
    reason_code: Mapped[str | None] = mapped_column(String(40))


class DiaryEntry(Base):
    """One pain-diary check-in; several a day are allowed."""

    __tablename__ = "diary_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    date: Mapped[date]
    leg_pain: Mapped[int | None]
    back_pain: Mapped[int | None]
    flare: Mapped[bool | None]
    self_care: Mapped[list[str]]
    active_minutes: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Appointment(Base):
    """A booked session."""

    __tablename__ = "appointments"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    date: Mapped[date]
    start_time: Mapped[time | None]
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Import(Base):
    """A file read into a client: its kind, its content's SHA-256, how many records, who, when."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    kind: Mapped[str] = mapped_column(String(20))  # history, fhir or csv
    sha256: Mapped[str] = mapped_column(String(64))
    records: Mapped[int]
    actor: Mapped[str] = mapped_column(String(320))
    imported_at: Mapped[datetime]


class PlanSnapshot(Base):
    """A plan as it was recommended on a date, kept unchanged."""

    __tablename__ = "plan_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    as_of: Mapped[date]
    protocol_id: Mapped[str] = mapped_column(String(100))
    protocol_version: Mapped[str] = mapped_column(String(100))
    plan: Mapped[str] = mapped_column(Text)
    made_by: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """Append-only: who did what to which record, when and why (no personal data)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    client_id: Mapped[int | None] = mapped_column(index=True)
    changes: Mapped[dict[str, Any]]
    reason: Mapped[str | None] = mapped_column(Text)


class Message(Base):
    """A message between a client and their therapists; `before_session` notes feed the SOAP S."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class KeptText(Base):
    """The whole of a stored text that migration 0005 cut to its new length limit: nothing lost."""

    __tablename__ = "kept_texts"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client_fk()
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    field: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    kept_at: Mapped[datetime]


def _user_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class WebSession(Base):
    """A signed-in browser: the cookie carries the token, the table only its hash."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _user_fk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiToken(Base):
    """A bearer token for the JSON API, stored hashed; revocable."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = _user_fk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # It stops working at this moment; None: until revoked.
    expires_at: Mapped[datetime | None]


class LoginAttempt(Base):
    """A failed sign-in, counted per account and per address to slow guessing."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(index=True)


class OneTimeLink(Base):
    """A link that works once (the first admin's set-up link), stored hashed."""

    __tablename__ = "one_time_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class CalendarLink(Base):
    """A secret, revocable link to a calendar feed: a client's sessions, or a therapist's."""

    __tablename__ = "calendar_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Who made the link: it works only while they are active and may still read what it shows.
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # It stops working at this moment; None: until revoked.
    expires_at: Mapped[datetime | None]
