"""A stored client's history made plannable: what the store holds is never refused whole.

Rows written before today's checks (an older version, a restore, a hand edit) may hold what a new
entry may not: a date out of range or after today, a control character in a note. The plan is then
made from every record that is valid, its text carried with each control character shown as
U+FFFD, and `left_out` says which records were set aside and why.
"""

import re
from datetime import date
from typing import Any

from sciatica_care.domain.history_checks import check_document
from sciatica_care.domain.text import cleaned

_RECORD = re.compile(r"^(?P<kind>[a-z_]+)\[(?P<index>\d+)\]")


def plannable(document: dict[str, Any], today: date) -> tuple[dict[str, Any], list[str]]:
    """The document without the records it cannot hold, and each problem that set one aside."""
    safe: dict[str, Any] = _cleaned(document)
    problems, _ = check_document(safe, today)
    if not problems:
        return safe, []
    dropped: dict[str, set[int]] = {}
    left_out = []
    for problem in problems:
        found = _RECORD.match(problem)
        if found is None:
            top = problem.split(".", 1)[0].split(":", 1)[0]
            safe.pop(top, None)
        else:
            dropped.setdefault(found["kind"], set()).add(int(found["index"]))
        left_out.append(problem)
    for kind, indices in dropped.items():
        safe[kind] = [entry for i, entry in enumerate(safe[kind]) if i not in indices]
    return safe, left_out


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return cleaned(value)
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value
