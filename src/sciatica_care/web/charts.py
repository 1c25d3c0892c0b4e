"""Line charts as server-side SVG: pure functions over dated readings, standard library only."""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sciatica_care.web.chart_marks import (
    LEFT,
    LEGEND_ROW,
    MARKER,
    STYLES,
    TOP,
    dash_attr,
    legend,
    legend_rows,
    point_mark,
    xml_text,
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TEXT = "#222222"
AXIS = "#444444"
GRID = "#dddddd"
RIGHT, BOTTOM = 32.0, 30.0
INSET = 14.0  # keeps the first and last readings clear of the axis


@dataclass(frozen=True, slots=True)
class Point:
    """One dated reading."""

    day: date
    value: float


Series = Sequence[tuple[str, Sequence[Point]]]
Clean = list[tuple[str, list[Point]]]


@dataclass(frozen=True, slots=True)
class Frame:
    """The plot area and the scales that map days and values onto it."""

    x0: float
    x1: float
    y0: float
    y1: float
    first: date
    span: int
    lo: float
    hi: float

    def x(self, day: date) -> float:
        """The horizontal position of a day."""
        if self.span == 0:
            return (self.x0 + self.x1) / 2
        inner = self.x1 - self.x0 - 2 * INSET
        return self.x0 + INSET + (day - self.first).days / self.span * inner

    def y(self, value: float) -> float:
        """The vertical position of a value."""
        return self.y1 - (value - self.lo) / (self.hi - self.lo) * (self.y1 - self.y0)


def line_chart(
    *,
    title: str,
    series: Series,
    y_max: float,
    y_label: str,
    markers: Sequence[date] = (),
    marker_label: str = "session",
    width: int = 640,
    height: int = 240,
) -> str:
    """Draw dated readings as an accessible SVG line chart, one styled line per series."""
    clean = _clean(series)
    rows = legend_rows([name for name, _ in clean], marker_label if markers else None, width)
    frame = _frame(clean, markers, y_max, width, height, TOP + LEGEND_ROW * len(rows) + 8)
    desc = _desc(clean, y_max, y_label, markers, marker_label)
    return "\n".join(
        [
            *_open(title, desc, width, height),
            *legend(rows),
            *_axes(frame, y_label, has_data=_has_points(clean)),
            *_plot(frame, clean, markers, marker_label),
            "</svg>",
        ]
    )


def chart_table(
    *, series: Sequence[tuple[str, Sequence[Point]]]
) -> list[tuple[date, list[float | None]]]:
    """Rows of the chart's text alternative: each day with its value per series, or None."""
    by_day: dict[date, list[float | None]] = {}
    for index, (_, points) in enumerate(series):
        for point in points:
            row = by_day.setdefault(point.day, [None] * len(series))
            row[index] = point.value
    return sorted(by_day.items())


def _open(title: str, desc: str, width: int, height: int) -> list[str]:
    """The root element, named by its title and described by its summary."""
    ident = "chart-" + hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="100%" preserveAspectRatio="xMidYMid meet" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc"'
        f' font-family="system-ui, sans-serif" font-size="14" fill="{TEXT}">',
        f'<title id="{ident}-title">{xml_text(title)}</title>',
        f'<desc id="{ident}-desc">{xml_text(desc)}</desc>',
    ]


def _plot(frame: Frame, clean: Clean, markers: Sequence[date], marker_label: str) -> list[str]:
    """The markers and the series, or a note that there is nothing to draw yet."""
    if not _has_points(clean):
        x, y = (frame.x0 + frame.x1) / 2, (frame.y0 + frame.y1) / 2
        return [
            f'<text class="empty" x="{x:.1f}" y="{y:.1f}" text-anchor="middle">'
            "No readings yet</text>"
        ]
    return [
        *_markers(frame, markers, marker_label),
        *(_series(frame, i, name, points) for i, (name, points) in enumerate(clean)),
    ]


def _clean(series: Series) -> Clean:
    """Each series sorted by day, without non-finite values."""
    return [
        (name, sorted((p for p in points if math.isfinite(p.value)), key=lambda p: p.day))
        for name, points in series
    ]


def _has_points(clean: Clean) -> bool:
    """Whether any series has a reading."""
    return any(points for _, points in clean)


def _frame(
    clean: Clean, markers: Sequence[date], y_max: float, width: int, height: int, top: float
) -> Frame:
    """The scales: every reading and marker day across, zero to y_max (or beyond) up."""
    points = [p for _, ps in clean for p in ps]
    days = [p.day for p in points] + (list(markers) if points else [])
    first, last = (min(days), max(days)) if days else (date(2000, 1, 1),) * 2
    lo = min([0.0, *(p.value for p in points)])
    hi = max([y_max if math.isfinite(y_max) else 0.0, *(p.value for p in points)])
    if hi <= lo:
        hi = lo + max(1.0, abs(lo))
    bottom = max(float(height) - BOTTOM, top + 1.0)
    right = max(float(width) - RIGHT, LEFT + 2 * INSET + 1.0)
    return Frame(LEFT, right, top, bottom, first, (last - first).days, lo, hi)


