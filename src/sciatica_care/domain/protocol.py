"""The protocol: every clinical rule, threshold and text, loaded from TOML and checked whole."""

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace

from sciatica_care.domain.codes import FINDING_CLASSES, FINDING_CODES, REGIONS, can_be_cleared
from sciatica_care.domain.protocol_combinations import Combination, combinations, levels
from sciatica_care.domain.protocol_spec import (
    CLEARED_RULES,
    RED_FLAG_FLOOR,
    RULE_PARAMS,
    RULES_BY_CLASS,
    body_part,
    text,
)

# The number a client calls in an emergency when the clinic has set none (the UK's; 112 also
# works from mobiles across Europe). Shells pass the clinic's setting with `with_emergency_number`.
DEFAULT_EMERGENCY_NUMBER = "999"

RULE_KEYS = ("text", "sources")
FINDING_KEYS = ("class", "rule", "action", "question", "cleared_rule", "needs_region")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its id, our plain-language text, its sources and its thresholds."""

    id: str
    text: str
    sources: tuple[str, ...]
    params: Mapping[str, object]

    def number(self, name: str) -> int:
        """An integer threshold of this rule."""
        value = self.params[name]
        assert isinstance(value, int)
        return value

    def word(self, name: str) -> str:
        """A single word or sentence of this rule."""
        value = self.params[name]
        assert isinstance(value, str)
        return value

    def words(self, name: str) -> tuple[str, ...]:
        """A list of words of this rule."""
        value = self.params[name]
        assert isinstance(value, tuple)
        return value

    def groups(self, name: str) -> tuple[tuple[str, ...], ...]:
        """A list of lists of words of this rule."""
        value = self.params[name]
        assert isinstance(value, tuple)
        return value


@dataclass(frozen=True, slots=True)
class FindingRule:
    """How a screening finding is classed, which rule handles it and what to do."""

    code: str
    finding_class: str
    rule: str
    action: str
    question: str
    cleared_rule: str | None
    # A finding about one place (a scar, a wound, a clot): its regions are avoided, and with no
    # region recorded massage waits until one is.
    needs_region: bool = False


@dataclass(frozen=True, slots=True)
class Protocol:
    """A whole, checked protocol."""

    id: str
    version: str
    title: str
    rules: Mapping[str, Rule]
    findings: Mapping[str, FindingRule]
    sources: Mapping[str, str]
    levels: Mapping[str, Mapping[str, str]]
    combinations: Mapping[str, Combination]
    # Precomputed when the protocol loads: the massage areas that lie over each body-map region.
    areas_over: Mapping[str, tuple[str, ...]]
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id."""
        return self.rules[rule_id]

    def level_text(self, level: str, key: str = "action") -> str:
        """The one wording of a level's urgency (or its safety-net), with the clinic's number."""
        return self.levels[level][key].replace("{emergency_number}", self.emergency_number)

    def with_emergency_number(self, number: str | None) -> "Protocol":
        """This protocol with the clinic's emergency number (unchanged when none is set)."""
        if not number or not number.strip():
            return self
        return replace(self, emergency_number=number.strip())


def _frozen(value: object) -> object:
    """A parameter as the rule keeps it: lists (at any depth) as tuples."""
    return tuple(map(_frozen, value)) if isinstance(value, list) else value


class ProtocolProblems(ValueError):
    """A protocol file that cannot be used, with every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_protocol(source: str) -> Protocol:
    """Parse and check a protocol's TOML text; raise ProtocolProblems listing every fault."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise ProtocolProblems([f"not valid TOML: {error}"]) from None
    problems: list[str] = []
    for key in data.keys() - {"protocol", "rules", "findings", "sources", "levels", "combinations"}:
        problems.append(f"{key}: unknown section")
    header = _table(data, "protocol", problems)
    for key in header.keys() - {"id", "version", "title"}:
        problems.append(f"protocol.{key}: unknown key")
    for key in ("id", "version"):
        if (why := text(header.get(key))) is not None:
            problems.append(f"protocol.{key}: {why}")
    sources = _sources(_table(data, "sources", problems), problems)
    rules = _rules(_table(data, "rules", problems), sources, problems)
    findings = _findings(_table(data, "findings", problems), problems)
    worded = levels(_table(data, "levels", problems), problems)
    combined = combinations(_table(data, "combinations", problems), rules, problems)
    if not problems:
        problems.extend(_consistency(rules))
    if problems:
        raise ProtocolProblems(sorted(problems))
    return Protocol(
        id=str(header["id"]),
        version=str(header["version"]),
        title=str(header.get("title", "")),
        rules=rules,
        findings=findings,
        sources=sources,
        levels=worded,
        combinations=combined,
        areas_over=_areas_over(rules["massage.avoid_focus_area"]),
    )


def _areas_over(rule: Rule) -> dict[str, tuple[str, ...]]:
    """Region (with its side) -> the massage areas over it, from the body-part table."""
    return {region: rule.words(body_part(region)) for region in REGIONS}


def _table(data: Mapping[str, object], key: str, problems: list[str]) -> dict[str, object]:
    value = data.get(key)
    if not isinstance(value, dict):
        problems.append(f"{key}: missing section")
        return {}
    return value


