"""Complementary therapies with honest evidence grades, and self-care with its warnings."""

from sciatica_care.domain.codes import SELF_CARE_ITEMS
from sciatica_care.domain.plan import Complementary, Evidence, SelfCare
from sciatica_care.domain.protocol import Protocol

_THERAPY_RULES = (
    ("exercise_therapy", "complementary.exercise_therapy"),
    ("spinal_manipulation", "complementary.spinal_manipulation"),
    ("acupuncture", "complementary.acupuncture"),
)


def complementary(
    *, on_hold: bool, startback_risk: str | None, protocol: Protocol
) -> tuple[Complementary, ...]:
    """Exercise always goes with massage; everything waits while massage is on hold."""
    psychological = (
        "complementary.psychological_support_high_risk"
        if startback_risk == "high"
        else "complementary.psychological_support"
    )
    held = protocol.rule("complementary.on_hold")
    items = []
    for therapy, rule_id in (*_THERAPY_RULES, ("psychological_support", psychological)):
        rule = protocol.rule(rule_id)
        evidence = Evidence(grade=rule.word("grade"), sources=rule.sources)  # type: ignore[arg-type]
        items.append(
            Complementary(
                therapy=therapy,  # type: ignore[arg-type]
                stance="on_hold" if on_hold else rule.word("stance"),  # type: ignore[arg-type]
                evidence=evidence,
                reason=held.text if on_hold else rule.text,
                rule=held.id if on_hold else rule.id,
            )
        )
    return tuple(items)


def self_care(
    *, numbness: bool, reduced_sensation: bool, suspected_clot: bool, protocol: Protocol
) -> tuple[SelfCare, ...]:
    """Stay active always; heat and cold warn when the skin may not feel a burn."""
    items = []
    for item in SELF_CARE_ITEMS:
        rule = protocol.rule(f"self_care.{item}")
        warnings = []
        if numbness and "numbness_warning" in rule.params:
            warnings.append(rule.word("numbness_warning"))
        if reduced_sensation and "sensation_warning" in rule.params:
            warnings.append(rule.word("sensation_warning"))
        if suspected_clot and "clot_warning" in rule.params:
            warnings.append(rule.word("clot_warning"))
        items.append(
            SelfCare(
                item=item,  # type: ignore[arg-type]
                advice=rule.text,
                warnings=tuple(warnings),
                rule=rule.id,
            )
        )
    return tuple(items)
