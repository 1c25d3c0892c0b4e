"""Record-keeping commands: clients, screening, assessments, sessions, diary, export, import."""

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sciatica_care.cli.support import (
    actor,
    clinic_protocol,
    clock,
    fail,
    option_name,
    parse_day,
    store,
)
from sciatica_care.db.files import write_private

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sciatica_care.db.models import Client
    from sciatica_care.domain.plan import CarePlan
    from sciatica_care.services.entries import Recorded

client_app = typer.Typer(help="Add, list, show, export and erase clients.", no_args_is_help=True)
session_app = typer.Typer(help="Record massage sessions.", no_args_is_help=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: SCIATICA_DATABASE_URL or local SQLite)."),
]
ClientArg = Annotated[str, typer.Argument(help="Client id or unique name.")]
DateOption = Annotated[str | None, typer.Option("--date", help="When (YYYY-MM-DD; default today).")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Free text.")]
PainOption = Annotated[int | None, typer.Option(help="0 (none) to 10 (worst imaginable).")]
SignOption = Annotated[
    list[str] | None,
    typer.Option("--sign", help="A red-flag finding code reported now (e.g. bladder_change)."),
]


def _when(value: str | None) -> date:
    return parse_day(value, "--date") or clock().today()


def _find(db: "Session", ref: str) -> "Client":
    from sciatica_care.services.clients import find_client

    return find_client(db, ref)


def _record(db: "Session", client_ref: str, kind: str, body: dict[str, Any]) -> "Recorded":
    """Store one entry through the service; bad fields are named as their options."""
    from sciatica_care.services.errors import InputProblems
    from sciatica_care.services.records import add_entry

    client = _find(db, client_ref)
    try:
        return add_entry(
            db,
            client=client,
            kind=kind,
            body=body,
            protocol=clinic_protocol(),
            actor=actor(),
            now=clock().now(),
            today=clock().today(),
        )
    except InputProblems as error:
        fail([_as_option(problem) for problem in error.problems])


def _as_option(problem: str) -> str:
    field, _, message = problem.partition(": ")
    return f"{option_name(field)}: {message}"


def _say_alert(recorded: "Recorded") -> None:
    """A red flag first and unmissable, before anything else is said."""
    alert = recorded.alert
    if alert is None:
        return
    bar = "!" * 78
    typer.echo(
        f"{bar}\n!!  {alert.level.upper()}: {alert.action}\n!!  Signs: "
        f"{', '.join(alert.signs)}\n!!  Massage is on hold.\n{bar}"
    )


@client_app.command("add")
def client_add(
    name: Annotated[str, typer.Argument(help="The client's name.")],
    birth_year: Annotated[int | None, typer.Option(help="Year of birth.")] = None,
    sex: Annotated[str | None, typer.Option(help="Sex, as the client describes it.")] = None,
    email: Annotated[str | None, typer.Option(help="Contact e-mail.")] = None,
    consent_to_share: Annotated[
        bool, typer.Option(help="The client agrees to share records with their doctor.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a client.

    Example: sciatica client add "Ada Lovelace" --birth-year 1971 --sex female
    """
    from sciatica_care.services.clients import add_client
    from sciatica_care.services.errors import InputProblems

    with store(db) as session:
        try:
            client = add_client(
                session,
                name=name,
                birth_year=birth_year,
                sex=sex,
                email=email,
                consent_to_share=consent_to_share,
                actor=actor(),
                now=clock().now(),
            )
        except InputProblems as error:
            fail([_as_option(problem) for problem in error.problems])
        typer.echo(f"added client {client.id}: {client.name}")


@client_app.command("list")
def client_list(db: DbOption = None) -> None:
    """List every client with their id.

    Example: sciatica client list
    """
    from sciatica_care.services.clients import list_clients

    with store(db) as session:
        clients = list_clients(session)
        for client in clients:
            born = f" (born {client.birth_year})" if client.birth_year else ""
            typer.echo(f"{client.id:>5}  {client.name}{born}")
        if not clients:
            typer.echo("no clients yet: sciatica client add NAME")


@client_app.command("show")
def client_show(client: ClientArg, db: DbOption = None) -> None:
    """Show a client and how many records they have.

    Example: sciatica client show "Ada Lovelace"
    """
    from sciatica_care.services.histories import history_document

    with store(db) as session:
        found = _find(session, client)
        document = history_document(session, found)
        typer.echo(f"{found.id}: {found.name}")
        for key in ("birth_year", "sex"):
            value = getattr(found, key)
            if value is not None:
                typer.echo(f"  {key.replace('_', ' ')}: {value}")
        kinds = ("screenings", "clearances", "outcomes", "examinations", "episodes", "assessments")
        for kind in (*kinds, "sessions", "diary"):
            typer.echo(f"  {kind}: {len(document[kind])}")


def screen(
    client: ClientArg,
    finding: Annotated[
        list[str] | None, typer.Option("--finding", help="A finding code present today.")
    ] = None,
    no: Annotated[
        list[str] | None,
        typer.Option("--no", help="A finding code asked and answered no (repeat it)."),
    ] = None,
    none: Annotated[
        bool, typer.Option("--none", help="Every question asked, every answer no.")
    ] = False,
    by: Annotated[str | None, typer.Option(help="Who asked the questions.")] = None,
    when: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record a red-flag and precaution screening: the yes answers, and the no answers.

    Without --finding, --no or --none the questions are asked one by one; an emergency answer
    stops at once with the emergency message, and the questions not reached stay "not asked".
    Given only --finding, the screening lists its yes answers and says nothing of the rest.

    Example: sciatica screen "Ada Lovelace" --finding anticoagulants --no saddle_numbness
    """
    codes = list(finding or [])
    negatives: list[str] | None = list(no) if no else None
    if none and (codes or negatives):
        fail(["--none: cannot be given with --finding or --no"])
    if none:
        from sciatica_care.engine import default_protocol

        negatives = list(default_protocol().findings)
    elif not codes and not negatives:
        codes, negatives = _ask_screening_questions()
    with store(db) as session:
        entry = {
            "date": _when(when).isoformat(),
            "findings": codes,
            "negatives": negatives,
            "by": by,
            "note": note,
        }
        recorded = _record(session, client, "screenings", entry)
        _say_alert(recorded)
        answered_no = f"; answered no: {len(negatives)}" if negatives is not None else ""
        typer.echo(f"screening recorded: {', '.join(codes) or 'no findings'}{answered_no}")


def _ask_screening_questions() -> tuple[list[str], list[str]]:
    """The yes and the no answers; an emergency stops the questions (the rest: not asked)."""
    from sciatica_care.engine import default_protocol

    protocol = default_protocol()
    found: list[str] = []
    negatives: list[str] = []
    for spec in sorted(protocol.findings.values(), key=_severity_first):
        if not typer.confirm(spec.question, default=False):
            negatives.append(spec.code)
            continue
        found.append(spec.code)
        if spec.finding_class == "emergency":
            typer.echo(f"\nEMERGENCY: {spec.action}\n")
            break
    return found, negatives


def _severity_first(spec: Any) -> int:
    from sciatica_care.domain.codes import FINDING_CLASSES

    return -FINDING_CLASSES.index(spec.finding_class)


def assess(
    client: ClientArg,
    leg_pain: PainOption = None,
    back_pain: PainOption = None,
    odi: Annotated[
        str | None, typer.Option(help="10 Oswestry answers 0-5 by section, '-' if skipped.")
    ] = None,
    startback: Annotated[str | None, typer.Option(help="9 STarT Back answers 0/1.")] = None,
    pain: Annotated[list[str] | None, typer.Option(help="Body-map region with pain.")] = None,
    numbness: Annotated[list[str] | None, typer.Option(help="Region with numbness.")] = None,
    tingling: Annotated[list[str] | None, typer.Option(help="Region with tingling.")] = None,
    when: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record an assessment: pain scores, Oswestry and STarT Back answers, body map.

    Example: sciatica assess "Ada Lovelace" --leg-pain 6 --back-pain 3 --odi 3,2,2,3,2,2,1,-,2,3
    --numbness dorsum_of_foot_left
    """
    regions = {
        k: v for k, v in (("pain", pain), ("numbness", numbness), ("tingling", tingling)) if v
    }
    entry = {
        "date": _when(when).isoformat(),
        "leg_pain": leg_pain,
        "back_pain": back_pain,
        "odi": _answers(odi, "--odi"),
        "startback": _answers(startback, "--startback"),
        "regions": regions or None,
        "note": note,
    }
    with store(db) as session:
        recorded = _record(session, client, "assessments", entry)
        _say_alert(recorded)
        typer.echo(f"assessment recorded for {recorded.row.date}")  # type: ignore[attr-defined]


def _answers(value: str | None, option: str) -> list[int | None] | None:
    if value is None:
        return None
    answers: list[int | None] = []
    for raw in value.split(","):
        part = raw.strip()
        if part in ("-", ""):
            answers.append(None)
        elif part.lstrip("-").isdigit():
            answers.append(int(part))
        else:
            fail([f"{option}: {part!r} is not a number (use - for a skipped section)"])
    return answers


def session_add(
    client: ClientArg,
    technique: Annotated[
        list[str] | None, typer.Option(help="swedish, deep_tissue, trigger_point")
    ] = None,
    area: Annotated[list[str] | None, typer.Option(help="Massage area worked.")] = None,
    pressure: Annotated[str | None, typer.Option(help="light, moderate or firm.")] = None,
    minutes: Annotated[int | None, typer.Option(help="Length of the session.")] = None,
    pain_before: PainOption = None,
    pain_after: PainOption = None,
    override: Annotated[
        str | None, typer.Option(help="A modifying precaution lifted for this session.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option(help="Why the precaution was lifted, in words.")
    ] = None,
    reason_code: Annotated[
        str | None,
        typer.Option(
            help="The clinical reason for the override: prescriber_confirmed, results_in_range, "
            "condition_resolved or not_in_treated_area."
        ),
    ] = None,
    on_hold_reason: Annotated[
        str | None,
        typer.Option(
            help="While massage is on hold, why this note is written: no_massage, "
            "screened_at_session, written_clearance_seen or clinician_agreed_by_phone."
        ),
    ] = None,
    on_hold_note: Annotated[
        str | None, typer.Option(help="While massage is on hold: that reason in words.")
    ] = None,
    subjective: Annotated[str | None, typer.Option(help="S: what the client reports.")] = None,
    objective: Annotated[str | None, typer.Option(help="O: what the therapist found.")] = None,
    assessment: Annotated[str | None, typer.Option(help="A: the therapist's assessment.")] = None,
    next_plan: Annotated[str | None, typer.Option("--plan", help="P: the plan from here.")] = None,
    sign: SignOption = None,
    when: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record a massage session (SOAP note).

    Example: sciatica session add "Ada Lovelace" --technique swedish --area gluteals
    --pressure light --minutes 60 --pain-before 6 --pain-after 4

    While the plan holds massage the note needs --on-hold-reason and --on-hold-note; under an
    emergency or urgent finding only a note without techniques (no_massage) is taken.
    """
    body = {
        "date": _when(when).isoformat(),
        "techniques": technique,
        "areas": area,
        "pressure": pressure,
        "minutes": minutes,
        "pain_before": pain_before,
        "pain_after": pain_after,
        "note": note,
        "subjective": subjective,
        "objective": objective,
        "assessment": assessment,
        "plan": next_plan,
        "override": override,
        "reason": reason,
        "reason_code": reason_code,
        "on_hold_reason": on_hold_reason,
        "on_hold_note": on_hold_note,
        "signs": sign,
    }
    with store(db) as session:
        recorded = _record(session, client, "sessions", body)
        _say_alert(recorded)
        typer.echo(f"session recorded for {recorded.row.date}")  # type: ignore[attr-defined]


def log(
    client: ClientArg,
    leg_pain: PainOption = None,
    back_pain: PainOption = None,
    flare: Annotated[bool, typer.Option("--flare", help="Today is a flare-up.")] = False,
    self_care: Annotated[
        list[str] | None, typer.Option(help="Self-care done: walking, heat, ...")
    ] = None,
    active_minutes: Annotated[int | None, typer.Option(help="Minutes of activity.")] = None,
    sign: SignOption = None,
    when: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Add a pain-diary check-in (several a day are fine).

    A red-flag sign reported at check-in (--sign) is added to the client's screening and answered
    at once.

    Example: sciatica log "Ada Lovelace" --leg-pain 4 --back-pain 2 --self-care walking
    """
    body = {
        "date": _when(when).isoformat(),
        "leg_pain": leg_pain,
        "back_pain": back_pain,
        "flare": flare or None,
        "self_care": self_care,
        "active_minutes": active_minutes,
        "note": note,
        "signs": sign,
    }
    with store(db) as session:
        recorded = _record(session, client, "diary", body)
        _say_alert(recorded)
        typer.echo(f"check-in recorded for {recorded.row.date}")  # type: ignore[attr-defined]


def export(
    client: ClientArg,
    format: Annotated[
        str, typer.Option("--format", help="history (history@1 JSON), fhir (R4 Bundle) or csv.")
    ] = "history",
    output: Annotated[Path | None, typer.Option(help="File to write (default stdout).")] = None,
    db: DbOption = None,
) -> None:
    """Write a client's records: a history@1 document, a FHIR R4 Bundle, or CSV files.

    CSV gives diary.csv, assessments.csv and sessions.csv: in a zip (--output X.zip, or on
    stdout when it is piped) or in a folder (--output DIR).

    Example: sciatica export "Ada Lovelace" --format history --output ada.json
    """
    import msgspec

    from sciatica_care.services.histories import history_document

    if format == "fhir":
        from sciatica_care.cli.fhir import export_fhir

        export_fhir(client, output, db)
        return
    if format == "csv":
        from sciatica_care.cli.csv import export_csv

        export_csv(client, output, db)
        return
    if format != "history":
        fail([f"--format: must be history, fhir or csv, got {format!r}"])
    with store(db) as session:
        document = history_document(session, _find(session, client))
    text = msgspec.json.format(msgspec.json.encode(document), indent=2) + b"\n"
    if output is None:
        sys.stdout.buffer.write(text)
    else:
        write_private(output, text)


def import_(
    file: Annotated[Path, typer.Argument(help="A history@1 JSON, FHIR Bundle or CSV file.")],
    client: Annotated[
        str | None, typer.Option("--client", help="Existing client, or the name of a new one.")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="history (default), fhir (R4 Bundle) or csv.")
    ] = "history",
    kind: Annotated[
        str | None, typer.Option("--kind", help="With --format csv: diary or assessments.")
    ] = None,
    again: Annotated[
        bool,
        typer.Option("--again", help="Import a file this client already has once more."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Read a history@1 document (or a FHIR Bundle, or a CSV file) into a client; all or nothing.

    The same file twice into one client is refused (it would double every record), naming the
    earlier import, unless --again; `sciatica client imports CLIENT` lists them.

    Example: sciatica import ada.json --client "Ada Lovelace"
    """
    if format == "fhir":
        from sciatica_care.cli.fhir import import_fhir

        import_fhir(file, client, db, again=again)
        return
    if format == "csv":
        from sciatica_care.cli.csv import import_csv

        import_csv(file, client, kind, db, again=again)
        return
    if format != "history":
        fail([f"--format: must be history, fhir or csv, got {format!r}"])
    if kind is not None:
        fail(["--kind: only with --format csv"])
    from contextlib import ExitStack
    from functools import partial

    from sciatica_care.domain.history_parser import HistoryProblems, parse_history
    from sciatica_care.services.clients import add_client
    from sciatica_care.services.errors import ServiceError
    from sciatica_care.services.histories import store_history
    from sciatica_care.services.imports import content_hash, record_import

    try:
        raw = file.read_bytes()
    except OSError as error:
        fail([f"FILE: cannot read {str(file)!r}: {error.strerror}"])
    sha256 = content_hash(raw)
    try:
        warnings: list[str] = []
        history = parse_history(
            raw, today=clock().today(), system_today=clock().today(), warnings=warnings
        )
    except HistoryProblems as error:
        fail([f"{file}: {problem}" for problem in error.problems])
    sys.stderr.write("".join(f"warning: {file}: {warning}\n" for warning in warnings))
    del raw  # the records hold it all now
    name = client or file.stem
    lists = (history.screenings, history.clearances, history.assessments, history.sessions)
    total = sum(map(len, lists)) + len(history.diary)
    with store(db) as session, ExitStack() as shown:
        try:
            target = _find(session, name)
        except ServiceError:
            target = add_client(session, name=name, actor=actor(), now=clock().now())
        refused_if_repeated(session, target, "history", sha256, again=again)
        advance = None
        if total > 5_000 and sys.stderr.isatty():  # a bar on the terminal only, never in a pipe
            from rich.console import Console
            from rich.progress import MofNCompleteColumn, Progress

            columns = (*Progress.get_default_columns(), MofNCompleteColumn())
            bar = Progress(*columns, console=Console(stderr=True), transient=True)
            shown.enter_context(bar)
            advance = partial(bar.advance, bar.add_task("importing", total=total))
        count = store_history(
            session,
            client=target,
            history=history,
            actor=actor(),
            now=clock().now(),
            progress=advance,
        )
        record_import(
            session,
            client=target,
            kind="history",
            sha256=sha256,
            records=count,
            actor=actor(),
            now=clock().now(),
        )
    typer.echo(f"imported {count} records into client {target.id}: {target.name}")


def refused_if_repeated(
    session: "Session", target: "Client", kind: str, sha256: str, *, again: bool
) -> None:
    """Stops an import of a file this client already has, saying when it came and how to repeat."""
    from sciatica_care.services.imports import AlreadyImported, refuse_repeat

    try:
        refuse_repeat(session, client=target, kind=kind, sha256=sha256, again=again)
    except AlreadyImported as error:
        fail([str(error), "--again: add it to import the same file once more"])


@client_app.command("imports")
def client_imports(client: ClientArg, db: DbOption = None) -> None:
    """List the files read into a client: when, by whom, what kind, how many records, SHA-256.

    Example: sciatica client imports "Ada Lovelace"
    """
    from sciatica_care.services.imports import client_imports, when

    with store(db) as session:
        done = client_imports(session, client=_find(session, client))
    if not done:
        typer.echo("no imports")
    for row in done:
        typer.echo(
            f"{when(row)}  {row.kind:<7}  {row.records:>7} records  {row.actor}  {row.sha256}"
        )


def clearance_add(
    client: ClientArg,
    finding: Annotated[str, typer.Option(help="The finding a clinician cleared for massage.")],
    by: Annotated[str, typer.Option(help="The clinician's name (without one it clears nothing).")],
    role: Annotated[str, typer.Option(help="The clinician's role (GP, midwife, oncologist...).")],
    expires: Annotated[
        str | None,
        typer.Option(help="Its last day, YYYY-MM-DD (default: the protocol's, 180 days on)."),
    ] = None,
    max_pressure: Annotated[
        str | None, typer.Option(help="A condition: pressure at most light or moderate.")
    ] = None,
    avoid_technique: Annotated[
        list[str] | None, typer.Option(help="A condition: a technique to leave out (repeat it).")
    ] = None,
    avoid_region: Annotated[
        list[str] | None, typer.Option(help="A condition: a body-map region to keep off (repeat).")
    ] = None,
    when: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record that a clinician cleared a see-doctor or clearance-needed finding for massage.

    Emergency and urgent findings can never be cleared. A clearance covers the finding as screened
    up to its date, until it expires, and on the conditions it sets.

    Example: sciatica clearance add "Ada Lovelace" --finding pregnancy --by "Dr A. Example"
    --role GP --max-pressure light --avoid-region lower_back
    """
    if not by.strip() or not role.strip():
        fail(["--by and --role: name the clinician and their role"])
    conditions = {
        key: value
        for key, value in (
            ("max_pressure", max_pressure),
            ("avoid_techniques", avoid_technique),
            ("avoid_regions", avoid_region),
        )
        if value
    }
    entry = {
        "date": _when(when).isoformat(),
        "finding": finding,
        "by": by,
        "role": role,
        "expires": expires,
        "conditions": conditions or None,
        "note": note,
    }
    with store(db) as session:
        recorded = _record(session, client, "clearances", entry)
        typer.echo(f"clearance recorded: {finding} by {by} on {recorded.row.date}")  # type: ignore[attr-defined]


def outcome_add(
    client: ClientArg,
    finding: Annotated[str, typer.Option(help="The emergency or urgent finding it closes.")],
    result: Annotated[str, typer.Option(help="excluded, treated or seen_no_action.")],
    by: Annotated[str, typer.Option(help="The clinician's name (without one it closes nothing).")],
    role: Annotated[str, typer.Option(help="The clinician's role (ED consultant, GP...).")],
    when: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record how an emergency or urgent finding ended: only this closes it.

    A later screening that does not list the finding never closes it; massage waits until a
    named clinician's outcome is on record, and then for a new screening.

    Example: sciatica outcome add "Ada Lovelace" --finding saddle_numbness --result excluded
    --by "Dr B. Example" --role "ED consultant" --note "MRI normal"
    """
    entry = {
        "date": _when(when).isoformat(),
        "finding": finding,
        "result": result,
        "by": by,
        "role": role,
        "note": note,
    }
    with store(db) as session:
        recorded = _record(session, client, "outcomes", entry)
        typer.echo(f"outcome recorded: {finding} {result} by {by} on {recorded.row.date}")  # type: ignore[attr-defined]


def _pairs(values: list[str] | None, option: str, number: bool = False) -> dict[str, Any]:
    """KEY=VALUE options as a map (`L5_left=4`); a value that is no number where one is due is
    left as written, so the record's check names it."""
    found: dict[str, Any] = {}
    for value in values or []:
        key, sign, said = value.partition("=")
        if not sign or not key or not said:
            fail([f"{option}: write KEY=VALUE, got {value!r}"])
        found[key] = int(said) if number and said.isdigit() else said
    return found


def exam_add(
    client: ClientArg,
    power: Annotated[
        list[str] | None, typer.Option(help="MRC power by myotome, e.g. L5_left=4 (repeat).")
    ] = None,
    reflex: Annotated[
        list[str] | None, typer.Option(help="A reflex, e.g. ankle_left=absent (repeat).")
    ] = None,
    sensation: Annotated[
        list[str] | None, typer.Option(help="Feeling by dermatome, e.g. S1_left=reduced.")
    ] = None,
    slr: Annotated[
        list[str] | None, typer.Option(help="Straight leg raise, e.g. left=positive.")
    ] = None,
    crossed_slr: Annotated[
        list[str] | None, typer.Option(help="Crossed straight leg raise, e.g. right=negative.")
    ] = None,
    femoral_stretch: Annotated[
        list[str] | None, typer.Option(help="Femoral stretch test, e.g. left=negative.")
    ] = None,
    by: Annotated[str | None, typer.Option(help="Who examined.")] = None,
    when: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record a neurological examination: power, reflexes, sensation and tension tests.

    Power of 3/5 or less, or a deficit new since the examination before, is urgent: massage
    waits, and the care team sees it at once.

    Example: sciatica exam add "Ada Lovelace" --power L4_left=4 --power L5_left=5
    --reflex ankle_left=reduced --sensation S1_left=reduced --slr left=positive
    """
    entry = {
        "date": _when(when).isoformat(),
        "power": _pairs(power, "--power", number=True),
        "reflexes": _pairs(reflex, "--reflex"),
        "sensation": _pairs(sensation, "--sensation"),
        "slr": _pairs(slr, "--slr"),
        "crossed_slr": _pairs(crossed_slr, "--crossed-slr"),
        "femoral_stretch": _pairs(femoral_stretch, "--femoral-stretch"),
        "by": by,
        "note": note,
    }
    with store(db) as session:
        recorded = _record(session, client, "examinations", entry)
        _say_alert(recorded)
        typer.echo(f"examination recorded on {recorded.row.date}")  # type: ignore[attr-defined]


def episode_add(
    client: ClientArg,
    onset: Annotated[
        str | None,
        typer.Option(help="When this episode's symptoms began (YYYY-MM-DD), if before --date."),
    ] = None,
    when: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record that a new episode of sciatica began: progress is measured from it.

    Baseline, best reading, status and the weeks-of-symptoms clocks then read this episode only;
    an --onset before --date starts those clocks when the symptoms began.

    Example: sciatica episode add "Ada Lovelace" --date 2026-11-02 --onset 2026-10-20
    """
    day = parse_day(onset, "--onset")
    entry = {
        "date": _when(when).isoformat(),
        "onset": day.isoformat() if day else None,
        "note": note,
    }
    with store(db) as session:
        recorded = _record(session, client, "episodes", entry)
        since = f", symptoms since {day}" if day else ""
        typer.echo(f"new episode recorded from {recorded.row.date}{since}")  # type: ignore[attr-defined]


def history(client: ClientArg, db: DbOption = None) -> None:
    """Show a client's records in date order.

    Example: sciatica history "Ada Lovelace"
    """
    from sciatica_care.services.histories import history_document
    from sciatica_care.services.timeline import timeline

    with store(db) as session:
        found = _find(session, client)
        events = timeline(history_document(session, found))
    typer.echo(f"{found.id}: {found.name}")
    for event in events:
        typer.echo(f"{event.date}  {event.kind:<10}  {event.summary}")
    if not events:
        typer.echo("nothing recorded yet")


def progress(client: ClientArg, db: DbOption = None) -> None:
    """Draw leg pain, back pain and Oswestry over time, with sessions marked.

    Example: sciatica progress "Ada Lovelace"
    """
    from sciatica_care.services.histories import history_document
    from sciatica_care.services.timeline import course

    with store(db) as session:
        found = _find(session, client)
        points = course(history_document(session, found))
    typer.echo(f"{found.id}: {found.name}   leg and back pain 0-10, Oswestry %, * = session")
    typer.echo(f"{'date':<10}  {'leg pain':<14}  {'back pain':<14}  {'Oswestry':>8}")
    for point in points:
        odi = "" if point.odi_percent is None else f"{point.odi_percent:.1f}"
        mark = "  *" if point.session else ""
        typer.echo(f"{point.date}  {_bar(point.leg_pain)}  {_bar(point.back_pain)}  {odi:>8}{mark}")
    if not points:
        typer.echo("no readings yet")


def _bar(value: int | None) -> str:
    if value is None:
        return " " * 14
    return f"{value:>2} {'#' * value:<10}  "[:14]


def plan_client(
    client: str, today: date | None, protocol: Path | None, db: str | None
) -> "CarePlan":
    """Plan a stored client and keep a snapshot of the plan."""
    from sciatica_care.services.planning import plan_client as plan_stored

    rules = clinic_protocol(protocol)
    with store(db) as session:
        return plan_stored(
            session,
            client=_find(session, client),
            today=today or clock().today(),
            protocol=rules,
            actor=actor(),
            now=clock().now(),
        )


def register(app: typer.Typer) -> None:
    """Add the record-keeping commands to the main command line."""
    app.add_typer(client_app, name="client")
    app.add_typer(session_app, name="session")
    session_app.command("add")(session_add)
    app.command()(screen)
    app.command()(assess)
    app.command()(log)
    app.command()(export)
    app.command("import")(import_)
    clearance_app = typer.Typer(help="Record clearances by a clinician.", no_args_is_help=True)
    clearance_app.command("add")(clearance_add)
    app.add_typer(clearance_app, name="clearance")
    outcome_app = typer.Typer(
        help="Record how an emergency or urgent finding ended.", no_args_is_help=True
    )
    outcome_app.command("add")(outcome_add)
    app.add_typer(outcome_app, name="outcome")
    exam_app = typer.Typer(help="Record neurological examinations.", no_args_is_help=True)
    exam_app.command("add")(exam_add)
    app.add_typer(exam_app, name="exam")
    episode_app = typer.Typer(help="Record new episodes of sciatica.", no_args_is_help=True)
    episode_app.command("add")(episode_add)
    app.add_typer(episode_app, name="episode")
    app.command()(history)
    app.command()(progress)
