"""Red flags and precautions: from the latest screening, clearances and body map to triage."""

from dataclasses import dataclass
from datetime import date

import msgspec

from sciatica_care.domain.answers import full_answers, in_force
from sciatica_care.domain.body_map import both_legs_marks, saddle_marks, spreading
from sciatica_care.domain.clearances import InForce, clearances_in_force
from sciatica_care.domain.codes import TRIAGE_ORDER, WORDED_LEVELS, can_be_cleared, is_alert
from sciatica_care.domain.history import (
    Assessment,
    Conditions,
    History,
    Screening,
    finding_code,
    finding_regions,
)
from sciatica_care.domain.history import Clearance as HistoryClearance
from sciatica_care.domain.open_alerts import Report, alert_reports, unnamed_outcomes
from sciatica_care.domain.plan import Clearance, ClearanceConditions, Triage, TriageFinding
from sciatica_care.domain.plan import Outcome as OutcomeRef
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.red_flags import (
    NoteFlag,
    age_rules,
    client_age,
    combination_met,
    note_flags,
)
from sciatica_care.domain.text import named

_LEVEL_OF_CLASS = {
    "emergency": "emergency",
    "urgent": "urgent",
    "see_doctor": "see_doctor",
    "clearance_needed": "precaution",
    "modify": "precaution",
    "noted": "noted",
}
_TRIAGE_OF_LEVEL = {
    "emergency": "emergency",
    "urgent": "urgent",
    "see_doctor": "see_doctor",
    "precaution": "precautions",
    "noted": "clear",
}
HOLDING_LEVELS = frozenset({"unscreened", "see_doctor", "urgent", "emergency"})
# Levels that do not outrank "unscreened": without a screening, only a sign that needs a doctor
# (a body-map red flag, a combination) says more than "screen first".
_BELOW_UNSCREENED = frozenset({"clear", "precautions"})


@dataclass(frozen=True, slots=True)
class Screened:
    """Triage plus what shapes massage: holds and the precaution rules still in force."""

    triage: Triage
    latest_screening: date | None
    hold: bool
    holding_rules: tuple[str, ...]
    shaping: tuple[tuple[str, TriageFinding], ...]
    codes: frozenset[str]
    notes: tuple[NoteFlag, ...] = ()
    unnamed_clearances: tuple[str, ...] = ()
    # Body-map regions to keep off: every region of a finding that is about one place.
    avoid: tuple[str, ...] = ()
    # Alerts still waiting for an outcome, and outcomes that name no clinician (A1).
    awaiting: tuple[TriageFinding, ...] = ()
    unnamed_outcomes: tuple[str, ...] = ()
    # Must-ask items the latest full screening did not answer (B1).
    unknown: tuple[str, ...] = ()
    # What clearances in force still ask (C3), and why others no longer cover (C2, C3).
    conditions: tuple[tuple[str, Conditions], ...] = ()
    lapsed_clearances: tuple[str, ...] = ()

    @property
    def alert(self) -> bool:
        """Whether an emergency or urgent finding is open: the plan holds the action only."""
        return is_alert(self.triage.level)


def full_screenings(history: History) -> list[Screening]:
    """The screenings that asked the questions: every one but signs reported at a check-in."""
    return [s for s in history.screenings if s.source == "screening"]


def latest_full_screening(history: History) -> date | None:
    """The date of the latest full screening (a check-in's signs are never one)."""
    return max((s.date for s in history.screenings if s.source == "screening"), default=None)


def current_findings(history: History) -> tuple[date | None, dict[str, tuple[str, ...]]]:
    """The latest full screening's date and the findings in force (code -> regions).

    Same-date screenings merge; an item the latest screening did not ask keeps its earlier answer
    (`answers.in_force`); signs reported at check-ins on or after that date join them (a check-in
    only adds: it never stands for a screening).
    """
    if not history.screenings:
        return None, {}
    answered = full_answers(history)
    latest = answered[0].date if answered else None
    found = in_force(answered)
    for screening in history.screenings:
        if screening.source == "check_in" and (latest is None or screening.date >= latest):
            for finding in screening.findings:
                code = finding_code(finding)
                found[code] = tuple(dict.fromkeys(found.get(code, ()) + finding_regions(finding)))
    return latest, found


def unknown_items(history: History, latest: date | None, protocol: Protocol) -> tuple[str, ...]:
    """The protocol's must-ask items the latest full screening answered neither yes nor no."""
    must_ask = protocol.rule("triage.must_ask").words("findings")
    if latest is None:
        return must_ask
    answered: set[str] = set()
    for screening in history.screenings:
        if screening.date == latest and screening.source == "screening":
            answered.update(map(finding_code, screening.findings))
            answered.update(screening.negatives or ())
    return tuple(code for code in must_ask if code not in answered)


