"""An emergency or urgent finding stays open until a named clinician records its outcome (A1).

Every report counts: a full screening, a sign a client reported at a check-in, a body-map sign
(saddle, both legs) on any assessment, and a combination met by one screening's findings. A later
screening that does not list the finding never closes it; only an outcome for that code, dated on
or after its latest report and naming a clinician, does. A report after the outcome opens it again.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sciatica_care.domain.body_map import alert_signs
from sciatica_care.domain.codes import ALERT_LEVELS
from sciatica_care.domain.history import History, Outcome, finding_code, finding_regions
from sciatica_care.domain.neuro_exam import exam_reports
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.red_flags import client_age, combination_met
from sciatica_care.domain.text import named

_ALERT_CLASSES = frozenset(ALERT_LEVELS)  # a finding class of these names is an alert level


@dataclass(frozen=True, slots=True)
class Report:
    """One alert finding across the history: its open run, or the outcome that closed it."""

    code: str
    level: str
    rule: str
    source: str
    since: date  # the first report after the last closing outcome (or the first report)
    latest: date
    regions: tuple[str, ...]
    outcome: Outcome | None  # the named outcome that closed it; None while open
    because: tuple[str, ...] = ()  # what an examination found

    @property
    def open(self) -> bool:
        """Whether the finding still waits for an outcome."""
        return self.outcome is None


def alert_reports(history: History, protocol: Protocol, today: date | None) -> dict[str, Report]:
    """Every emergency or urgent finding ever reported, by code, open or closed by an outcome."""
    events: dict[str, list[tuple[date, str, str, tuple[str, ...], tuple[str, ...]]]] = {}
    for day, code, source, regions, rule, because in _reported(history, protocol, today):
        events.setdefault(code, []).append((day, source, rule, regions, because))
    if not events:
        return {}
    closing: dict[str, list[Outcome]] = {}
    for outcome in history.outcomes:
        if named(outcome.by):
            closing.setdefault(outcome.finding, []).append(outcome)
    reports = {}
    for code, seen in events.items():
        seen.sort(key=lambda event: event[0])
        latest, source, rule, _, because = seen[-1]
        outcomes = sorted(closing.get(code, ()), key=lambda o: o.date)
        last_outcome = outcomes[-1] if outcomes else None
        closed = last_outcome if last_outcome and last_outcome.date >= latest else None
        after = last_outcome.date if last_outcome and closed is None else None
        run = [event for event in seen if after is None or event[0] > after]
        regions = tuple(dict.fromkeys(r for event in run for r in event[3]))
        reports[code] = Report(
            code=code,
            level=_level(code, protocol),
            rule=rule,
            source=source,
            since=run[0][0],
            latest=latest,
            regions=regions,
            outcome=closed,
            because=because,
        )
    return reports


def _level(code: str, protocol: Protocol) -> str:
    spec = protocol.findings.get(code)
    return spec.finding_class if spec else protocol.combinations[code].finding_class


def _reported(
    history: History, protocol: Protocol, today: date | None
) -> Iterator[tuple[date, str, str, tuple[str, ...], str, tuple[str, ...]]]:
    """(date, code, source, regions, rule, because) of every alert report in the history."""
    findings = protocol.findings
    for screening in history.screenings:
        codes = set()
        for finding in screening.findings:
            code = finding_code(finding)
            codes.add(code)
            spec = findings[code]
            if spec.finding_class in _ALERT_CLASSES:
                yield screening.date, code, "screening", finding_regions(finding), spec.rule, ()
        if codes and protocol.combinations:
            yield from _combinations(screening.date, frozenset(codes), history, protocol, today)
    signs = []
    for index, rule_id in enumerate(("triage.body_map_saddle", "triage.body_map_both_legs")):
        code = protocol.rule(rule_id).word("finding")
        if findings[code].finding_class in _ALERT_CLASSES:
            signs.append((index, code, rule_id))
    for assessment in history.assessments:
        regions = assessment.regions
        if regions is None or not (regions.pain or regions.numbness or regions.tingling):
            continue
        marked = alert_signs(regions)
        for index, code, rule_id in signs:
            if where := marked[index]:
                yield assessment.date, code, "body_map", where, rule_id, ()
    for day, rule_id, because in exam_reports(history, protocol):
        code = protocol.rule(rule_id).word("finding")
        yield day, code, "examination", (), rule_id, because


def _combinations(
    day: date, codes: frozenset[str], history: History, protocol: Protocol, today: date | None
) -> Iterator[tuple[date, str, str, tuple[str, ...], str, tuple[str, ...]]]:
    age = client_age(history, today)
    for code, combination in protocol.combinations.items():
        if combination.finding_class in _ALERT_CLASSES and combination_met(combination, codes, age):
            yield day, code, "combination", (), combination.rule, ()


def unnamed_outcomes(history: History) -> tuple[str, ...]:
    """What the plan warns of: outcomes with no clinician's name (they close nothing)."""
    return tuple(
        f"The outcome of {o.finding} on {o.date.isoformat()} names no clinician: it closes nothing."
        for o in sorted(history.outcomes, key=lambda o: (o.date, o.finding))
        if not named(o.by)
    )
