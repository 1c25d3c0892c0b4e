"""Scoring of the Oswestry Disability Index and the STarT Back tool (item numbers, no wording)."""

from collections.abc import Sequence
from typing import Literal


def round_half_up(numerator: int, denominator: int) -> float:
    """numerator / denominator rounded half up (away from zero on a tie) to one decimal.

    Exact integer arithmetic, and never -0.0.
    """
    tenths = (abs(numerator) * 20 + denominator) // (2 * denominator)
    if tenths == 0:
        return 0.0
    return (tenths if (numerator < 0) == (denominator < 0) else -tenths) / 10


def odi_percent(answers: Sequence[int | None] | None, min_sections: int) -> float | None:
    """Oswestry %: sum / (5 x sections answered) x 100, half up at one decimal; None if too few."""
    if answers is None:
        return None
    answered = [a for a in answers if a is not None]
    if len(answered) < min_sections or not answered:
        return None
    return round_half_up(sum(answered) * 20, len(answered))


def startback_risk(
    answers: Sequence[int] | None, low_max_total: int, high_min_distress: int
) -> Literal["low", "medium", "high"] | None:
    """STarT Back risk group: low, medium or high; None without answers.

    Total is items 1-9; the distress subscale is items 5-9.
    """
    if answers is None:
        return None
    total = sum(answers)
    distress = sum(answers[4:9])
    if total <= low_max_total:
        return "low"
    return "high" if distress >= high_min_distress else "medium"