def _asked_explicitly(history: History, latest: date | None) -> bool:
    """Whether the latest full screening recorded its no answers (so an item left out was not
    asked), rather than listing its yes answers only, as every history@1 screening did."""
    return any(
        s.date == latest and s.source == "screening" and s.negatives is not None
        for s in history.screenings
    )


def unnamed_clearances(history: History) -> tuple[str, ...]:
    """What the plan warns of: clearances with no clinician's name, or no role."""
    if not history.clearances:
        return ()
    warnings = []
    for clearance in sorted(history.clearances, key=lambda c: (c.date, c.finding or "")):
        what = f"{clearance.finding or 'a finding'} on {clearance.date.isoformat()}"
        if not named(clearance.by):
            warnings.append(f"The clearance of {what} names no clinician: it clears nothing.")
        elif not named(clearance.role):
            warnings.append(f"The clearance of {what} by {clearance.by} does not say their role.")
    return tuple(warnings)


def worded(action: str, level: str, protocol: Protocol) -> str:
    """A finding's own words, then its level's one wording of what to do."""
    return f"{action} {protocol.level_text(level)}" if level in WORDED_LEVELS else action


def triage(
    history: History,
    body_map: Assessment | None,
    protocol: Protocol,
    *,
    today: date | None = None,
) -> Screened:
    """Triage the latest screening and body map; the most severe finding wins."""
    today = today or history.today
    latest, found = current_findings(history)
    avoid: dict[str, None] = {}
    findings, shaping, holding, conditions, lapsed = _screened(
        history, found, protocol, today, avoid
    )
    signs = _body_map_findings(body_map, protocol, found)
    findings.extend(signs)
    holding.extend(f.rule for f in signs)
    # A combination says more than its parts: it comes first, so it wins a tie of levels.
    combined = _combination_findings(history, body_map, protocol, findings, today)
    findings[:0] = combined
    holding.extend(f.rule for f in combined)
    if latest is not None and body_map is not None and body_map.regions is not None:
        numb = _body_map_numbness(body_map.regions.numbness, protocol, found)
        if numb is not None:
            findings.append(numb)
            shaping.append((protocol.findings[numb.code].rule, numb))
    spread = _spreading(history, body_map, latest, protocol)
    if spread is not None:
        findings.append(spread)
        holding.append(spread.rule)
    for rule_id in age_rules(history, protocol, today):
        item = _age_finding(rule_id, history, protocol, today)
        findings.append(item)
        shaping.append((rule_id, item))
    # A1: an emergency or urgent finding stays open until a named clinician records its outcome.
    reports = alert_reports(history, protocol, today)
    findings, holding, awaiting = _with_outcomes(findings, holding, reports, protocol)
    if _closed_since(reports, latest):
        holding.append("triage.screen_after_outcome")
    unknown = unknown_items(history, latest, protocol)
    short = _not_screened_enough(history, latest, unknown, protocol, today)
    level, top = _level(findings, screened=short is None)
    if short is not None:
        holding.append(short)
    notes = note_flags(history, protocol, latest)
    if notes:
        holding.append("triage.note_red_flag_words")
    default = short if short is not None and top is None else f"triage.{level}"
    action = top.action if top else protocol.rule(default).text
    return Screened(
        triage=Triage(
            level=level,  # type: ignore[arg-type]
            findings=tuple(findings),
            action=action,
            rule=top.rule if top else default,
            unknown=unknown,  # type: ignore[arg-type]
        ),
        latest_screening=latest,
        hold=level in HOLDING_LEVELS or bool(holding),
        holding_rules=tuple(dict.fromkeys(holding)),
        shaping=tuple(shaping),
        codes=frozenset(found),
        notes=notes,
        unnamed_clearances=unnamed_clearances(history),
        avoid=tuple(avoid),
        awaiting=awaiting,
        conditions=tuple(conditions),
        lapsed_clearances=lapsed,
        unnamed_outcomes=unnamed_outcomes(history) if history.outcomes else (),
        unknown=unknown,
    )


