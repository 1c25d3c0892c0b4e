"""What text a person may give: the one check every shell and use case shares.

NUL, the other C0 controls, DEL and lone surrogates are refused everywhere: PostgreSQL cannot
store NUL, and none of them is something a person means to type. A multi-line note keeps its tabs
and line breaks; a one-line field (a name, an email address, a code) refuses those too.
"""

import re
from collections.abc import Mapping

# C0 controls but tab, line feed and carriage return; DEL; lone (unpaired) surrogates.
_IN_NOTES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_IN_LINES = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
CONTROL_PROBLEM = "must not hold control characters"


def control_problem(path: str, value: object, *, multiline: bool = True) -> str | None:
    """`path: ...` when `value` is text holding a control character, naming the first; else None."""
    if not isinstance(value, str):
        return None
    found = (_IN_NOTES if multiline else _IN_LINES).search(value)
    if found is None:
        return None
    return (
        f"{path}: {CONTROL_PROBLEM} (U+{ord(found.group()):04X} at character {found.start() + 1})"
    )


def control_problems(value: object, path: str = "", *, multiline: bool = True) -> list[str]:
    """Every text (keys too) in a JSON-like value that holds a control character, by JSON path."""
    problems: list[str] = []
    _walk(value, path, multiline, problems)
    return problems


def _walk(value: object, path: str, multiline: bool, problems: list[str]) -> None:
    if isinstance(value, str):
        if (problem := control_problem(path or "$", value, multiline=multiline)) is not None:
            problems.append(problem)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key)
            inner = f"{path}.{name}" if path else name
            if (problem := control_problem(inner, name, multiline=False)) is not None:
                problems.append(problem.replace(": must", ": a field name must", 1))
                continue
            _walk(item, inner, multiline, problems)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", multiline, problems)


def line_problems(fields: Mapping[str, object]) -> list[str]:
    """The one-line fields (name -> value) holding a control character, a line break included."""
    found = (control_problem(name, value, multiline=False) for name, value in fields.items())
    return [problem for problem in found if problem is not None]


def note_problems(fields: Mapping[str, object]) -> list[str]:
    """The multi-line fields (name -> value) holding a control character other than tab or break."""
    found = (control_problem(name, value) for name, value in fields.items())
    return [problem for problem in found if problem is not None]


def cleaned(value: str) -> str:
    """Stored text with each control character (tab and line breaks kept) shown as U+FFFD."""
    return _IN_NOTES.sub("\ufffd", value)


def named(text: str | None) -> bool:
    """Whether a clinician's name (or role) says something: not missing, not blank."""
    return text is not None and bool(text.strip())
