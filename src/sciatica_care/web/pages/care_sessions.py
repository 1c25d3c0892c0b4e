"""Care-team forms around a visit: the SOAP session note, then booking the next session.

A GET shows a form and a POST saves it; bad input answers 422 with the form again, the user's
values kept and each problem next to its field. Only the client's care team writes here.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from sciatica_care.db.models import Client, SessionNote
from sciatica_care.domain.codes import ALERT_LEVELS, AREAS, PRESSURES, TECHNIQUES
from sciatica_care.domain.departures import departures
from sciatica_care.domain.holds import HOLD_REASONS, OVERRIDE_REASONS, held_on
from sciatica_care.domain.plan import CarePlan
from sciatica_care.services import intake
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.ids import parse_id
from sciatica_care.services.planning import current_plan
from sciatica_care.services.records import book
from sciatica_care.web.access_deps import client_writer
from sciatica_care.web.deps import Now, ReadDb, Reader, Today, WriteDb, Writer, state
from sciatica_care.web.forms import Form, Problems, Values
from sciatica_care.web.pages.care_forms import (
    CLIENT,
    care_context,
    problems_of,
    record_entry,
    show,
)
from sciatica_care.web.rendering import many, number, see_other, text

router = APIRouter(include_in_schema=False)


# ------------------------------------------------------------------ session note


# Asked on the web form only: the API and the CLI confirm a hold by giving its reason.
CONFIRM_HOLD = (
    "confirm_on_hold: massage is on hold; tick to confirm you are recording this session anyway"
)


def _hold_reasons(plan: CarePlan) -> dict[str, str]:
    """The reasons a note may give while massage is on hold: under an alert, only no massage."""
    if plan.triage.level in ALERT_LEVELS:
        return {"no_massage": HOLD_REASONS["no_massage"]}
    return HOLD_REASONS


def _session_page(
    request: Request, care: dict[str, Any], values: Values, problems: Problems | None = None
) -> Response:
    return show(
        request,
        "care/form_session.html",
        values,
        problems,
        title=f"Session note: {care['client'].name}",
        techniques=TECHNIQUES,
        pressures=PRESSURES,
        areas=AREAS,
        overridable=intake.overridable(care["plan"], care["protocol"]),
        override_reasons=OVERRIDE_REASONS,
        hold_reasons=_hold_reasons(care["plan"]),
        **care,
    )


@router.get(CLIENT + "/session")
def session_form(
    request: Request,
    client: Annotated[Client, Depends(client_writer("sessions"))],
    db: ReadDb,
    today: Today,
) -> Response:
    """A SOAP note pre-filled from the plan and the client's notes before the session."""
    care = care_context(request, db, client, today)
    massage = care["plan"].massage
    held = massage.status == "on_hold"
    values = Values.defaults(
        date=today.isoformat(),
        techniques=() if held else massage.techniques,
        pressure=None if held else massage.max_pressure,
        areas=() if held else massage.focus_areas,
        minutes=None if held else massage.session_minutes,
        subjective=intake.subjective_text(intake.notes_before_session(db, client=client)),
    )
    return _session_page(request, care, values)


@router.post(CLIENT + "/session")
def save_session(
    request: Request,
    user: Writer,
    client: Annotated[Client, Depends(client_writer("sessions").writing)],
    db: WriteDb,
    form: Form,
    now: Now,
    today: Today,
) -> Response:
    """Records what was done (a warning follows if it went beyond the plan), then offers booking."""
    fields = (
        *("subjective", "objective", "assessment", "plan", "note"),
        *("override", "reason", "reason_code", "on_hold_reason", "on_hold_note"),
    )
    app = state(request)
    plan = current_plan(db, client, today=today, protocol=app.protocol, plans=app.plans)
    try:
        day = date.fromisoformat(text(form, "date") or today.isoformat())
    except ValueError:
        day = today  # the date's own problem is shown by the entry's checks
    unconfirmed = held_on(plan, day) and text(form, "confirm_on_hold") != "yes"

    def body() -> dict[str, Any]:
        return {
            "date": text(form, "date"),
            "techniques": many(form, "techniques"),
            "areas": many(form, "areas"),
            "pressure": text(form, "pressure"),
            **{name: number(form, name) for name in ("minutes", "pain_before", "pain_after")},
            **{name: text(form, name) for name in fields},
        }

    try:
        with db.begin_nested():
            recorded = record_entry(request, db, user, client, "sessions", body, now)
            if unconfirmed:
                raise InputProblems([CONFIRM_HOLD])
    except InputProblems as error:
        found = error.problems
        if unconfirmed and CONFIRM_HOLD not in found:
            found = [CONFIRM_HOLD, *found]
        care = care_context(request, db, client, today)
        return _session_page(request, care, Values.of(form), problems_of(InputProblems(found)))
    note = recorded.row
    assert isinstance(note, SessionNote)
    return see_other(f"/clients/{client.id}/book?session={note.id}")


# ------------------------------------------------------------------ booking


def _booking_page(
    request: Request,
    db: Session,
    client: Client,
    today: date,
    values: Values,
    problems: Problems | None = None,
    session: str | None = None,
) -> Response:
    care = care_context(request, db, client, today)
    saved = None
    if (note_id := parse_id(session)) is not None:
        saved = intake.saved_session(db, client=client, note_id=note_id)
    warnings = []
    if saved is not None:
        note = saved.note
        warnings = departures(care["plan"], techniques=note.techniques, pressure=note.pressure)
    context = {
        "saved": saved,
        "warnings": warnings,
        "therapists": client.therapists,
        "override_reasons": OVERRIDE_REASONS,
        "hold_reasons": HOLD_REASONS,
    }
    title = f"Book the next session: {client.name}"
    return show(request, "care/form_book.html", values, problems, title=title, **context, **care)


@router.get(CLIENT + "/book")
def booking_form(
    request: Request,
    user: Reader,
    client: Annotated[Client, Depends(client_writer("appointments"))],
    db: ReadDb,
    today: Today,
    session: str | None = None,
) -> Response:
    """Booking the next session, on the plan's date by default."""
    app = state(request)
    plan = current_plan(db, client, today=today, protocol=app.protocol, plans=app.plans)
    team = [t.id for t in client.therapists]
    values = Values.defaults(
        date=intake.next_session_day(plan, today).isoformat(),
        therapist=user.id if user.id in team else next(iter(team), None),
    )
    return _booking_page(request, db, client, today, values, session=session)


@router.post(CLIENT + "/book")
def save_booking(
    request: Request,
    user: Writer,
    client: Annotated[Client, Depends(client_writer("appointments").writing)],
    db: WriteDb,
    form: Form,
    now: Now,
    today: Today,
) -> Response:
    """Books a session with one of the client's therapists."""
    app = state(request)
    plan = current_plan(db, client, today=today, protocol=app.protocol, plans=app.plans)
    try:
        with db.begin_nested():
            chosen = intake.booking(
                day=text(form, "date"),
                start=text(form, "time"),
                therapist=text(form, "therapist"),
                therapists=[t.id for t in client.therapists],
                note=text(form, "note"),
            )
            book(
                db,
                client=client,
                day=chosen.day,
                start=chosen.start,
                therapist_id=chosen.therapist_id,
                note=chosen.note,
                actor=user.email,
                now=now,
                today=today,
                plan=plan,
            )
    except InputProblems as error:
        return _booking_page(request, db, client, today, Values.of(form), problems_of(error))
    return see_other(f"/clients/{client.id}")
