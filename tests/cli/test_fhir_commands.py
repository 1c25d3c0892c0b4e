"""`sciatica export --format fhir` and `sciatica import --format fhir`, end to end.

The round trip: import a history, export it as FHIR, import the Bundle into another database,
and plan both: the plans are the same, for the shipped example and every public scenario.
"""

import json
from pathlib import Path

from tests.cli.test_backup_restore import ok
from tests.cli.test_record_commands import sciatica
from tests.unit.fhir_cases import cases


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