def _sources(table: Mapping[str, object], problems: list[str]) -> dict[str, str]:
    for key, value in table.items():
        if (why := text(value)) is not None:
            problems.append(f"sources.{key}: {why}")
    return {key: str(value) for key, value in table.items()}


def _rules(
    table: Mapping[str, object], sources: Mapping[str, str], problems: list[str]
) -> dict[str, Rule]:
    for rule_id in table.keys() - RULE_PARAMS.keys():
        problems.append(f"rules.{rule_id}: unknown rule")
    rules: dict[str, Rule] = {}
    for rule_id, spec in RULE_PARAMS.items():
        where = f"rules.{rule_id}"
        entry = table.get(rule_id)
        if not isinstance(entry, dict):
            problems.append(f"{where}: missing rule")
            continue
        for key in entry.keys() - spec.keys() - set(RULE_KEYS):
            problems.append(f"{where}.{key}: unknown key")
        if (why := text(entry.get("text"))) is not None:
            problems.append(f"{where}.text: {why}")
        cited = entry.get("sources")
        if not isinstance(cited, list) or not all(isinstance(s, str) for s in cited):
            problems.append(f"{where}.sources: must be a list of source ids")
            cited = []
        for source in cited:
            if source not in sources:
                problems.append(f"{where}.sources: {source!r} is not in the [sources] table")
        for name, check in spec.items():
            if name not in entry:
                problems.append(f"{where}.{name}: missing threshold")
            elif (why := check(entry[name])) is not None:
                problems.append(f"{where}.{name}: {why}")
        params = {name: _frozen(value) for name, value in entry.items() if name in spec}
        rules[rule_id] = Rule(rule_id, str(entry.get("text")), tuple(cited), params)
    return rules


def _findings(table: Mapping[str, object], problems: list[str]) -> dict[str, FindingRule]:
    for code in table.keys() - set(FINDING_CODES):
        problems.append(f"findings.{code}: unknown finding code")
    findings: dict[str, FindingRule] = {}
    for code in FINDING_CODES:
        where = f"findings.{code}"
        entry = table.get(code)
        if not isinstance(entry, dict):
            problems.append(f"{where}: missing finding")
            continue
        for key in entry.keys() - set(FINDING_KEYS):
            problems.append(f"{where}.{key}: unknown key")
        finding_class = entry.get("class")
        if finding_class not in FINDING_CLASSES:
            problems.append(f"{where}.class: must be one of {', '.join(FINDING_CLASSES)}")
            continue
        floor = RED_FLAG_FLOOR.get(code)
        if floor and FINDING_CLASSES.index(finding_class) < FINDING_CLASSES.index(floor):
            problems.append(f"{where}.class: a red flag cannot be made milder than {floor!r}")
        rule = entry.get("rule")
        if rule not in RULES_BY_CLASS[finding_class]:
            allowed = ", ".join(RULES_BY_CLASS[finding_class])
            problems.append(f"{where}.rule: a {finding_class} finding takes one of {allowed}")
        for key in ("action", "question"):
            if (why := text(entry.get(key))) is not None:
                problems.append(f"{where}.{key}: {why}")
        cleared = entry.get("cleared_rule")
        if cleared is not None and (
            not can_be_cleared(finding_class) or cleared not in CLEARED_RULES
        ):
            problems.append(
                f"{where}.cleared_rule: only a clearable finding takes one of "
                f"{', '.join(CLEARED_RULES)}"
            )
        needs_region = entry.get("needs_region", False)
        if not isinstance(needs_region, bool):
            problems.append(f"{where}.needs_region: must be true or false, got {needs_region!r}")
            needs_region = False
        findings[code] = FindingRule(
            code,
            finding_class,
            str(rule),
            str(entry.get("action")),
            str(entry.get("question")),
            cleared and str(cleared),
            needs_region,
        )
    return findings


def _consistency(rules: Mapping[str, Rule]) -> list[str]:
    """Thresholds that are each fine alone but contradict one another."""
    n = rules
    problems = []
    bands = [
        n[f"massage.{b}_leg_pain"].number("min_leg_pain") for b in ("mild", "moderate", "severe")
    ]
    if not bands[0] == 0 < bands[1] < bands[2]:
        problems.append(
            "rules.massage.*_leg_pain.min_leg_pain: must be 0 (mild) < moderate < severe"
        )
    if n["progress.much_improved"].number("min_drop_percent") < n["progress.improved"].number(
        "min_drop_percent"
    ):
        problems.append("rules.progress.much_improved.min_drop_percent: must not be below improved")
    if n["review.not_improving_12_weeks"].number("after_days") <= n[
        "review.not_improving_6_weeks"
    ].number("after_days"):
        problems.append("rules.review.not_improving_12_weeks.after_days: must come after 6 weeks")
    odi_bands = n["progress.odi_bands"]
    if len(odi_bands.words("names")) != len(odi_bands.words("upper")):
        problems.append("rules.progress.odi_bands: names and upper must be the same length")
    response = n["session_response.diary_after_session"]
    if response.number("from_day") > response.number("to_day"):
        problems.append("rules.session_response.diary_after_session: from_day after to_day")
    return problems
