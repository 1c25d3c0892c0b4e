"""The body map: emergency marks, the nerve-root hint and how far down the leg symptoms reach."""

from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache

from sciatica_care.domain.codes import REGIONS, Centralisation, Region
from sciatica_care.domain.history import Assessment, History, Regions
from sciatica_care.domain.plan import CentralisationTrend, NerveRootHint, Reach
from sciatica_care.domain.protocol import Protocol

# Anatomy, not a threshold: how far down the leg each body part lies (0 = the back).
_DISTANCE = {
    "lower_back": 0,
    "saddle": 0,
    "buttock": 1,
    "anterolateral_thigh": 2,
    "posterior_thigh": 2,
    "knee": 3,
    "medial_calf": 4,
    "lateral_calf": 4,
    "posterior_calf": 4,
    "dorsum_of_foot": 5,
    "great_toe": 5,
    "medial_foot": 5,
    "lateral_foot": 5,
    "sole": 5,
    "heel": 5,
}
_REACH_NAMES = ("back", "buttock", "thigh", "knee", "calf", "foot")


def body_part(region: str) -> str:
    """A region without its side: `lateral_calf_left` -> `lateral_calf`."""
    return region.removesuffix("_left").removesuffix("_right")


def marks(regions: Regions) -> tuple[str, ...]:
    """Every mark of a body map, all layers together (a region marked twice counts twice)."""
    return regions.pain + regions.numbness + regions.tingling


def _marked(assessment: Assessment) -> bool:
    regions = assessment.regions
    return regions is not None and bool(regions.pain or regions.numbness or regions.tingling)


def latest_body_map(history: History) -> Assessment | None:
    """The body map of the latest date with marks; several maps on that date are merged."""
    return _body_map_on(history, max)


def first_body_map(history: History) -> Assessment | None:
    """The body map of the earliest date with marks; several maps on that date are merged."""
    return _body_map_on(history, min)


def _body_map_on(history: History, pick: Callable[[list[date]], date]) -> Assessment | None:
    marked = [a for a in history.assessments if _marked(a)]
    if not marked:
        return None
    day = pick([a.date for a in marked])
    same = [a for a in marked if a.date == day]
    if len(same) == 1:
        return same[0]
    layers = [a.regions for a in same if a.regions is not None]
    merged = Regions(
        pain=_union(r.pain for r in layers),
        numbness=_union(r.numbness for r in layers),
        tingling=_union(r.tingling for r in layers),
    )
    return Assessment(date=day, regions=merged)


def _union(layers: Iterable[tuple[Region, ...]]) -> tuple[Region, ...]:
    return tuple(dict.fromkeys(region for layer in layers for region in layer))


def saddle_marks(regions: Regions) -> tuple[str, ...]:
    """Marks in the saddle area (a cauda equina sign)."""
    return tuple(dict.fromkeys(r for r in marks(regions) if r == "saddle"))


_BELOW = frozenset(r for r in REGIONS if _DISTANCE[body_part(r)] >= 2)
_BELOW_LEFT = frozenset(r for r in _BELOW if r.endswith("_left"))
_BELOW_RIGHT = frozenset(r for r in _BELOW if r.endswith("_right"))


@lru_cache(maxsize=4096)
def alert_signs(regions: Regions) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A body map's cauda equina signs: (saddle marks, both-legs marks), kept per map (a long
    history repeats the same few maps, and every one of them is read for open alerts)."""
    every = frozenset(marks(regions))
    saddle = ("saddle",) if "saddle" in every else ()
    both = () if every.isdisjoint(_BELOW_LEFT) or every.isdisjoint(_BELOW_RIGHT) else None
    return saddle, both_legs_marks(regions) if both is None else ()


def both_legs_marks(regions: Regions) -> tuple[str, ...]:
    """Marks below the buttock when there are some on both sides (a cauda equina sign)."""
    below = [r for r in marks(regions) if _DISTANCE[body_part(r)] >= 2]
    left = any(r.endswith("_left") for r in below)
    right = any(r.endswith("_right") for r in below)
    return tuple(dict.fromkeys(below)) if left and right else ()


def nerve_root_hint(
    assessment: Assessment | None, protocol: Protocol, exam: dict[str, int] | None = None
) -> NerveRootHint:
    """The root whose area holds most of the regions marked on the latest body map, each sign of
    the latest neurological examination counting as one more mark for its root.

    Layers are pooled (a region marked as pain and numbness counts once; each side counts).
    Null on a tie or with no region in any root's area.
    """
    rule = protocol.rule("nerve_root.majority_of_marks")
    counts = dict(exam) if exam else {"L4": 0, "L5": 0, "S1": 0}
    if assessment is not None and assessment.regions is not None:
        parts = [body_part(r) for r in dict.fromkeys(marks(assessment.regions))]
        for root in counts:
            area = set(rule.words(root))
            counts[root] += sum(part in area for part in parts)
    best = max(counts.values())
    leaders = [root for root, count in counts.items() if count == best]
    if best == 0 or len(leaders) > 1:
        reason = "No single root's area holds most of the marks below the buttock."
        return NerveRootHint(root=None, confidence=None, marks=counts, rule=rule.id, reason=reason)
    return NerveRootHint(
        root=leaders[0],  # type: ignore[arg-type]
        confidence="low",
        marks=counts,
        rule=rule.id,
        reason=rule.text,
    )


def _reach(assessment: Assessment) -> tuple[int, Reach]:
    assert assessment.regions is not None
    regions = marks(assessment.regions)
    furthest = max(_DISTANCE[body_part(r)] for r in regions)
    at_reach = tuple(dict.fromkeys(r for r in regions if _DISTANCE[body_part(r)] == furthest))
    reach = Reach(date=assessment.date, reach=_REACH_NAMES[furthest], regions=at_reach)  # type: ignore[arg-type]
    return furthest, reach


def centralisation(
    history: History, latest: Assessment | None, protocol: Protocol
) -> CentralisationTrend:
    """Compare how far down the leg the first and the latest body maps reach."""
    rule = protocol.rule("centralisation.distal_extent").id
    first = first_body_map(history)
    if first is None or latest is None:
        return CentralisationTrend(status=None, baseline=None, latest=None, rule=rule)
    (start, baseline), (now, current) = _reach(first), _reach(latest)
    status: Centralisation | None
    if first.date == latest.date:
        status = None
    elif now < start:
        status = "centralising"
    elif now > start:
        status = "peripheralising"
    else:
        status = "unchanged"
    return CentralisationTrend(status=status, baseline=baseline, latest=current, rule=rule)


def spreading(history: History, latest: Assessment | None) -> tuple[str, ...]:
    """What the latest body map shows that the previous one did not: numbness in a new region,
    or symptoms reaching further down the leg (E4). Empty with fewer than two maps."""
    if latest is None or latest.regions is None:
        return ()
    earlier = [a for a in history.assessments if a.date < latest.date and _marked(a)]
    if not earlier:
        return ()
    previous = _body_map_on(History(assessments=tuple(earlier)), max)
    assert previous is not None
    assert previous.regions is not None
    said = [
        f"numbness new in {region}"
        for region in dict.fromkeys(latest.regions.numbness)
        if region not in previous.regions.numbness
    ]
    (then, before), (now, current) = _reach(previous), _reach(latest)
    if now > then:
        said.append(f"symptoms reach the {current.reach} (the {before.reach} on {previous.date})")
    return tuple(said)


def numbness_marked(history: History) -> bool:
    """Whether any body map of the history marks numbness."""
    return any(a.regions is not None and a.regions.numbness for a in history.assessments)
