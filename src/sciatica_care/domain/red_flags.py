"""Red flags the screening alone does not list: combinations, age, and red-flag words in notes."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sciatica_care.domain.history import History
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.protocol_combinations import Combination


@dataclass(frozen=True, slots=True)
class NoteFlag:
    """A diary or session note that uses red-flag words, quoted as written."""

    date: date
    kind: str
    words: tuple[str, ...]
    quote: str


def client_age(history: History, today: date | None) -> int | None:
    """The client's age on `today`: the year of today minus the birth year (None when unknown).

    The history has no birthday, so this errs older by less than a year.
    """
    born = history.client.birth_year if history.client else None
    if born is None or today is None or born > today.year:
        return None
    return today.year - born


def combination_met(combination: Combination, facts: frozenset[str], age: int | None) -> bool:
    """Whether one fact of every group is present (`age`: the client is min_age or older)."""
    old_enough = age is not None and combination.min_age is not None and age >= combination.min_age
    return all(
        any(fact in facts or (fact == "age" and old_enough) for fact in group)
        for group in combination.requires
    )


def _first_record(history: History) -> date | None:
    dates = [
        record.date
        for records in (history.screenings, history.assessments, history.sessions, history.diary)
        for record in records
    ]
    return min(dates, default=None)


def age_rules(history: History, protocol: Protocol, today: date | None) -> tuple[str, ...]:
    """The age precautions in force: new back pain at 50+ (or under 20), and older age."""
    age = client_age(history, today)
    if age is None or today is None:
        return ()
    found = []
    new_pain = protocol.rule("precaution.age_new_back_pain")
    first = _first_record(history)
    recent = first is None or first >= today - timedelta(days=new_pain.number("new_within_days"))
    if recent and (age >= new_pain.number("min_age") or age < new_pain.number("under_age")):
        found.append(new_pain.id)
    if age >= protocol.rule("precaution.older_age").number("min_age"):
        found.append("precaution.older_age")
    return tuple(found)


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words or phrases, any case, any run of spaces between words."""
    alternatives = sorted((r"\s+".join(map(re.escape, w.split())) for w in words), key=len)
    return re.compile(r"\b(?:" + "|".join(reversed(alternatives)) + r")\b", re.IGNORECASE)


def note_flags(history: History, protocol: Protocol, since: date | None) -> tuple[NoteFlag, ...]:
    """Diary and session notes dated on or after the latest screening that use red-flag words.

    A screening on the same date as the note may have come before it, so only a screening dated
    after the note lifts it.
    """
    pattern = _pattern(protocol.rule("triage.note_red_flag_words").words("words"))
    notes = [("diary", entry.date, entry.note) for entry in history.diary] + [
        ("session", session.date, session.note) for session in history.sessions
    ]
    flags = []
    for kind, day, note in sorted(notes, key=lambda item: (item[1], item[0])):
        if note is None or (since is not None and day < since):
            continue
        hits = tuple(dict.fromkeys(match.group(0).lower() for match in pattern.finditer(note)))
        if hits:
            flags.append(NoteFlag(date=day, kind=kind, words=hits, quote=_quote(note)))
    return tuple(flags)


def _quote(note: str, limit: int = 300) -> str:
    text = " ".join(note.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diary_flare(history: History, protocol: Protocol, today: date) -> bool:
    """Whether the latest diary entry, within the flare window, says `flare: true`."""
    if not history.diary:
        return False
    window = protocol.rule("cadence.flare").number("window_days")
    latest = max(history.diary, key=lambda entry: entry.date).date
    same_day = [entry for entry in history.diary if entry.date == latest]
    return latest >= today - timedelta(days=window) and any(e.flare for e in same_day)