def _screened(
    history: History,
    found: dict[str, tuple[str, ...]],
    protocol: Protocol,
    today: date | None,
    avoid: dict[str, None],
) -> tuple[
    list[TriageFinding],
    list[tuple[str, TriageFinding]],
    list[str],
    list[tuple[str, Conditions]],
    tuple[str, ...],
]:
    """The screened findings in force, the precautions that shape massage, the holds, the
    conditions clearances set, and why clearances of current findings no longer cover them."""
    cleared, lapsed = clearances_in_force(history, found, protocol, today)
    findings: list[TriageFinding] = []
    shaping: list[tuple[str, TriageFinding]] = []
    holding: list[str] = []
    conditions: list[tuple[str, Conditions]] = []
    for code, regions in found.items():
        spec = protocol.findings[code]
        clearance = cleared.get(code)
        holding.extend(_site_holds(history, code, regions, protocol, today, avoid))
        if clearance and can_be_cleared(spec.finding_class):
            item = TriageFinding(
                code=code,  # type: ignore[arg-type]
                level="precaution",
                action=spec.action,
                rule="triage.cleared",
                source="screening",
                regions=regions,  # type: ignore[arg-type]
                cleared=True,
                clearance=_shown(clearance),
            )
            if spec.cleared_rule:
                shaping.append((spec.cleared_rule, item))
            shaping.extend(_still_asked(clearance.clearance, item, protocol, conditions, avoid))
        else:
            level = _LEVEL_OF_CLASS[spec.finding_class]
            item = TriageFinding(
                code=code,  # type: ignore[arg-type]
                level=level,  # type: ignore[arg-type]
                action=worded(spec.action, level, protocol),
                rule=spec.rule,
                source="screening",
                regions=regions,  # type: ignore[arg-type]
            )
            if spec.finding_class == "modify":
                shaping.append((spec.rule, item))
            elif spec.finding_class != "noted":
                holding.append(spec.rule)
        findings.append(item)
    return findings, shaping, holding, conditions, lapsed


def _shown(cleared: InForce) -> Clearance:
    """A clearance in force as the plan shows it."""
    clearance = cleared.clearance
    role = clearance.role.strip() if named(clearance.role) else None  # type: ignore[union-attr]
    given = clearance.conditions
    return Clearance(
        date=clearance.date,
        by=clearance.by.strip(),  # type: ignore[union-attr]
        role=role,
        expires=cleared.expires,
        conditions=None
        if given is None
        else ClearanceConditions(
            max_pressure=given.max_pressure,
            avoid_techniques=given.avoid_techniques,
            avoid_regions=given.avoid_regions,
        ),
    )


def _still_asked(
    clearance: HistoryClearance,
    item: TriageFinding,
    protocol: Protocol,
    conditions: list[tuple[str, Conditions]],
    avoid: dict[str, None],
) -> list[tuple[str, TriageFinding]]:
    """What a cleared finding still asks of massage: the clearance's own conditions (C3), else
    for cancer or long-term steroids the protocol's residual caution (C4)."""
    given = clearance.conditions
    shaping = []
    if given is not None and (given.max_pressure or given.avoid_techniques or given.avoid_regions):
        conditions.append((item.code, given))
        avoid.update(dict.fromkeys(given.avoid_regions))
        shaping.append(("precaution.clearance_conditions", item))
    own_limits = given is not None and (given.max_pressure or given.avoid_techniques)
    residual = protocol.rule("precaution.cleared_residual")
    if item.code in residual.words("findings") and not own_limits:
        shaping.append((residual.id, item))
    return shaping


def _not_screened_enough(
    history: History,
    latest: date | None,
    unknown: tuple[str, ...],
    protocol: Protocol,
    today: date | None,
) -> str | None:
    """The rule that says the screening on record is not enough to go on, or None.

    Without a current, complete screening only a sign that needs a doctor says more than
    "screen first": B2, a screening stands for the protocol's days; B1, an item not asked is
    never a no (a screening that recorded its no answers and left a must-ask item out).
    """
    if latest is None:
        return "triage.unscreened"
    if _stale(latest, today, protocol):
        return "triage.screening_stale"
    if unknown and _asked_explicitly(history, latest):
        return "triage.screen_incomplete"
    return None


def _stale(latest: date | None, today: date | None, protocol: Protocol) -> bool:
    """Whether the latest full screening is older than the protocol lets it stand (B2)."""
    if latest is None or today is None:
        return False
    return (today - latest).days > protocol.rule("triage.screening_stale").number("max_days")


