"""Care-team forms: new client, intake and screening, clearance, assessment.

A GET shows a form and a POST saves it. Bad input answers 422 with the form again, the user's values
kept and each problem next to its field. An entry that raises a red flag is saved and answered with
a redirect to the client's page, `?alert=<level>`: the page shows the emergency message first (from
the stored records, never from the link), so a reload saves nothing twice. Only the care team writes
here: a client sees 403 on their own record, 404 elsewhere.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.responses import Response

from sciatica_care.db.models import Client, User
from sciatica_care.domain.codes import LAYERS, PRESSURES, REGIONS
from sciatica_care.services import intake
from sciatica_care.services.clients import add_client, assign_therapist, client_problems
from sciatica_care.services.entries import Recorded
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.planning import current_plan
from sciatica_care.services.records import add_entry
from sciatica_care.web.access_deps import CareTeamReader, CareTeamWriter, client_writer
from sciatica_care.web.body_map_svg import REGION_LABELS, body_map_svg
from sciatica_care.web.deps import Now, ReadDb, Today, WriteDb, Writer, state
from sciatica_care.web.forms import Form, Problems, Values, form_page
from sciatica_care.web.rendering import many, number, see_other, text

router = APIRouter(include_in_schema=False)
CLIENT = "/clients/{client_id:id}"
LABELS = {
    "birth_year": "Birth year",
    "findings": "Signs",
    "none": "None of these",
    "by": "Cleared by",
    "role": "Their role",
    "leg_pain": "Leg pain",
    "back_pain": "Back pain",
    "pain_before": "Pain before",
    "pain_after": "Pain after",
    "subjective": "S (subjective)",
    "objective": "O (objective)",
    "assessment": "A (assessment)",
    "plan": "P (plan)",
    "override": "Precaution lifted",
    "reason_code": "Clinical reason for lifting it",
    "reason": "Reason for lifting it, in words",
    "confirm_on_hold": "Massage is on hold",
    "on_hold_reason": "Why this note is written while massage is on hold",
    "on_hold_note": "That reason in words",
    **{f"odi_{n}": f"Oswestry section {n}" for n in range(1, 11)},
    **{f"startback_{n}": f"STarT Back item {n}" for n in range(1, 10)},
    **{f"regions_{layer}": f"Body map: {layer}" for layer in LAYERS},
}


def problems_of(error: InputProblems) -> Problems:
    """A refused entry's problems by field, labelled as the care forms label them."""
    return Problems.of(error, LABELS)


def show(
    request: Request,
    template: str,
    values: Values,
    problems: Problems | None = None,
    **context: Any,
) -> Response:
    """A care-team form page; 422 when it comes back with problems."""
    return form_page(request, template, values, problems, nav="clients", **context)


def care_context(request: Request, db: Session, client: Client, today: date) -> dict[str, Any]:
    """What every client form shows: the client and the plan as of today (red flags first)."""
    app = state(request)
    plan = current_plan(db, client, today=today, protocol=app.protocol, plans=app.plans)
    return {"client": client, "plan": plan, "protocol": app.protocol}


def record_entry(
    request: Request,
    db: Session,
    user: User,
    client: Client,
    kind: str,
    body: Callable[[], dict[str, Any]],
    now: datetime,
) -> Recorded:
    """Builds and stores one entry inside a savepoint: a refused entry leaves nothing behind."""
    with db.begin_nested():
        return add_entry(
            db,
            client=client,
            kind=kind,
            body=body(),
            protocol=state(request).protocol,
            actor=user.email,
            now=now,
            today=state(request).clock.date_of(now),
            therapist_id=user.id if user.role == "therapist" else None,
        )


def after_entry(client: Client, recorded: Recorded) -> Response:
    """To the client's page; after a red flag with `?alert=<level>` to mark it just recorded."""
    if recorded.alert is None:
        return see_other(f"/clients/{client.id}")
    return see_other(f"/clients/{client.id}?alert={recorded.alert.level}")


# ------------------------------------------------------------------ new client


@router.get("/clients/new")
def new_client_form(request: Request, user: CareTeamReader) -> Response:
    """The form to add a client."""
    return show(request, "care/form_client_new.html", Values({}), title="New client")


@router.post("/clients/new")
def save_new_client(
    request: Request, user: CareTeamWriter, db: WriteDb, form: Form, now: Now, today: Today
) -> Response:
    """Adds a client to the clinic; a therapist who adds one is assigned to them."""
    name, birth_year = text(form, "name"), number(form, "birth_year")
    sex, email = text(form, "sex"), text(form, "email")
    problems = client_problems(
        name=name, birth_year=birth_year, sex=sex, email=email, year=today.year
    )
    if problems or name is None or isinstance(birth_year, str):
        found = problems_of(InputProblems(problems))
        return show(
            request, "care/form_client_new.html", Values.of(form), found, title="New client"
        )
    client = add_client(
        db,
        name=name,
        birth_year=birth_year,
        sex=sex,
        email=email,
        consent_to_share=text(form, "consent_to_share") is not None,
        clinic_id=user.clinic_id,
        actor=user.email,
        now=now,
    )
    if user.role == "therapist":
        assign_therapist(db, client=client, therapist_id=user.id, actor=user.email, now=now)
    return see_other(f"/clients/{client.id}")


# ------------------------------------------------------------------ screening


