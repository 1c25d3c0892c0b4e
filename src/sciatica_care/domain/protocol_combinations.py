"""The protocol's `[levels]` wordings and `[combinations]` red flags, read and checked whole."""

from collections.abc import Mapping
from dataclasses import dataclass

from sciatica_care.domain.codes import DERIVED_CODES, FINDING_CLASSES, FINDING_CODES, WORDED_LEVELS
from sciatica_care.domain.protocol_spec import text

NUMBER = "{emergency_number}"
# What a level's table holds; emergency and urgent also carry the plan's safety-net.
LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "emergency": ("action", "safety_net"),
    "urgent": ("action", "safety_net"),
    "see_doctor": ("action",),
}
# Facts a combination may name besides finding codes: the client's age (from `min_age`) and
# numbness or tingling marked on the latest body map.
FACTS: tuple[str, ...] = ("age", "body_map_numbness")
COMBINATION_KEYS = ("class", "rule", "action", "requires", "min_age")
# The shipped combinations are red flags: a protocol keeps each, at least at this class.
COMBINATION_FLOOR: dict[str, str] = {
    "suspected_mscc": "emergency",
    "possible_spinal_infection": "urgent",
    "possible_fracture": "urgent",
}
COMBINATION_CLASSES = ("see_doctor", "urgent", "emergency")


@dataclass(frozen=True, slots=True)
class Combination:
    """A red flag raised when one fact of every group is present (e.g. cancer and numbness)."""

    code: str
    finding_class: str
    rule: str
    action: str
    requires: tuple[tuple[str, ...], ...]
    min_age: int | None


def levels(table: Mapping[str, object], problems: list[str]) -> dict[str, dict[str, str]]:
    """The one wording of each level's urgency, used by every finding of that level."""
    for key in table.keys() - set(WORDED_LEVELS):
        problems.append(f"levels.{key}: unknown level; allowed: {', '.join(WORDED_LEVELS)}")
    out: dict[str, dict[str, str]] = {}
    for level in WORDED_LEVELS:
        entry = table.get(level)
        if not isinstance(entry, dict):
            problems.append(f"levels.{level}: missing level")
            continue
        for key in entry.keys() - set(LEVEL_KEYS[level]):
            problems.append(f"levels.{level}.{key}: unknown key")
        for key in LEVEL_KEYS[level]:
            if (why := text(entry.get(key))) is not None:
                problems.append(f"levels.{level}.{key}: {why}")
        if level == "emergency" and NUMBER not in str(entry.get("action", "")):
            problems.append(f"levels.emergency.action: must name the number as {NUMBER}")
        out[level] = {key: str(entry.get(key)) for key in LEVEL_KEYS[level]}
    return out


def combinations(
    table: Mapping[str, object], rules: Mapping[str, object], problems: list[str]
) -> dict[str, Combination]:
    """Every combination red flag, each checked; the shipped ones cannot be dropped or eased."""
    for code in COMBINATION_FLOOR.keys() - table.keys():
        problems.append(f"combinations.{code}: missing combination (a red flag cannot be dropped)")
    out: dict[str, Combination] = {}
    for code, entry in table.items():
        where = f"combinations.{code}"
        if code not in DERIVED_CODES or code not in COMBINATION_FLOOR:
            problems.append(
                f"{where}: unknown combination; allowed: {', '.join(COMBINATION_FLOOR)}"
            )
            continue
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a table")
            continue
        found = _combination(code, entry, rules, where, problems)
        if found is not None:
            out[code] = found
    return out


def _combination(
    code: str,
    entry: Mapping[str, object],
    rules: Mapping[str, object],
    where: str,
    problems: list[str],
) -> Combination | None:
    for key in entry.keys() - set(COMBINATION_KEYS):
        problems.append(f"{where}.{key}: unknown key")
    level = entry.get("class")
    if level not in COMBINATION_CLASSES:
        problems.append(f"{where}.class: must be one of {', '.join(COMBINATION_CLASSES)}")
        return None
    floor = COMBINATION_FLOOR[code]
    if FINDING_CLASSES.index(str(level)) < FINDING_CLASSES.index(floor):
        problems.append(f"{where}.class: a red flag cannot be made milder than {floor!r}")
    rule = entry.get("rule")
    if rule not in rules or not str(rule).startswith("triage."):
        problems.append(f"{where}.rule: must name a triage rule of the [rules] table")
    if (why := text(entry.get("action"))) is not None:
        problems.append(f"{where}.action: {why}")
    groups = _groups(entry.get("requires"), f"{where}.requires", problems)
    min_age = entry.get("min_age")
    names_age = any("age" in group for group in groups)
    if names_age and not (isinstance(min_age, int) and 1 <= min_age <= 120):
        problems.append(f"{where}.min_age: 'age' in requires needs an integer 1..120")
    if min_age is not None and not names_age:
        problems.append(f"{where}.min_age: only with 'age' in requires")
    return Combination(
        code=code,
        finding_class=str(level),
        rule=str(rule),
        action=str(entry.get("action")),
        requires=groups,
        min_age=min_age if isinstance(min_age, int) else None,
    )


def _groups(value: object, where: str, problems: list[str]) -> tuple[tuple[str, ...], ...]:
    allowed = set(FINDING_CODES) | set(FACTS)
    if not isinstance(value, list) or len(value) < 2:
        problems.append(f"{where}: must be a list of at least two groups of finding codes")
        return ()
    groups = []
    for index, group in enumerate(value):
        if not isinstance(group, list) or not group:
            problems.append(f"{where}[{index}]: must be a non-empty list of finding codes")
            continue
        wrong = [item for item in group if item not in allowed]
        if wrong:
            problems.append(f"{where}[{index}]: unknown codes {wrong!r}")
        groups.append(tuple(str(item) for item in group))
    return tuple(groups)