def _with_outcomes(
    findings: list[TriageFinding],
    holding: list[str],
    reports: dict[str, Report],
    protocol: Protocol,
) -> tuple[list[TriageFinding], list[str], tuple[TriageFinding, ...]]:
    """The findings with every open alert in force (however old its report) and every alert an
    outcome closed shown as noted; the holds that follow; the alerts awaiting an outcome."""
    if not reports:
        return findings, holding, ()
    out: list[TriageFinding] = []
    awaiting: list[TriageFinding] = []
    closed_rules: set[str] = set()
    kept_rules: set[str] = set()
    present: set[str] = set()
    for item in findings:
        report = reports.get(item.code)
        if report is None or not is_alert(item.level):
            out.append(item)
            continue
        present.add(item.code)
        if report.open:
            waiting = msgspec.structs.replace(item, reported=report.since, awaiting="outcome")
            awaiting.append(waiting)
            kept_rules.add(item.rule)
            out.append(waiting)
        else:
            closed_rules.add(item.rule)
            out.append(_closed(item, report, protocol))
    for code, report in reports.items():
        if code in present or not report.open:
            continue
        spec = protocol.findings.get(code)
        action = spec.action if spec else protocol.combinations[code].action
        item = TriageFinding(
            code=code,  # type: ignore[arg-type]
            level=report.level,  # type: ignore[arg-type]
            action=worded(action, report.level, protocol),
            rule=report.rule,
            source=report.source,  # type: ignore[arg-type]
            regions=report.regions,  # type: ignore[arg-type]
            because=report.because,
            reported=report.since,
            awaiting="outcome",
        )
        out.append(item)
        awaiting.append(item)
        kept_rules.add(report.rule)
        holding.append(report.rule)
    lifted = closed_rules - kept_rules
    holding = [rule for rule in holding if rule not in lifted]
    if awaiting:
        holding.append("triage.awaiting_outcome")
    return out, holding, tuple(awaiting)


def _closed_since(reports: dict[str, Report], latest: date | None) -> bool:
    """Whether an outcome closed an alert after the latest full screening."""
    return any(
        r.outcome is not None and (latest is None or r.outcome.date > latest)
        for r in reports.values()
    )


def _closed(item: TriageFinding, report: Report, protocol: Protocol) -> TriageFinding:
    """An alert finding a named clinician closed with an outcome: recorded, no longer in force."""
    outcome = report.outcome
    assert outcome is not None
    rule = protocol.rule("triage.outcome_recorded")
    by = outcome.by.strip() if outcome.by else None
    role = outcome.role.strip() if outcome.role and outcome.role.strip() else None
    return msgspec.structs.replace(
        item,
        level="noted",
        action=rule.text,
        rule=rule.id,
        reported=report.since,
        outcome=OutcomeRef(date=outcome.date, result=outcome.result, by=by, role=role),
    )


def _combination_findings(
    history: History,
    body_map: Assessment | None,
    protocol: Protocol,
    findings: list[TriageFinding],
    today: date | None,
) -> list[TriageFinding]:
    """The protocol's combination red flags met by the findings, body map and age."""
    facts: set[str] = {f.code for f in findings}
    marks = body_map.regions if body_map is not None else None
    if marks is not None and (marks.numbness or marks.tingling):
        facts.add("body_map_numbness")
    known, age = frozenset(facts), client_age(history, today)
    out = []
    for code, combination in protocol.combinations.items():
        if not combination_met(combination, known, age):
            continue
        because: list[str] = [f for group in combination.requires for f in group if f in known]
        minimum = combination.min_age
        if minimum is not None and age is not None and age >= minimum:
            because.append(f"age {age}")
        level = _LEVEL_OF_CLASS[combination.finding_class]
        out.append(
            TriageFinding(
                code=code,  # type: ignore[arg-type]
                level=level,  # type: ignore[arg-type]
                action=worded(combination.action, level, protocol),
                rule=combination.rule,
                source="combination",
                because=tuple(dict.fromkeys(because)),
            )
        )
    return out


def _spreading(
    history: History, body_map: Assessment | None, latest: date | None, protocol: Protocol
) -> TriageFinding | None:
    """New numbness or symptoms further down the leg than on the previous body map: massage waits
    and the doctor is told, until a full screening dated after that map (E4)."""
    if body_map is None or (latest is not None and latest > body_map.date):
        return None
    said = spreading(history, body_map)
    if not said:
        return None
    rule = protocol.rule("triage.neurology_spreading")
    return TriageFinding(
        code="neurology_spreading",
        level="see_doctor",
        action=worded(rule.text, "see_doctor", protocol),
        rule=rule.id,
        source="body_map",
        because=said,
    )


def _age_finding(
    rule_id: str, history: History, protocol: Protocol, today: date | None
) -> TriageFinding:
    code = "age_new_back_pain" if rule_id == "precaution.age_new_back_pain" else "older_age"
    return TriageFinding(
        code=code,  # type: ignore[arg-type]
        level="precaution",
        action=protocol.rule(rule_id).text,
        rule=rule_id,
        source="age",
        because=(f"age {client_age(history, today)}",),
    )


