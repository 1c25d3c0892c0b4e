"""Red flags the screening alone does not list: combinations, age, and red-flag words in notes."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from operator import attrgetter

from sciatica_care.domain.history import History
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.protocol_combinations import Combination

_DATE = attrgetter("date")
_FLARE = attrgetter("flare")
_NOTE = attrgetter("note")


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
    old = age is not None and combination.min_age is not None and age >= combination.min_age
    for group in combination.requires:
        if facts.isdisjoint(group) and not (old and "age" in group):
            return False
    return True


def _older_record(history: History, cutoff: date) -> bool:
    """Whether any record is dated before `cutoff` (stops at the first)."""
    kinds = (history.screenings, history.assessments, history.sessions, history.diary)
    return any(min(map(_DATE, records)) < cutoff for records in kinds if records)


def age_rules(history: History, protocol: Protocol, today: date | None) -> tuple[str, ...]:
    """The age precautions in force: new back pain at 50+ (or under 20), and older age."""
    age = client_age(history, today)
    if age is None or today is None:
        return ()
    found = []
    new_pain = protocol.rule("precaution.age_new_back_pain")
    recent = not _older_record(history, today - timedelta(days=new_pain.number("new_within_days")))
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
    if not any(map(_NOTE, history.diary)) and not any(map(_NOTE, history.sessions)):
        return ()
    words = protocol.rule("triage.note_red_flag_words").words("words")
    since = since or date.min
    flags = [
        NoteFlag(date=record.date, kind=kind, words=hits, quote=_quote(record.note))
        for kind, records in (("diary", history.diary), ("session", history.sessions))
        for record in records
        if record.note is not None and record.date >= since and (hits := _hits(record.note, words))
    ]
    return tuple(sorted(flags, key=lambda flag: (flag.date, flag.kind)))


@lru_cache(maxsize=4096)
def _hits(note: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The red-flag phrases a note uses, in lower case (kept: the same notes are planned often)."""
    return tuple(dict.fromkeys(hit.lower() for hit in _pattern(words).findall(note)))


def _quote(note: str, limit: int = 300) -> str:
    text = " ".join(note.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diary_flare(history: History, protocol: Protocol, today: date) -> bool:
    """Whether the latest diary entry, within the flare window, says `flare: true`."""
    if not any(map(_FLARE, history.diary)):
        return False
    window = protocol.rule("cadence.flare").number("window_days")
    latest: date = max(map(_DATE, history.diary))
    flagged = max(entry.date for entry in history.diary if entry.flare)
    return bool(flagged == latest >= today - timedelta(days=window))
