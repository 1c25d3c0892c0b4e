"""The neurological examination in triage and in the nerve-root hint (protocol 2026.2, E4).

Two rules read the examinations: power of 3/5 or less in any myotome (foot drop when it is
dorsiflexion, L4) is a severe motor deficit, and a deficit new against the previous examination
(power down a grade or more, a reflex or sensation newly reduced or lost) is a progressive one.
Both are urgent, and stay open until a clinician records an outcome (`open_alerts`).
"""

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from sciatica_care.domain.history import Examination, History
from sciatica_care.domain.protocol import Protocol

_WORSE = {"normal": 0, "brisk": 0, "reduced": 1, "absent": 2}
# What each root's examination signs are (the hint counts every one present on the latest exam).
_ROOT_SIGNS: dict[str, tuple[tuple[str, str], ...]] = {
    "L4": (("power", "L4"), ("power", "L3"), ("reflexes", "knee"), ("sensation", "L4")),
    "L5": (("power", "L5"), ("sensation", "L5")),
    "S1": (("power", "S1"), ("reflexes", "ankle"), ("sensation", "S1")),
}


def exam_reports(
    history: History, protocol: Protocol
) -> Iterator[tuple[date, str, tuple[str, ...]]]:
    """(date, rule id, what was found) of every examination that raised an urgent finding."""
    if not history.examinations:
        return
    severe = protocol.rule("triage.exam_severe_weakness").number("max_grade")
    previous: Examination | None = None
    for exam in sorted(history.examinations, key=lambda e: e.date):
        weak = tuple(
            f"{myotome} power {grade}/5"
            for myotome, grade in sorted(exam.power.items())
            if grade <= severe
        )
        if weak:
            yield exam.date, "triage.exam_severe_weakness", weak
        if previous is not None and (new := new_deficits(previous, exam)):
            yield exam.date, "triage.exam_new_deficit", new
        previous = exam


def new_deficits(before: Examination, after: Examination) -> tuple[str, ...]:
    """What is worse at `after` than at `before`, for each thing both examined."""
    found = [
        f"{key} power {before.power[key]}/5 -> {grade}/5"
        for key, grade in sorted(after.power.items())
        if key in before.power and grade < before.power[key]
    ]
    pairs: tuple[tuple[str, Mapping[Any, str], Mapping[Any, str]], ...] = (
        ("reflex", before.reflexes, after.reflexes),
        ("sensation", before.sensation, after.sensation),
    )
    for name, then_map, now_map in pairs:
        for key, now in sorted(now_map.items()):
            then = then_map.get(key)
            if then is not None and _WORSE[now] > _WORSE[then]:
                found.append(f"{key} {name} {then} -> {now}")
    return tuple(found)


def exam_root_signs(history: History) -> dict[str, int]:
    """Per root, how many of its signs the latest examination shows (weakness below 5/5, a
    reduced or absent reflex, reduced or absent sensation), either side."""
    counts = {"L4": 0, "L5": 0, "S1": 0}
    if not history.examinations:
        return counts
    exam = max(history.examinations, key=lambda e: e.date)
    power: Mapping[Any, int] = exam.power
    found: Mapping[str, Mapping[Any, str]] = {
        "reflexes": exam.reflexes,
        "sensation": exam.sensation,
    }
    for root, signs in _ROOT_SIGNS.items():
        for part, where in signs:
            for side in ("left", "right"):
                key = f"{where}_{side}"
                if part == "power":
                    counts[root] += power.get(key, 5) < 5
                else:
                    counts[root] += found[part].get(key) in ("reduced", "absent")
    return counts
