"""What each full screening answered: yes (with regions), no, or not asked (protocol 2026.2, B1).

A screening that records its no answers (`negatives`) leaves every other item not asked, and an
item not asked keeps the answer it last had: it is never read as a no. A screening without
`negatives` (history@1 as written before 2026.2) lists its yes answers, and every item it leaves
out counts as no, as the first contract read it.
"""

from dataclasses import dataclass
from datetime import date

from sciatica_care.domain.history import History, finding_code, finding_regions


@dataclass(slots=True)
class Answers:
    """The answers of the full screenings of one date, merged."""

    date: date
    yes: dict[str, tuple[str, ...]]
    no: set[str] | None  # None: the yes answers only were recorded (every other item: no)

    def decides(self, code: str) -> bool:
        """Whether this date's screening answered the item, yes or no."""
        return self.no is None or code in self.yes or code in self.no


def full_answers(history: History) -> list[Answers]:
    """The full screenings' answers by date, newest first (check-ins are not full screenings)."""
    by_date: dict[date, Answers] = {}
    for screening in history.screenings:
        if screening.source != "screening":
            continue
        answers = by_date.get(screening.date)
        if answers is None:
            answers = by_date[screening.date] = Answers(screening.date, {}, None)
        for finding in screening.findings:
            code = finding_code(finding)
            answers.yes[code] = tuple(
                dict.fromkeys(answers.yes.get(code, ()) + finding_regions(finding))
            )
        if screening.negatives is not None:
            answers.no = (answers.no or set()) | set(screening.negatives)
    return [by_date[day] for day in sorted(by_date, reverse=True)]


def in_force(answered: list[Answers]) -> dict[str, tuple[str, ...]]:
    """The yes answers in force: the latest screening's, and for each item it did not ask, the
    answer of the latest earlier screening that did."""
    if not answered:
        return {}
    latest = answered[0]
    found = dict(latest.yes)
    if latest.no is None:
        return found
    decided = set(found) | latest.no
    for earlier in answered[1:]:
        for code, regions in earlier.yes.items():
            if code not in decided:
                found[code] = regions
        if earlier.no is None:  # it answered every item
            break
        decided |= set(earlier.yes) | earlier.no
    return found


def run_start(answered: list[Answers], code: str) -> date | None:
    """The first date of an item's current run of yes answers: the latest screenings that said
    yes, in a row, skipping those that did not ask it; None when the latest answer is not yes."""
    start = None
    for answers in answered:
        if code in answers.yes:
            start = answers.date
        elif answers.decides(code):
            break
    return start
