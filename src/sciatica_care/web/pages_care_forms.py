"""Care-team forms: new client, intake and screening, clearance, assessment, session note, booking.

A GET shows a form and a POST saves it. Bad input answers 422 with the form again, the user's values
kept and each problem next to its field; an entry that raises a red flag answers with the emergency
message first. Only the care team writes here: a client sees 403 on their own record, 404 elsewhere.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from sciatica_care.db.models import Client, SessionNote, User
from sciatica_care.domain.codes import AREAS, LAYERS, PRESSURES, REGIONS, TECHNIQUES
from sciatica_care.services import access, intake
from sciatica_care.services.clients import add_client, assign_therapist
from sciatica_care.services.entries import Recorded
from sciatica_care.services.errors import InputProblems
from sciatica_care.services.records import add_entry, book
from sciatica_care.web.body_map_svg import REGION_LABELS, body_map_svg
from sciatica_care.web.deps import ReadDb, Reader, WriteDb, Writer, now, state, today
from sciatica_care.web.pages import many, number, render, see_other, text

router = APIRouter(include_in_schema=False)
CLIENT = "/clients/{client_id}"
LABELS = {
    "birth_year": "Birth year",
    "findings": "Signs",
    "none": "None of these",
    "by": "Cleared by",
    "leg_pain": "Leg pain",
    "back_pain": "Back pain",
    "pain_before": "Pain before",
    "pain_after": "Pain after",
    "subjective": "S (subjective)",
    "objective": "O (objective)",
    "assessment": "A (assessment)",
    "plan": "P (plan)",
    "override": "Precaution lifted",
    "reason": "Reason for lifting it",
    **{f"odi_{n}": f"Oswestry section {n}" for n in range(1, 11)},
    **{f"startback_{n}": f"STarT Back item {n}" for n in range(1, 10)},
    **{f"regions_{layer}": f"Body map: {layer}" for layer in LAYERS},
}
_INDEXED = re.compile(r"(odi|startback)\[(\d+)\]")


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


@dataclass(frozen=True, slots=True)
class Values:
    """A form's values as the user left them, or its defaults: nothing typed is lost."""

    fields: dict[str, list[str]]

    @classmethod
    def of(cls, form: FormData) -> "Values":
        """The text fields of a posted form."""
        out: dict[str, list[str]] = {}
        for key, value in form.multi_items():
            if isinstance(value, str) and key != "csrf_token":
                out.setdefault(key, []).append(value)
        return cls(out)

    @classmethod
    def defaults(cls, **values: object) -> "Values":
        """A form's first values; a list or tuple fills a repeated field (checkboxes)."""
        out: dict[str, list[str]] = {}
        for key, value in values.items():
            items = value if isinstance(value, (list, tuple)) else [value]
            out[key] = [str(item) for item in items if item is not None]
        return cls(out)

    def get(self, name: str) -> str:
        """The field's (first) value, or empty."""
        return next(iter(self.fields.get(name, [])), "")

    def has(self, name: str, value: object) -> bool:
        """Whether a checkbox or radio button with this value is chosen."""
        return str(value) in self.fields.get(name, [])

    def all(self, name: str) -> list[str]:
        """Every value of a repeated field."""
        return list(self.fields.get(name, []))


@dataclass(frozen=True, slots=True)
class Problems:
    """Bad input, each problem with the form field it belongs to."""

    listed: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def of(cls, error: InputProblems) -> "Problems":
        """The problems of a refused entry ("path: message") by form field."""
        listed = []
        for problem in error.problems:
            path, _, message = problem.partition(": ")
            name = _field(path)
            listed.append((name, LABELS.get(name, name.replace("_", " ").capitalize()), message))
        return cls(tuple(listed))

    def by_field(self) -> dict[str, list[str]]:
        """Each field's problems."""
        out: dict[str, list[str]] = {}
        for name, _, message in self.listed:
            out.setdefault(name, []).append(message)
        return out


def _field(path: str) -> str:
    """A problem's form field: `odi[3]` -> `odi_4`, `regions.pain[0]` -> `regions_pain`."""
    if indexed := _INDEXED.match(path):
        return f"{indexed[1]}_{int(indexed[2]) + 1}"
    if path.startswith("regions."):
        return "regions_" + re.split(r"[\[.]", path.removeprefix("regions."))[0]
    return re.split(r"[\[.]", path)[0]


def _show(
    request: Request,
    template: str,
    values: Values,
    problems: Problems | None = None,
    **context: Any,
) -> Response:
    """A form page; 422 when it comes back with problems."""
    problems = problems or Problems()
    full = {
        "nav": "clients",
        "values": values,
        "errors": problems.by_field(),
        "problems": problems.listed,
        **context,
    }
    return render(request, template, full, status=422 if problems.listed else 200)


