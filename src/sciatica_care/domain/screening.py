"""Red flags and precautions: from the latest screening, clearances and body map to triage."""

from dataclasses import dataclass
from datetime import date

from sciatica_care.domain.body_map import both_legs_marks, saddle_marks
from sciatica_care.domain.codes import TRIAGE_ORDER, WORDED_LEVELS, can_be_cleared, is_alert
from sciatica_care.domain.history import Assessment, History, finding_code, finding_regions
from sciatica_care.domain.plan import Clearance, Triage, TriageFinding
from sciatica_care.domain.protocol import Protocol
from sciatica_care.domain.red_flags import (
    NoteFlag,
    age_rules,
    client_age,
    combination_met,
    note_flags,
)

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

    @property
    def alert(self) -> bool:
        """Whether an emergency or urgent finding is open: the plan holds the action only."""
        return is_alert(self.triage.level)


def current_findings(history: History) -> tuple[date | None, dict[str, tuple[str, ...]]]:
    """The latest screening date and its findings (code -> regions), same-date screenings merged."""
    if not history.screenings:
        return None, {}
    latest = max(screening.date for screening in history.screenings)
    found: dict[str, tuple[str, ...]] = {}
    for screening in history.screenings:
        if screening.date == latest:
            for finding in screening.findings:
                code = finding_code(finding)
                found[code] = tuple(dict.fromkeys(found.get(code, ()) + finding_regions(finding)))
    return latest, found


def _clearances(history: History) -> dict[str, Clearance]:
    """The clearances that can lift a hold: each names its clinician (a blank name clears none)."""
    cleared: dict[str, Clearance] = {}
    for clearance in sorted(history.clearances, key=lambda c: c.date):
        if clearance.finding is not None and named(clearance.by):
            role = clearance.role.strip() if named(clearance.role) else None  # type: ignore[union-attr]
            by = clearance.by.strip()  # type: ignore[union-attr]
            cleared[clearance.finding] = Clearance(date=clearance.date, by=by, role=role)
    return cleared


def named(text: str | None) -> bool:
    """Whether a clearance's name (or role) says something."""
    return text is not None and bool(text.strip())


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
    cleared = _clearances(history)
    findings: list[TriageFinding] = []
    shaping: list[tuple[str, TriageFinding]] = []
    holding: list[str] = []
    avoid: dict[str, None] = {}
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
                clearance=clearance,
            )
            if spec.cleared_rule:
                shaping.append((spec.cleared_rule, item))
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
    for rule_id in age_rules(history, protocol, today):
        item = _age_finding(rule_id, history, protocol, today)
        findings.append(item)
        shaping.append((rule_id, item))
    level, top = _level(findings, screened=latest is not None)
    if latest is None:  # whatever else is known, massage waits for a screening
        holding.append("triage.unscreened")
    notes = note_flags(history, protocol, latest)
    if notes:
        holding.append("triage.note_red_flag_words")
    action = top.action if top else protocol.rule(f"triage.{level}").text
    return Screened(
        triage=Triage(
            level=level,  # type: ignore[arg-type]
            findings=tuple(findings),
            action=action,
            rule=top.rule if top else f"triage.{level}",
        ),
        latest_screening=latest,
        hold=level in HOLDING_LEVELS or bool(holding),
        holding_rules=tuple(dict.fromkeys(holding)),
        shaping=tuple(shaping),
        codes=frozenset(found),
        notes=notes,
        unnamed_clearances=unnamed_clearances(history),
        avoid=tuple(avoid),
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