def _y_ticks(lo: float, hi: float) -> list[float]:
    """About five round values from lo to hi."""
    raw = (hi - lo) / 5
    if not 0 < raw < math.inf:
        return [lo, hi]
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    return [k * step for k in range(first, last + 1)]


def _x_ticks(first: date, span: int) -> list[date]:
    """Up to five evenly spread days from the first to the last."""
    intervals = min(4, span)
    if intervals == 0:
        return [first]
    return sorted(
        {first + timedelta(days=round(i * span / intervals)) for i in range(intervals + 1)}
    )


def day_label(day: date, *, year: bool = True) -> str:
    """A day in words that do not depend on the locale, like "5 Jan 2026"."""
    short = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{short} {day.year}" if year else short


def _axes(frame: Frame, y_label: str, *, has_data: bool) -> list[str]:
    """Axis lines, gridlines, tick labels and the y-axis label."""
    parts = [f'<g class="axes" stroke="{AXIS}">']
    for value in _y_ticks(frame.lo, frame.hi):
        y = frame.y(value)
        parts.append(
            f'<line x1="{frame.x0:.1f}" y1="{y:.1f}" x2="{frame.x1:.1f}" y2="{y:.1f}"'
            f' stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{frame.x0 - 6:.1f}" y="{y + 4:.1f}" text-anchor="end"'
            f' stroke="none">{value:g}</text>'
        )
    last = frame.first + timedelta(days=frame.span)
    with_year = frame.first.year != last.year
    for day in _x_ticks(frame.first, frame.span) if has_data else []:
        x = frame.x(day)
        parts.append(
            f'<line x1="{x:.1f}" y1="{frame.y1:.1f}" x2="{x:.1f}" y2="{frame.y1 + 5:.1f}"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{frame.y1 + 18:.1f}" text-anchor="middle"'
            f' stroke="none">{day_label(day, year=with_year)}</text>'
        )
    parts.append(
        f'<path d="M{frame.x0:.1f} {frame.y0:.1f}V{frame.y1:.1f}H{frame.x1:.1f}" fill="none"/>'
    )
    mid = (frame.y0 + frame.y1) / 2
    parts.append(
        f'<text transform="rotate(-90)" x="{-mid:.1f}" y="14" text-anchor="middle"'
        f' stroke="none">{xml_text(y_label)}</text>'
    )
    parts.append("</g>")
    return parts


def _series(frame: Frame, index: int, name: str, points: list[Point]) -> str:
    """One series: a line through its readings and a marker on each."""
    style = STYLES[index % len(STYLES)]
    parts = [f'<g class="series series-{index}">']
    if len(points) > 1:
        coords = " ".join(f"{frame.x(p.day):.1f},{frame.y(p.value):.1f}" for p in points)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{style.colour}"'
            f' stroke-width="2" stroke-linejoin="round"{dash_attr(style)}/>'
        )
    for p in points:
        tip = f"{name}, {day_label(p.day)}: {p.value:g}"
        parts.append(point_mark(style, frame.x(p.day), frame.y(p.value), tip))
    parts.append("</g>")
    return "".join(parts)


def _markers(frame: Frame, markers: Sequence[date], label: str) -> list[str]:
    """A dashed vertical line on each marked day, such as a session."""
    lines = [
        f'<line class="marker" x1="{frame.x(day):.1f}" y1="{frame.y0:.1f}"'
        f' x2="{frame.x(day):.1f}" y2="{frame.y1:.1f}" stroke="{MARKER}" stroke-width="1.5"'
        f' stroke-dasharray="4 3"><title>{xml_text(f"{label}, {day_label(day)}")}</title></line>'
        for day in sorted(set(markers))
    ]
    return ['<g class="markers">', *lines, "</g>"] if lines else []


def _desc(
    clean: Clean, y_max: float, y_label: str, markers: Sequence[date], marker_label: str
) -> str:
    """A summary in words: the scale, each series' first and last values, the markers."""
    sentences = [f"Vertical axis: {y_label}, from 0 to {y_max:g}."]
    sentences += [_series_summary(name, points) for name, points in clean]
    count = len(set(markers))
    if count:
        dates = "date" if count == 1 else "dates"
        sentences.append(f"Dashed vertical lines mark {count} {marker_label} {dates}.")
    return " ".join(sentences)


def _series_summary(name: str, points: list[Point]) -> str:
    """One series in words: its first and last readings."""
    if not points:
        return f"{name}: no readings yet."
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"{name}: one reading, {first.value:g} on {day_label(first.day)}."
    return (
        f"{name}: first {first.value:g} on {day_label(first.day)},"
        f" last {last.value:g} on {day_label(last.day)} ({len(points)} readings)."
    )
