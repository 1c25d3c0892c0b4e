"""`sciatica export --format fhir` and `sciatica import --format fhir`, end to end.

The round trip: import a history, export it as FHIR, import the Bundle into another database,
and plan both: the plans are the same, for the shipped example and every public scenario.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from tests.cli.runner import sciatica
from tests.cli.test_backup_restore import ok
from tests.unit.fhir_cases import bundle_for, cases


def test_the_fhir_round_trip_gives_the_same_plan(database_url: str, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    for name, history, today in cases():
        source = tmp_path / f"{name}.json"
        source.write_text(json.dumps(history))
        ok(database_url, "import", str(source), "--client", name)
        bundle = tmp_path / f"{name}.fhir.json"
        ok(database_url, "export", name, "--format", "fhir", "--output", str(bundle))
        assert json.loads(bundle.read_text())["resourceType"] == "Bundle"
        imported = sciatica(other, "import", str(bundle), "--format", "fhir")
        assert imported.returncode == 0, imported.stderr
        assert (imported.stdout.endswith(f": {name}\n"), imported.stderr) == (True, "")
        on = ("--today", today.isoformat())
        before = ok(database_url, "plan", name, *on)
        after = ok(other, "plan", name, *on)
        assert json.loads(after) == json.loads(before), name


def test_export_prints_the_bundle_and_import_names_an_existing_client(
    database_url: str, tmp_path: Path
) -> None:
    _, history, _ = cases()[0]
    source = tmp_path / "ada.json"
    source.write_text(json.dumps(history))
    ok(database_url, "import", str(source), "--client", "Ada Lovelace")
    printed = ok(database_url, "export", "Ada Lovelace", "--format", "fhir")
    assert printed == ok(database_url, "export", "Ada Lovelace", "--format", "fhir")
    bundle = tmp_path / "ada.fhir.json"
    bundle.write_text(printed)
    ok(database_url, "client", "add", "Ada Again")
    done = sciatica(
        database_url, "import", str(bundle), "--format", "fhir", "--client", "Ada Again"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("imported ")
    assert done.stdout.endswith(": Ada Again\n")
    assert "Ada Again" in ok(database_url, "client", "list")


def test_import_reports_what_it_skips_on_stderr(database_url: str, tmp_path: Path) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "p", "name": [{"text": "Dee"}]}},
            {"resource": {"resourceType": "Medication", "id": "m1"}},
        ],
    }
    path = tmp_path / "dee.json"
    path.write_text(json.dumps(bundle))
    done = sciatica(database_url, "import", str(path), "--format", "fhir")
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"skipped: {path}: Medication/m1 ($.entry[1].resource): not understood\n"
    )
    assert done.stdout.endswith(": Dee\n")


def test_a_malformed_bundle_exits_2_naming_the_path_and_stores_nothing(
    database_url: str, tmp_path: Path
) -> None:
    _, history, _ = cases()[0]
    source = tmp_path / "ada.json"
    source.write_text(json.dumps(history))
    ok(database_url, "import", str(source), "--client", "Ada Lovelace")
    bundle = json.loads(ok(database_url, "export", "Ada Lovelace", "--format", "fhir"))
    reading = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation" and "bodySite" in e["resource"]
    )
    reading["valueQuantity"]["value"] = 11
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bundle))
    refused = sciatica(database_url, "import", str(path), "--format", "fhir", "--client", "New")
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"error: {path}: $.entry[")
    assert "assessments[0].leg_pain: must be an integer 0..10, got 11" in refused.stderr
    path.write_text('{"resourceType": "Bundle", "entry": [{"resource": []}]}')
    refused = sciatica(database_url, "import", str(path), "--format", "fhir", "--client", "New")
    assert (refused.returncode, refused.stderr) == (
        2,
        f"error: {path}: $.entry[0].resource: must be a resource with a resourceType\n",
    )
    assert "New" not in ok(database_url, "client", "list")


ROSA: dict[str, Any] = {
    "schema": "sciatica-care/history@1",
    "client": {"birth_year": 1970, "sex": "female"},
    "screenings": [{"date": "2026-02-02", "findings": ["saddle_numbness"]}],
}


def _rosa_bundle(tmp_path: Path, name: str, change: Any = None, **person: Any) -> Path:
    """Rosa's emergency screening as a FHIR file, its Patient called `name`."""
    history = ROSA | {"client": ROSA["client"] | person}
    bundle = bundle_for(history, date(2026, 2, 10), booking=None)
    bundle["entry"][0]["resource"]["name"] = [{"text": name}]
    if change is not None:
        change(bundle)
    path = tmp_path / "rosa.fhir.json"
    path.write_text(json.dumps(bundle))
    return path


def _screenings(db: str, client: str) -> str:
    return ok(db, "client", "show", client).split("screenings: ")[1].split("\n")[0]


