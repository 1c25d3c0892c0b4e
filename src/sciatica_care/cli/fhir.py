"""FHIR R4 on the command line: `export --format fhir` and `import --format fhir`."""

import sys
from pathlib import Path

import typer

from sciatica_care.cli.support import actor, clinic_protocol, clock, fail, store
from sciatica_care.db.files import write_private


def export_fhir(client: str, output: Path | None, db: str | None) -> None:
    """Writes a client's records and current plan as a FHIR R4 Bundle (JSON)."""
    from sciatica_care.cli.records import _find
    from sciatica_care.settings import get_settings
    from sciatica_care.sharing.fhir.export import client_bundle, encode

    with store(db) as session:
        bundle = client_bundle(
            session,
            client=_find(session, client),
            today=clock().today(),
            protocol=clinic_protocol(),
            zone=get_settings().zone(),
        )
    text = encode(bundle)
    if output is None:
        sys.stdout.buffer.write(text)
    else:
        write_private(output, text)


def import_fhir(file: Path, client: str | None, db: str | None, *, again: bool = False) -> None:
    """Reads a FHIR R4 Bundle into a new or existing client; all or nothing."""
    import msgspec

    from sciatica_care.cli.records import refused_if_repeated
    from sciatica_care.domain.history_parser import HistoryProblems, parse_history
    from sciatica_care.services.clients import add_client
    from sciatica_care.services.histories import store_history
    from sciatica_care.services.imports import content_hash, record_import
    from sciatica_care.sharing.fhir.importer import (
        FhirProblems,
        locate,
        read_bundle,
        target_client,
    )

    try:
        raw = file.read_bytes()
    except OSError as error:
        fail([f"FILE: cannot read {str(file)!r}: {error.strerror}"])
    sha256 = content_hash(raw)
    try:
        imported = read_bundle(raw)
        document = msgspec.json.encode(imported.history)
        history = parse_history(document, today=clock().today(), system_today=clock().today())
    except FhirProblems as error:
        fail([f"{file}: {problem}" for problem in error.problems])
    except HistoryProblems as error:
        fail([f"{file}: {locate(problem, imported.origins)}" for problem in error.problems])
    person = history.client
    now = clock().now()
    with store(db) as session:
        try:
            target = target_client(
                session,
                imported,
                client,
                (None, None) if person is None else (person.birth_year, person.sex),
            )
        except FhirProblems as error:
            fail([f"{file}: {problem}" for problem in error.problems])
        if target is None:
            name = client or imported.name or file.stem
            target = add_client(session, name=name, actor=actor(), now=now)
        refused_if_repeated(session, target, "fhir", sha256, again=again)
        count = store_history(session, client=target, history=history, actor=actor(), now=now)
        record_import(
            session,
            client=target,
            kind="fhir",
            sha256=sha256,
            records=count,
            actor=actor(),
            now=now,
        )
    sys.stderr.write("".join(f"skipped: {file}: {what}\n" for what in imported.skipped))
    typer.echo(f"imported {count} records into client {target.id}: {target.name}")