_SITE_RULES = frozenset({"precaution.avoid_site", "precaution.surgical_site"})


def _site_holds(
    history: History,
    code: str,
    regions: tuple[str, ...],
    protocol: Protocol,
    today: date | None,
    avoid: dict[str, None],
) -> list[str]:
    """A finding about one place: its regions join `avoid`; the holds it brings (no region
    recorded, or recent spinal surgery that no named surgeon has cleared)."""
    spec = protocol.findings[code]
    holds = []
    if spec.needs_region or spec.rule in _SITE_RULES:
        avoid.update(dict.fromkeys(regions))
        if spec.needs_region and not regions:
            holds.append("precaution.region_needed")
    if _spinal_surgery(history, code, regions, protocol, today) is False:
        holds.append("precaution.spinal_surgery")
    return holds


def _spinal_surgery(
    history: History,
    code: str,
    regions: tuple[str, ...],
    protocol: Protocol,
    today: date | None,
) -> bool | None:
    """For recent surgery on the spine within the protocol's days: whether a named clinician
    cleared it since it was first screened in its current run. None when the rule does not apply.
    """
    rule = protocol.rule("precaution.spinal_surgery")
    if code != rule.word("finding") or not set(regions) & set(rule.words("regions")):
        return None
    dates = sorted({s.date for s in history.screenings}, reverse=True)
    listing = {s.date for s in history.screenings for f in s.findings if finding_code(f) == code}
    start = dates[0]
    for when in dates:
        if when not in listing:
            break
        start = when
    if today is not None and (today - start).days > rule.number("within_days"):
        return None
    return any(c.finding == code and named(c.by) and c.date >= start for c in history.clearances)


def _body_map_numbness(
    numb: tuple[str, ...], protocol: Protocol, found: dict[str, tuple[str, ...]]
) -> TriageFinding | None:
    """Numbness marked on the body map acts as the `numbness` finding (when none was screened)."""
    rule = protocol.rule("precaution.body_map_numbness")
    code = rule.word("finding")
    numb = tuple(dict.fromkeys(r for r in numb if r != "saddle"))  # saddle: its own emergency sign
    if not numb or code in found:
        return None
    spec = protocol.findings[code]
    return TriageFinding(
        code=code,  # type: ignore[arg-type]
        level=_LEVEL_OF_CLASS[spec.finding_class],  # type: ignore[arg-type]
        action=spec.action,
        rule=rule.id,
        source="body_map",
        regions=numb,  # type: ignore[arg-type]
    )


def _body_map_findings(
    assessment: Assessment | None, protocol: Protocol, found: dict[str, tuple[str, ...]]
) -> list[TriageFinding]:
    if assessment is None or assessment.regions is None:
        return []
    signs = []
    for rule_id, regions in (
        ("triage.body_map_saddle", saddle_marks(assessment.regions)),
        ("triage.body_map_both_legs", both_legs_marks(assessment.regions)),
    ):
        rule = protocol.rule(rule_id)
        code = rule.word("finding")
        if regions and code not in found:
            signs.append(
                TriageFinding(
                    code=code,  # type: ignore[arg-type]
                    level=_LEVEL_OF_CLASS[protocol.findings[code].finding_class],  # type: ignore[arg-type]
                    action=worded(
                        protocol.findings[code].action,
                        _LEVEL_OF_CLASS[protocol.findings[code].finding_class],
                        protocol,
                    ),
                    rule=rule_id,
                    source="body_map",
                    regions=regions,  # type: ignore[arg-type]
                )
            )
    return signs


def _level(findings: list[TriageFinding], *, screened: bool) -> tuple[str, TriageFinding | None]:
    """The triage level and the finding that sets it (the first of the most severe)."""
    level = "clear" if screened else "unscreened"
    top: TriageFinding | None = None
    for finding in findings:
        candidate = _TRIAGE_OF_LEVEL[finding.level]
        if not screened and candidate in _BELOW_UNSCREENED:
            continue  # a precaution (age, say) never stands in for the screening not yet done
        if TRIAGE_ORDER.index(candidate) > TRIAGE_ORDER.index(level):
            level, top = candidate, finding
    return level, top


def numbness_recorded(history: History) -> bool:
    """Whether any screening recorded a `numbness` finding."""
    return any(
        finding_code(finding) == "numbness"
        for screening in history.screenings
        for finding in screening.findings
    )
