"""The `sciatica` command for tests: in this process through Typer's runner, or as a subprocess.

In-process runs go through `sciatica_care.cli.main.main`, the installed command's entry point, so
exit codes, stdout and stderr are what the real command gives; they are about a hundred times
quicker than starting Python. `subprocess_run` starts the installed command itself, for the few
checks that need a real process: a terminal, stdin as a pipe, several processes at once.
"""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

# Imported here, outside any captured run: alembic's Config takes sys.stdout as a default argument
# when first imported, and a run's stdout is closed after it (later `alembic check`s then fail).
import alembic.config  # noqa: F401
from typer.testing import CliRunner

from sciatica_care.cli.main import main
from sciatica_care.settings import get_settings
from tests.paths import SCIATICA

TIMEOUT = 60


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `sciatica ARGS` in this process; its status, stdout and stderr as the command gives."""
    status, out, err = _invoke(args, stdin, cwd)
    return subprocess.CompletedProcess([str(SCIATICA), *args], status, _text(out), _text(err))


def run_bytes(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `sciatica ARGS` in this process, with stdin, stdout and stderr as bytes."""
    status, out, err = _invoke(args, stdin, None)
    return subprocess.CompletedProcess([str(SCIATICA), *args], status, out, err)


def subprocess_run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `sciatica` command as a process of its own."""
    return subprocess.run(
        [str(SCIATICA), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
    )


def _text(data: bytes) -> str:
    """Bytes read as a text-mode pipe reads them (UTF-8, universal newlines)."""
    return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


def _invoke(
    args: tuple[str, ...], stdin: str | bytes | None, cwd: Path | None
) -> tuple[int, bytes, bytes]:
    """Run the entry point with `args` as its argv; status, stdout and stderr.

    What a process would start afresh is reset around each run: the cached settings, argv,
    the environment (`serve --db` sets a variable) and the working directory.
    """
    saved_env, saved_argv = dict(os.environ), sys.argv
    get_settings.cache_clear()
    try:
        with contextlib.ExitStack() as stack:
            if cwd is not None:
                stack.enter_context(contextlib.chdir(cwd))
            out, err, _mixed = stack.enter_context(CliRunner().isolation(input=stdin))
            sys.argv = ["sciatica", *args]
            try:
                main()
                status = 0
            except SystemExit as stop:
                status = _status(stop.code)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            return status, out.getvalue(), err.getvalue()
    finally:
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
        get_settings.cache_clear()


def _status(code: object) -> int:
    """The exit status a process gets from `sys.exit(code)`."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def sciatica(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a command against the test's database (`--db URL`), in this process."""
    return run(*args, "--db", db)
