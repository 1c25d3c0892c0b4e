"""Episodes of sciatica (protocol 2026.2, E1): progress is measured within the current one.

An episode starts at the first reading, or at a start the care team recorded. A new one starts
at a recorded start, after a gap in care (no reading and no session for the protocol's days), or
when symptoms come back after a recovery held for the protocol's days. Baseline, best, status,
relapse, discharge and the review clocks read the current episode's readings only; a recorded
onset, when earlier, starts the clocks of "weeks of symptoms".
"""

from datetime import date
from itertools import pairwise
from operator import attrgetter, sub

from sciatica_care.domain.history import History
from sciatica_care.domain.plan import Episode
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.readings import Reading

_DATE = attrgetter("date")


def current_episode(
    history: History, found: list[Reading], protocol: Protocol, today: date
) -> Episode | None:
    """The episode `today` falls in, with the rule that started it (None with no reading and
    no recorded start)."""
    rule = protocol.rule("progress.episode")
    recorded = sorted(e.date for e in history.episodes if e.date <= today)
    starts: list[tuple[date, str]] = [(day, "progress.episode") for day in recorded]
    if found:
        # Within the latest recorded episode, only its own readings can start another.
        since = recorded[-1] if recorded else None
        own = found if since is None else [r for r in found if r.date >= since]
        starts += _after_gaps(history, own, rule.number("gap_days"), since)
        starts += _after_recovery(own, protocol, rule.number("recovered_days"))
        first = found[0].date
        if all(day > first for day, _ in starts):  # nothing else began by the first reading
            starts.append((first, "progress.episode_first_reading"))
    if not starts:
        return None
    start, why = max(starts, key=lambda s: (s[0], s[1] == "progress.episode"))
    onsets = [
        e.onset
        for e in history.episodes
        if e.onset is not None and e.date == start and e.onset <= start
    ]
    days = {day for day, _ in starts}
    if all(why != "progress.episode_first_reading" for _, why in starts):
        # Care before the earliest start (a session before a long gap) was an episode too.
        days.add(min(days | {s.date for s in history.sessions if s.date <= today}))
    number = 1 + sum(1 for day in days if day < start)
    return Episode(start=start, onset=min(onsets, default=None), rule=why, number=number)


def _after_gaps(
    history: History, found: list[Reading], gap: int, since: date | None
) -> list[tuple[date, str]]:
    """A new episode at the first reading or session after `gap` days with neither (counted
    from a recorded start, when there is one)."""
    sessions = [s.date for s in history.sessions if since is None or s.date >= since]
    if _no_gap_in_readings(found, sessions, gap, since):
        return []
    days = sorted(set(map(_DATE, found)).union(sessions, () if since is None else (since,)))
    return [
        (later, "progress.episode_after_gap")
        for earlier, later in pairwise(days)
        if (later - earlier).days > gap
    ]


def _no_gap_in_readings(
    found: list[Reading], sessions: list[date], gap: int, since: date | None
) -> bool:
    """The common case, in C-level passes: readings (in date order) never `gap` days apart,
    none after `gap` days from a recorded start, and every session among them."""
    if not found:
        return not sessions
    ordinals = list(map(date.toordinal, map(_DATE, found)))
    first, last = found[0].date, found[-1].date
    start = first if since is None else since
    return (
        (first - start).days <= gap
        and (len(ordinals) < 2 or max(map(sub, ordinals[1:], ordinals[:-1])) <= gap)
        and all(start <= day <= last for day in sessions)
    )


def _after_recovery(found: list[Reading], protocol: Protocol, held: int) -> list[tuple[date, str]]:
    """A new episode at the first reading that is not recovered after `held` days recovered."""
    rule = protocol.rule("progress.recovered")
    most_leg, most_back = rule.number("max_leg_pain"), rule.number("max_back_pain")
    out: list[tuple[date, str]] = []
    first_well = next(
        (
            at
            for at, reading in enumerate(found)
            if reading.leg_pain <= most_leg and (reading.back_pain or 0) <= most_back
        ),
        None,
    )
    if first_well is None:  # never recovered: nothing can come back
        return out
    since: date | None = None
    last_well: date | None = None
    for reading in found[first_well:]:
        if reading.leg_pain <= most_leg and (reading.back_pain or 0) <= most_back:
            since = since or reading.date
            last_well = reading.date
            continue
        if since is not None and last_well is not None and (last_well - since).days >= held:
            out.append((reading.date, "progress.episode_after_recovery"))
        since = last_well = None
    return out