def _care(request: Request, db: Session, client: Client) -> dict[str, Any]:
    """What every client form shows: the client and the plan as of today (red flags first)."""
    app = state(request)
    plan = app.plans.plan(db, client, today=today(), protocol=app.protocol)
    return {"client": client, "plan": plan, "protocol": app.protocol}


def _record(
    request: Request,
    db: Session,
    user: User,
    client: Client,
    kind: str,
    body: Callable[[], dict[str, Any]],
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
            now=now(),
            today=today(),
            therapist_id=user.id if user.role == "therapist" else None,
        )


def _after(
    request: Request, db: Session, client: Client, recorded: Recorded, what: str
) -> Response:
    """The client's page, or first the emergency message when the entry raised a red flag."""
    if recorded.alert is None:
        return see_other(f"/clients/{client.id}")
    context: dict[str, Any] = {"title": f"Act now: {client.name}", "alert": recorded.alert}
    context["what"] = what
    return _show(
        request, "care/form_recorded.html", Values({}), **context, **_care(request, db, client)
    )


# ------------------------------------------------------------------ new client


@router.get("/clients/new")
def new_client_form(request: Request, user: Reader) -> Response:
    """The form to add a client."""
    access.require_role(user, "admin", "therapist")
    return _show(request, "care/form_client_new.html", Values({}), title="New client")


@router.post("/clients/new")
def save_new_client(request: Request, db: WriteDb, user: Writer, form: Form) -> Response:
    """Adds a client to the clinic; a therapist who adds one is assigned to them."""
    access.require_role(user, "admin", "therapist")
    name, birth_year = text(form, "name"), number(form, "birth_year")
    sex, email = text(form, "sex"), text(form, "email")
    problems = intake.new_client_problems(
        name=name, birth_year=birth_year, sex=sex, email=email, year=today().year
    )
    if problems or name is None or isinstance(birth_year, str):
        found = Problems.of(InputProblems(problems))
        return _show(
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
        now=now(),
    )
    if user.role == "therapist":
        assign_therapist(db, client=client, therapist_id=user.id, actor=user.email, now=now())
    return see_other(f"/clients/{client.id}")


# ------------------------------------------------------------------ screening


def _screening_page(
    request: Request, db: Session, client: Client, values: Values, problems: Problems | None = None
) -> Response:
    return _show(
        request,
        "care/form_screening.html",
        values,
        problems,
        title=f"Screening: {client.name}",
        groups=intake.screening_questions(state(request).protocol),
        region_labels=REGION_LABELS,
        **_care(request, db, client),
    )


@router.get(CLIENT + "/screening")
def screening_form(request: Request, client_id: int, db: ReadDb, user: Reader) -> Response:
    """Intake and screening questions, emergency signs first."""
    client = access.writable_client(db, user, client_id, "screenings")
    return _screening_page(request, db, client, Values.defaults(date=today().isoformat()))


@router.post(CLIENT + "/screening")
def save_screening(
    request: Request, client_id: int, db: WriteDb, user: Writer, form: Form
) -> Response:
    """Records a screening; an emergency sign answers with the emergency message first."""
    client = access.writable_client(db, user, client_id, "screenings")
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
        recorded = _record(request, db, user, client, "screenings", body)
    except InputProblems as error:
        return _screening_page(request, db, client, Values.of(form), Problems.of(error))
    return _after(request, db, client, recorded, "screening")


# ------------------------------------------------------------------ clearance


def _clearance_page(
    request: Request, db: Session, client: Client, values: Values, problems: Problems | None = None
) -> Response:
    care = _care(request, db, client)
    waiting, others = intake.clearable(care["protocol"], care["plan"])
    title = f"Clearance: {client.name}"
    return _show(
        request, "care/form_clearance.html", values, problems, title=title, waiting=waiting,
        others=others, **care,
    )  # fmt: skip


@router.get(CLIENT + "/clearance")
def clearance_form(request: Request, client_id: int, db: ReadDb, user: Reader) -> Response:
    """A physician's clearance of a finding."""
    client = access.writable_client(db, user, client_id, "clearances")
    return _clearance_page(request, db, client, Values.defaults(date=today().isoformat()))


@router.post(CLIENT + "/clearance")
def save_clearance(
    request: Request, client_id: int, db: WriteDb, user: Writer, form: Form
) -> Response:
    """Records a physician's clearance."""
    client = access.writable_client(db, user, client_id, "clearances")

    def body() -> dict[str, Any]:
        return intake.clearance_body(
            day=text(form, "date"),
            finding=text(form, "finding"),
            by=text(form, "by"),
            note=text(form, "note"),
        )

    try:
        recorded = _record(request, db, user, client, "clearances", body)
    except InputProblems as error:
        return _clearance_page(request, db, client, Values.of(form), Problems.of(error))
    return _after(request, db, client, recorded, "clearance")


# ------------------------------------------------------------------ assessment


