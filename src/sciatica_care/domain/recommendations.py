"""Complementary therapies with honest evidence grades, and self-care with its warnings."""

from sciatica_care.domain.codes import SELF_CARE_ITEMS
from sciatica_care.domain.plan import Complementary, Evidence, SelfCare
from sciatica_care.domain.protocol import Protocol, Rule

_THERAPY_RULES = (
    ("exercise_therapy", "complementary.exercise_therapy"),
    ("spinal_manipulation", "complementary.spinal_manipulation"),
    ("acupuncture", "complementary.acupuncture"),
)


def complementary(
    *,
    on_hold: bool,
    startback_risk: str | None,
    findings: frozenset[str] = frozenset(),
    protocol: Protocol,
) -> tuple[Complementary, ...]:
    """Exercise always goes with massage; everything waits while massage is on hold.

    Every finding on record (cleared or not, screened or marked on the body map) is weighed for
    every therapy: a contraindication makes it not_recommended, a caution is named in its reason.
    """
    psychological = (
        "complementary.psychological_support_high_risk"
        if startback_risk == "high"
        else "complementary.psychological_support"
    )
    held = protocol.rule("complementary.on_hold")
    ruled_out = protocol.rule("complementary.contraindicated")
    items = []
    for therapy, rule_id in (*_THERAPY_RULES, ("psychological_support", psychological)):
        rule = protocol.rule(rule_id)
        evidence = Evidence(grade=rule.word("grade"), sources=rule.sources)  # type: ignore[arg-type]
        stance, reason, said_by = rule.word("stance"), rule.text, rule.id
        against = [code for code in rule.words("contraindications") if code in findings]
        cautions = [code for code in rule.words("cautions") if code in findings]
        if on_hold:
            stance, reason, said_by = "on_hold", held.text, held.id
        elif against:
            stance, reason, said_by = "not_recommended", _named(ruled_out, against), ruled_out.id
        elif cautions:
            reason = f"{reason} Tell the practitioner first: {', '.join(_words(cautions))}."
        items.append(
            Complementary(
                therapy=therapy,  # type: ignore[arg-type]
                stance=stance,  # type: ignore[arg-type]
                evidence=evidence,
                reason=reason,
                rule=said_by,
            )
        )
    return tuple(items)


def _words(codes: list[str]) -> list[str]:
    return [code.replace("_", " ") for code in codes]


def _named(rule: Rule, codes: list[str]) -> str:
    return f"{rule.text} On record: {', '.join(_words(codes))}."


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
                evidence=Evidence(grade=rule.word("grade"), sources=rule.sources),  # type: ignore[arg-type]
            )
        )
    return tuple(items)