def _screening_page(
    request: Request,
    db: Session,
    client: Client,
    today: date,
    values: Values,
    problems: Problems | None = None,
) -> Response:
    return show(
        request,
        "care/form_screening.html",
        values,
        problems,
        title=f"Screening: {client.name}",
        groups=intake.screening_questions(state(request).protocol),
        region_labels=REGION_LABELS,
        **care_context(request, db, client, today),
    )


@router.get(CLIENT + "/screening")
def screening_form(
    request: Request,
    client: Annotated[Client, Depends(client_writer("screenings"))],
    db: ReadDb,
    today: Today,
) -> Response:
    """Intake and screening questions, emergency signs first."""
    return _screening_page(request, db, client, today, Values.defaults(date=today.isoformat()))


@router.post(CLIENT + "/screening")
def save_screening(
    request: Request,
    user: Writer,
    client: Annotated[Client, Depends(client_writer("screenings").writing)],
    db: WriteDb,
    form: Form,
    now: Now,
    today: Today,
) -> Response:
    """Records a screening; an emergency sign answers with the emergency message first."""
    findings = many(form, "findings")

    def body() -> dict[str, Any]:
        return intake.screening_body(
            day=text(form, "date"),
            findings=findings,
            none_of_these=text(form, "none") is not None,
            regions={code: many(form, f"regions_{code}") for code in findings},
            note=text(form, "note"),
        )

    try:
        recorded = record_entry(request, db, user, client, "screenings", body, now)
    except InputProblems as error:
        return _screening_page(request, db, client, today, Values.of(form), problems_of(error))
    return after_entry(client, recorded)


# ------------------------------------------------------------------ clearance


def _clearance_page(
    request: Request,
    db: Session,
    client: Client,
    today: date,
    values: Values,
    problems: Problems | None = None,
) -> Response:
    care = care_context(request, db, client, today)
    waiting, others = intake.clearable(care["protocol"], care["plan"])
    title = f"Clearance: {client.name}"
    valid_days = care["protocol"].rule("triage.cleared").number("valid_days")
    return show(
        request, "care/form_clearance.html", values, problems, title=title, waiting=waiting,
        others=others, valid_days=valid_days, pressures=PRESSURES, **care,
    )  # fmt: skip


@router.get(CLIENT + "/clearance")
def clearance_form(
    request: Request,
    client: Annotated[Client, Depends(client_writer("clearances"))],
    db: ReadDb,
    today: Today,
) -> Response:
    """A physician's clearance of a finding."""
    return _clearance_page(request, db, client, today, Values.defaults(date=today.isoformat()))


@router.post(CLIENT + "/clearance")
def save_clearance(
    request: Request,
    user: Writer,
    client: Annotated[Client, Depends(client_writer("clearances").writing)],
    db: WriteDb,
    form: Form,
    now: Now,
    today: Today,
) -> Response:
    """Records a physician's clearance."""

    def body() -> dict[str, Any]:
        return intake.clearance_body(
            day=text(form, "date"),
            finding=text(form, "finding"),
            by=text(form, "by"),
            role=text(form, "role"),
            expires=text(form, "expires"),
            max_pressure=text(form, "max_pressure"),
            note=text(form, "note"),
        )

    try:
        recorded = record_entry(request, db, user, client, "clearances", body, now)
    except InputProblems as error:
        return _clearance_page(request, db, client, today, Values.of(form), problems_of(error))
    return after_entry(client, recorded)


# ------------------------------------------------------------------ assessment


def _assessment_page(
    request: Request,
    db: Session,
    client: Client,
    today: date,
    values: Values,
    problems: Problems | None = None,
) -> Response:
    marked = {
        layer: [c for c in values.all(f"regions_{layer}") if c in REGIONS] for layer in LAYERS
    }
    return show(
        request,
        "care/form_assessment.html",
        values,
        problems,
        title=f"Assessment: {client.name}",
        odi_topics=intake.ODI_TOPICS,
        startback_topics=intake.STARTBACK_TOPICS,
        layers=LAYERS,
        regions=REGIONS,
        region_labels=REGION_LABELS,
        body_map=Markup(body_map_svg(marked=marked, interactive=True)),  # escaped by body_map_svg
        **care_context(request, db, client, today),
    )


@router.get(CLIENT + "/assessment")
def assessment_form(
    request: Request,
    client: Annotated[Client, Depends(client_writer("assessments"))],
    db: ReadDb,
    today: Today,
) -> Response:
    """Pain scores, Oswestry and STarT Back by section number, and the body map."""
    return _assessment_page(request, db, client, today, Values.defaults(date=today.isoformat()))


@router.post(CLIENT + "/assessment")
def save_assessment(
    request: Request,
    user: Writer,
    client: Annotated[Client, Depends(client_writer("assessments").writing)],
    db: WriteDb,
    form: Form,
    now: Now,
    today: Today,
) -> Response:
    """Records an assessment; saddle or both-legs marks answer with the emergency message first."""

    def body() -> dict[str, Any]:
        return intake.assessment_body(
            day=text(form, "date"),
            leg_pain=number(form, "leg_pain"),
            back_pain=number(form, "back_pain"),
            odi=[number(form, f"odi_{n}") for n in range(1, 11)],
            startback=[number(form, f"startback_{n}") for n in range(1, 10)],
            regions={layer: many(form, f"regions_{layer}") for layer in LAYERS},
            note=text(form, "note"),
        )

    try:
        recorded = record_entry(request, db, user, client, "assessments", body, now)
    except InputProblems as error:
        return _assessment_page(request, db, client, today, Values.of(form), problems_of(error))
    return after_entry(client, recorded)
