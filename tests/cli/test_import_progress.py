"""`sciatica import` shows a progress bar for a large file, on a terminal only."""

import os
import pty
import subprocess
from pathlib import Path

from tests.integration.test_import_crash import write_big_history
from tests.paths import SCIATICA


def import_with_stderr_on_a_terminal(document: Path, db: str) -> tuple[int, bytes]:
    """Run the import with stderr on a pseudo-terminal; its status and what the terminal got."""
    terminal, child_end = pty.openpty()
    command = [str(SCIATICA), "import", str(document), "--db", db]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=child_end)
    os.close(child_end)
    shown = bytearray()
    while True:
        try:
            data = os.read(terminal, 65536)
        except OSError:  # the child has gone and the terminal is closed
            break
        if not data:
            break
        shown += data
    os.close(terminal)
    return process.wait(timeout=60), bytes(shown)


def test_a_large_import_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    document = tmp_path / "diary.json"
    write_big_history(document, 6_000)
    status, shown = import_with_stderr_on_a_terminal(document, f"sqlite:///{tmp_path / 'a.db'}")
    assert status == 0
    assert b"importing" in shown
    assert b"6000/6000" in shown


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    document = tmp_path / "diary.json"
    write_big_history(document, 6_000)
    command = [str(SCIATICA), "import", str(document), "--db", f"sqlite:///{tmp_path / 'a.db'}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.startswith("imported 6000 records")


def test_a_small_import_shows_no_progress_bar(tmp_path: Path) -> None:
    document = tmp_path / "diary.json"
    write_big_history(document, 5_000)
    status, shown = import_with_stderr_on_a_terminal(document, f"sqlite:///{tmp_path / 'a.db'}")
    assert status == 0
    assert shown == b""
