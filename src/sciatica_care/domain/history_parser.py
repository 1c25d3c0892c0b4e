"""Turn the bytes of a history@1 document into records, or into the list of its problems."""

from datetime import date
from operator import attrgetter

import msgspec

from sciatica_care.domain.history import History
from sciatica_care.domain.history_checks import document_problems, parse_date

_DECODER = msgspec.json.Decoder(History)
_DATE = attrgetter("date")


class HistoryProblems(ValueError):
    """A history that cannot be planned, with every problem and its JSON path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_history(raw: bytes | str, *, today: date | None, system_today: date) -> History:
    """Decode and check a history; `today` overrides the document's, which overrides the system's.

    The returned history's `today` is the date the plan is made for.
    """
    try:
        history = _DECODER.decode(raw)
    except msgspec.DecodeError as error:
        raise HistoryProblems(_all_problems(raw, today, system_today, str(error))) from None
    as_of = today or history.today or system_today
    if _breaks_a_range(history, as_of):
        raise HistoryProblems(_all_problems(raw, today, system_today, "out of range"))
    if history.today != as_of:
        history = msgspec.structs.replace(history, today=as_of)
    return history


def _all_problems(raw: bytes | str, today: date | None, system_today: date, hint: str) -> list[str]:
    try:
        document = msgspec.json.decode(raw)
    except msgspec.DecodeError as error:
        return [f"$: not valid JSON: {error}"]
    as_of = today
    if as_of is None and isinstance(document, dict):
        as_of = parse_date(document.get("today"))
    problems = document_problems(document, as_of or system_today)
    return problems or [f"$: {hint}"]


def _breaks_a_range(history: History, today: date) -> bool:
    """Whether a decoded history holds what its types cannot refuse: dates after today."""
    client = history.client
    if client and client.birth_year is not None and client.birth_year > today.year:
        return True
    records = (
        history.sessions,
        history.diary,
        history.screenings,
        history.clearances,
        history.assessments,
    )
    return any(max(map(_DATE, kind), default=today) > today for kind in records)
