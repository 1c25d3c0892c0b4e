"""Progress: leg pain against the first reading, how long a status has held, flares, Oswestry."""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from operator import attrgetter

from sciatica_care.domain.history import Assessment, History
from sciatica_care.domain.instruments import odi_percent, round_half_up, startback_risk
from sciatica_care.domain.plan import Progress, Snapshot
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.readings import Reading

_LEG = attrgetter("leg_pain")
IMPROVED_OR_BETTER = frozenset({"improved", "much_improved", "recovered"})
MUCH_IMPROVED_OR_BETTER = frozenset({"much_improved", "recovered"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The progress thresholds of a protocol, read once."""

    recovered_leg: int
    recovered_back: int
    much_percent: int
    much_points: int
    improved_percent: int
    improved_points: int
    worse_points: int

    @classmethod
    def of(cls, protocol: Protocol) -> "Thresholds":
        """Read the thresholds from a protocol."""
        recovered = protocol.rule("progress.recovered")
        much = protocol.rule("progress.much_improved")
        improved = protocol.rule("progress.improved")
        return cls(
            recovered_leg=recovered.number("max_leg_pain"),
            recovered_back=recovered.number("max_back_pain"),
            much_percent=much.number("min_drop_percent"),
            much_points=much.number("min_drop_points"),
            improved_percent=improved.number("min_drop_percent"),
            improved_points=improved.number("min_drop_points"),
            worse_points=protocol.rule("progress.worse").number("min_rise_points"),
        )


def reading_status(reading: Reading, baseline: int, t: Thresholds) -> str:
    """The status one reading earns against the baseline leg pain."""
    return status_of(reading.leg_pain, reading.back_pain, baseline, t)


def status_of(leg: int, back: int | None, baseline: int, t: Thresholds) -> str:
    """The status that leg and back pain earn against the baseline leg pain."""
    if leg <= t.recovered_leg and back is not None and back <= t.recovered_back:
        return "recovered"
    drop = baseline - leg
    if drop >= t.much_points and drop * 100 >= t.much_percent * baseline:
        return "much_improved"
    if drop >= t.improved_points and drop * 100 >= t.improved_percent * baseline:
        return "improved"
    if -drop >= t.worse_points:
        return "worse"
    return "unchanged"


def overall_status(found: list[Reading], protocol: Protocol, t: Thresholds) -> str:
    """The status of the latest reading, or insufficient_data with too few reading dates."""
    needed = protocol.rule("progress.insufficient_data").number("min_dates")
    dates = set()
    for reading in found:
        dates.add(reading.date)
        if len(dates) >= needed:
            return reading_status(found[-1], found[0].leg_pain, t)
    return "insufficient_data"


def held_days(found: list[Reading], statuses: frozenset[str], t: Thresholds) -> int:
    """Days spanned by the unbroken run of latest readings whose status is in `statuses`."""
    baseline = found[0].leg_pain
    # Leg pain alone decides every status but `recovered`, which also needs the back pain:
    # tabulate the eleven leg values once instead of judging every reading in full.
    by_leg = [status_of(leg, None, baseline, t) in statuses for leg in range(11)]
    recovered = "recovered" in statuses
    start: date | None = None
    for reading in reversed(found):
        leg, back = reading.leg_pain, reading.back_pain
        if not by_leg[leg] and not (
            recovered and leg <= t.recovered_leg and back is not None and back <= t.recovered_back
        ):
            break
        start = reading.date
    return 0 if start is None else (found[-1].date - start).days


def is_flare(found: list[Reading], today: date, protocol: Protocol) -> bool:
    """Latest leg pain at least N points above the lowest of the readings of the last 28 days."""
    rule = protocol.rule("cadence.flare")
    cutoff = today - timedelta(days=rule.number("window_days"))
    latest = found[-1]
    if latest.date < cutoff:
        return False  # no reading in the window: nothing to compare with
    lowest = latest.leg_pain
    for reading in reversed(found):
        if reading.date < cutoff:
            break
        lowest = min(lowest, reading.leg_pain)
    return latest.leg_pain - lowest >= rule.number("rise_points")


def scorable_assessments(history: History, protocol: Protocol) -> list[Assessment]:
    """Assessments whose Oswestry can be scored, by date."""
    minimum = protocol.rule("progress.odi_important_change").number("min_sections")
    scorable = [
        a
        for a in history.assessments
        if a.odi is not None and len(a.odi) - a.odi.count(None) >= minimum
    ]
    scorable.sort(key=lambda a: a.date)
    return scorable


def progress(
    history: History,
    found: list[Reading],
    t: Thresholds,
    protocol: Protocol,
    scorable: list[Assessment] | None = None,
) -> Progress:
    """Baseline, latest, change and status; leg pain is the primary outcome."""
    status = overall_status(found, protocol, t) if found else "insufficient_data"
    odi_rule = protocol.rule("progress.odi_important_change")
    minimum = odi_rule.number("min_sections")
    scorable = scorable_assessments(history, protocol) if scorable is None else scorable
    first_odi = odi_percent(scorable[0].odi, minimum) if scorable else None
    last_odi = odi_percent(scorable[-1].odi, minimum) if scorable else None
    odi_change = None
    if len(scorable) >= 2 and first_odi is not None and last_odi is not None:
        odi_change = round_half_up(round(last_odi * 10) - round(first_odi * 10), 10)
    baseline = latest = None
    change = percent = None
    if found:
        first, last = found[0], found[-1]
        baseline = Snapshot(
            date=first.date,
            leg_pain=first.leg_pain,
            back_pain=first.back_pain,
            odi_percent=first_odi,
            odi_band=odi_band(first_odi, protocol),
        )
        latest = Snapshot(
            date=last.date,
            leg_pain=last.leg_pain,
            back_pain=last.back_pain,
            odi_percent=last_odi,
            odi_band=odi_band(last_odi, protocol),
        )
        change = last.leg_pain - first.leg_pain
        if first.leg_pain:
            percent = round_half_up(change * 100, first.leg_pain)
    rule = protocol.rule(f"progress.{status}")
    risk_rule = protocol.rule("instruments.startback_risk")
    return Progress(
        status=status,  # type: ignore[arg-type]
        baseline=baseline,
        latest=latest,
        leg_pain_change=change,
        leg_pain_change_percent=percent,
        odi_change=odi_change,
        odi_change_important=odi_change is not None
        and abs(odi_change) >= odi_rule.number("min_points"),
        startback_risk=startback_risk(
            latest_startback(history),
            risk_rule.number("low_max_total"),
            risk_rule.number("high_min_distress"),
        ),
        rule=rule.id,
        reason=rule.text,
    )


def odi_band(percent: float | None, protocol: Protocol) -> str | None:
    """The Oswestry band of a score: the first band whose upper bound the score does not pass."""
    if percent is None:
        return None
    rule = protocol.rule("progress.odi_bands")
    for name, upper in zip(rule.words("names"), rule.words("upper"), strict=True):
        if percent <= int(upper):
            return str(name)
    return str(rule.words("names")[-1])


@dataclass(frozen=True, slots=True)
class Signals:
    """What the latest readings say beyond the status: relapse, sustained worsening, function."""

    relapse: bool = False
    worse_sustained: bool = False
    odi_worse: bool = False
    odi_first: float | None = None
    odi_latest: float | None = None


def _latest_dates(found: list[Reading], need: int) -> list[int]:
    """Indexes of the last reading on each of the latest `need` dates, newest first."""
    picked: list[int] = []
    last: date | None = None
    for index in range(len(found) - 1, -1, -1):
        if found[index].date != last:
            picked.append(index)
            last = found[index].date
            if len(picked) == need:
                break
    return picked


def relapsed(found: list[Reading], protocol: Protocol) -> bool:
    """Leg pain N points above its best before them on each of the latest M reading dates."""
    rule = protocol.rule("progress.relapse")
    need = rule.number("min_dates")
    picked = _latest_dates(found, need)
    if len(picked) < need:
        return False
    # A relapse needs an earlier reading at or below this; most histories fail fast here.
    ceiling = min(found[i].leg_pain for i in picked) - rule.number("rise_points")
    if ceiling < 0:
        return False
    start = picked[-1]
    while start > 0 and found[start - 1].date == found[picked[-1]].date:
        start -= 1
    return start > 0 and min(map(_LEG, islice(found, start))) <= ceiling


def signals(
    found: list[Reading],
    t: Thresholds,
    protocol: Protocol,
    *,
    scorable: list[Assessment],
    odi_first: float | None,
    odi_latest: float | None,
) -> Signals:
    """Relapse, worse than baseline on the latest M dates, and an Oswestry worse than its best.

    `odi_first` and `odi_latest` are the first and latest scores of `scorable` (from progress).
    """
    worse = False
    if found:
        need = protocol.rule("review.worsening").number("min_dates")
        picked = _latest_dates(found, need)
        baseline = found[0]
        worse = len(picked) == need and all(
            found[i].leg_pain - baseline.leg_pain >= t.worse_points
            and found[i].date != baseline.date
            for i in picked
        )
    odi_worse = False
    if len(scorable) >= 2 and odi_latest is not None:
        minimum = protocol.rule("progress.odi_important_change").number("min_sections")
        ceiling = odi_latest - protocol.rule("review.function_worse").number("min_points")
        for assessment in scorable[:-1]:
            answers = assessment.odi
            assert answers is not None
            score = sum(answers) * 2 if None not in answers else odi_percent(answers, minimum)  # type: ignore[arg-type]
            if score is not None and score <= ceiling:
                odi_worse = True
                break
    return Signals(
        relapse=bool(found) and relapsed(found, protocol),
        worse_sustained=worse,
        odi_worse=odi_worse,
        odi_first=odi_first,
        odi_latest=odi_latest,
    )


def latest_startback(history: History) -> tuple[int, ...] | None:
    """The answers of the most recent assessment with a STarT Back."""
    best: Assessment | None = None
    for assessment in history.assessments:
        if assessment.startback is not None and (best is None or assessment.date >= best.date):
            best = assessment
    return None if best is None else best.startback
