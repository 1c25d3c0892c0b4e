"""`sciatica client export` and `sciatica client erase`, end to end on both backends."""

import json
from pathlib import Path

from tests.cli.runner import sciatica
from tests.cli.test_backup_restore import backup, ok, plans, seed


def test_client_export_writes_everything_held_about_the_client(
    database_url: str, tmp_path: Path
) -> None:
    seed(database_url, tmp_path)
    ok(database_url, "client", "export", "Ada Lovelace", "--output", str(tmp_path / "ada.json"))
    document = json.loads((tmp_path / "ada.json").read_text())
    assert document["client"]["name"] == "Ada Lovelace"
    counts = {name: len(rows) for name, rows in document["records"].items()}
    assert counts["assessments"] == 3
    assert counts["session_notes"] == 6
    assert counts["diary_entries"] > 0
    assert counts["appointments"] == counts["plan_snapshots"] == counts["clearances"] == 1
    assert document["user_accounts"][0]["email"] == "ada@example.org"
    assert [entry["action"] for entry in document["audit_log"]][:2] == ["create", "import"]
    printed = json.loads(ok(database_url, "client", "export", "1"))
    assert printed["records"] == document["records"]


def test_client_erase_needs_confirm_and_leaves_the_other_clients_untouched(
    database_url: str, tmp_path: Path
) -> None:
    clients = seed(database_url, tmp_path)
    refused = sciatica(database_url, "client", "erase", "Ada Lovelace")
    assert (refused.returncode, refused.stderr.count("\n")) == (2, 1)
    assert "add --confirm" in refused.stderr
    others = {client: today for client, today in clients.items() if client != "1"}
    before = plans(database_url, others)
    erased = ok(database_url, "client", "erase", "Ada Lovelace", "--confirm")
    assert erased.startswith("erased client 1 and ")
    gone = sciatica(database_url, "client", "show", "1")
    assert (gone.returncode, gone.stderr) == (2, "error: no client with id 1\n")
    assert plans(database_url, others) == before
    rows = backup(database_url, tmp_path / "after.json")
    assert "Ada" not in json.dumps({k: v for k, v in rows.items() if k != "audit_log"})
    erase_entries = [row for row in rows["audit_log"] if row[3] == "erase"]
    assert len(erase_entries) == 1
    assert erase_entries[0][4:7] == ["clients", 1, 1]
    audit_log = json.dumps(rows["audit_log"])
    for personal in ("Ada", "ada@example.org", "first visit", "GP agrees"):
        assert personal not in audit_log


def test_client_export_and_erase_refuse_an_unknown_client(database_url: str) -> None:
    ok(database_url, "client", "add", "Ada")
    for command in (["export"], ["erase", "--confirm"]):
        refused = sciatica(database_url, "client", *command, "Nobody")
        assert (refused.returncode, refused.stderr) == (
            2,
            "error: no client called 'Nobody' (see: sciatica client list)\n",
        )
    assert "Ada" in ok(database_url, "client", "list")
