"""Every command explains itself: `--help` with an example."""

import pytest
import typer

from sciatica_care.cli.main import app
from tests.cli.runner import run


def command_paths(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of the app as the words that call it."""
    paths = [
        (*prefix, command.name or (command.callback.__name__ if command.callback else ""))
        for command in group.registered_commands
    ]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        paths += command_paths(sub.typer_instance, (*prefix, sub.name or ""))
    return paths


@pytest.mark.parametrize("words", command_paths(app), ids=" ".join)
def test_every_command_has_help_with_an_example(words: tuple[str, ...]) -> None:
    result = run(*words, "--help")
    assert result.returncode == 0, result.stderr
    assert "Example: sciatica" in result.stdout