def test_a_finding_the_importer_cannot_read_refuses_the_whole_file(
    database_url: str, tmp_path: Path
) -> None:
    def unreadable(bundle: Any) -> None:
        bundle["entry"][2]["resource"]["code"] = {"text": "numb saddle"}

    path = _rosa_bundle(tmp_path, "Rosa Red", unreadable)
    refused = sciatica(database_url, "import", str(path), "--format", "fhir")
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"error: {path}: $.entry[2].resource.code: a Condition must")
    assert "Rosa" not in ok(database_url, "client", "list")


def test_records_about_another_patient_are_refused(database_url: str, tmp_path: Path) -> None:
    def elsewhere(bundle: Any) -> None:
        bundle["entry"][1]["resource"]["subject"] = {"reference": "Patient/someone-else"}

    ok(database_url, "client", "add", "Rosa Red", "--birth-year", "1970")
    path = _rosa_bundle(tmp_path, "Rosa Red", elsewhere)
    refused = sciatica(database_url, "import", str(path), "--format", "fhir", "--client", "1")
    assert (refused.returncode, refused.stderr) == (
        2,
        f"error: {path}: $.entry[1].resource.subject: must refer to the Bundle's Patient,"
        " got 'Patient/someone-else'\n",
    )
    assert _screenings(database_url, "1") == "0"


def test_a_name_read_from_the_file_matches_only_a_client_of_exactly_that_name(
    database_url: str, tmp_path: Path
) -> None:
    ok(database_url, "client", "add", "Rosa Red", "--birth-year", "1970")
    for name in ("ros", "1"):  # part of a name, an id: a new client, not Rosa
        done = sciatica(
            database_url, "import", str(_rosa_bundle(tmp_path, name)), "--format", "fhir"
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.endswith(f": {name}\n")
    assert _screenings(database_url, "1") == "0"
    exact = sciatica(
        database_url, "import", str(_rosa_bundle(tmp_path, "ROSA RED")), "--format", "fhir"
    )
    assert exact.stdout == "imported 1 records into client 1: Rosa Red\n", exact.stderr
    assert _screenings(database_url, "1") == "1"


def test_an_existing_clients_birth_year_and_sex_are_never_changed_silently(
    database_url: str, tmp_path: Path
) -> None:
    ok(database_url, "client", "add", "Rosa Red", "--birth-year", "1970", "--sex", "female")
    path = _rosa_bundle(tmp_path, "Rosa Red", birth_year=1980, sex="male")
    refused = sciatica(database_url, "import", str(path), "--format", "fhir", "--client", "1")
    assert refused.returncode == 2
    assert refused.stderr == (
        f"error: {path}: $.entry[0].resource.birthDate: born 1980, but client 1 (Rosa Red)"
        " was born 1970\n"
        f"error: {path}: $.entry[0].resource.gender: sex 'male', but client 1 (Rosa Red)"
        " is 'female'\n"
    )
    assert _screenings(database_url, "1") == "0"
    assert "born 1970" in ok(database_url, "client", "list")


def test_a_name_shared_by_two_clients_needs_the_client_option(
    database_url: str, tmp_path: Path
) -> None:
    ok(database_url, "client", "add", "Rosa Red")
    ok(database_url, "client", "add", "rosa red")
    path = _rosa_bundle(tmp_path, "Rosa Red")
    refused = sciatica(database_url, "import", str(path), "--format", "fhir")
    assert (refused.returncode, refused.stderr) == (
        2,
        f"error: {path}: $.entry[0].resource.name: 'Rosa Red' is the name of clients 1, 2:"
        " choose one with --client\n",
    )
    both = sciatica(database_url, "import", str(path), "--format", "fhir", "--client", "rosa")
    assert (both.returncode, both.stderr) == (
        2,
        f"error: {path}: --client: 'rosa' matches several clients, use an id:"
        " 1: Rosa Red; 2: rosa red\n",
    )
    done = sciatica(database_url, "import", str(path), "--format", "fhir", "--client", "2")
    assert done.stdout == "imported 1 records into client 2: rosa red\n", done.stderr
    assert len(ok(database_url, "client", "list").splitlines()) == 2


def test_a_file_that_is_not_utf8_or_too_deep_exits_2_with_a_clear_message(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes('{"resourceType": "Bundle", "name": "Jos\xe9"}'.encode("latin-1"))
    refused = sciatica(database_url, "import", str(path), "--format", "fhir")
    assert (refused.returncode, refused.stderr) == (
        2,
        f"error: {path}: line 1, column 40: not UTF-8 text\n",
    )
    path.write_bytes(b'{"resourceType": "Bundle", "entry": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")
    refused = sciatica(database_url, "import", str(path), "--format", "fhir")
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"error: {path}: $: nested too deeply")