def _assessment_page(
    request: Request, db: Session, client: Client, values: Values, problems: Problems | None = None
) -> Response:
    marked = {
        layer: [c for c in values.all(f"regions_{layer}") if c in REGIONS] for layer in LAYERS
    }
    return _show(
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
        **_care(request, db, client),
    )


@router.get(CLIENT + "/assessment")
def assessment_form(request: Request, client_id: int, db: ReadDb, user: Reader) -> Response:
    """Pain scores, Oswestry and STarT Back by section number, and the body map."""
    client = access.writable_client(db, user, client_id, "assessments")
    return _assessment_page(request, db, client, Values.defaults(date=today().isoformat()))


@router.post(CLIENT + "/assessment")
def save_assessment(
    request: Request, client_id: int, db: WriteDb, user: Writer, form: Form
) -> Response:
    """Records an assessment; saddle or both-legs marks answer with the emergency message first."""
    client = access.writable_client(db, user, client_id, "assessments")

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
        recorded = _record(request, db, user, client, "assessments", body)
    except InputProblems as error:
        return _assessment_page(request, db, client, Values.of(form), Problems.of(error))
    return _after(request, db, client, recorded, "assessment")


# ------------------------------------------------------------------ session note


def _session_page(
    request: Request, care: dict[str, Any], values: Values, problems: Problems | None = None
) -> Response:
    return _show(
        request,
        "care/form_session.html",
        values,
        problems,
        title=f"Session note: {care['client'].name}",
        techniques=TECHNIQUES,
        pressures=PRESSURES,
        areas=AREAS,
        overridable=intake.overridable(care["plan"], care["protocol"]),
        **care,
    )


@router.get(CLIENT + "/session")
def session_form(request: Request, client_id: int, db: ReadDb, user: Reader) -> Response:
    """A SOAP note pre-filled from the plan and the client's notes before the session."""
    client = access.writable_client(db, user, client_id, "sessions")
    care = _care(request, db, client)
    massage = care["plan"].massage
    held = massage.status == "on_hold"
    values = Values.defaults(
        date=today().isoformat(),
        techniques=() if held else massage.techniques,
        pressure=None if held else massage.max_pressure,
        areas=() if held else massage.focus_areas,
        minutes=None if held else massage.session_minutes,
        subjective=intake.subjective_text(intake.notes_before_session(db, client=client)),
    )
    return _session_page(request, care, values)


@router.post(CLIENT + "/session")
def save_session(
    request: Request, client_id: int, db: WriteDb, user: Writer, form: Form
) -> Response:
    """Records what was done (a warning follows if it went beyond the plan), then offers booking."""
    client = access.writable_client(db, user, client_id, "sessions")
    fields = ("subjective", "objective", "assessment", "plan", "note", "override", "reason")

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
        recorded = _record(request, db, user, client, "sessions", body)
    except InputProblems as error:
        care = _care(request, db, client)
        return _session_page(request, care, Values.of(form), Problems.of(error))
    note = recorded.row
    assert isinstance(note, SessionNote)
    return see_other(f"/clients/{client.id}/book?session={note.id}")


# ------------------------------------------------------------------ booking


def _booking_page(
    request: Request,
    db: Session,
    client: Client,
    values: Values,
    problems: Problems | None = None,
    session: str | None = None,
) -> Response:
    care = _care(request, db, client)
    saved = None
    if session is not None and session.isdigit():
        saved = intake.saved_session(db, client=client, note_id=int(session))
    warnings = []
    if saved is not None:
        note = saved.note
        warnings = intake.plan_warnings(
            care["plan"], techniques=note.techniques, pressure=note.pressure
        )
    context = {"saved": saved, "warnings": warnings, "therapists": client.therapists}
    title = f"Book the next session: {client.name}"
    return _show(request, "care/form_book.html", values, problems, title=title, **context, **care)


@router.get(CLIENT + "/book")
def booking_form(
    request: Request, client_id: int, db: ReadDb, user: Reader, session: str | None = None
) -> Response:
    """Booking the next session, on the plan's date by default."""
    client = access.writable_client(db, user, client_id, "appointments")
    app = state(request)
    plan = app.plans.plan(db, client, today=today(), protocol=app.protocol)
    team = [t.id for t in client.therapists]
    values = Values.defaults(
        date=intake.next_session_day(plan, today()).isoformat(),
        therapist=user.id if user.id in team else next(iter(team), None),
    )
    return _booking_page(request, db, client, values, session=session)


@router.post(CLIENT + "/book")
def save_booking(
    request: Request, client_id: int, db: WriteDb, user: Writer, form: Form
) -> Response:
    """Books a session with one of the client's therapists."""
    client = access.writable_client(db, user, client_id, "appointments")
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
                now=now(),
            )
    except InputProblems as error:
        return _booking_page(request, db, client, Values.of(form), Problems.of(error))
    return see_other(f"/clients/{client.id}")
