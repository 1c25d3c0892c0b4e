"""How leg pain answers each technique: from before the session to the diary 1-3 days later."""

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from itertools import accumulate, islice
from math import lcm
from operator import attrgetter, gt

from sciatica_care.domain.codes import TECHNIQUES
from sciatica_care.domain.history import History
from sciatica_care.domain.instruments import round_half_up
from sciatica_care.domain.plan import TechniqueResponse
from sciatica_care.domain.protocol import Protocol

_BY_DATE = attrgetter("date")
_LEG_PAIN = attrgetter("leg_pain")


def _diary_prefix_sums(history: History) -> tuple[list[date], list[int]]:
    """Dates of the diary's leg-pain readings in order, and running sums of their leg pain."""
    readings = [entry for entry in history.diary if entry.leg_pain is not None]
    dates = list(map(_BY_DATE, readings))
    if any(map(gt, dates, islice(dates, 1, None))):
        readings.sort(key=_BY_DATE)
        dates.sort()
    return dates, list(accumulate(map(_LEG_PAIN, readings), initial=0))


def session_response(history: History, protocol: Protocol) -> tuple[TechniqueResponse, ...]:
    """Per technique, the mean change in leg pain after its sessions and how many it rests on.

    Each session's change is the mean of the diary readings in the window minus `pain_before`;
    a technique's figure is the mean of its sessions' changes, computed exactly.
    """
    rule = protocol.rule("session_response.diary_after_session")
    first = timedelta(days=rule.number("from_day"))
    last = timedelta(days=rule.number("to_day"))
    dates, totals = _diary_prefix_sums(history)
    # Per technique: (pain_before, sum of diary readings, how many) for each session it was in.
    changes: dict[str, list[tuple[int, int, int]]] = {}
    for session in history.sessions:
        if session.pain_before is None or not session.techniques:
            continue
        start = bisect_left(dates, session.date + first)
        end = bisect_right(dates, session.date + last, lo=start)
        if end > start:
            change = (session.pain_before, totals[end] - totals[start], end - start)
            for technique in dict.fromkeys(session.techniques):
                changes.setdefault(technique, []).append(change)
    return tuple(
        TechniqueResponse(
            technique=technique,  # type: ignore[arg-type]
            mean_leg_pain_change=_mean_change(changes[technique]),
            sessions=len(changes[technique]),
            rule=rule.id,
        )
        for technique in TECHNIQUES
        if technique in changes
    )


def _mean_change(sessions: list[tuple[int, int, int]]) -> float:
    """Exact mean of (total / count - before) over sessions, over one common denominator."""
    common = lcm(*{count for _, _, count in sessions})
    numerator = sum(
        total * (common // count) - before * common for before, total, count in sessions
    )
    return round_half_up(numerator, common * len(sessions))
